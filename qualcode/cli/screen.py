"""How every listing and report is laid out on the terminal: one policy, in one place.

The policy (issue 19), which every command follows by printing through this module:

- Width: the terminal's (COLUMNS when set, as for rich and click), read once per command.
- Tables: one style everywhere, the look of rich's SIMPLE_HEAD box: a bold header row, one rule
  under it, columns two spaces apart, no borders. Columns are sized to their content; numbers are
  right-aligned and never wrapped.
- Wrapping: long text wraps at spaces, never inside a word and never at a hyphen
  ("relationship-building" stays whole); only a single word longer than its column is folded.
  Names and locations are kept whole: a location such as `--chars 1200-1260` or `lines 12-14` is
  joined with non-breaking spaces (`keep_together`) so it never splits across lines.
- Too wide: columns that wrap shrink first (the widest first, never below their longest word);
  a column marked `second_line` then moves to an indented line of its own under each row; when
  even that does not fit, or the terminal is narrower than 40 columns, each record is printed as
  a block: its first value on a line, then one `label: value` line per column.
- Truncation: only where a command says so (a one-line preview), and always with an ellipsis.
- Indents: wrapped lines of a tree keep the indent of their name (`Indented`), wrapped prose
  keeps the indent of its first line, and a preview is indented under its label (`paragraph`).
- No trailing spaces: lines are built here and stripped; rich output goes through `console()`,
  whose lines are stripped before they reach the terminal.
- Colour only where it means something (a coding id, a speaker label, a code's own colour, the
  header), and none when NO_COLOR is set or the output is not a terminal.

The library never imports this (it knows no terminal); commands do.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import click

from qualcode.terminal_text import visible

# Below this width no table is drawn: each record is a block of labelled lines.
NARROW = 40
GAP = "  "
NBSP = "\u00a0"


def width() -> int:
    """The terminal's width in columns (COLUMNS first; 100 when output is not a terminal)."""
    return max(10, shutil.get_terminal_size((100, 24)).columns)


def colour() -> bool:
    """Whether to colour: only on a terminal (as click decides, so `--color` in tests too), and
    never when NO_COLOR is set. Asked once per output stream: listings ask it for every row."""
    from click import _compat, globals

    if "NO_COLOR" in os.environ:
        return False
    key = (id(sys.stdout), _compat.should_strip_ansi, globals.resolve_color_default())
    if _colour_cache.get("key") != key:
        _colour_cache.update(key=key, value=not _compat.should_strip_ansi(sys.stdout, key[2]))
    return bool(_colour_cache["value"])


_colour_cache: dict[str, Any] = {}


def _fg(value: Any) -> Any:
    """A colour for click: a name as it is, a hex colour ("#4E79A7") as red, green and blue."""
    if isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))
    return value


def style(text: str, **styles: Any) -> str:
    """`text` in click's styles (fg=, bold=, dim=, reverse=) when colouring, else as it is."""
    if "fg" in styles:
        styles["fg"] = _fg(styles["fg"])
    return click.style(text, **styles) if styles and colour() else text


def keep_together(text: str) -> str:
    """`text` that must not be split across lines ("--chars 1200-1260", "lines 12-14")."""
    return text.replace(" ", NBSP)


# Around a stretch of text that is styled after wrapping (a search hit): private-use characters
# that wrap as part of the word they touch and become the style, or nothing, once laid out.
MARK, END = "\ue000", "\ue001"


def marked(text: str, **styles: Any) -> str:
    """`text` with each MARK…END stretch in `styles` (when colouring) and the markers removed."""
    if not colour():
        return text.replace(MARK, "").replace(END, "")
    return re.sub(f"{MARK}(.*?){END}", lambda m: style(m.group(1), **styles), text, flags=re.S)


# Characters that take two columns (CJK, Hangul, fullwidth forms, emoji); text without any is
# measured by its length, which is all most text needs (rich's cell_len goes character by character).
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\U0001f300-\U0001faff\U00020000-\U0003fffd\u0300-\u036f\u200b-\u200f]"
)


def _cells(text: str) -> int:
    if text.isascii() or not _WIDE.search(text):
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def wrap(text: str, room: int) -> list[str]:
    """`text` wrapped to `room` columns at spaces; each newline in it starts a new line.

    A greedy fill written out rather than textwrap's: search results wrap thousands of lines,
    and this is several times faster. Non-breaking spaces hold words together and print as
    spaces; only a word longer than `room` is folded."""
    room = max(1, room)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if _cells(paragraph) <= room:
            lines.append(paragraph.rstrip())
            continue
        if not _WIDE.search(paragraph):
            lines += _fill(paragraph, room)
            continue
        line, used = "", 0
        for word in paragraph.split(" "):  # not split(): that would break at non-breaking spaces
            if not word:
                continue
            size = _cells(word)
            while size > room:  # a single word wider than the column: folded, the only break inside a word
                if line:
                    lines.append(line)
                    line, used = "", 0
                lines.append(word[:room])
                word = word[room:]
                size = _cells(word)
            if not word:
                continue
            if line and used + 1 + size <= room:
                line, used = f"{line} {word}", used + 1 + size
            else:
                if line:
                    lines.append(line)
                line, used = word, size
        lines.append(line)
    return [line.replace(NBSP, " ") for line in lines] or [""]


