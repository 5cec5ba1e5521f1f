"""The two presence levels: "document" (was the code used anywhere in the transcript) and
"character" (was each character coded), both per code from counts of units per coverage mask
(which analysts coded the unit), through the binary coefficients of qualcode.agreement.coefficients."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from qualcode.agreement.coefficients import (
    NO_VARIATION,
    PRESENCE_NAMES,
    Means,
    Pattern,
    Stat,
    percent_agreement,
    presence_coefficients,
    two_analyst_presence,
    undefined,
)
from qualcode.agreement.grouping import Cells, merge_note
from qualcode.agreement.presence_arrays import Array, sequential_sum, two_analyst_value_arrays
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
from qualcode.agreement.span_arrays import Arranged
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

    def two_analyst_stats(self, a: int, b: int, c: int, d: int) -> dict[str, Stat]:
        """stats() of a two-analyst table, from the closed forms (same figures, a fraction of the time)."""
        if not (a or b or c or d):
            return self.stats({})[0]
        stats = two_analyst_presence(a, b, c, d)
        if not (b or c) and not (a and d):  # one pattern only: say why there is no variation
            if d:
                stats = {k: UNUSED if v.reason == NO_VARIATION else v for k, v in stats.items()}
                stats["jaccard"] = NO_CODED_TEXT
            else:
                stats = {k: self.everywhere if v.reason == NO_VARIATION else v for k, v in stats.items()}
        return stats

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
            "(their mean), Fleiss' kappa (P_e = sum_k p_k^2, pooled marginals) and Conger's kappa "
            "(P_o as Fleiss, P_e = mean over analyst pairs of sum_k p_ik p_jk, each analyst's own "
            "marginals)."
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
    two = len(analysts) == 2
    transcripts = len(lengths)
    rows, transcript_rows = [], []
    pooled: dict[int, int] = defaultdict(int)
    per_code = Means()
    for code in codes:
        counts: dict[int, int] = defaultdict(int)
        for transcript, cell in cells.get(code, {}).items():
            mask = (bool(cell[0]) | bool(cell[1]) << 1) if two else sum(1 << i for i, c in enumerate(cell) if c)
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
    merges: int,
) -> LevelOutput:
    """cells must be merged (qualcode.agreement.grouping.merge_cells); merges: how many were merged away.

    Any number of analysts, cell by cell; two_analyst_character_level gives the same figures for
    two analysts from arrays."""
    level = _BinaryLevel(analysts, "undefined (no variation: every analyst coded all of the text)")
    total_length = sum(lengths.values())
    with_text = sum(1 for n in lengths.values() if n > 0)
    without_text = len(lengths) - with_text
    uncoded_stats = level.stats({0: 1})[0]
    rows: list[AgreementRow] = []
    transcript_rows: list[AgreementRow] = []
    pooled: dict[int, int] = defaultdict(int)
    per_cell, per_code = Means(), Means()
    for code in codes:
        counts: dict[int, int] = defaultdict(int)
        coded_cells = cells.get(code, {})
        length_of_coded_cells = 0
        for transcript, cell in coded_cells.items():
            length = lengths[transcript]
            coverage = coverage_by_mask(cell, length)
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
    return rows, transcript_rows, overall, _character_notes(len(analysts), codebook_size, merges, by_transcript)


def two_analyst_character_level(
    arranged: Arranged, lengths: Mapping[str, int], by_transcript: bool, codebook_size: int | None
) -> LevelOutput:
    """character_level for two analysts, from the arranged spans: every cell's 2x2 table and
    coefficients in arrays, the per-code and pooled rows as character_level forms them.

    The per-cell means add each cell's value in cell order, and after each code's cells the
    transcripts where nobody used the code (all "neither", one value for all of them), exactly as
    character_level's loop adds them: the same figures to the last bit (tests/test_agreement_scale.py
    checks them against character_level's, and benchmarks/bench_agreement.py --check-against against
    figures written before a change)."""
    analysts, codes = arranged.analysts, arranged.codes
    level = _BinaryLevel(analysts, "undefined (no variation: every analyst coded all of the text)")
    total_length = sum(lengths.values())
    with_text = sum(1 for n in lengths.values() if n > 0)
    without_text = len(lengths) - with_text
    uncoded_values = tuple(level.stats({0: 1})[0][name].value for name in PRESENCE_NAMES)

    coded = arranged.coded_length()
    a = arranged.coded_by_all()
    b, c = coded[:, 0] - a, coded[:, 1] - a
    length = arranged.cell_length
    d = length - a - b - c
    # with_coded_text is every cell (a cell is where someone coded), but that is said, not assumed.
    values, varied, with_coded_text = two_analyst_value_arrays(a, b, c, d)

    def per_code(weights: Array | None = None) -> list[int]:
        # Whole numbers summed as floats below 2**53: exact.
        return np.bincount(arranged.cell_code, weights=weights, minlength=len(codes)).astype(np.int64).tolist()

    cells_of, length_of = per_code(), per_code(length)
    both_of, first_of, second_of = per_code(a), per_code(b), per_code(c)
    varied_of, varied_length_of = per_code(varied), per_code(np.where(varied, length, 0))
    coded_of, coded_length_of = per_code(with_coded_text), per_code(np.where(with_coded_text, length, 0))
    # Per coefficient, in PRESENCE_NAMES order: the cells where it is defined, and their length.
    # Percent agreement, Brennan-Prediger and AC1 are defined in every cell, Jaccard where there
    # is coded text, kappa, pi and alpha where there is variation.
    defined_of = [cells_of, varied_of, varied_of, cells_of, cells_of, varied_of, coded_of]
    defined_length_of = [length_of, varied_length_of, varied_length_of, length_of, length_of, varied_length_of]
    defined_length_of.append(coded_length_of)

    rows: list[AgreementRow] = []
    pooled: dict[int, int] = defaultdict(int)
    per_code_means = Means()
    size = len(PRESENCE_NAMES)
    defined, weights = [0] * size, [0.0] * size
    uncoded_sums, uncoded_weighted = np.zeros((len(codes), size)), np.zeros((len(codes), size))
    tables = 0
    for index, code in enumerate(codes):
        counts: dict[int, int] = defaultdict(int)
        neither = length_of[index] - both_of[index] - first_of[index] - second_of[index]
        for mask, n in ((3, both_of[index]), (1, first_of[index]), (2, second_of[index]), (0, neither)):
            if n:
                counts[mask] += n
        # Transcripts where nobody used the code: all "neither", the same figures for each.
        uncoded_length = total_length - length_of[index]
        counts[0] += uncoded_length
        uncoded_tables = with_text - cells_of[index]
        for i in range(size):
            defined[i] += defined_of[i][index]
            weights[i] += defined_length_of[i][index]
            value = uncoded_values[i]
            if value is not None and uncoded_tables:
                uncoded_sums[index, i] = value * uncoded_tables
                defined[i] += uncoded_tables
                if uncoded_length:
                    uncoded_weighted[index, i] = value * uncoded_length
                    weights[i] += uncoded_length
        tables += cells_of[index] + uncoded_tables + without_text
        row, stats = level.row(code, None, PER_CODE, counts, total_length)
        rows.append(row)
        per_code_means.add(stats)
        for mask, n in counts.items():
            pooled[mask] += n

    # Each code's "nobody used it" term comes right after that code's cells.
    after_each_code = np.cumsum(cells_of)
    totals = {
        name: [
            sequential_sum(np.insert(values[i], after_each_code, uncoded_sums[:, i])),
            defined[i],
            sequential_sum(np.insert(values[i] * length, after_each_code, uncoded_weighted[:, i])),
            weights[i],
        ]
        for i, name in enumerate(PRESENCE_NAMES)
        if codes  # Means names no coefficient until it was handed a table
    }
    per_cell = Means.from_totals(tables, totals)

    transcript_rows: list[AgreementRow] = []
    if by_transcript:
        transcripts = arranged.transcripts
        for code, transcript, cell_a, cell_b, cell_c, cell_d, n in zip(
            arranged.cell_code.tolist(),
            arranged.cell_transcript.tolist(),
            a.tolist(),
            b.tolist(),
            c.tolist(),
            d.tolist(),
            length.tolist(),
        ):
            cell_counts: dict[str, float] = {"a": cell_a, "b": cell_b, "c": cell_c, "d": cell_d, "n": n}
            stats = level.two_analyst_stats(cell_a, cell_b, cell_c, cell_d)
            transcript_rows.append(
                AgreementRow(codes[code], transcripts[transcript], ONE_TRANSCRIPT, cell_counts, stats, ())
            )
    overall = [
        level.row(None, None, POOLED, pooled, total_length * len(codes))[0],
        mean_row(per_cell, WEIGHTED_BY_LENGTH, "cell", weighted=True),
        mean_row(per_cell, MEAN_OVER_CELLS, "cell"),
        mean_row(per_code_means, MEAN_OVER_CODES, "code"),
    ]
    return rows, transcript_rows, overall, _character_notes(2, codebook_size, arranged.merges, by_transcript)


def _character_notes(m: int, codebook_size: int | None, merges: int, by_transcript: bool) -> list[str]:
    notes = _binary_notes(m, codebook_size, "characters") + merge_note(merges)
    notes.append("A cell is one code in one transcript; means skip cells where a coefficient is undefined.")
    if by_transcript:
        notes.append("Per-transcript rows list only transcripts where at least one analyst used the code.")
    return notes
