"""The two presence levels: "document" (was the code used anywhere in the transcript) and
"character" (was each character coded), both per code from counts of units per coverage mask
(which analysts coded the unit), through the binary coefficients of qualcode.agreement.coefficients."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

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
from qualcode.agreement.grouping import Cell, Cells, merge_note
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
from qualcode.agreement.unitized import OverlapRow, Overlaps, coverage_by_mask

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
    overlaps_of: Callable[[str], Sequence[OverlapRow]] | None = None,
) -> LevelOutput:
    """cells must be merged (qualcode.agreement.grouping.merge_cells); merges: how many were merged away.

    overlaps_of: for two analysts, a code's two_analyst_overlaps (shared with other levels)."""
    level = _BinaryLevel(analysts, "undefined (no variation: every analyst coded all of the text)")
    if overlaps_of is None:
        overlaps_of = Overlaps(cells, lengths).of
    two = len(analysts) == 2
    total_length = sum(lengths.values())
    with_text = sum(1 for n in lengths.values() if n > 0)
    without_text = len(lengths) - with_text
    uncoded_stats = level.stats({0: 1})[0]
    rows: list[AgreementRow] = []
    transcript_rows: list[AgreementRow] = []
    pooled: dict[int, int] = defaultdict(int)
    per_cell, per_code = Means(), Means()
    two_analyst_cells = _CellMeans()
    uncoded_values = tuple(uncoded_stats[name].value for name in PRESENCE_NAMES) if two else ()
    for code in codes:
        counts: dict[int, int] = defaultdict(int)
        coded_cells = cells.get(code, {})
        length_of_coded_cells = 0
        # The common case of two analysts in closed form (the same figures as the loop below).
        if two:
            length_of_coded_cells = _two_analyst_cells(
                level,
                code,
                coded_cells,
                overlaps_of(code),
                counts,
                two_analyst_cells,
                transcript_rows if by_transcript else None,
            )
        for transcript, cell in {} if two else coded_cells.items():
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
        if two:
            two_analyst_cells.add(uncoded_values, with_text - len(coded_cells), uncoded_length)
            two_analyst_cells.add((), without_text, 0)
        else:
            per_cell.add(uncoded_stats, with_text - len(coded_cells), uncoded_length)
            per_cell.add({}, without_text)  # empty texts: cells with nothing to compare
        row, stats = level.row(code, None, PER_CODE, counts, total_length)
        rows.append(row)
        per_code.add(stats)
        for mask, n in counts.items():
            pooled[mask] += n
    if two:
        per_cell = two_analyst_cells.means()
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


class _CellMeans:
    """Means.add for two analysts' character-level cells, on plain value tuples rather than
    Stat dicts: the same sums in the same order (so the same figures), without a dict per cell."""

    def __init__(self) -> None:
        size = len(PRESENCE_NAMES)
        self.tables = 0
        self.sums, self.defined = [0.0] * size, [0] * size
        self.weighted, self.weights = [0.0] * size, [0.0] * size
        self.named = False  # Means has an entry per coefficient once it was handed any

    def add(self, values: Sequence[float | None], tables: int, weight: float) -> None:
        self.tables += tables
        self.named = self.named or bool(values)
        if not tables:
            return
        sums, defined, weighted, weights = self.sums, self.defined, self.weighted, self.weights
        for i, value in enumerate(values):
            if value is not None:
                sums[i] += value * tables
                defined[i] += tables
                if weight:
                    weighted[i] += value * weight
                    weights[i] += weight

    def means(self) -> Means:
        totals = {
            name: [self.sums[i], self.defined[i], self.weighted[i], self.weights[i]]
            for i, name in enumerate(PRESENCE_NAMES)
            if self.named
        }
        return Means.from_totals(self.tables, totals)


