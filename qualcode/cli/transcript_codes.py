"""Drawing a transcript with its codes (`transcript show --codes`): the text on the left, folded
to the terminal, coded characters marked in it, and the names of the codes in a margin on the
right, each on the row where its passage starts. qualcode.analysis.coded_reading works out what
is coded; this module only lays it out.

With colour the coded characters are underlined in their code's colour and the margin names
take the same colour; without it (NO_COLOR, a pipe, a dumb terminal) each coded run is set in
{braces}, which transcripts seldom use (unlike [brackets], kept for timestamps and [inaudible])."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from qualcode.terminal_text import visible

if TYPE_CHECKING:
    from qualcode.analysis.coded_reading import MarkedLine

OPEN, CLOSE = "{", "}"
MIN_TEXT_WIDTH = 20


def margin_width(width: int) -> int:
    """A quarter of the terminal, within reason: 20 columns at 80, 30 at 120."""
    return max(12, min(30, width // 4))


def draw(
    heading: str,
    interviewer: str | None,
    marked: Sequence[MarkedLine],
    width: int,
    colour: bool,
    clock,
) -> None:
    from rich.cells import cell_len

    number_width = max((len(str(m.line["line"])) for m in marked), default=1)
    turn_width = max((len(f"T{m.line['turn']}") for m in marked if m.line["turn"]), default=2)
    prefix = number_width + turn_width + 2
    margin = margin_width(width)
    text_width = max(MIN_TEXT_WIDTH, width - prefix - 2 - margin)
    out: list = [_styled(heading, "bold", colour)]
    for item in marked:
        line = item.line
        plain = None if colour or item.coded or item.codings else _plain_text(line, clock, cell_len)
        if plain is not None:
            # Nothing to mark or colour: the same rows as _fold's, cut from the string rather than
            # character by character (the pass over a whole data set prints millions of them).
            for index, body in enumerate(_fold_plain(plain, text_width)):
                out.append((_lead(line, number_width, turn_width, False, first=index == 0) + body).rstrip())
            continue
        chars = _display_chars(item, line, colour, clock)
        rows = _fold(chars, text_width, cell_len)
        labels = _place_labels(item, rows, margin)
        while len(rows) < len(labels):
            rows.append([])
        for index, row in enumerate(rows):
            lead = _lead(line, number_width, turn_width, colour, first=index == 0)
            body = _row_text(row, item, line, interviewer, colour)
            label = labels[index] if index < len(labels) else None
            if label is None:
                out.append((lead + body).rstrip())
                continue
            used = sum(cell_len(ch) for ch, _ in row)
            name, color = label
            out.append(lead + body + " " * (text_width - used + 2) + _styled(name, color or "", colour))
    click.echo("\n".join(out), color=colour)


def _lead(line: dict, number_width: int, turn_width: int, colour: bool, first: bool = True) -> str:
    """The line number and, where a turn starts, its number on a line's first row; blank after."""
    number = str(line["line"]) if first else ""
    turn = f"T{line['turn']}" if first and line["turn_starts"] else ""
    return (
        _styled(f"{number:>{number_width}}", "dim", colour)
        + " "
        + _styled(f"{turn:>{turn_width}}", "cyan", colour)
        + " "
    )


def _plain_text(line: dict, clock, cell_len) -> str | None:
    """The line as shown when every character is one cell and shows as itself; else None."""
    text = line["text"]
    if line["timestamp"] is not None:
        text = f"[{clock(line['timestamp'])}] {text}"
    if "\t" in text or visible(text) != text or cell_len(text) != len(text):
        return None
    return text


def _fold_plain(text: str, width: int) -> list[str]:
    """_fold for text of one-cell characters with nothing marked: rows of at most `width`,
    broken at the last space that fits (the space dropped), a longer word cut at the row's end."""
    rows = []
    start = 0
    while len(text) - start > width:
        end = start + width  # the character that would not fit
        if text[end] == " ":
            rows.append(text[start:end])
            start = end + 1
            continue
        space = text.rfind(" ", start, end)
        if space >= 0:
            rows.append(text[start:space])
            start = space + 1
        else:
            rows.append(text[start:end])
            start = end
    rows.append(text[start:])
    return rows


