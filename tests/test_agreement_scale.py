"""The fast two-analyst paths of compare_levels (spans arranged in arrays, overlaps shared between
levels, whole-number sums, the per-cell coefficients in arrays) against brute force on small random studies: per-character
patterns through presence_coefficients, segment matching by exact fractions, and the general
per-transcript paths."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from qualcode.agreement.coefficients import Means, presence_coefficients
from qualcode.agreement.levels import LEVELS, Span, compare_levels


def random_study(seed: int, transcripts: int = 6, spans_each: int = 40, codes: str = "ABC", longest: int = 60):
    rng = random.Random(seed)
    lengths = {f"T{i}": rng.randint(0, longest) for i in range(transcripts)}
    spans: dict[str, list[Span]] = {"Ana": [], "Ben": []}
    for analyst in spans:
        for _ in range(rng.randint(0, spans_each)):
            transcript = rng.choice(list(lengths))
            if not lengths[transcript]:
                continue
            start = rng.randrange(lengths[transcript])
            end = rng.randint(start, min(lengths[transcript], start + rng.randint(1, max(25, longest // 3))))
            spans[analyst].append(Span(transcript, rng.choice(codes), start, end))
    return spans, lengths


def coded(spans, code, transcript, length):
    return [
        {i for s in spans[a] if s.code == code and s.transcript == transcript for i in range(s.start, s.end)}
        for a in ("Ana", "Ben")
    ]


@pytest.mark.parametrize("seed", range(12))
def test_character_level_cells_and_codes_match_per_character_brute_force(seed):
    spans, lengths = random_study(seed)
    result = compare_levels(spans, lengths, ["character"])["character"]
    per_cell = Means()
    for row in result.rows:
        code_patterns: dict[tuple[int, int], int] = {}
        for transcript, length in lengths.items():
            first, second = coded(spans, row.code, transcript, length)
            patterns: dict[tuple[int, int], int] = {}
            for i in range(length):
                pattern = (int(i in first), int(i in second))
                patterns[pattern] = patterns.get(pattern, 0) + 1
                code_patterns[pattern] = code_patterns.get(pattern, 0) + 1
            stats = presence_coefficients(patterns)[0] if patterns else {}
            per_cell.add(stats, 1, length)
        expected = presence_coefficients(code_patterns)[0]
        counts = {(1, 1): "a", (1, 0): "b", (0, 1): "c", (0, 0): "d"}
        assert {counts[p]: n for p, n in code_patterns.items()} == {
            k: v for k, v in row.counts.items() if k != "n" and v
        }
        for name, stat in expected.items():
            assert row.coefficients[name].value == stat.value, (row.code, name)
    weighted, unweighted = result.overall[1], result.overall[2]
    for name, stat in per_cell.means(weighted=True).items():
        assert weighted.coefficients[name].value == pytest.approx(stat.value, rel=1e-12), name
    for name, stat in per_cell.means().items():
        assert unweighted.coefficients[name].value == pytest.approx(stat.value, rel=1e-12), name


def segments_of(spans, analyst, code, transcript):
    """The analyst's segments: overlapping spans merged, touching ones kept apart."""
    out: list[list[int]] = []
    for s in sorted((s.start, s.end) for s in spans[analyst] if s.code == code and s.transcript == transcript):
        if s[0] >= s[1]:
            continue
        if out and s[0] < out[-1][1]:
            out[-1][1] = max(out[-1][1], s[1])
        else:
            out.append(list(s))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_segment_level_matches_exact_intersection_over_union_by_brute_force(seed):
    spans, lengths = random_study(seed)
    threshold = random.Random(seed).choice([0.5, 0.7, 0.9, 1.0])
    result = compare_levels(spans, lengths, ["segment"], threshold=threshold)["segment"]
    limit = Fraction(str(threshold))
    for row in result.rows:
        agreements = {"Ana": 0, "Ben": 0}
        segments = {"Ana": 0, "Ben": 0}
        for transcript in lengths:
            for mine, theirs in (("Ana", "Ben"), ("Ben", "Ana")):
                own, other = (
                    segments_of(spans, mine, row.code, transcript),
                    segments_of(spans, theirs, row.code, transcript),
                )
                segments[mine] += len(own)
                for s, e in own:
                    if any(
                        min(e, oe) - max(s, os) > 0
                        and Fraction(min(e, oe) - max(s, os), max(e, oe) - min(s, os)) >= limit
                        for os, oe in other
                    ):
                        agreements[mine] += 1
        for analyst in ("Ana", "Ben"):
            assert row.counts[f"agreements[{analyst}]"] == agreements[analyst]
            assert row.counts[f"segments[{analyst}]"] == segments[analyst]


@pytest.mark.parametrize("seed", range(12))
def test_fast_paths_give_what_the_per_transcript_paths_give(seed):
    spans, lengths = random_study(seed)
    fast = compare_levels(spans, lengths, LEVELS)
    general = compare_levels(spans, lengths, LEVELS, by_transcript=True)
    for level in LEVELS:
        assert fast[level].rows == general[level].rows, level
        assert fast[level].overall == general[level].overall, level


@pytest.mark.parametrize("seed", range(24))
def test_two_analysts_character_level_in_arrays_gives_the_cell_by_cell_figures_to_the_last_bit(seed):
    # The array path (every cell's 2x2 table and coefficients at once, sums added in cell order)
    # against the general path, which builds each cell's rating patterns and adds its Stats.
    # Every fourth study is large enough (thousands of cells) for a last bit lost in a square or
    # in the order of a sum to show.
    from qualcode.agreement.levels import _prepare
    from qualcode.agreement.presence_levels import character_level

    spans, lengths = random_study(seed, 300, 6000, "ABCDEFGHIJKLMNOP", 5000) if seed % 4 == 0 else random_study(seed)
    for by_transcript in (False, True):
        arrayed = compare_levels(spans, lengths, ["character"], by_transcript=by_transcript)["character"]
        prepared = _prepare(spans, lengths, ["character"], None, 0.9, None)
        rows, transcript_rows, overall, notes = character_level(
            prepared.cells, prepared.codes, prepared.analysts, lengths, by_transcript, None, prepared.merges
        )
        assert arrayed.rows == rows
        assert arrayed.overall == overall
        assert arrayed.transcript_rows == transcript_rows
        assert arrayed.notes == prepared.notes + notes