def _fill(text: str, room: int) -> list[str]:
    """`wrap` for text whose width is its length: breaks found with str.rfind, a line at a time."""
    lines, pos, end = [], 0, len(text)
    while pos < end and text[pos] == " ":
        pos += 1
    while end - pos > room:
        cut = text.rfind(" ", pos, pos + room + 1)
        if cut <= pos:  # no space within the line: a word longer than the column is folded
            cut = text.find(" ", pos)
            if cut == -1 or cut - pos > room:
                lines.append(text[pos : pos + room])
                pos += room
                continue
        lines.append(text[pos:cut].rstrip())
        pos = cut + 1
        while pos < end and text[pos] == " ":
            pos += 1
    if pos < end:
        lines.append(text[pos:].rstrip())
    return lines or [""]


def paragraph(text: str, indent: str = "", first: str | None = None, room: int | None = None) -> str:
    """`text` wrapped to the terminal, every line after `indent` (the first after `first`, when
    given: a label such as "  codes: " with the wrapped lines under its text)."""
    first = indent if first is None else first
    total = room or width()
    lines = wrap(text, max(NARROW // 2, total - max(len(first), len(indent))))
    return "\n".join((first if i == 0 else indent) + line for i, line in enumerate(lines)).rstrip()


def echo_paragraph(text: str, indent: str = "", first: str | None = None) -> None:
    click.echo(paragraph(text, indent, first))


def longest_word(text: str) -> int:
    words = re.split(r"[ \n]+", text)
    return max((_cells(w) for w in words), default=0)


@dataclass(frozen=True)
class Indented:
    """A cell that starts with a tree's indent and marker ("  └ "): wrapped lines keep the indent."""

    prefix: str
    text: str
    marker: str = ""  # shown after the prefix, coloured ("■ "), the same width on later lines
    marker_style: str | None = None

    def __str__(self) -> str:
        return self.prefix + self.marker + self.text


@dataclass
class Column:
    """One column of a table: the key of its value in each row, its header, and how it lays out.

    kind: "text" wraps at spaces; "name" wraps only when it must (names stay whole on a line
    when the table fits); "number" is right-aligned and never wraps; "fixed" (locations, dates,
    ids) never wraps. second_line: when the table does not fit, this column moves to a line of
    its own under each row, as "header: value"; own_line: it always is."""

    key: str
    header: str | None = None
    kind: str = "text"
    second_line: bool = False
    own_line: bool = False  # always on a line of its own under the row (a long preview)
    styles: dict[str, Any] | None = None

    @property
    def title(self) -> str:
        return self.key.replace("_", " ") if self.header is None else self.header


def _is_id(column: Column) -> bool:
    """Ids are typed back into commands (`memo show 10422`), so they are never digit-grouped."""
    return column.key == "id" or column.key.endswith("_id") or column.key == "coding"


def _text(value: Any, column: Column | None = None) -> str:
    # Strings first, tested by exact type: a long listing asks this per cell.
    if type(value) is str:
        return visible(value)
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        # Grouped as prose and printed tables group them (14,494 words), ids excepted.
        return str(value) if column is not None and _is_id(column) else f"{value:,}"
    if isinstance(value, Indented):
        return visible(str(value))
    if isinstance(value, (list, tuple)):
        return visible("; ".join(str(v) for v in value))
    if isinstance(value, float):
        return f"{value:.4g}"
    return visible(str(value))


_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?%?")


def numeric_column(rows: Sequence[dict[str, Any]], key: str) -> bool:
    """True when every value is a number (or a number written as text, such as an attribute)."""
    values = [r.get(key) for r in rows if r.get(key) not in (None, "")]
    return bool(values) and all(
        (isinstance(v, (int, float)) and not isinstance(v, bool)) or (isinstance(v, str) and _NUMBER.fullmatch(v))
        for v in values
    )


def columns_for(
    rows: Sequence[dict[str, Any]], keys: Sequence[str], headers: dict[str, str] | None = None
) -> list[Column]:
    """Columns for plain rows: numbers where every value is a number, the first column a name."""
    out = []
    for i, key in enumerate(keys):
        kind = "number" if numeric_column(rows, key) else ("name" if i == 0 else "text")
        out.append(Column(key, (headers or {}).get(key), kind, second_line=kind == "text" and i > 0))
    return out


def table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    room: int | None = None,
) -> list[str]:
    """The rows laid out by the policy above, as lines (no trailing spaces, no newlines)."""
    room = room or width()
    cells = [[_text(row.get(c.key), c) for c in columns] for row in rows]
    lines = [style(visible(title), bold=True)] if title else []
    if room < NARROW:
        return lines + _blocks(rows, columns, cells, room)
    shown = [i for i, c in enumerate(columns) if not c.own_line]
    while True:
        widths = _fit([columns[i] for i in shown], [[r[i] for i in shown] for r in cells], room)
        if widths is not None:
            break
        movable = [i for i in shown if columns[i].second_line]
        if not movable:
            return lines + _blocks(rows, columns, cells, room)
        shown.remove(movable[-1])
    below = [i for i in range(len(columns)) if i not in shown]
    lines += _rows([columns[i] for i in shown], [[columns[i].title for i in shown]], widths, header=True)
    lines.append("─" * min(room, sum(widths) + len(GAP) * (len(widths) - 1)))
    shown_columns = [columns[i] for i in shown]
    numbers = [c.kind == "number" for c in shown_columns]
    unstyled = not any(c.styles for c in shown_columns)
    for row, values in zip(rows, cells):
        texts = [values[i] for i in shown]
        line = _one_line(texts, widths, numbers) if unstyled else None
        if line is not None and not any(isinstance(row.get(c.key), Indented) for c in shown_columns):
            lines.append(line)
        else:
            lines += _rows(shown_columns, [texts], widths, raw=[row.get(c.key) for c in shown_columns])
        for i in below:
            if values[i]:
                lines.append(paragraph(values[i], "    ", f"    {columns[i].title}: ", room))
    return lines


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, title: str | None = None) -> None:
    click.echo("\n".join(table(rows, columns, title=title)))


