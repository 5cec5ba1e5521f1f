"""Cells a spreadsheet would run as a formula, made inert.

A code name, a participant's words or a memo can start with `=`, `+`, `-` or `@` (or a tab or CR
before one): Excel, LibreOffice and Google Sheets read such a cell of a CSV as a formula, which
can fetch URLs or start programs (CSV injection). As OWASP advises, such cells get a leading
apostrophe, which spreadsheets show as text. Exports for scripts that need the exact value pass
raw=True (the export commands' --raw).
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def spreadsheet_value(value: object, raw: bool = False) -> object:
    """A cell's value for a spreadsheet: text neutralised (unless raw), numbers left as numbers."""
    if raw or not isinstance(value, str):
        return value
    return neutralised(value)
