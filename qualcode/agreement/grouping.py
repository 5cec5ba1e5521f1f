"""Checking a comparison's input and grouping the spans into cells: code -> transcript -> one
list of intervals per analyst, each analyst's overlapping intervals merged before counting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from qualcode.agreement.results import AgreementError, Span
from qualcode.agreement.unitized import merge_intervals
from qualcode.wording import counted

Cell = list[list[tuple[int, int]]]  # one list of (start, end) per analyst
Cells = dict[str, dict[str, Cell]]  # code -> transcript -> cell


def check_arguments(
    spans: Mapping[str, Iterable[Span]],
    lengths: Mapping[str, int],
    threshold: float,
    codebook_size: int | None,
) -> list[str]:
    """The analysts, once the arguments are ones compare_spans can use (it checks the level)."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise AgreementError(f"threshold must be a number in (0, 1]; got {threshold!r}")
    if not 0 < threshold <= 1:
        raise AgreementError(f"threshold must be in (0, 1] (intersection over union); got {threshold}")
    analysts = list(spans)
    if len(analysts) < 2:
        raise AgreementError(f"agreement needs at least two analysts; got {len(analysts)}")
    seen: dict[str, str] = {}
    for name in analysts:
        if not isinstance(name, str) or not name.strip():
            raise AgreementError(f"analyst names must be non-empty text; got {name!r}")
        key = name.strip().casefold()
        if key in seen:
            raise AgreementError(
                f"the same analyst appears twice ({seen[key]!r} and {name!r}); compare different analysts"
            )
        seen[key] = name
    for transcript, length in lengths.items():
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise AgreementError(f"text length of {transcript!r} must be a whole number >= 0; got {length!r}")
    if codebook_size is not None and (
        isinstance(codebook_size, bool) or not isinstance(codebook_size, int) or codebook_size < 1
    ):
        raise AgreementError(f"codebook_size must be a positive whole number; got {codebook_size!r}")
    return analysts


def group_into_cells(
    spans: Mapping[str, Iterable[Span]],
    analysts: list[str],
    lengths: Mapping[str, int],
    codes: list[str] | None,
    notes: list[str],
) -> Cells:
    """code -> transcript -> per-analyst intervals (not yet merged); checks every span on the way.

    Span by span, for the callers that need the cells of a few codes (domains, consensus); a whole
    comparison arranges its spans in arrays (qualcode.agreement.span_arrays), which gives these
    cells merged, with the same notes and the same refusals."""
    wanted = None if codes is None else set(codes)
    m = len(analysts)
    cells: Cells = {}
    outside = empty = 0
    length_of, cells_of = lengths.get, cells.get
    for index, analyst in enumerate(analysts):
        for span in spans[analyst]:
            transcript = span.transcript
            length = length_of(transcript)
            if length is None:
                outside += 1
                continue
            start, end = span.start, span.end
            if start < 0 or end > length or end < start:
                raise AgreementError(
                    f"span {start}-{end} of code {span.code!r} by {analyst!r} in transcript "
                    f"{transcript!r} is not within [0, {length}] with start <= end"
                )
            if start == end:
                empty += 1
                continue
            code = span.code
            if wanted is not None and code not in wanted:
                continue
            by_transcript = cells_of(code)
            if by_transcript is None:
                by_transcript = cells[code] = {}
            cell = by_transcript.get(transcript)
            if cell is None:
                cell = by_transcript[transcript] = [[] for _ in range(m)]
            cell[index].append((start, end))
    # Per-transcript rows follow the caller's order of transcripts, not the order of the spans.
    position = {transcript: index for index, transcript in enumerate(lengths)}
    position_of = position.__getitem__  # a C call per key rather than a Python lambda
    for code, by_transcript in cells.items():
        cells[code] = {transcript: by_transcript[transcript] for transcript in sorted(by_transcript, key=position_of)}
    notes.extend(left_out_notes(outside, empty))
    return cells


def left_out_notes(outside: int, empty: int) -> list[str]:
    """The notes on spans a comparison did not count."""
    notes = []
    if outside:
        notes.append(
            f"{counted(outside, 'span')} in transcripts without a text length {'was' if outside == 1 else 'were'} left out."
        )
    if empty:
        notes.append(f"{counted(empty, 'zero-length span')} {'was' if empty == 1 else 'were'} ignored.")
    return notes


def merge_cell(cell: Cell) -> tuple[list[list[tuple[int, int]]], int]:
    """Merge each analyst's intervals; also return how many were merged away (for the notes)."""
    # Most cells hold at most one span per analyst, which is already merged (group dropped
    # zero-length spans).
    merged = [intervals if len(intervals) < 2 else merge_intervals(intervals) for intervals in cell]
    return merged, sum(map(len, cell)) - sum(map(len, merged))


def merge_cells(cells: Cells) -> int:
    """Merge every cell's intervals in place, once for all levels; returns how many were merged away."""
    merges = 0
    for by_transcript in cells.values():
        for transcript, cell in by_transcript.items():
            if max(map(len, cell)) > 1:  # not any(... for ...): a generator per cell costs twice as much
                merged, merged_away = merge_cell(cell)
                by_transcript[transcript] = merged
                merges += merged_away
    return merges


def merge_note(merges: int) -> list[str]:
    if not merges:
        return []
    return [
        f"{counted(merges, 'overlapping span')} of the same code by the same analyst {'was' if merges == 1 else 'were'} merged first."
    ]