def _minimum(column: Column, texts: Iterable[str], header: str) -> int:
    if column.kind in ("number", "fixed"):
        return max([longest_word(header), *(max((_cells(p) for p in t.split("\n")), default=0) for t in texts)])
    return max([longest_word(header), *(longest_word(t) for t in texts)])


def _natural(texts: Iterable[str], header: str) -> int:
    widest = _cells(header)
    for t in texts:
        # Most cells are one line of plain text, measured by their length.
        n = len(t) if t.isascii() and "\n" not in t else max(_cells(p) for p in t.split("\n"))
        if n > widest:
            widest = n
    return widest


def shorten(text: str, room: int) -> str:
    """`text` on one line of at most `room` columns, cut after a whole word with an ellipsis."""
    text = " ".join(text.split())
    if _cells(text) <= room:
        return text
    cut = text[: max(1, room - 1)]
    if " " in cut and not text[len(cut)].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def natural_width(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> int:
    """The width of the table when nothing wraps."""
    texts = [[_text(row.get(c.key), c) for row in rows] for c in columns]
    return sum(_natural(t, c.title) for t, c in zip(texts, columns)) + len(GAP) * (len(columns) - 1)


def fits_unwrapped(rows: Sequence[dict[str, Any]], columns: Sequence[Column], room: int | None = None) -> bool:
    """Whether every row fits on one line, nothing wrapped."""
    return natural_width(rows, columns) <= (room or width())


def _fit(columns: Sequence[Column], cells: Sequence[Sequence[str]], room: int) -> list[int] | None:
    """Column widths that fit `room`, or None when the columns cannot fit without breaking words."""
    if not columns:
        return []
    texts = [[row[i] for row in cells] for i in range(len(columns))]
    natural = [_natural(t, c.title) for t, c in zip(texts, columns)]
    available = room - len(GAP) * (len(columns) - 1)
    if sum(natural) <= available:
        return natural
    floor = [min(_minimum(c, t, c.title), n) for c, t, n in zip(columns, texts, natural)]
    # A long name may fold inside a very long word only when that word alone is wider than a
    # fair share of the line; otherwise the column keeps its longest word whole.
    share = max(12, available // 3)
    floor = [min(f, share) if c.kind in ("text", "name") else f for c, f in zip(columns, floor)]
    if sum(floor) > available:
        return None
    widths = list(natural)
    # A header longer than its values wraps first ("years practice" over "12"), then text
    # shrinks before names: each step narrows the widest column that can still give.
    headed = [
        max(floor[i], min(widths[i], max(_natural(t, ""), longest_word(c.title))))
        for i, (c, t) in enumerate(zip(columns, texts))
    ]
    for i in sorted(range(len(columns)), key=lambda i: headed[i] - widths[i]):
        if sum(widths) > available:
            widths[i] = headed[i]
    for kinds in (("text",), ("text", "name")):
        while sum(widths) > available:
            candidates = [i for i, c in enumerate(columns) if c.kind in kinds and widths[i] > floor[i]]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i])
            widths[widest] -= 1
    return widths if sum(widths) <= available else None


