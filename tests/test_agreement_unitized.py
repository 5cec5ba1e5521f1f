"""Span arithmetic and Krippendorff's binary |u-alpha, checked against per-character brute force."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.agreement.levels import (
    Span,
    character_counts,
    coding_pattern_counts,
    compare_spans,
    count_matched_segments,
    merge_intervals,
)
from qualcode.agreement.unitized import ContinuumTally, binary_u_alpha

ALPHA = "krippendorff_binary_u_alpha"


def presence(intervals, length):
    coded = np.zeros(length, dtype=bool)
    for start, end in intervals:
        coded[start:end] = True
    return coded


def random_intervals(rng: random.Random, length: int, most: int = 6) -> list[tuple[int, int]]:
    intervals = []
    for _ in range(rng.randint(0, most)):
        start = rng.randrange(0, length)
        intervals.append((start, rng.randint(start, min(length, start + rng.randint(0, length // 2)))))
    return intervals


def test_merge_intervals_merges_overlaps_keeps_touching_apart_and_drops_empty():
    assert merge_intervals([(10, 20), (0, 5), (15, 30), (5, 8), (40, 40), (29, 31)]) == [(0, 5), (5, 8), (10, 31)]
    assert merge_intervals([]) == []
    assert merge_intervals([(3, 9), (4, 6)]) == [(3, 9)]


@pytest.mark.parametrize("seed", range(40))
def test_character_counts_equal_per_character_presence_vectors(seed):
    rng = random.Random(seed)
    length = rng.randint(1, 300)
    first, second = random_intervals(rng, length), random_intervals(rng, length)
    a_coded, b_coded = presence(first, length), presence(second, length)
    expected = (
        int(np.sum(a_coded & b_coded)),
        int(np.sum(a_coded & ~b_coded)),
        int(np.sum(~a_coded & b_coded)),
        int(np.sum(~a_coded & ~b_coded)),
    )
    assert character_counts(first, second, length) == expected


@pytest.mark.parametrize("seed", range(20))
def test_pattern_counts_for_several_analysts_equal_per_character_vectors(seed):
    rng = random.Random(seed)
    length = rng.randint(1, 200)
    analysts = [random_intervals(rng, length) for _ in range(rng.randint(2, 5))]
    matrix = np.array([presence(intervals, length) for intervals in analysts]).T
    expected: dict[tuple[int, ...], int] = {}
    for row in matrix:
        key = tuple(int(x) for x in row)
        expected[key] = expected.get(key, 0) + 1
    assert coding_pattern_counts(analysts, length) == expected


def test_segments_match_on_intersection_over_union_exactly_at_the_threshold():
    # overlap 9, union 10: exactly 0.9, which must count although 0.9 is not exact in binary
    assert count_matched_segments([(0, 10)], [(1, 10)], 0.9) == 1
    assert count_matched_segments([(0, 10)], [(1, 11)], 0.9) == 0  # 9/11
    assert count_matched_segments([(0, 10)], [(1, 11)], 0.8) == 1
    assert count_matched_segments([(0, 10), (20, 30), (50, 60)], [(21, 30), (40, 45), (50, 60)], 0.9) == 2
    assert count_matched_segments([(0, 10)], [], 0.5) == 0


# --- Unitized alpha ---------------------------------------------------------------------------


def brute_force_u_alpha(units_per_analyst: list[list[tuple[int, int]]], length: int) -> float | None:
    """|u-alpha from the definitions, character by character and pair by pair.

    Observed: for each character and each ordered pair of different analysts, 1/(m-1) to the
    coincidence of their two values (unit or gap). Expected: over all ordered pairs of distinct
    (analyst, character) positions, except pairs inside one and the same unit, the share of
    pairs with values (c, k), times l.. .
    """
    m = len(units_per_analyst)
    unit_of = []
    for units in units_per_analyst:
        row: list[int | None] = [None] * length
        for index, (start, end) in enumerate(units):
            for x in range(start, end):
                row[x] = index
        unit_of.append(row)
    observed = {(c, k): 0.0 for c in (0, 1) for k in (0, 1)}
    for x in range(length):
        for i in range(m):
            for j in range(m):
                if i != j:
                    pair = (int(unit_of[i][x] is not None), int(unit_of[j][x] is not None))
                    observed[pair] += 1 / (m - 1)
    positions = [(i, x) for i in range(m) for x in range(length)]
    pairs = {(c, k): 0 for c in (0, 1) for k in (0, 1)}
    for i, x in positions:
        for j, y in positions:
            if (i, x) == (j, y):
                continue
            if i == j and unit_of[i][x] is not None and unit_of[i][x] == unit_of[j][y]:
                continue
            pairs[(int(unit_of[i][x] is not None), int(unit_of[j][y] is not None))] += 1
    total = m * length
    all_pairs = sum(pairs.values())
    expected = {ck: total * n / all_pairs for ck, n in pairs.items()}
    expected_disagreement = total - expected[(0, 0)] - expected[(1, 1)]
    if abs(expected_disagreement) < 1e-12:
        return None
    return 1 - (total - observed[(0, 0)] - observed[(1, 1)]) / expected_disagreement


def unitized(spans_per_analyst: list[list[tuple[int, int]]], length: int) -> float | None:
    spans = {
        f"analyst {i}": [Span("t", "code", start, end) for start, end in intervals]
        for i, intervals in enumerate(spans_per_analyst)
    }
    result = compare_spans(spans, {"t": length}, "unitized", codes=["code"])
    return result.rows[0].coefficients[ALPHA].value


@pytest.mark.parametrize("analysts", [2, 3])
@pytest.mark.parametrize("seed", range(25))
def test_unitized_alpha_equals_the_brute_force_definition(analysts, seed):
    rng = random.Random(seed * 10 + analysts)
    length = rng.randint(3, 30)
    spans = [random_intervals(rng, length, most=4) for _ in range(analysts)]
    expected = brute_force_u_alpha([merge_intervals(s) for s in spans], length)
    if expected is None:
        assert unitized(spans, length) is None
    else:
        assert unitized(spans, length) == pytest.approx(expected, abs=1e-12)


def test_hand_worked_two_analyst_example_from_the_coincidence_matrices():
    # T = 10; A codes [2, 6), B codes [3, 7). Each analyst's text is gap, unit, gap:
    #   A: [0,2) [2,6) [6,10)   B: [0,3) [3,7) [7,10)
    # Observed coincidences (both ordered pairs, m - 1 = 1): l_uu = 2 x 3 = 6,
    # l_ug = l_gu = 1 + 1 = 2, l_gg = 2 x (2 + 3) = 10, so l.. = 20 and l.. - trace l = 4.
    # Expected: the denominator is l..^2 - sum of unit l^2 - sum of gap l = 400 - 32 - 12 = 356;
    # e_uu = 20 (8 x 8 - 32) / 356 = 640 / 356, e_gg = 20 (12 x 12 - 12) / 356 = 2640 / 356,
    # so l.. - trace e = 20 - 3280 / 356 = 3840 / 356 and |u-alpha = 1 - 4 x 356 / 3840 = 151 / 240.
    spans = {"A": [Span("T", "X", 2, 6)], "B": [Span("T", "X", 3, 7)]}
    row = compare_spans(spans, {"T": 10}, "unitized").rows[0]
    assert row.coefficients[ALPHA].value == pytest.approx(151 / 240, abs=1e-12)
    assert {key: row.counts[key] for key in ("unit_unit", "unit_gap", "gap_unit", "gap_gap")} == {
        "unit_unit": 6,
        "unit_gap": 2,
        "gap_unit": 2,
        "gap_gap": 10,
    }


def test_identical_coding_gives_unitized_alpha_one():
    spans = [(2, 9), (12, 20), (20, 25)]
    assert unitized([spans, spans], 40) == 1.0
    assert unitized([spans, spans, spans], 40) == 1.0


@pytest.mark.parametrize(("unit", "length"), [(10, 100), (1, 50), (30, 40)])
def test_one_analyst_coding_a_single_unit_alone_gives_minus_u_minus_1_over_2t(unit, length):
    value = unitized([[(5, 5 + unit)], []], length)
    assert value == pytest.approx(-(unit - 1) / (2 * length))
    assert value == pytest.approx(brute_force_u_alpha([[(5, 5 + unit)], []], length))


def test_unitized_alpha_is_undefined_without_variation():
    nobody = ContinuumTally(2)
    nobody.add_text(50, [], {0: 50})
    assert binary_u_alpha(nobody).reason == "undefined (no variation: no analyst used this code)"
    everything = ContinuumTally(2)
    everything.add_text(50, [(0, 50), (0, 50)], {2: 50})
    assert binary_u_alpha(everything).reason == ("undefined (no variation: every analyst coded all of the text)")


def test_touching_units_are_two_units_for_unitized_alpha():
    # One unit [0, 20) against two touching units [0, 10) and [10, 20): the characters agree,
    # but the partitions differ, and the expected disagreement sees different unit lengths.
    assert unitized([[(0, 20)], [(0, 10), (10, 20)]], 60) == pytest.approx(
        brute_force_u_alpha([[(0, 20)], [(0, 10), (10, 20)]], 60)
    )
    assert unitized([[(0, 20)], [(0, 10), (10, 20)]], 60) == 1.0  # no observed disagreement


def test_tallies_pool_by_addition():
    first, second = ContinuumTally(2), ContinuumTally(2)
    first.add_text(30, [(0, 10), (5, 10)], {2: 5, 1: 5, 0: 20})
    second.add_text(20, [(0, 4)], {1: 4, 0: 16})
    first.add(second)
    assert (first.length, first.coded_length, first.coded_length_squares, first.split_pairs) == (
        50,
        19,
        100 + 25 + 16,
        9,
    )
    with pytest.raises(ValueError, match="different numbers of analysts"):
        first.add(ContinuumTally(3))


# --- Properties of the span arithmetic ---------------------------------------------------------

LENGTH = 120


@st.composite
def codings(draw, analysts: int = 2):
    def one():
        return draw(
            st.lists(
                st.tuples(st.integers(0, LENGTH), st.integers(0, 40)).map(lambda p: (p[0], min(LENGTH, p[0] + p[1]))),
                max_size=6,
            )
        )

    return [one() for _ in range(analysts)]


def spans_of(intervals, code="code", transcript="t"):
    return [Span(transcript, code, start, end) for start, end in intervals]


@settings(max_examples=150, deadline=None)
@given(codings())
def test_agreement_of_an_analyst_with_herself_is_perfect(coding):
    mine = spans_of(coding[0])
    spans = {"Ana": mine, "Ana again, blind": list(reversed(mine))}
    character = compare_spans(spans, {"t": LENGTH}, "character", codes=["code"]).rows[0]
    assert character.counts["b"] == character.counts["c"] == 0
    assert character.coefficients["percent_agreement"].value == 1.0
    for name in ("cohen_kappa", "scott_pi", "krippendorff_alpha"):
        stat = character.coefficients[name]
        assert stat.value == pytest.approx(1.0) or stat.reason.startswith("undefined (no variation")
    segment = compare_spans(spans, {"t": LENGTH}, "segment", codes=["code"]).rows[0]
    assert segment.counts["agreements"] == segment.counts["segments"]
    unit = compare_spans(spans, {"t": LENGTH}, "unitized", codes=["code"]).rows[0]
    stat = unit.coefficients[ALPHA]
    assert stat.value == 1.0 or stat.reason.startswith("undefined (no variation")


@settings(max_examples=150, deadline=None)
@given(codings())
def test_swapping_analysts_keeps_every_coefficient(coding):
    lengths = {"t": LENGTH}
    for level in ("document", "character", "segment", "unitized"):
        forward = compare_spans({"A": spans_of(coding[0]), "B": spans_of(coding[1])}, lengths, level)
        backward = compare_spans({"B": spans_of(coding[1]), "A": spans_of(coding[0])}, lengths, level)
        for one, other in zip(forward.rows + forward.overall, backward.rows + backward.overall):
            for name, stat in one.coefficients.items():
                swapped = other.coefficients[name]
                if stat.value is None:
                    assert swapped == stat
                else:
                    assert swapped.value == pytest.approx(stat.value, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(codings(), st.integers(1, LENGTH - 1))
def test_splitting_a_span_into_touching_spans_changes_nothing_at_character_level(coding, cut):
    whole = spans_of(coding[0])
    split = []
    for start, end in coding[0]:
        if start < cut < end:
            split += [(start, cut), (cut, end)]
        else:
            split.append((start, end))
    other = spans_of(coding[1])
    joined = compare_spans({"A": whole, "B": other}, {"t": LENGTH}, "character", codes=["code"])
    touching = compare_spans({"A": spans_of(split), "B": other}, {"t": LENGTH}, "character", codes=["code"])
    assert joined.rows[0].counts == touching.rows[0].counts
    assert joined.rows[0].coefficients == touching.rows[0].coefficients
