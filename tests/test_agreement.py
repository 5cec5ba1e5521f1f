"""compare_spans: the four levels, their labels and aggregates, and bad input."""

from __future__ import annotations

import json
import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from qualcode.agreement.levels import LEVELS, AgreementError, Span, Stat, compare_spans
from qualcode.errors import QualcodeError

TWO = ["percent_agreement", "cohen_kappa", "scott_pi", "brennan_prediger", "gwet_ac1", "krippendorff_alpha", "jaccard"]
THREE = [
    "percent_agreement",
    "fleiss_kappa",
    "conger_kappa",
    "light_kappa",
    "brennan_prediger",
    "gwet_ac1",
    "krippendorff_alpha",
    "jaccard",
]


def spans(transcript: str, code: str, *intervals: tuple[int, int]) -> list[Span]:
    return [Span(transcript, code, start, end) for start, end in intervals]


def row_for(result, code):
    return next(row for row in result.rows if row.code == code)


def overall(result, aggregation):
    return next(row for row in result.overall if row.aggregation == aggregation)


# --- Character level ---------------------------------------------------------------------------


def test_nvivo_documented_example():
    # NVivo help: 1,000 characters, 50 coded by both, 150 by one user only (here 100 by A, 50 by B),
    # 800 by neither: 85% agreement; Kappa = (TA - sum EF) / (TU - sum EF) = 70 / 220.
    coded = {"A": spans("doc", "node", (0, 150)), "B": spans("doc", "node", (100, 200))}
    row = compare_spans(coded, {"doc": 1000}, "character").rows[0]
    assert row.counts == {"a": 50, "b": 100, "c": 50, "d": 800, "n": 1000}
    assert row.coefficients["percent_agreement"].value == pytest.approx(0.85)
    assert row.coefficients["cohen_kappa"].value == pytest.approx(70 / 220)
    assert row.coefficients["jaccard"].value == pytest.approx(50 / 200)
    assert list(row.coefficients) == TWO


def test_character_level_label_and_aggregates_say_how_they_were_formed():
    result = compare_spans({"A": spans("t", "x", (0, 5)), "B": spans("t", "x", (0, 5))}, {"t": 10}, "character")
    assert result.level == "character"
    assert result.level_label == (
        "Character level (NVivo convention): each character of each transcript is a unit, per code"
    )
    assert [row.aggregation for row in result.overall] == [
        "pooled over all codes and transcripts",
        "mean over codes and transcripts weighted by text length",
        "unweighted mean over codes and transcripts",
        "unweighted mean over codes",
    ]
    assert result.rows[0].aggregation == "pooled over transcripts"


def test_pooling_and_averaging_over_transcripts_differ_and_are_both_reported():
    coded = {
        "A": spans("long", "x", (0, 100)) + spans("short", "x", (0, 10)),
        "B": spans("long", "x", (50, 150)) + spans("short", "x", (0, 10)),
    }
    lengths = {"long": 1000, "short": 20}
    result = compare_spans(coded, lengths, "character", by_transcript=True)
    per_transcript = {row.transcript: row.coefficients["cohen_kappa"].value for row in result.transcript_rows}
    long_kappa = cohen_kappa_score(*_vectors([(0, 100)], [(50, 150)], 1000))
    assert per_transcript == {"long": pytest.approx(long_kappa), "short": pytest.approx(1.0)}
    pooled_first = [(0, 100), (1000, 1010)]
    pooled_second = [(50, 150), (1000, 1010)]
    assert overall(result, "pooled over all codes and transcripts").coefficients["cohen_kappa"].value == (
        pytest.approx(cohen_kappa_score(*_vectors(pooled_first, pooled_second, 1020)))
    )
    assert overall(result, "unweighted mean over codes and transcripts").coefficients[
        "cohen_kappa"
    ].value == pytest.approx((long_kappa + 1.0) / 2)
    assert overall(result, "mean over codes and transcripts weighted by text length").coefficients[
        "cohen_kappa"
    ].value == pytest.approx((1000 * long_kappa + 20 * 1.0) / 1020)


