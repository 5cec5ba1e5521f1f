"""Tables for papers in every format authors paste from: CSV, Markdown, LaTeX, Word and Excel.

A `Table` is plain data (caption, columns, rows); the writers only format it, so the same table
of themes reads the same in a LaTeX manuscript, a Word report and a co-author's spreadsheet.
This module holds the data and the formats; the writers are table_text (CSV, Markdown, LaTeX),
table_docx and table_xlsx, with the column widths they share in table_layout, and table_files
writes any format to a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.errors import InvalidInput

Cell = str | int | float | list[str] | None
BOLD_WIDER = 1.3  # header words are set in bold and start with a capital (and fonts vary: leave room)

TEXT_FORMATS = ("csv", "md", "latex")
FILE_SUFFIXES = {"csv": ".csv", "md": ".md", "latex": ".tex", "docx": ".docx", "xlsx": ".xlsx"}
SPREADSHEET_FORMATS = frozenset({"csv", "xlsx"})
PRINTED_FORMATS = frozenset({"md", "latex", "docx"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = False  # right-aligned; a number (not text) in spreadsheets
    grouped: bool = True  # a numeric column's counts print digit-grouped (14,494); ids do not
    formats: frozenset[str] | None = None  # None: shown in every format


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[dict[str, Cell]]
    note: str | None = None  # printed under the table, like a journal's "Note." line
    label: str = "table"  # LaTeX \label{tab:LABEL}
    empty: str = "Nothing to show yet."  # what a report says instead of an empty table

    def columns_for(self, fmt: str) -> list[Column]:
        """The columns shown in `fmt`. A printed table (md, latex, docx) leaves out a column that
        is empty in every row, as a paper would; spreadsheets keep every column, so scripts can
        rely on them."""
        shown = [c for c in self.columns if c.formats is None or fmt in c.formats]
        if fmt in PRINTED_FORMATS and self.rows:
            shown = [c for c in shown if any(cell_items(row.get(c.key)) for row in self.rows)]
        return shown

    def measures(self, column: Column) -> tuple[float, float, float]:
        """(longest word in the cells, longest word of the header, typical line) of a column in
        characters. A list cell's line is its longest item, since each item starts a line."""
        cells = [cell_items(row.get(column.key)) for row in self.rows]
        in_cells = max((len(word) for items in cells for item in items for word in item.split()), default=0)
        in_header = max((len(word) for word in column.header.split()), default=0) * BOLD_WIDER
        lines = [max(len(item) for item in items) for items in cells if items]
        typical = sum(lines) / len(lines) if lines else 0.0
        return max(3.0, in_cells), in_header, max(typical, len(column.header) if column.numeric else 0)


def check_format(fmt: str, allowed: Sequence[str]) -> str:
    cleaned = fmt.strip().lower()
    if cleaned == "tex":
        cleaned = "latex"
    if cleaned not in allowed:
        raise InvalidInput(f"unknown format '{fmt}'; choose one of {', '.join(allowed)}")
    return cleaned


def cell_items(value: Cell) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def printed_cell(value: Cell, column: Column) -> Cell:
    """A cell as a printed table (md, LaTeX, Word) shows it: counts digit-grouped as prose
    writes them (qualcode.wording.counted: '14,494 words'), so a table and the sentence about
    it agree. Spreadsheets keep the number itself."""
    if column.numeric and column.grouped and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    return value


def cell_text(value: Cell, separator: str = "; ") -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return separator.join(str(v) for v in value)
    return str(value)
