"""The unitized level: Krippendorff's binary |u-alpha per code, each analyst's text a continuum
of units (their merged spans of the code) and gaps, the transcripts joined into one continuum per
code (the arithmetic is in qualcode.agreement.unitized)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from itertools import chain

from qualcode.agreement.coefficients import Means
from qualcode.agreement.grouping import Cells, merge_note
from qualcode.agreement.results import (
    MEAN_OVER_CODES,
    ONE_TRANSCRIPT,
    PER_CODE,
    POOLED,
    AgreementRow,
    LevelOutput,
    mean_row,
)
from qualcode.agreement.unitized import ContinuumTally, OverlapRow, Overlaps, binary_u_alpha, coverage_by_mask


def unitized_level(
    cells: Cells,
    codes: list[str],
    analysts: list[str],
    lengths: Mapping[str, int],
    by_transcript: bool,
    merges: int,
    overlaps_of: Callable[[str], Sequence[OverlapRow]] | None = None,
) -> LevelOutput:
    """cells must be merged (qualcode.agreement.grouping.merge_cells); merges: how many were merged away;
    overlaps_of: for two analysts, a code's two_analyst_overlaps (shared with other levels)."""
    m = len(analysts)
    if overlaps_of is None:
        overlaps_of = Overlaps(cells, lengths).of
    total_length = sum(lengths.values())
    rows, transcript_rows = [], []
    pooled = ContinuumTally(m)
    per_code = Means()

    def row(
        code: str | None, transcript: str | None, aggregation: str, tally: ContinuumTally, units: int
    ) -> AgreementRow:
        counts: dict[str, float] = {
            "text_length": tally.length,
            "units": units,
            "coded_length": tally.coded_length,
        }
        counts.update(tally.coincidences())
        return AgreementRow(
            code, transcript, aggregation, counts, {"krippendorff_binary_u_alpha": binary_u_alpha(tally)}
        )

    all_units = 0
    for code in codes:
        coded_cells = cells.get(code, {})
        if m == 2 and not by_transcript:
            # Two analysts: every figure of the tally is a whole number, summed in any order.
            code_tally, code_units = _two_analyst_tally(overlaps_of(code), total_length)
            code_row = row(code, None, PER_CODE, code_tally, code_units)
            rows.append(code_row)
            per_code.add(code_row.coefficients)
            pooled.add(code_tally)
            all_units += code_units
            continue
        code_tally = ContinuumTally(m)
        code_tally.add_text(total_length - sum(lengths[t] for t in coded_cells), (), {})
        code_units = 0
        for transcript, cell in coded_cells.items():
            length = lengths[transcript]
            merged = cell
            units = sum(map(len, merged))
            code_units += units
            coded_by: dict[int, int] = defaultdict(int)
            for mask, n in coverage_by_mask(merged, length).items():
                coded_by[mask.bit_count()] += n
            if by_transcript:
                tally = ContinuumTally(m)
                tally.add_text(length, chain.from_iterable(merged), coded_by)
                code_tally.add(tally)
                transcript_rows.append(row(code, transcript, ONE_TRANSCRIPT, tally, units))
            else:
                code_tally.add_text(length, chain.from_iterable(merged), coded_by)
        code_row = row(code, None, PER_CODE, code_tally, code_units)
        rows.append(code_row)
        per_code.add(code_row.coefficients)
        pooled.add(code_tally)
        all_units += code_units
    overall = [row(None, None, POOLED, pooled, all_units), mean_row(per_code, MEAN_OVER_CODES, "code")]
    notes = [
        (
            "Each analyst's text is split into units (their merged spans of the code) and gaps; "
            "transcripts are joined into one continuum per code, and the pooled row joins the "
            "codes' continua."
        ),
        (
            "Coded characters (coded_length) are summed over analysts; the observed coincidences "
            "l_ck between units and gaps are the counts unit_unit, unit_gap, gap_unit and gap_gap."
        ),
        *merge_note(merges),
    ]
    return rows, transcript_rows, overall, notes


def _two_analyst_tally(overlaps: Sequence[OverlapRow], total_length: int) -> tuple[ContinuumTally, int]:
    """One code's tally and number of units for two analysts, from its cells' overlaps: what
    add_text adds cell by cell, with the transcripts where the code was not used included in the
    text length."""
    coded = squares = split = units = 0
    for a, b, c, _, first, second in overlaps:
        coded += 2 * a + b + c
        split += b + c
        if len(first) == 1 and len(second) == 1:  # then a + b and a + c are the two units' lengths
            squares += (a + b) ** 2 + (a + c) ** 2
            units += 2
        else:
            squares += sum([(end - start) ** 2 for start, end in chain(first, second)])
            units += len(first) + len(second)
    return ContinuumTally(2, total_length, coded, squares, split), units