def _vectors(first, second, length):
    a, b = np.zeros(length, dtype=int), np.zeros(length, dtype=int)
    for start, end in first:
        a[start:end] = 1
    for start, end in second:
        b[start:end] = 1
    return a, b


@pytest.mark.parametrize("seed", range(8))
def test_character_level_matches_per_character_vectors_and_scikit_learn(seed):
    rng = random.Random(seed)
    lengths = {f"t{i}": rng.randint(50, 400) for i in range(4)}
    codes = ["alpha", "beta", "gamma"]
    coded: dict[str, list[Span]] = {"A": [], "B": []}
    for analyst_spans in coded.values():
        for _ in range(rng.randint(3, 25)):
            transcript = rng.choice(list(lengths))
            start = rng.randrange(lengths[transcript])
            end = min(lengths[transcript], start + rng.randint(1, 80))
            analyst_spans.append(Span(transcript, rng.choice(codes), start, end))
    result = compare_spans(coded, lengths, "character", codes=codes)
    for row in result.rows:
        a_vector = np.concatenate(
            [
                _vectors([(s.start, s.end) for s in coded["A"] if s.code == row.code and s.transcript == t], [], n)[0]
                for t, n in lengths.items()
            ]
        )
        b_vector = np.concatenate(
            [
                _vectors([(s.start, s.end) for s in coded["B"] if s.code == row.code and s.transcript == t], [], n)[0]
                for t, n in lengths.items()
            ]
        )
        assert row.counts["a"] == int(np.sum(a_vector & b_vector))
        assert row.counts["d"] == int(np.sum((1 - a_vector) & (1 - b_vector)))
        kappa = row.coefficients["cohen_kappa"]
        if len(set(a_vector) | set(b_vector)) > 1:
            assert kappa.value == pytest.approx(cohen_kappa_score(a_vector, b_vector))
            assert row.coefficients["krippendorff_alpha"].value == pytest.approx(
                krippendorff.alpha(reliability_data=[a_vector, b_vector], level_of_measurement="nominal")
            )


def test_three_analysts_get_fleiss_lights_and_pairwise_kappa_checked_against_per_character_data():
    rng = random.Random(3)
    length = 300
    coded = {name: [] for name in ("Ana", "Ben", "Cai")}
    for analyst_spans in coded.values():
        for _ in range(6):
            start = rng.randrange(length)
            analyst_spans.append(Span("t", "x", start, min(length, start + rng.randint(5, 60))))
    row = compare_spans(coded, {"t": length}, "character").rows[0]
    assert list(row.coefficients) == THREE
    vectors = [_vectors([(s.start, s.end) for s in coded[name]], [], length)[0] for name in coded]
    assert row.coefficients["krippendorff_alpha"].value == pytest.approx(
        krippendorff.alpha(reliability_data=vectors, level_of_measurement="nominal")
    )
    # Fleiss (1971) from the per-character category counts
    ones = np.sum(vectors, axis=0)
    counts = np.stack([3 - ones, ones], axis=1)
    p_bar = np.mean((np.sum(counts**2, axis=1) - 3) / 6)
    p_e = np.sum((counts.sum(axis=0) / (3 * length)) ** 2)
    assert row.coefficients["fleiss_kappa"].value == pytest.approx((p_bar - p_e) / (1 - p_e))
    pairs = {pair.analysts: pair.cohen_kappa.value for pair in row.pairwise}
    assert pairs[("Ana", "Cai")] == pytest.approx(cohen_kappa_score(vectors[0], vectors[2]))
    assert row.coefficients["light_kappa"].value == pytest.approx(np.mean(list(pairs.values())))
    assert "Ana+Ben+Cai" in row.counts or "none" in row.counts
    assert sum(v for k, v in row.counts.items() if k != "n") == length


def test_overlapping_spans_of_one_analyst_are_merged_not_double_counted():
    coded = {"A": spans("t", "x", (0, 10), (5, 15), (5, 15)), "B": spans("t", "x", (0, 15))}
    result = compare_spans(coded, {"t": 20}, "character")
    assert result.rows[0].counts == {"a": 15, "b": 0, "c": 0, "d": 5, "n": 20}
    assert "2 overlapping spans of the same code by the same analyst were merged first." in result.notes