def _styled(text: str, style: str, colour: bool) -> str:
    if not colour or not style or not text:
        return text
    words = style.split()
    fg = next((w for w in words if w not in ("bold", "dim", "underline")), None)
    return click.style(
        text,
        fg=_rgb(fg) if fg and fg.startswith("#") else fg,
        bold="bold" in words,
        dim="dim" in words,
        underline="underline" in words,
    )


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _display_chars(item: MarkedLine, line: dict, colour: bool, clock) -> list[tuple[str, int | None]]:
    """The line as (shown character, offset in the line or None): the timestamp, the text made
    visible character by character, and, without colour, braces around each coded run."""
    chars: list[tuple[str, int | None]] = []
    if line["timestamp"] is not None:
        chars.extend((ch, None) for ch in f"[{clock(line['timestamp'])}] ")
    starts = {a for a, _ in item.coded}
    ends = {b for _, b in item.coded}
    text = line["text"]
    for offset, ch in enumerate(text):
        if not colour and offset in starts:
            chars.append((OPEN, None))
        shown = " " if ch == "\t" else visible(ch)
        chars.extend((piece, offset) for piece in shown)
        if not colour and offset + 1 in ends:
            chars.append((CLOSE, None))
    return chars


def _fold(chars: list[tuple[str, int | None]], width: int, cell_len) -> list[list[tuple[str, int | None]]]:
    """Rows of at most `width` cells, broken at the last space that fits (the space dropped),
    a word longer than a row cut where the row ends. Linear in the length of the line."""
    rows: list[list[tuple[str, int | None]]] = []
    row: list[tuple[str, int | None]] = []
    used = 0
    space = -1
    for ch, offset in chars:
        size = cell_len(ch)
        if used + size > width and row:
            if ch == " ":
                rows.append(row)
                row, used, space = [], 0, -1
                continue
            if space >= 0:
                rows.append(row[:space])
                row = row[space + 1 :]
            else:
                rows.append(row)
                row = []
            used = sum(cell_len(c) for c, _ in row)
            space = max((i for i, (c, _) in enumerate(row) if c == " "), default=-1)
        if ch == " ":
            space = len(row)
        row.append((ch, offset))
        used += size
    rows.append(row)
    return rows


def _place_labels(item: MarkedLine, rows: list, margin: int) -> list[tuple[str, str | None] | None]:
    """Each coding's name on the row where its passage starts on this line (the first row when it
    began on an earlier line), or the next free rows below, wrapped to the margin."""
    first_offset = []
    for row in rows:
        offsets = [offset for _, offset in row if offset is not None]
        first_offset.append(offsets[0] if offsets else None)
    placed: list[tuple[str, str | None] | None] = []
    for line_coding in sorted(item.codings, key=lambda c: c.starts_at):
        target = 0
        for index, offset in enumerate(first_offset):
            if offset is not None and offset <= line_coding.starts_at:
                target = index
        # A long name wraps onto the rows below it (three at most), each its own margin row.
        pieces = textwrap.wrap(line_coding.coding.label, margin, max_lines=3, placeholder=" …") or ["?"]
        while any(target + i < len(placed) and placed[target + i] is not None for i in range(len(pieces))):
            target += 1
        while len(placed) < target + len(pieces):
            placed.append(None)
        for i, piece in enumerate(pieces):
            placed[target + i] = (piece, line_coding.coding.color)
    return placed


def _row_text(row, item: MarkedLine, line: dict, interviewer: str | None, colour: bool) -> str:
    text = "".join(ch for ch, _ in row)
    if not colour:
        return text
    label_style = "bold yellow" if line["speaker"] == interviewer else "bold green"
    pieces = []
    for ch, offset in row:
        style = ""
        if offset is not None and offset < line["label_end"]:
            style = label_style
        elif offset is not None and any(a <= offset < b for a, b in item.coded):
            covering = [
                c.coding
                for c in item.codings
                if c.coding.start - line["start"] <= offset < c.coding.end - line["start"]
            ]
            innermost = min(covering, key=lambda c: c.end - c.start) if covering else None
            style = f"underline {innermost.color}" if innermost and innermost.color else "underline"
        pieces.append(_styled(ch, style, colour))
    return "".join(pieces)