def _cell_lines(value: Any, text: str, w: int) -> list[str]:
    if len(text) <= w and not isinstance(value, Indented) and text.isascii() and "\n" not in text:
        return [text]  # the common case, kept quick for long listings
    if isinstance(value, Indented):
        lead = _cells(value.prefix) + _cells(value.marker)
        body = wrap(visible(value.text), max(1, w - lead))
        marker = style(value.marker, fg=value.marker_style) if value.marker_style else value.marker
        return [visible(value.prefix) + marker + body[0]] + [" " * lead + line for line in body[1:]]
    return wrap(text, w)


def _one_line(texts: Sequence[str], widths: Sequence[int], numbers: Sequence[bool]) -> str | None:
    """A row whose cells are all one short line of plain text, laid out directly (the common
    case, kept quick for long listings); None when a cell needs wrapping or measuring."""
    parts = []
    for text, w, number in zip(texts, widths, numbers):
        if len(text) > w or not text.isascii() or "\n" in text:
            return None
        pad = " " * (w - len(text))
        parts.append(pad + text if number else text + pad)
    return GAP.join(parts).rstrip()


def _rows(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    header: bool = False,
    raw: Sequence[Any] | None = None,
) -> list[str]:
    out = []
    numbers = [c.kind == "number" for c in columns]
    for values in rows:
        wrapped = [
            [values[i]] if numbers[i] and not header else _cell_lines(raw[i] if raw else None, values[i], widths[i])
            for i in range(len(columns))
        ]
        for n in range(max(len(w) for w in wrapped)):
            parts = []
            for i, c in enumerate(columns):
                piece = wrapped[i][n] if n < len(wrapped[i]) else ""
                pad = " " * (widths[i] - (len(piece) if piece.isascii() else _cells(piece)))
                shown = (
                    style(piece, bold=True)
                    if header and piece
                    else (style(piece, **c.styles) if c.styles and piece else piece)
                )
                parts.append(pad + shown if c.kind == "number" else shown + pad)
            out.append(GAP.join(parts).rstrip())
    return out


def _blocks(
    rows: Sequence[dict[str, Any]], columns: Sequence[Column], cells: Sequence[Sequence[str]], room: int
) -> list[str]:
    """One record per block: the first value on its own line, then `label: value` lines."""
    out: list[str] = []
    for n, values in enumerate(cells):
        if n:
            out.append("")
        out += [style(line, bold=True) for line in wrap(values[0].strip(), room)]
        for column, value in zip(columns[1:], values[1:]):
            if value:
                label = f"  {column.title}: " if column.title else "  "
                out.append(paragraph(value, "    ", label, room))
    return out


# --- rich, for the screens that are not tables (status, the phase log, session views) -------------


@functools.cache
def _console_class() -> type:
    from rich.console import Console
    from rich.segment import Segment

    trailing = re.compile(r"(?:[ ]|\x1b\[[0-9;]*m)+$")

    def _strip(line: str) -> str:
        tail = trailing.search(line)
        if not tail:
            return line
        return line[: tail.start()] + "".join(re.findall(r"\x1b\[[0-9;]*m", tail.group()))

    class ScreenConsole(Console):
        """A rich console that follows the policy: it never hands the terminal a control
        character from the text it shows (rich's own styles and cursor moves pass; text segments
        are made visible, qualcode/terminal_text.py), and it prints no trailing spaces (rich pads
        every line of a table or a wrapped paragraph to the full width)."""

        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            rendered = super()._render_buffer(
                segment if segment.control else Segment(visible(segment.text), segment.style, segment.control)
                for segment in buffer
            )
            return "\n".join(_strip(line) for line in rendered.split("\n"))

    return ScreenConsole


def console(**kwargs: Any):
    """A rich console at the width of `width()`, with no colour unless `colour()` allows it."""
    kwargs.setdefault("width", width())
    if "NO_COLOR" in os.environ:
        kwargs.setdefault("no_color", True)
    return _console_class()(highlight=False, soft_wrap=False, **kwargs)


def rich_table(**kwargs: Any):
    """A rich Table in the one table style (for the few grids drawn with rich)."""
    from rich.box import SIMPLE_HEAD
    from rich.table import Table

    kwargs.setdefault("box", SIMPLE_HEAD)
    kwargs.setdefault("header_style", "bold")
    kwargs.setdefault("show_edge", False)
    kwargs.setdefault("pad_edge", False)
    return Table(**kwargs)


def echo_lines(lines: Sequence[str]) -> None:
    click.echo("\n".join(line.rstrip() for line in lines))


Styler = Callable[[str], str]