def _two_analyst_cells(
    level: _BinaryLevel,
    code: str,
    coded_cells: Mapping[str, Cell],
    overlaps: Sequence[OverlapRow],
    counts: dict[int, int],
    per_cell: _CellMeans,
    transcript_rows: list[AgreementRow] | None,
) -> int:
    """The character level's cells of one code for two analysts: adds to the code's counts per
    mask and to the per-cell means, appends the per-transcript rows if asked; returns the length
    of the transcripts where the code was used. overlaps: the cells' two_analyst_overlaps.

    This is the hot loop of a large comparison, so _CellMeans.add and two_analyst_values are
    unrolled here: the sums are the same, added in the same order (tests/test_agreement_fast.py
    checks the per-cell means against the general coefficients). Percent agreement, Brennan-Prediger and AC1 are defined
    in every cell, Jaccard where there is coded text, kappa, pi and alpha where there is variation.
    """
    both = first = second = length_of_coded_cells = 0
    coded = coded_length = varied = varied_length = 0
    p, k, pi, bp, ac1, alpha, jac = per_cell.sums
    wp, wk, wpi, wbp, wac1, walpha, wjac = per_cell.weighted
    if transcript_rows is not None:
        for transcript, (a, b, c, length, _, _) in zip(coded_cells, overlaps):
            d = length - a - b - c
            cell_counts: dict[str, float] = {"a": a, "b": b, "c": c, "d": d, "n": length}
            stats = level.two_analyst_stats(a, b, c, d)
            transcript_rows.append(AgreementRow(code, transcript, ONE_TRANSCRIPT, cell_counts, stats, ()))
    for a, b, c, length, _, _ in overlaps:
        d = length - a - b - c
        both += a
        first += b
        second += c
        length_of_coded_cells += length
        # two_analyst_values(a, b, c, d), inlined: the same expressions, so the same figures. An
        # int meeting a float in + - * / is converted to float first, so float() is written only
        # where two ints meet.
        n = float(length)  # = a + b + c + d
        observed = (a + d) / n
        split = b + c
        yes = (a + split * 0.5) / n
        no = (d + split * 0.5) / n
        chance = yes * (1 - yes) + no * (1 - no)
        vac1 = (observed - chance) / (1 - chance)
        vbp = (observed - 0.5) / (1 - 0.5)
        p += observed
        wp += observed * length
        bp += vbp
        wbp += vbp * length
        ac1 += vac1
        wac1 += vac1 * length
        any_coded = a + split
        if any_coded:
            vjac = a / any_coded  # int / int is correctly rounded, as float(a) / float(any_coded)
            coded += 1
            coded_length += length
            jac += vjac
            wjac += vjac * length
        if split or (a and d):  # both categories occur: kappa, pi and alpha are defined
            first_yes, first_no, second_yes, second_no = float(a + b), float(c + d), float(a + c), float(b + d)
            chance = (first_yes * second_yes + first_no * second_no) / (n * n)
            vk = (observed - chance) / (1 - chance)
            pooled_n = 2 * n
            chance = ((first_yes + second_yes) / pooled_n) ** 2 + ((first_no + second_no) / pooled_n) ** 2
            vpi = (observed - chance) / (1 - chance)
            pairs = 2 * n
            coded_values, uncoded_values = float(2 * a + split), float(2 * d + split)
            valpha = 1 - (pairs - 1) * (pairs - (2 * a + 2 * d)) / (
                pairs * pairs - (coded_values * coded_values + uncoded_values * uncoded_values)
            )
            varied += 1
            varied_length += length
            k += vk
            wk += vk * length
            pi += vpi
            wpi += vpi * length
            alpha += valpha
            walpha += valpha * length
    cells = len(overlaps)
    neither = length_of_coded_cells - both - first - second  # whole numbers: the sum of the cells' d
    per_cell.sums[:] = p, k, pi, bp, ac1, alpha, jac
    per_cell.weighted[:] = wp, wk, wpi, wbp, wac1, walpha, wjac
    per_cell.tables += cells
    per_cell.named = per_cell.named or bool(cells)
    # The weights are whole numbers, so adding them per group gives the same float as per cell.
    for indices, n, weight in (
        ((0, 3, 4), cells, length_of_coded_cells),
        ((6,), coded, coded_length),
        ((1, 2, 5), varied, varied_length),
    ):
        for index in indices:
            per_cell.defined[index] += n
            per_cell.weights[index] += weight
    for mask, n in ((3, both), (1, first), (2, second), (0, neither)):
        if n:
            counts[mask] += n
    return length_of_coded_cells
