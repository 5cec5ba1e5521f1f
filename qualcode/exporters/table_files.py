"""Writing a table to a file in any format. Files are written to a temporary file in the target
folder and renamed into place, so an interrupted or failed export never leaves half a file behind."""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import InvalidInput
from qualcode.exporters.table_docx import save_docx_table
from qualcode.exporters.table_text import to_csv, to_latex, to_markdown
from qualcode.exporters.table_xlsx import save_xlsx
from qualcode.exporters.tables import TEXT_FORMATS, Table
from qualcode.files import write_atomically


def write_table(table: Table, fmt: str, path: Path, raw: bool = False) -> Path:
    """Write one table to a file in any format; `raw` keeps spreadsheet cells exactly as stored
    (qualcode/spreadsheet_cells.py)."""
    if fmt in TEXT_FORMATS:
        text = render_text(table, fmt, raw)
        return write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
    if fmt == "docx":
        return write_atomically(path, lambda temporary: save_docx_table(table, temporary))
    if fmt == "xlsx":
        return write_atomically(path, lambda temporary: save_xlsx(table, temporary, raw))
    raise InvalidInput(f"unknown format '{fmt}'")


def render_text(table: Table, fmt: str, raw: bool = False) -> str:
    if fmt == "csv":
        return to_csv(table, raw)
    return {"md": to_markdown, "latex": to_latex}[fmt](table)