def test_code_nobody_used_is_undefined_with_reason_and_full_agreement():
    coded = {"A": spans("t", "x", (0, 5)), "B": spans("t", "x", (0, 5))}
    result = compare_spans(coded, {"t": 50}, "character", codes=["x", "unused"])
    unused = row_for(result, "unused")
    assert unused.counts == {"a": 0, "b": 0, "c": 0, "d": 50, "n": 50}
    assert unused.coefficients["percent_agreement"].value == 1.0
    for name in ("cohen_kappa", "scott_pi", "krippendorff_alpha"):
        assert unused.coefficients[name] == Stat(None, "undefined (no variation: no analyst used this code)")
    assert unused.coefficients["jaccard"] == Stat(None, "undefined (no coded text: no analyst used this code)")
    mean = overall(result, "unweighted mean over codes")
    assert mean.coefficients["cohen_kappa"].value == 1.0  # the unused code is skipped, not averaged in
    assert mean.counts["codes"] == 2 and mean.counts["defined:cohen_kappa"] == 1


def test_everything_coded_by_everyone_is_undefined_too():
    coded = {"A": spans("t", "x", (0, 30)), "B": spans("t", "x", (0, 30))}
    row = compare_spans(coded, {"t": 30}, "character").rows[0]
    assert row.coefficients["cohen_kappa"].reason == ("undefined (no variation: every analyst coded all of the text)")
    assert row.coefficients["jaccard"].value == 1.0


def test_one_analyst_never_using_a_code_gives_kappa_zero_and_high_agreement():
    coded = {"A": spans("t", "x", (0, 20)), "B": []}
    row = compare_spans(coded, {"t": 1000}, "character").rows[0]
    assert row.coefficients["cohen_kappa"].value == 0.0
    assert row.coefficients["percent_agreement"].value == pytest.approx(0.98)


def test_only_listed_transcripts_count_and_zero_length_spans_are_ignored():
    coded = {
        "A": spans("t", "x", (0, 10), (12, 12)) + spans("elsewhere", "x", (0, 5)),
        "B": spans("t", "x", (0, 10)),
    }
    result = compare_spans(coded, {"t": 40}, "character")
    assert result.rows[0].counts == {"a": 10, "b": 0, "c": 0, "d": 30, "n": 40}
    assert "1 span in transcripts without a text length was left out." in result.notes
    assert "1 zero-length span was ignored." in result.notes


def test_empty_transcripts_have_nothing_to_compare():
    coded = {"A": [], "B": []}
    result = compare_spans(coded, {"empty": 0}, "character", codes=["x"])
    assert result.rows[0].coefficients["percent_agreement"] == Stat(
        None, "undefined (nothing to compare: no text, or no codes)"
    )


# --- Document level ----------------------------------------------------------------------------


def test_document_level_counts_transcripts_where_each_analyst_used_the_code():
    coded = {
        "A": spans("t1", "x", (0, 5)) + spans("t2", "x", (3, 4)) + spans("t3", "y", (0, 1)),
        "B": spans("t1", "x", (50, 60)) + spans("t4", "x", (0, 2)),
    }
    lengths = {f"t{i}": 100 for i in range(1, 6)}
    result = compare_spans(coded, lengths, "document", by_transcript=True)
    assert result.level_label.startswith("Document level (MAXQDA convention, code existence)")
    x = row_for(result, "x")
    assert x.counts == {"a": 1, "b": 1, "c": 1, "d": 2, "n": 5}
    first, second = [1, 1, 0, 0, 0], [1, 0, 0, 1, 0]
    assert x.coefficients["cohen_kappa"].value == pytest.approx(cohen_kappa_score(first, second))
    assert list(x.coefficients) == TWO
    assert {(r.code, r.transcript): r.counts for r in result.transcript_rows}[("x", "t2")] == {"A": 1, "B": 0}
    pooled = overall(result, "pooled over all codes and transcripts")
    assert pooled.counts == {"a": 1, "b": 2, "c": 1, "d": 6, "n": 10}


