"""The segment level: each coded segment is a unit, agreeing when another analyst has the same
code on a segment whose intersection over union with it reaches the threshold (MAXQDA's segment
agreement, with the overlap rule fixed as IoU)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from qualcode.agreement.coefficients import Means, Stat, free_marginal_kappa, undefined
from qualcode.agreement.grouping import Cells, merge_note
from qualcode.agreement.results import MEAN_OVER_CODES, ONE_TRANSCRIPT, PER_CODE, POOLED, AgreementRow, Rows, mean_row
from qualcode.agreement.unitized import OverlapRow, as_fraction, matched_count, segment_agreements


def segment_level(
    cells: Cells,
    codes: list[str],
    analysts: list[str],
    by_transcript: bool,
    codebook_size: int | None,
    threshold: float,
    merges: int,
    overlaps_of: Callable[[str], Sequence[OverlapRow]] | None = None,
) -> tuple[Rows, Rows, Rows, list[str], dict[str, Any]]:
    """cells must be merged (qualcode.agreement.grouping.merge_cells); merges: how many were merged away;
    overlaps_of: for two analysts, a code's two_analyst_overlaps (shared with other levels)."""
    m = len(analysts)
    limit = as_fraction(threshold)
    q = codebook_size if codebook_size is not None else len(codes)
    rows, transcript_rows = [], []
    pooled_agreements = pooled_segments = 0
    per_code = Means()
    fast = m == 2 and not by_transcript and overlaps_of is not None

    def figures(agreements: int, segments: int) -> dict[str, Stat]:
        if not segments:
            return {
                "percent_agreement": undefined("undefined (no segments: no analyst used this code)"),
                "brennan_prediger": undefined("undefined (no segments: no analyst used this code)"),
            }
        share = agreements / segments
        return {"percent_agreement": Stat(share), "brennan_prediger": free_marginal_kappa(share, q)}

    def counted(agreements: list[int], segments: list[int]) -> dict[str, float]:
        counts: dict[str, float] = {"agreements": sum(agreements), "segments": sum(segments)}
        for i, analyst in enumerate(analysts):
            counts[f"agreements[{analyst}]"] = agreements[i]
            counts[f"segments[{analyst}]"] = segments[i]
        return counts

    for code in codes:
        code_agreements, code_segments = [0] * m, [0] * m
        coded_cells = cells.get(code, {})
        if fast:  # the same sums, from the overlaps other levels share
            code_agreements, code_segments = _two_analyst_matches(overlaps_of(code), limit)  # type: ignore[misc]
            coded_cells = {}
        for transcript, cell in coded_cells.items():
            agreements, segments = segment_agreements(cell, limit)
            for x in range(m):
                code_agreements[x] += agreements[x]
                code_segments[x] += segments[x]
            if by_transcript:
                transcript_rows.append(
                    AgreementRow(
                        code,
                        transcript,
                        ONE_TRANSCRIPT,
                        counted(agreements, segments),
                        figures(sum(agreements), sum(segments)),
                    )
                )
        stats = figures(sum(code_agreements), sum(code_segments))
        rows.append(AgreementRow(code, None, PER_CODE, counted(code_agreements, code_segments), stats))
        per_code.add(stats)
        pooled_agreements += sum(code_agreements)
        pooled_segments += sum(code_segments)
    overall = [
        AgreementRow(
            None,
            None,
            POOLED,
            {"agreements": pooled_agreements, "segments": pooled_segments},
            figures(pooled_agreements, pooled_segments),
        ),
        mean_row(per_code, MEAN_OVER_CODES, "code"),
    ]
    if codebook_size is None:
        q_source = "the number of codes in the table, as in MAXQDA"
    elif q == len(codes):
        q_source = "the size of the codebook, here also the number of codes in the table (MAXQDA's q)"
    else:
        # MAXQDA divides by the codes in its table; agreement.md asks for the possible categories.
        q_source = f"the size of the codebook (MAXQDA would take the {len(codes)} codes in the table)"
    notes = [
        (
            "A segment agrees when another analyst has the same code on a segment whose "
            f"intersection over union with it is at least {threshold:g}."
        ),
        (
            f"Brennan-Prediger's kappa uses chance agreement 1/q with q = {q}, {q_source}; "
            "it treats the codes as competing categories, not as independent judgements."
        ),
        "The pooled row is MAXQDA's figure: all agreements over all segments.",
    ]
    if m > 2:
        notes.append(
            "With three or more analysts each segment is checked against every other analyst in "
            "turn; agreements and segments are summed over those pairs."
        )
    notes += merge_note(merges)
    return rows, transcript_rows, overall, notes, {"threshold": threshold, "q": q}


def _two_analyst_matches(overlaps: Sequence[OverlapRow], limit: Fraction) -> tuple[list[int], list[int]]:
    """segment_agreements summed over one code's cells for two analysts, from their overlaps.

    In a cell of one segment each, intersection over union is a / (a + b + c), the same both ways,
    so both segments match or neither does (a = 0 never reaches a threshold above 0)."""
    numerator, denominator = limit.numerator, limit.denominator
    agreements, segments = [0, 0], [0, 0]
    first_matches = second_matches = first_segments = second_segments = 0
    for a, b, c, _, first, second in overlaps:
        if len(first) == 1 and len(second) == 1:
            first_segments += 1
            second_segments += 1
            if a * denominator >= numerator * (a + b + c):
                first_matches += 1
                second_matches += 1
        else:
            first_segments += len(first)
            second_segments += len(second)
            if first and second:
                first_matches += matched_count(first, second, numerator, denominator)
                second_matches += matched_count(second, first, numerator, denominator)
    agreements[:] = first_matches, second_matches
    segments[:] = first_segments, second_segments
    return agreements, segments
