"""The fast two-analyst paths of compare_levels (overlaps shared between levels, whole-number
sums, the per-cell coefficients inlined) against brute force on small random studies: per-character
patterns through presence_coefficients, segment matching by exact fractions, and the general
per-transcript paths."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from qualcode.agreement.coefficients import Means, presence_coefficients
from qualcode.agreement.levels import LEVELS, Span, compare_levels


def random_study(seed: int):
    rng = random.Random(seed)
    lengths = {f"T{i}": rng.randint(0, 60) for i in range(6)}
    spans: dict[str, list[Span]] = {"Ana": [], "Ben": []}
    for analyst in spans:
        for _ in range(rng.randint(0, 40)):
            transcript = rng.choice(list(lengths))
            if not lengths[transcript]:
                continue
            start = rng.randrange(lengths[transcript])
            end = rng.randint(start, min(lengths[transcript], start + rng.randint(1, 25)))
            spans[analyst].append(Span(transcript, rng.choice("ABC"), start, end))
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


@pytest.mark.parametrize("seed", range(12))
def test_character_level_alone_reads_the_overlaps_once_and_gives_the_shared_figures(seed):
    # Alone, the character level reads each overlap row once without keeping it; beside the
    # segment and unitized levels the rows are kept and shared. The figures must not differ.
    spans, lengths = random_study(seed)
    for by_transcript in (False, True):
        shared = compare_levels(spans, lengths, LEVELS, by_transcript=by_transcript)["character"]
        alone = compare_levels(spans, lengths, ["character"], by_transcript=by_transcript)["character"]
        assert alone.rows == shared.rows
        assert alone.overall == shared.overall
        assert alone.transcript_rows == shared.transcript_rows