def test_document_level_code_used_everywhere_by_everyone_is_undefined():
    coded = {
        "A": spans("t1", "x", (0, 5)) + spans("t2", "x", (0, 5)),
        "B": spans("t1", "x", (1, 2)) + spans("t2", "x", (8, 9)),
    }
    row = compare_spans(coded, {"t1": 10, "t2": 10}, "document").rows[0]
    assert row.coefficients["cohen_kappa"].reason == (
        "undefined (no variation: every analyst used this code in every transcript)"
    )
    assert row.coefficients["percent_agreement"].value == 1.0


# --- Segment level -----------------------------------------------------------------------------


def test_segment_level_counts_agreements_and_uses_brennan_prediger_with_q_codes():
    coded = {
        "A": spans("t", "x", (0, 100), (200, 300)) + spans("t", "y", (400, 500)),
        "B": spans("t", "x", (5, 100), (250, 300)) + spans("t", "y", (400, 500)),
    }
    result = compare_spans(coded, {"t": 1000}, "segment")
    assert result.level_label == (
        "Segment level (MAXQDA convention): each coded segment is a unit; it agrees when another "
        "analyst has the same code on a segment overlapping it by at least 0.9 (intersection over union)"
    )
    x = row_for(result, "x")
    assert (x.counts["agreements"], x.counts["segments"]) == (2, 4)  # 95/100 agrees, 50/100 does not
    assert x.coefficients["percent_agreement"].value == 0.5
    pooled = overall(result, "pooled over all codes and transcripts")
    assert (pooled.counts["agreements"], pooled.counts["segments"]) == (4, 6)
    # MAXQDA: P_chance = 1 / number of codes in the table (here 2)
    assert pooled.coefficients["brennan_prediger"].value == pytest.approx((4 / 6 - 1 / 2) / (1 - 1 / 2))
    assert result.parameters == {"threshold": 0.9, "q": 2}
    with_codebook = compare_spans(coded, {"t": 1000}, "segment", codebook_size=5)
    assert overall(with_codebook, "pooled over all codes and transcripts").coefficients[
        "brennan_prediger"
    ].value == pytest.approx((4 / 6 - 1 / 5) / (1 - 1 / 5))


def test_segment_threshold_is_a_parameter():
    coded = {"A": spans("t", "x", (0, 100)), "B": spans("t", "x", (0, 60))}
    strict = compare_spans(coded, {"t": 200}, "segment")
    lenient = compare_spans(coded, {"t": 200}, "segment", threshold=0.5)
    assert strict.rows[0].counts["agreements"] == 0
    assert lenient.rows[0].counts["agreements"] == 2
    assert "at least 0.5" in lenient.level_label


def test_touching_spans_stay_two_segments_and_overlapping_ones_merge():
    coded = {"A": spans("t", "x", (0, 50), (50, 100)), "B": spans("t", "x", (0, 60), (40, 100))}
    row = compare_spans(coded, {"t": 100}, "segment").rows[0]
    assert row.counts["segments[A]"] == 2
    assert row.counts["segments[B]"] == 1
    assert row.counts["agreements"] == 0


def test_segment_level_with_one_code_only_has_no_chance_correction():
    coded = {"A": spans("t", "x", (0, 10)), "B": spans("t", "x", (0, 10))}
    row = compare_spans(coded, {"t": 20}, "segment").rows[0]
    assert row.coefficients["percent_agreement"].value == 1.0
    assert row.coefficients["brennan_prediger"].reason == (
        "undefined (only one possible category, so chance agreement is 1)"
    )


def test_segment_level_with_three_analysts_checks_each_pair():
    coded = {
        "A": spans("t", "x", (0, 100)),
        "B": spans("t", "x", (0, 100)),
        "C": spans("t", "x", (300, 400)),
    }
    row = compare_spans(coded, {"t": 500}, "segment").rows[0]
    assert (row.counts["agreements"], row.counts["segments"]) == (2, 6)
    assert row.counts["agreements[C]"] == 0


# --- Unitized ----------------------------------------------------------------------------------


