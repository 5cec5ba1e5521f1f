"""The text as a continuum: interval arithmetic on coded spans, and Krippendorff's binary
unitizing alpha (|u-alpha) built on it.

Intervals are (start, end) pairs, 0-based and end-exclusive. Everything here works on sorted
boundaries, so time and memory follow the number of spans, never the length of the text.

|u-alpha follows the 2016 / 2019 section 12.6 formulation. Each analyst's text is partitioned into
units (that analyst's merged spans of one code) and gaps (everything else). With l_ck the
observed coincidences (overlap lengths between one analyst's value c and another's value k,
summed over ordered analyst pairs and divided by m - 1) and

    e_ck = l..(l_c. l_.k - [c = k] S_c) / (l..^2 - sum over units of l^2 - sum over gaps of l),

where S_c is the sum of squared unit lengths for the unit value and the summed gap length for the
gap value, |u-alpha = 1 - (l.. - trace l) / (l.. - trace e)   (agreement.md, section 4).

For the binary case this collapses to a handful of integers, which is what ContinuumTally keeps,
so whole transcripts and whole codebooks are summarised without per-character work:

    U = coded length summed over analysts        G = m T - U (gap length; T = text length)
    S = sum over all analysts' units of l^2      D = sum over characters of s (m - s),
                                                     s = how many analysts coded that character
    l.. - trace l = 2 D / (m - 1)
    l.. - trace e = 2 l.. U G / (l..^2 - S - G)          (l.. = m T)

so the expected disagreement vanishes exactly when nobody coded (U = 0) or every analyst coded
all of the text (G = 0): those are the two "no variation" cases, reported as undefined.

Special case worth knowing when reading results: two analysts, one codes a single unit of length
u in a text of length T and the other codes nothing. Then |u-alpha = -(u - 1) / (2T): slightly
negative, and close to 0 for short units, where Cohen's kappa at character level is exactly 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from qualcode.agreement.coefficients import Stat, undefined


def merge_intervals(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort, drop empty intervals and merge overlapping ones; touching ones stay separate."""
    if type(intervals) is list and len(intervals) == 2:
        # Two intervals, the most common crowded list in a comparison, in closed form.
        first, second = intervals
        if second < first:
            first, second = second, first
        if first[0] < first[1] and second[0] < second[1]:
            if second[0] < first[1]:  # they overlap: one interval, ending where the later end is
                return [first if second[1] <= first[1] else (first[0], second[1])]
            return [first, second]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def coverage_by_mask(merged: Sequence[Sequence[tuple[int, int]]], length: int) -> dict[int, int]:
    """Characters per coverage mask (bit i set = analyst i coded it), by one boundary sweep.

    Each analyst's intervals must be merged: a boundary then always flips that analyst's bit.
    """
    events = []
    for index, intervals in enumerate(merged):
        bit = 1 << index
        for start, end in intervals:
            events.append((start, bit))
            events.append((end, bit))
    events.sort()
    counts: dict[int, int] = {}
    mask = previous = 0
    for position, bit in events:
        if position > previous:
            counts[mask] = counts.get(mask, 0) + position - previous
            previous = position
        mask ^= bit
    if length > previous:
        counts[0] = counts.get(0, 0) + length - previous
    return counts


def two_analyst_coverage(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]) -> tuple[int, int, int]:
    """Characters coded by both of two analysts, by the first only and by the second only, from
    their merged intervals: coverage_by_mask's counts for masks 3, 1 and 2, in closed form for the
    usual cell of at most one interval each."""
    if len(first) < 2 and len(second) < 2:
        if not first:
            return (0, 0, second[0][1] - second[0][0]) if second else (0, 0, 0)
        ((first_start, first_end),) = first
        if not second:
            return 0, first_end - first_start, 0
        ((second_start, second_end),) = second
        both = min(first_end, second_end) - max(first_start, second_start)
        if both < 0:
            both = 0
        return both, first_end - first_start - both, second_end - second_start - both
    return _crowded_coverage(first, second)


