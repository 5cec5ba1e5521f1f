"""Grouping and merging a comparison's spans in arrays: the first step of every level.

arrange() checks every span, drops those a comparison does not count (transcripts without a
length, zero-length spans, codes not asked for), and merges each analyst's overlapping spans of
one code in one transcript (the union convention of qualcode.agreement.levels). It does with a
few sorts over whole arrays what a loop over 200,000 span objects did one at a time, and gives
the same cells, in the same order, with the same count of merges and the same notes.

A *cell* is one code in one transcript where at least one analyst used the code. Cells are
numbered in report order: by code (the order of `codes`), then by transcript (the order of
`lengths`). Merged intervals are sorted by cell, then analyst, then start.

numpy is a dependency for this work alone: the per-span and per-cell arithmetic of a large
comparison runs at array speed instead of the interpreter's.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from qualcode.agreement.grouping import Cells, left_out_notes
from qualcode.agreement.results import AgreementError, Span

Array = np.ndarray


@dataclass
class Arranged:
    """The merged intervals of a comparison, by cell, and what the notes need."""

    analysts: list[str]
    codes: list[str]  # the codes compared, in report order
    transcripts: list[str]  # every transcript with a length, in the order of `lengths`
    merges: int  # intervals merged into another of the same analyst, code and transcript
    cell_code: Array  # per cell: index into codes
    cell_transcript: Array  # per cell: index into transcripts
    cell_length: Array  # per cell: its transcript's text length
    interval_cell: Array  # per merged interval: its cell
    interval_analyst: Array  # per merged interval: index into analysts
    interval_start: Array
    interval_end: Array
    _cells: Cells | None = field(default=None, repr=False)

    @property
    def cell_count(self) -> int:
        return len(self.cell_code)

    def coded_length(self) -> Array:
        """Per cell and analyst (a cells x analysts array): the characters that analyst coded."""
        lengths = self.interval_end - self.interval_start
        return np.stack(
            [
                np.bincount(self.interval_cell[mine], weights=lengths[mine], minlength=self.cell_count).astype(
                    np.int64
                )  # weights are summed as floats: exact for whole numbers below 2**53
                for mine in (self.interval_analyst == index for index in range(len(self.analysts)))
            ],
            axis=1,
        )

    def coded_by_all(self) -> Array:
        """Per cell: the characters every analyst coded (for two analysts, the a of NVivo's table).

        One sweep over every cell's boundaries at once: each analyst's intervals are merged, so a
        boundary flips that analyst's bit, and the running sum of +-bit is the coverage mask."""
        m = len(self.analysts)
        if not len(self.interval_cell):
            return np.zeros(self.cell_count, dtype=np.int64)
        bits = np.left_shift(1, self.interval_analyst)
        stride = int(self.cell_length.max()) + 1  # positions of one cell never reach the next's
        base = self.interval_cell * stride
        keys = np.concatenate((base + self.interval_start, base + self.interval_end))
        order = np.argsort(keys)  # ties are boundaries at one position: what lies between them is empty
        keys = keys[order]
        masks = np.cumsum(np.concatenate((bits, -bits))[order])
        # Between two consecutive boundaries the mask holds; after a cell's last boundary it is 0,
        # so the stretch reaching into the next cell is never counted.
        everyone = np.flatnonzero(masks[:-1] == (1 << m) - 1)
        return np.bincount(
            keys[everyone] // stride, weights=keys[everyone + 1] - keys[everyone], minlength=self.cell_count
        ).astype(np.int64)

    def cells(self) -> Cells:
        """code -> transcript -> one list of merged (start, end) per analyst, as
        qualcode.agreement.grouping builds them (for the levels that work cell by cell)."""
        if self._cells is None:
            self._cells = self._build_cells()
        return self._cells

    def _build_cells(self) -> Cells:
        m = len(self.analysts)
        cells: Cells = {}
        rows: list[list[list[tuple[int, int]]]] = [[[] for _ in range(m)] for _ in range(self.cell_count)]
        # A slice at a time: four whole columns as lists of Python ints would add a good part
        # of the cells' own size to the peak memory.
        for begin in range(0, len(self.interval_cell), _SLICE):
            window = slice(begin, begin + _SLICE)
            for cell, analyst, start, end in zip(
                self.interval_cell[window].tolist(),
                self.interval_analyst[window].tolist(),
                self.interval_start[window].tolist(),
                self.interval_end[window].tolist(),
            ):
                rows[cell][analyst].append((start, end))
        codes, transcripts = self.codes, self.transcripts
        for code, transcript, row in zip(self.cell_code.tolist(), self.cell_transcript.tolist(), rows):
            by_transcript = cells.get(codes[code])
            if by_transcript is None:
                by_transcript = cells[codes[code]] = {}
            by_transcript[transcripts[transcript]] = row
        return cells


_SLICE = 1 << 14


def arrange(
    spans: Mapping[str, Iterable[Span]],
    analysts: list[str],
    lengths: Mapping[str, int],
    codes: list[str] | None,
    notes: list[str],
) -> Arranged:
    """Check, group and merge every analyst's spans (analysts and lengths already checked by
    grouping.check_arguments). codes: the codes to compare in this order, or None for every
    code a counted span uses, in sorted order. Appends the notes on spans left out."""
    transcripts = list(lengths)
    position = {transcript: index for index, transcript in enumerate(transcripts)}
    text_lengths = np.fromiter(lengths.values(), dtype=np.int64, count=len(transcripts))
    code_ids: dict[str, int] = {}
    given: list[list[Span]] = []
    columns: list[tuple[Array, ...]] = []
    for index, analyst in enumerate(analysts):
        analyst_spans = spans[analyst]
        if not isinstance(analyst_spans, list):
            analyst_spans = list(analyst_spans)
        given.append(analyst_spans)
        columns.append(_columns(analyst_spans, index, position, code_ids))
    transcript, code, start, end, analyst_index = (np.concatenate(column) for column in zip(*columns))

    inside = transcript >= 0
    length = text_lengths[np.where(inside, transcript, 0)] if len(text_lengths) else np.zeros_like(transcript)
    wrong = inside & ((start < 0) | (end > length) | (end < start))
    if wrong.any():
        _refuse(int(np.argmax(wrong)), given, analysts, length)
    empty = inside & (start == end)
    outside, empty_count = int(np.count_nonzero(~inside)), int(np.count_nonzero(empty))
    kept = inside & ~empty

    # Each code's place in the report: the caller's order, else sorted names of codes in use.
    names = list(code_ids)
    if codes is None:
        used = np.unique(code[kept])
        codes = sorted(names[i] for i in used.tolist())
    rank = np.full(len(names), -1, dtype=np.int64)
    place = {name: index for index, name in enumerate(codes)}
    for name, index in code_ids.items():
        rank[index] = place.get(name, -1)
    code_rank = rank[code]
    kept &= code_rank >= 0

    # Positions are lifted by a stride per group into one 64-bit key (see _merge): no offset
    # reaches the stride, and the keys of the groups (at most one per span) must fit.
    stride = int(length.max(initial=0)) + 1
    if (len(start) + 1) * stride >= 2**62:
        raise AgreementError("the texts are too long to compare at once (over 10^13 characters between them)")
    cell_key = code_rank[kept] * len(transcripts) + transcript[kept]
    group = cell_key * len(analysts) + analyst_index[kept]
    start, end = start[kept], end[kept]
    order = _by_group_then_start(group, start, stride)
    group, start, end = group[order], start[order], end[order]
    merged_group, merged_start, merged_end = _merge(group, start, end, stride)
    merges = len(start) - len(merged_start)

    merged_cell_key, merged_analyst = np.divmod(merged_group, len(analysts))
    new_cell = _run_starts(merged_cell_key)
    interval_cell = np.cumsum(new_cell) - 1
    cell_code, cell_transcript = np.divmod(merged_cell_key[new_cell], max(len(transcripts), 1))

    notes.extend(left_out_notes(outside, empty_count))
    return Arranged(
        analysts=analysts,
        codes=codes,
        transcripts=transcripts,
        merges=merges,
        cell_code=cell_code,
        cell_transcript=cell_transcript,
        cell_length=text_lengths[cell_transcript] if len(text_lengths) else np.zeros(0, dtype=np.int64),
        interval_cell=interval_cell,
        interval_analyst=merged_analyst,
        interval_start=merged_start,
        interval_end=merged_end,
    )


def _columns(spans: list[Span], index: int, position: Mapping[str, int], code_ids: dict[str, int]) -> tuple[Array, ...]:
    """One analyst's spans as arrays: transcript (-1 without a length), code id, start, end, analyst."""
    count = len(spans)
    transcripts, codes, starts, ends = _fields(spans)
    for code in dict.fromkeys(codes):  # each code once, in order of first use: new codes get the next ids
        code_ids.setdefault(code, len(code_ids))
    return (
        np.fromiter(map(position.get, transcripts, repeat(-1)), dtype=np.int64, count=count),
        np.fromiter(map(code_ids.__getitem__, codes), dtype=np.int64, count=count),
        _offsets(starts, spans, "start"),
        _offsets(ends, spans, "end"),
        np.full(count, index, dtype=np.int64),
    )


def _fields(spans: list[Span]) -> tuple[list, list, list, list]:
    """transcript, code, start and end of every span, as four lists."""
    try:
        # Spans are named tuples: taken by position, a C call per span (twice as fast as by name).
        return tuple(list(map(operator.itemgetter(i), spans)) for i in range(4))  # type: ignore[return-value]
    except (TypeError, IndexError):  # other objects with the four attributes
        return tuple(list(map(operator.attrgetter(name), spans)) for name in Span._fields)  # type: ignore[return-value]


def _offsets(values: list[int], spans: list[Span], which: str) -> Array:
    """Offsets as an integer array; anything but whole numbers is refused, not rounded."""
    try:
        total = sum(values)  # an int exactly when every value is one: a quick test of them all
    except TypeError:
        total = None
    try:
        if type(total) is int:
            return np.fromiter(values, dtype=np.int64, count=len(values))
        for value in values:
            operator.index(value)  # whole numbers of other types (numpy's) are whole numbers too
        return np.fromiter(map(operator.index, values), dtype=np.int64, count=len(values))
    except (TypeError, OverflowError):
        for span, value in zip(spans, values):
            try:
                if -(2**63) <= operator.index(value) < 2**63:
                    continue
            except TypeError:
                pass
            raise AgreementError(
                f"span offsets must be whole numbers within the text; got {value!r} as the {which} "
                f"of a span of code {span.code!r} in transcript {span.transcript!r}"
            ) from None
        raise


def _refuse(first_wrong: int, given: list[list[Span]], analysts: list[str], length: Array) -> None:
    """Raise for the first span (in the analysts' order) that does not lie within its text."""
    offset = first_wrong
    for analyst, analyst_spans in zip(analysts, given):
        if offset < len(analyst_spans):
            span = analyst_spans[offset]
            raise AgreementError(
                f"span {span.start}-{span.end} of code {span.code!r} by {analyst!r} in transcript "
                f"{span.transcript!r} is not within [0, {int(length[first_wrong])}] with start <= end"
            )
        offset -= len(analyst_spans)
    raise AssertionError("no such span")


def _run_starts(keys: Array) -> Array:
    """Where each run of equal keys begins, in sorted keys: True at the first of each run."""
    starts = np.empty(len(keys), dtype=bool)
    starts[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=starts[1:])
    return starts


def _by_group_then_start(group: Array, start: Array, stride: int) -> Array:
    """The order that sorts intervals by group, then start (ties in any order: merging does not
    depend on it); stride: above every start."""
    if not len(group):
        return np.zeros(0, dtype=np.int64)
    if (int(group.max()) + 1) * stride < 2**63:
        return np.argsort(group * stride + start)  # one key: several times faster than lexsort
    return np.lexsort((start, group))


def _merge(group: Array, start: Array, end: Array, stride: int) -> tuple[Array, Array, Array]:
    """Merge overlapping intervals within each group (sorted by group, then start): an interval
    joins the one before when it starts before the furthest end so far in its group, as
    unitized.merge_intervals does; touching intervals stay two. stride: above every end."""
    if not len(start):
        return group, start, end
    # Number the groups 0, 1, 2, ... and lift each group's positions above the one before, so one
    # running maximum over the whole array never carries an end from one group into the next.
    dense = np.cumsum(_run_starts(group)) - 1
    lifted_end = np.maximum.accumulate(dense * stride + end)
    begins = np.empty(len(start), dtype=bool)
    begins[0] = True
    begins[1:] = dense[1:] * stride + start[1:] >= lifted_end[:-1]
    first = np.flatnonzero(begins)
    last = np.append(first[1:], len(start)) - 1
    return group[first], start[first], lifted_end[last] - dense[last] * stride
