"""The two presence levels: "document" (was the code used anywhere in the transcript) and
"character" (was each character coded), both per code from counts of units per coverage mask
(which analysts coded the unit), through the binary coefficients of qualcode.agreement.coefficients."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from qualcode.agreement.coefficients import (
    NO_VARIATION,
    Means,
    Pattern,
    Stat,
    percent_agreement,
    presence_coefficients,
    undefined,
)
from qualcode.agreement.grouping import Cells, merge_cell, merge_note
from qualcode.agreement.results import (
    MEAN_OVER_CELLS,
    MEAN_OVER_CODES,
    ONE_TRANSCRIPT,
    PER_CODE,
    POOLED,
    WEIGHTED_BY_LENGTH,
    AgreementRow,
    LevelOutput,
    PairwiseStat,
    mean_row,
)
from qualcode.agreement.unitized import coverage_by_mask

UNUSED = undefined("undefined (no variation: no analyst used this code)")
NO_CODED_TEXT = undefined("undefined (no coded text: no analyst used this code)")
NO_UNITS = undefined("undefined (nothing to compare: no text, or no codes)")
PERCENT_NOTE = (
    "Percent agreement is the mean over units of the share of agreeing analyst pairs "
    "(Fleiss/Gwet), not the mean over analyst pairs."
)


class _BinaryLevel:
    """Coefficients for per-code presence ratings, from counts of units per coverage mask."""

    def __init__(self, analysts: list[str], everywhere: str) -> None:
        # everywhere: the reason to give when every analyst coded every unit
        self.analysts = analysts
        self.m = len(analysts)
        self.full = (1 << self.m) - 1
        self.everywhere = undefined(everywhere)
        self._patterns: dict[int, Pattern] = {}

    def pattern(self, mask: int) -> Pattern:
        pattern = self._patterns.get(mask)
        if pattern is None:
            pattern = self._patterns[mask] = tuple((mask >> i) & 1 for i in range(self.m))
        return pattern

    def stats(self, counts: Mapping[int, float]) -> tuple[dict[str, Stat], tuple[PairwiseStat, ...]]:
        known = self._patterns
        patterns = {known.get(mask) or self.pattern(mask): n for mask, n in counts.items() if n}
        stats, by_pair = presence_coefficients(patterns)
        if not patterns:  # no units at all: no text, or no codes
            return dict.fromkeys(stats, NO_UNITS), ()
        for (i, j), stat in by_pair.items():
            if stat.reason == NO_VARIATION:
                by_pair[(i, j)] = self._pair_without_variation(counts, i, j)
        # Say *why* there is no variation, in the words of the comparison.
        if len(patterns) == 1:
            if counts.get(0):
                stats = {k: UNUSED if v.reason == NO_VARIATION else v for k, v in stats.items()}
                stats["jaccard"] = NO_CODED_TEXT
            elif counts.get(self.full):
                stats = {k: self.everywhere if v.reason == NO_VARIATION else v for k, v in stats.items()}
        pairwise = tuple(PairwiseStat((self.analysts[i], self.analysts[j]), stat) for (i, j), stat in by_pair.items())
        return stats, pairwise

    @staticmethod
    def _pair_without_variation(counts: Mapping[int, float], i: int, j: int) -> Stat:
        pair = (1 << i) | (1 << j)
        if any(n and mask & pair for mask, n in counts.items()):
            return undefined("undefined (no variation: both analysts of this pair coded every unit)")
        return undefined("undefined (no variation: neither analyst of this pair used this code)")

    def counts(self, counts: Mapping[int, float], total: float) -> dict[str, float]:
        if self.m == 2:
            return {
                "a": counts.get(3, 0),
                "b": counts.get(1, 0),
                "c": counts.get(2, 0),
                "d": counts.get(0, 0),
                "n": total,
            }
        named: dict[str, float] = {}
        for mask in sorted(counts, reverse=True):
            if counts[mask]:
                who = [a for i, a in enumerate(self.analysts) if (mask >> i) & 1]
                named["+".join(who) or "none"] = counts[mask]
        named["n"] = total
        return named

    def row(
        self,
        code: str | None,
        transcript: str | None,
        aggregation: str,
        counts: Mapping[int, float],
        total: float,
    ) -> tuple[AgreementRow, dict[str, Stat]]:
        stats, pairwise = self.stats(counts)
        return AgreementRow(code, transcript, aggregation, self.counts(counts, total), stats, pairwise), stats


def _binary_notes(m: int, codebook_size: int | None, units: str) -> list[str]:
    """units: what a, b, c and d count, e.g. "characters" or "transcripts"."""
    notes = [PERCENT_NOTE]
    if m == 2:
        notes.append(
            f"Counts: a = {units} both analysts coded with the code, b = the first analyst only, "
            "c = the second analyst only, d = neither"
            + ("; Cohen's kappa on them is NVivo's kappa." if units == "characters" else ".")
        )
    else:
        notes.append(
            "With three or more analysts Cohen's kappa is reported per pair, with Light's kappa "
            "(their mean) and Fleiss' kappa."
        )
    notes.append("Brennan-Prediger and Gwet's AC1 use q = 2 (coded or not coded).")
    if codebook_size is not None:
        notes.append("codebook_size does not apply to presence ratings and was not used.")
    return notes


def document_level(
    cells: Cells,
    codes: list[str],
    analysts: list[str],
    lengths: Mapping[str, int],
    by_transcript: bool,
    codebook_size: int | None,
) -> LevelOutput:
    level = _BinaryLevel(analysts, "undefined (no variation: every analyst used this code in every transcript)")
    transcripts = len(lengths)
    rows, transcript_rows = [], []
    pooled: dict[int, int] = defaultdict(int)
    per_code = Means()
    for code in codes:
        counts: dict[int, int] = defaultdict(int)
        for transcript, cell in cells.get(code, {}).items():
            mask = sum(1 << i for i, intervals in enumerate(cell) if intervals)
            counts[mask] += 1
            if by_transcript:
                presence: dict[str, float] = {a: (mask >> i) & 1 for i, a in enumerate(analysts)}
                share = percent_agreement({level.pattern(mask): 1})
                transcript_rows.append(
                    AgreementRow(code, transcript, ONE_TRANSCRIPT, presence, {"percent_agreement": share})
                )
        counts[0] += transcripts - len(cells.get(code, {}))
        row, stats = level.row(code, None, PER_CODE, counts, transcripts)
        rows.append(row)
        per_code.add(stats)
        for mask, n in counts.items():
            pooled[mask] += n
    overall = [
        level.row(None, None, POOLED, pooled, transcripts * len(codes))[0],
        mean_row(per_code, MEAN_OVER_CODES, "code"),
    ]
    notes = _binary_notes(len(analysts), codebook_size, "transcripts")
    if by_transcript:
        notes.append("Per-transcript rows list only transcripts where at least one analyst used the code.")
    return rows, transcript_rows, overall, notes


def character_level(
    cells: Cells,
    codes: list[str],
    analysts: list[str],
    lengths: Mapping[str, int],
    by_transcript: bool,
    codebook_size: int | None,
) -> LevelOutput:
    level = _BinaryLevel(analysts, "undefined (no variation: every analyst coded all of the text)")
    total_length = sum(lengths.values())
    with_text = sum(1 for n in lengths.values() if n > 0)
    without_text = len(lengths) - with_text
    uncoded_stats = level.stats({0: 1})[0]
    rows, transcript_rows = [], []
    pooled: dict[int, int] = defaultdict(int)
    per_cell, per_code = Means(), Means()
    merges = 0
    for code in codes:
        counts: dict[int, int] = defaultdict(int)
        coded_cells = cells.get(code, {})
        length_of_coded_cells = 0
        for transcript, cell in coded_cells.items():
            length = lengths[transcript]
            merged, merged_away = merge_cell(cell)
            merges += merged_away
            coverage = coverage_by_mask(merged, length)
            for mask, n in coverage.items():
                counts[mask] += n
            length_of_coded_cells += length
            if by_transcript:
                row, stats = level.row(code, transcript, ONE_TRANSCRIPT, coverage, length)
                transcript_rows.append(row)
            else:
                stats = level.stats(coverage)[0]
            per_cell.add(stats, 1, length)
        # Transcripts where nobody used the code: all "neither", the same figures for each.
        uncoded_length = total_length - length_of_coded_cells
        counts[0] += uncoded_length
        per_cell.add(uncoded_stats, with_text - len(coded_cells), uncoded_length)
        per_cell.add({}, without_text)  # empty texts: cells with nothing to compare
        row, stats = level.row(code, None, PER_CODE, counts, total_length)
        rows.append(row)
        per_code.add(stats)
        for mask, n in counts.items():
            pooled[mask] += n
    overall = [
        level.row(None, None, POOLED, pooled, total_length * len(codes))[0],
        mean_row(per_cell, WEIGHTED_BY_LENGTH, "cell", weighted=True),
        mean_row(per_cell, MEAN_OVER_CELLS, "cell"),
        mean_row(per_code, MEAN_OVER_CODES, "code"),
    ]
    notes = _binary_notes(len(analysts), codebook_size, "characters") + merge_note(merges)
    notes.append("A cell is one code in one transcript; means skip cells where a coefficient is undefined.")
    if by_transcript:
        notes.append("Per-transcript rows list only transcripts where at least one analyst used the code.")
    return rows, transcript_rows, overall, notes
