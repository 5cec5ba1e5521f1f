"""Column widths for printed tables (Word and LaTeX): every column gets room for its longest word,
and the rest of the line goes where it saves the most wrapped lines."""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.exporters.tables import Column, Table, cell_items, printed_cell

LAYOUT_STEPS = 80  # the room beyond the longest words is handed out in this many steps
LAYOUT_LOOKAHEAD = 24  # steps tried at once: a cell often needs several more characters to lose a line
LAYOUT_SAMPLE_ROWS = 200  # rows measured when laying out a longer table
CELL_LINE_WEIGHT = 0.2  # a cell's own lines, against the row heights they may not change yet
AVERAGE_CHARACTER_WIDTH = 0.55  # of the font size, for the default template's fonts


def column_widths(
    table: Table, columns: Sequence[Column], available: float, font_points: float, padding: float
) -> list[float]:
    """Column widths in points that fill `available`. Every column gets room for its longest
    word; the rest of the line goes where it saves the most wrapped lines (see _fewest_lines).
    When the longest words do not all fit, the headers give way first (a header may wrap inside
    a word, a value should not); only then are the values squeezed."""
    values, least, wanted = column_rooms(table, columns, font_points, padding)
    if sum(values) >= available:
        return [available * w / sum(values) for w in values]
    if sum(least) >= available:
        return _share_out(values, least, available)
    if sum(wanted) > available:
        return _fewest_lines(table, columns, least, wanted, available, font_points, padding)
    # Everything fits on one line with room to spare: give the rest to the text columns.
    leftover = available - sum(wanted)
    text = [w if not c.numeric else 0.0 for w, c in zip(wanted, columns)]
    share = sum(text) or 1.0
    return [w + leftover * t / share for w, t in zip(wanted, text)]


def column_rooms(
    table: Table, columns: Sequence[Column], font_points: float, padding: float
) -> tuple[list[float], list[float], list[float]]:
    """Per column, in points: room for the longest value word; for that and the header's
    longest word; and for those and the typical line."""

    def room(characters: float) -> float:
        return characters * font_points * AVERAGE_CHARACTER_WIDTH + padding

    values, least, wanted = [], [], []
    for column in columns:
        in_cells, in_header, typical = table.measures(column)
        values.append(room(in_cells))
        least.append(room(max(in_cells, in_header)))
        wanted.append(room(max(in_cells, in_header, typical)))
    return values, least, wanted


def _fewest_lines(
    table: Table,
    columns: Sequence[Column],
    least: list[float],
    wanted: list[float],
    available: float,
    font_points: float,
    padding: float,
) -> list[float]:
    """From room for the longest words, hand out the rest of the line a step at a time to the
    column where it saves the most lines over the table, a row being as tall as its tallest
    cell. So a column of dates goes onto one line when that makes its rows shorter, and the
    column of long text gets the room when it is what makes rows tall. Once no step saves a
    line, what is left is shared by how far each column is from its typical line."""
    rows = table.rows
    if len(rows) > LAYOUT_SAMPLE_ROWS:  # a long audit trail: an even sample shows its shape
        rows = [rows[i * len(rows) // LAYOUT_SAMPLE_ROWS] for i in range(LAYOUT_SAMPLE_ROWS)]
    cells = [[cell_items(printed_cell(row.get(column.key), column)) for row in rows] for column in columns]
    character = font_points * AVERAGE_CHARACTER_WIDTH
    cache: dict[tuple[int, int], list[int]] = {}

    def lines(index: int, width: float) -> list[int]:
        """Lines each row's cell of one column takes at `width` (each list item starts a line)."""
        fits = max(1, int((width - padding) / character))
        if (index, fits) not in cache:
            cache[index, fits] = [sum(_wrapped_lines(item, fits) for item in items) or 1 for items in cells[index]]
        return cache[index, fits]

    widths = list(least)
    step = (available - sum(least)) / LAYOUT_STEPS
    while available - sum(widths) > step / 2:
        current = [lines(i, w) for i, w in enumerate(widths)]
        # Per row, the tallest cell and the tallest among the other columns, so trying a
        # wider column costs one pass over the rows.
        by_row = [sorted(((current[i][r], i) for i in range(len(columns))), reverse=True) for r in range(len(rows))]
        best: tuple[float, int, int] | None = None  # (lines saved per step, column, steps)
        for i in range(len(columns)):
            others = [_tallest_other(row, i) for row in by_row]
            before = _height(others, current[i])
            for steps in range(1, LAYOUT_LOOKAHEAD + 1):
                if sum(widths) + steps * step > available + step / 2:
                    break
                saved = before - _height(others, lines(i, widths[i] + steps * step))
                if saved > 0 and (best is None or saved / steps > best[0]):
                    best = (saved / steps, i, steps)
        if best is None:
            break
        widths[best[1]] += best[2] * step
    spare = available - sum(widths)
    gaps = [max(0.0, w - width) for w, width in zip(wanted, widths)]
    if spare > 0 and sum(gaps) > 0:
        widths = [width + spare * gap / sum(gaps) for width, gap in zip(widths, gaps)]
    elif spare > 0:
        widths = [width + spare / len(widths) for width in widths]
    return [width * available / sum(widths) for width in widths]  # exactly the line, after rounding in steps


def _height(others: list[int], column: list[int]) -> float:
    """The table's height in lines with one column's cells beside the tallest of the others,
    plus a little for each line the column's own cells take: two short columns that both wrap
    in the same rows (a date and a command) only shorten those rows together, and this is what
    leads the layout to widen the first of them."""
    return sum(max(o, c) for o, c in zip(others, column)) + CELL_LINE_WEIGHT * sum(column)


def _tallest_other(row: list[tuple[int, int]], column: int) -> int:
    """The most lines among a row's cells other than `column`'s, from (lines, column) pairs
    sorted tallest first."""
    (top, top_column), *rest = row
    if top_column != column:
        return top
    return rest[0][0] if rest else 0


def _wrapped_lines(text: str, fits: int) -> int:
    """Lines a text takes when words wrap at `fits` characters a line."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > fits:
            lines, used = lines + 1, 0
        if used:
            used += 1 + len(word)
        else:
            lines += (len(word) - 1) // fits  # a word longer than the line breaks inside
            used = (len(word) - 1) % fits + 1
    return lines


def _share_out(floor: list[float], goal: list[float], available: float) -> list[float]:
    """Each column's floor, plus the space left shared by how far each is from its goal."""
    spare = available - sum(floor)
    gaps = [g - f for f, g in zip(floor, goal)]
    return [f + spare * gap / sum(gaps) for f, gap in zip(floor, gaps)]
