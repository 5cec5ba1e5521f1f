"""Tables as Excel workbooks, for co-authors who work in spreadsheets: a bold, frozen header row,
numbers as numbers, and columns wide enough to read with long text wrapped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qualcode.exporters.tables import Column, Table
from qualcode.spreadsheet_cells import spreadsheet_value

XLSX_NARROWEST, XLSX_WIDEST = 10, 70  # column widths, in characters

_SHEET_NAME_FORBIDDEN = set("[]:*?/\\")


def save_xlsx(table: Table, path: Path, raw: bool = False) -> None:
    """The table as a workbook. Text is always stored as text, never as a formula; a cell a
    spreadsheet would take for one gets a leading apostrophe unless `raw`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    columns = table.columns_for("xlsx")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "".join(ch for ch in table.title if ch not in _SHEET_NAME_FORBIDDEN)[:31] or "Table"
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        values: list[Any] = []
        for column in columns:
            value = row.get(column.key)
            values.append(spreadsheet_value("\n".join(value) if isinstance(value, list) else value, raw))
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store "=…" as a formula
    top = Alignment(vertical="top")  # numbers level with the first line of wrapped text beside them
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _xlsx_width(table, column)
        for cell in sheet[letter][1:]:
            cell.alignment = top if column.numeric else wrap
            if column.numeric and column.grouped and isinstance(cell.value, int):
                cell.number_format = "#,##0"  # shown 14,494 as in prose, still a number to sum
    sheet.freeze_panes = "A2"
    if table.note:
        sheet.append([])
        sheet.append([f"Note. {table.note}"])
    workbook.save(path)


def _xlsx_width(table: Table, column: Column) -> float:
    """Excel column width (in characters of the default font): the header in bold, the longest
    word, and the typical line up to XLSX_WIDEST, so names fit on one line and long text wraps
    in a column wide enough to read."""
    in_cells, in_header, typical = table.measures(column)
    return round(max(XLSX_NARROWEST, min(XLSX_WIDEST, max(in_cells, in_header, typical) + 2)), 1)