def _crowded_coverage(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]) -> tuple[int, int, int]:
    """two_analyst_coverage of any merged (sorted, non-overlapping) intervals: the characters
    inside both by one forward pass over the two lists, each list's length by a plain loop (a
    list comprehension costs a function call)."""
    both = i = j = 0
    first_count, second_count = len(first), len(second)
    while i < first_count and j < second_count:
        first_start, first_end = first[i]
        second_start, second_end = second[j]
        overlap = (first_end if first_end < second_end else second_end) - (
            first_start if first_start > second_start else second_start
        )
        if overlap > 0:
            both += overlap
        if first_end < second_end:  # the one that ends first cannot meet the other's next interval
            i += 1
        else:
            j += 1
    first_length = second_length = 0
    for start, end in first:
        first_length += end - start
    for start, end in second:
        second_length += end - start
    return both, first_length - both, second_length - both


def coding_pattern_counts(
    intervals_per_analyst: Sequence[Iterable[tuple[int, int]]], length: int
) -> dict[tuple[int, ...], int]:
    """Characters of a text of this length per pattern of which analysts coded them (1 = coded)."""
    merged = [merge_intervals(intervals) for intervals in intervals_per_analyst]
    m = len(merged)
    return {tuple((mask >> i) & 1 for i in range(m)): n for mask, n in coverage_by_mask(merged, length).items()}


def character_counts(
    a_spans: Iterable[tuple[int, int]], b_spans: Iterable[tuple[int, int]], length: int
) -> tuple[int, int, int, int]:
    """NVivo's cells for one code in one text: characters coded by both (a), by the first
    analyst only (b), by the second only (c) and by neither (d)."""
    counts = coverage_by_mask([merge_intervals(a_spans), merge_intervals(b_spans)], length)
    return counts.get(3, 0), counts.get(1, 0), counts.get(2, 0), counts.get(0, 0)


def count_matched_segments(
    segments: Sequence[tuple[int, int]], others: Sequence[tuple[int, int]], threshold: float
) -> int:
    """How many segments have a segment in `others` with intersection over union >= threshold.

    Both lists must be merged (sorted, non-overlapping), so one forward pass suffices.
    """
    limit = as_fraction(threshold)
    return matched_count(segments, others, limit.numerator, limit.denominator)


def matched_count(segments, others, numerator: int, denominator: int) -> int:
    """count_matched_segments with the threshold already split into an exact fraction."""
    matched = j = 0
    total = len(others)
    for start, end in segments:
        while j < total and others[j][1] <= start:
            j += 1
        k = j
        while k < total and others[k][0] < end:
            other_start, other_end = others[k]
            overlap = min(end, other_end) - max(start, other_start)
            union = max(end, other_end) - min(start, other_start)
            # Integer comparison, so a threshold of 0.9 means exactly 9/10.
            if overlap * denominator >= numerator * union:
                matched += 1
                break
            k += 1
    return matched


def as_fraction(threshold: float) -> Fraction:
    # Through str(): the user's 0.9 is 9/10, not the binary float just above it.
    return Fraction(str(threshold))


def segment_agreements(merged: Sequence[Sequence[tuple[int, int]]], limit: Fraction) -> tuple[list[int], list[int]]:
    """Per analyst: segments that found a match in another analyst's coding, and segments
    checked (each segment is checked once against every other analyst)."""
    m = len(merged)
    agreements, segments = [0] * m, [0] * m
    for x, mine in enumerate(merged):
        if not mine:
            continue
        segments[x] = len(mine) * (m - 1)
        for y, theirs in enumerate(merged):
            if y != x and theirs:
                agreements[x] += matched_count(mine, theirs, limit.numerator, limit.denominator)
    return agreements, segments