def test_unitized_level_reports_binary_u_alpha_per_code_and_overall():
    coded = {"A": spans("t", "x", (10, 20)), "B": []}
    result = compare_spans(coded, {"t": 100}, "unitized", codes=["x", "y"])
    assert result.level_label.startswith("Unitized (Krippendorff's binary |u-alpha")
    x = row_for(result, "x")
    assert x.coefficients["krippendorff_binary_u_alpha"].value == pytest.approx(-(10 - 1) / 200)
    assert x.counts["unit_gap"] == 10 and x.counts["units"] == 1
    assert row_for(result, "y").coefficients["krippendorff_binary_u_alpha"].reason == (
        "undefined (no variation: no analyst used this code)"
    )
    assert [row.aggregation for row in result.overall] == [
        "pooled over all codes and transcripts",
        "unweighted mean over codes",
    ]


# --- The result as data ------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_to_dict_is_plain_json_with_stable_keys(level):
    coded = {"A": spans("t", "x", (0, 10), (20, 30)), "B": spans("t", "x", (2, 10)) + spans("t", "y", (0, 3))}
    result = compare_spans(coded, {"t": 50}, level, by_transcript=True)
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {
        "level",
        "level_label",
        "analysts",
        "parameters",
        "rows",
        "transcript_rows",
        "overall",
        "notes",
    }
    assert data["analysts"] == ["A", "B"]
    assert [row["code"] for row in data["rows"]] == ["x", "y"]
    for row in data["rows"] + data["overall"] + data["transcript_rows"]:
        assert set(row) == {"code", "transcript", "aggregation", "counts", "coefficients", "pairwise"}
        for stat in row["coefficients"].values():
            assert set(stat) == {"value", "reason"}
            assert (stat["value"] is None) == (stat["reason"] is not None)
    assert all(row["aggregation"] for row in data["overall"])


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"spans": {"A": []}}, "at least two analysts"),
        ({"spans": {"Ana": [], " ana": []}}, "same analyst appears twice"),
        ({"level": "paragraph"}, "unknown level 'paragraph'"),
        ({"threshold": 0}, r"threshold must be in \(0, 1\]"),
        ({"threshold": 1.5}, r"threshold must be in \(0, 1\]"),
        ({"threshold": float("nan")}, r"threshold must be in \(0, 1\]"),
        ({"spans": {"A": spans("t", "x", (5, 60)), "B": []}}, r"not within \[0, 50\]"),
        ({"spans": {"A": spans("t", "x", (-1, 3)), "B": []}}, r"not within \[0, 50\]"),
        ({"spans": {"A": spans("t", "x", (9, 3)), "B": []}}, "start <= end"),
        ({"lengths": {"t": -4}}, "must be a whole number >= 0"),
        ({"codebook_size": 0}, "codebook_size must be a positive whole number"),
        ({"codes": ["x", "y", "z"], "codebook_size": 2}, r"codebook_size \(2\) is smaller"),
    ],
)
def test_bad_input_raises_a_value_error_with_a_clear_message(arguments, message):
    call = {"spans": {"A": [], "B": []}, "lengths": {"t": 50}, "level": "character", **arguments}
    with pytest.raises(ValueError, match=message) as raised:
        compare_spans(**call)
    assert isinstance(raised.value, AgreementError)
    assert isinstance(raised.value, QualcodeError)  # the CLI shows it as a one-line message


@pytest.mark.parametrize("level", LEVELS)
def test_per_transcript_rows_follow_the_order_of_the_transcripts_given(level):
    # Ben's spans arrive P10 first, Ana's P2 first; the rows follow `lengths`, as a paper would.
    coded = {
        "Ana": spans("P2", "X", (0, 5)) + spans("P10", "X", (0, 5)),
        "Ben": spans("P10", "X", (0, 5)) + spans("P1", "X", (0, 5)),
    }
    result = compare_spans(coded, {"P1": 20, "P2": 20, "P10": 20}, level, by_transcript=True)
    assert [row.transcript for row in result.transcript_rows] == ["P1", "P2", "P10"]