@dataclass
class ContinuumTally:
    """The sufficient statistics of binary |u-alpha, accumulated over one or more texts.

    Mutable so that a whole codebook can be tallied text by text without building an object
    per (code, transcript).
    """

    analysts: int
    length: int = 0  # text length T, summed over the texts added
    coded_length: int = 0  # U
    coded_length_squares: int = 0  # S
    split_pairs: int = 0  # D

    def add_text(self, length: int, units: Iterable[tuple[int, int]], coded_by: Mapping[int, int]) -> None:
        """Add one text.

        units: every analyst's units (merged, non-overlapping within an analyst) as (start, end);
        coded_by: number of characters coded by exactly s analysts, for each s.
        """
        m = self.analysts
        self.length += length
        for start, end in units:
            self.coded_length += end - start
            self.coded_length_squares += (end - start) ** 2
        self.split_pairs += sum(chars * s * (m - s) for s, chars in coded_by.items())

    def add(self, other: ContinuumTally) -> None:
        if other.analysts != self.analysts:
            raise ValueError("cannot pool texts coded by different numbers of analysts")
        self.length += other.length
        self.coded_length += other.coded_length
        self.coded_length_squares += other.coded_length_squares
        self.split_pairs += other.split_pairs

    def coincidences(self) -> dict[str, float]:
        """Observed coincidences l_ck between unit and gap, for display beside the alpha."""
        m = self.analysts
        across = self.split_pairs / (m - 1)
        gaps = m * self.length - self.coded_length
        return {
            "unit_unit": self.coded_length - across,
            "unit_gap": across,
            "gap_unit": across,
            "gap_gap": gaps - across,
        }


def binary_u_alpha(tally: ContinuumTally) -> Stat:
    m = tally.analysts
    if m < 2:
        raise ValueError("unitizing alpha needs at least two analysts")
    total = m * tally.length
    coded = tally.coded_length
    gaps = total - coded
    if not coded:
        return undefined("undefined (no variation: no analyst used this code)")
    if not gaps:
        return undefined("undefined (no variation: every analyst coded all of the text)")
    # Exact integer numerator and denominator, divided once: no rounding before the last step.
    pairable = total * total - tally.coded_length_squares - gaps
    return Stat(1 - tally.split_pairs * pairable / ((m - 1) * total * coded * gaps))


# One row per (code, transcript) cell of two analysts: (a, b, c, text length, the first analyst's
# merged intervals, the second's), a/b/c as two_analyst_coverage gives them.
OverlapRow = tuple[int, int, int, int, Sequence[tuple[int, int]], Sequence[tuple[int, int]]]


def two_analyst_overlaps(
    coded_cells: Mapping[str, Sequence[Sequence[tuple[int, int]]]], lengths: Mapping[str, int]
) -> list[OverlapRow]:
    """The overlap of two analysts' merged intervals in each cell of one code, in the cells' order.

    Computed once and shared by the character, segment and unitized levels, which all start from
    how much of each cell both analysts, the first only and the second only coded.
    """
    rows: list[OverlapRow] = []
    append = rows.append
    for transcript, (first, second) in coded_cells.items():
        first_count, second_count = len(first), len(second)
        if first_count == 1:
            if second_count == 1:  # the usual cell: in closed form, inline
                (first_start, first_end), (second_start, second_end) = first[0], second[0]
                a = (first_end if first_end < second_end else second_end) - (
                    first_start if first_start > second_start else second_start
                )
                if a < 0:
                    a = 0
                append(
                    (a, first_end - first_start - a, second_end - second_start - a, lengths[transcript], first, second)
                )
                continue
            if not second_count:  # coded by the first analyst only: b is the interval's length
                first_start, first_end = first[0]
                append((0, first_end - first_start, 0, lengths[transcript], first, second))
                continue
        elif not first_count and second_count == 1:
            second_start, second_end = second[0]
            append((0, 0, second_end - second_start, lengths[transcript], first, second))
            continue
        append((*_crowded_coverage(first, second), lengths[transcript], first, second))
    return rows


class Overlaps:
    """two_analyst_overlaps per code, computed on first use and kept, so that the levels of one
    comparison (compare_levels) share them."""

    def __init__(
        self, cells: Mapping[str, Mapping[str, Sequence[Sequence[tuple[int, int]]]]], lengths: Mapping[str, int]
    ) -> None:
        self.cells, self.lengths = cells, lengths
        self._rows: dict[str, list[OverlapRow]] = {}

    def of(self, code: str) -> list[OverlapRow]:
        rows = self._rows.get(code)
        if rows is None:
            rows = self._rows[code] = two_analyst_overlaps(self.cells.get(code, {}), self.lengths)
        return rows
