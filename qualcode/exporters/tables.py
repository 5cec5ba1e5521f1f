"""Tables for papers in every format authors paste from: CSV, Markdown, LaTeX, Word and Excel.

A `Table` is plain data (caption, columns, rows); the writers here only format it, so the same
table of themes reads the same in a LaTeX manuscript, a Word report and a co-author's spreadsheet.
Files are written to a temporary file in the target folder and renamed into place, so an
interrupted or failed export never leaves half a file behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.errors import InvalidInput
from qualcode.files import write_atomically

Cell = str | int | float | list[str] | None
BOLD_WIDER = 1.3  # header words are set in bold and start with a capital (and fonts vary: leave room)
LAYOUT_STEPS = 80  # the room beyond the longest words is handed out in this many steps
LAYOUT_LOOKAHEAD = 24  # steps tried at once: a cell often needs several more characters to lose a line
LAYOUT_SAMPLE_ROWS = 200  # rows measured when laying out a longer table
CELL_LINE_WEIGHT = 0.2  # a cell's own lines, against the row heights they may not change yet

TEXT_FORMATS = ("csv", "md", "latex")
FILE_SUFFIXES = {"csv": ".csv", "md": ".md", "latex": ".tex", "docx": ".docx", "xlsx": ".xlsx"}
SPREADSHEET_FORMATS = frozenset({"csv", "xlsx"})
PRINTED_FORMATS = frozenset({"md", "latex", "docx"})

# The default Word template's table style closest to a journal table: rules above and below the
# table and under the header, no vertical lines (readers of the .docx can switch styles in Word).
DOCX_TABLE_STYLE = "Light Shading"
DOCX_TABLE_FONT_POINTS = 9
AVERAGE_CHARACTER_WIDTH = 0.55  # of the font size, for the default template's fonts
CELL_SPACE_AFTER_POINTS = 3
CELL_SIDE_MARGIN_TWIPS = 72  # 0.05 inch each side (Word's default is 0.08)
CELL_PADDING_INCHES = 0.14  # both side margins, and a little air
EMU_PER_POINT = 12700
XLSX_NARROWEST, XLSX_WIDEST = 10, 70  # column widths, in characters
# LaTeX: the text columns' shares are laid out on a typical article's \linewidth (6.5 in) in
# \small text, with \tabcolsep on both sides of each column.
LATEX_LINE_POINTS = 468.0
LATEX_FONT_POINTS = 9.0
LATEX_COLUMN_GAP_POINTS = 12.0


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = False  # right-aligned; a number (not text) in spreadsheets
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
            shown = [c for c in shown if any(_items(row.get(c.key)) for row in self.rows)]
        return shown

    def measures(self, column: Column) -> tuple[float, float, float]:
        """(longest word in the cells, longest word of the header, typical line) of a column in
        characters. A list cell's line is its longest item, since each item starts a line."""
        cells = [_items(row.get(column.key)) for row in self.rows]
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


# -- writing files --------------------------------------------------------------------------


def write_table(table: Table, fmt: str, path: Path) -> Path:
    """Write one table to a file in any format."""
    if fmt in TEXT_FORMATS:
        text = render_text(table, fmt)
        return write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
    if fmt == "docx":
        return write_atomically(path, lambda temporary: save_docx_table(table, temporary))
    if fmt == "xlsx":
        return write_atomically(path, lambda temporary: save_xlsx(table, temporary))
    raise InvalidInput(f"unknown format '{fmt}'")


def render_text(table: Table, fmt: str) -> str:
    return {"csv": to_csv, "md": to_markdown, "latex": to_latex}[fmt](table)


# -- CSV ------------------------------------------------------------------------------------


def _items(value: Cell) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _plain(value: Cell, separator: str = "; ") -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return separator.join(str(v) for v in value)
    return str(value)


def to_csv(table: Table) -> str:
    columns = table.columns_for("csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.header for c in columns])
    for row in table.rows:
        writer.writerow([_plain(row.get(c.key)) for c in columns])
    return buffer.getvalue()


# -- Markdown -------------------------------------------------------------------------------


def _markdown_cell(value: Cell) -> str:
    text = " ".join(_plain(value).split())  # a pipe table cell is one line
    return text.replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(table: Table) -> str:
    """A pipe table with a pandoc-style caption line, readable as plain text too."""
    columns = table.columns_for("md")
    lines = [f"Table: {table.title}", ""]
    lines.append("| " + " | ".join(_markdown_cell(c.header) for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_markdown_cell(row.get(c.key)) for c in columns) + " |")
    if table.note:
        lines += ["", f"*Note.* {_markdown_cell(table.note)}"]
    return "\n".join(lines) + "\n"


# -- LaTeX (booktabs) -----------------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


_OPENING_QUOTE = re.compile(r'(^|(?<=[\s(\[{]))"')


def latex_escape(text: str) -> str:
    """Special characters escaped, and straight double quotes as TeX's opening and closing
    quotes (a straight " prints as a closing quote on both sides)."""
    escaped = "".join(_LATEX_SPECIALS.get(ch, ch) for ch in " ".join(text.split()))
    return _OPENING_QUOTE.sub("``", escaped).replace('"', "''")


def _latex_cell(value: Cell) -> str:
    if isinstance(value, list):
        return r" \newline ".join(latex_escape(str(v)) for v in value)
    return latex_escape(_plain(value))


def _latex_column_specs(table: Table, columns: list[Column]) -> tuple[str, bool]:
    r"""The tabular's column specification, and whether it is a tabularx one. Numbers sit in
    `r` columns at their natural width; text columns are tabularx X columns filling the rest of
    \linewidth, each with the share the Word table's layout gives it (\hsize factors adding up to
    the number of X columns), so the table fits whatever the document's text width."""
    available = LATEX_LINE_POINTS - LATEX_COLUMN_GAP_POINTS * len(columns)
    widths = column_widths(table, columns, available, LATEX_FONT_POINTS, 0.0)
    text = [width for column, width in zip(columns, widths) if not column.numeric]
    factors = [round(len(text) * width / sum(text), 3) for width in text]
    if factors:
        factors[-1] = round(len(text) - sum(factors[:-1]), 3)  # exactly the X columns' total after rounding
    remaining = iter(factors)
    specs = [
        "r" if column.numeric else rf">{{\raggedright\arraybackslash\hsize={next(remaining):.3f}\hsize}}X"
        for column in columns
    ]
    return "".join(specs), bool(factors)


def to_latex(table: Table) -> str:
    """A booktabs table (\\usepackage{booktabs, array, tabularx}) in a floating table environment."""
    columns = table.columns_for("latex")
    specs, stretched = _latex_column_specs(table, columns)
    begin, end = (
        (rf"\begin{{tabularx}}{{\linewidth}}{{{specs}}}", r"\end{tabularx}")
        if stretched
        else (rf"\begin{{tabular}}{{{specs}}}", r"\end{tabular}")
    )
    lines = [
        r"% Needs \usepackage{booktabs}, \usepackage{array} and \usepackage{tabularx} in the preamble.",
        r"\begin{table}[htbp]",
        r"\centering",
        r"\small",
        rf"\caption{{{latex_escape(table.title)}}}",
        rf"\label{{tab:{table.label}}}",
        begin,
        r"\toprule",
        " & ".join(latex_escape(c.header) for c in columns) + r" \\",
        r"\midrule",
    ]
    for row in table.rows:
        lines.append(" & ".join(_latex_cell(row.get(c.key)) for c in columns) + r" \\")
    lines.append(r"\bottomrule")
    lines.append(end)
    if table.note:
        lines.append(
            rf"\par\smallskip\parbox{{\linewidth}}{{\footnotesize\textit{{Note.}} {latex_escape(table.note)}}}"
        )
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


# -- Excel ----------------------------------------------------------------------------------

_SHEET_NAME_FORBIDDEN = set("[]:*?/\\")


def save_xlsx(table: Table, path: Path) -> None:
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
            values.append("\n".join(value) if isinstance(value, list) else value)
        sheet.append(values)
    top = Alignment(vertical="top")  # numbers level with the first line of wrapped text beside them
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _xlsx_width(table, column)
        for cell in sheet[letter][1:]:
            cell.alignment = top if column.numeric else wrap
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


# -- Word -----------------------------------------------------------------------------------


def add_field(paragraph: Any, instruction: str, shown: str) -> Any:
    """A Word field (SEQ, PAGE) with its current value, so Word can renumber it and every
    reader (LibreOffice, python-docx) shows the value without updating fields first. Returns the
    run showing the value."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def field_char(kind: str) -> Any:
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        return run

    instruction_run = OxmlElement("w:r")
    instruction_text = OxmlElement("w:instrText")
    instruction_text.set(qn("xml:space"), "preserve")
    instruction_text.text = f" {instruction} "
    instruction_run.append(instruction_text)
    paragraph._p.append(field_char("begin"))
    paragraph._p.append(instruction_run)
    paragraph._p.append(field_char("separate"))
    result = paragraph.add_run(shown)
    paragraph._p.append(field_char("end"))
    return result


def add_caption(document: Any, label: str, number: int, title: str, keep_with_next: bool) -> Any:
    """'Table 1. Title' in Word's Caption style, numbered by a SEQ field like Insert Caption does."""
    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ").bold = True
    add_field(paragraph, f"SEQ {label} \\* ARABIC", str(number)).bold = True
    paragraph.add_run(". ").bold = True
    paragraph.add_run(title)
    paragraph.paragraph_format.keep_with_next = keep_with_next
    return paragraph


def _set_on(parent: Any, tag: str, **attributes: str) -> Any:
    """Add a w: element with w: attributes to an oxml element."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(f"w:{tag}")
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    parent.append(element)
    return element


def _fill_cell(cell: Any, value: Cell, bold: bool = False, align_right: bool = False) -> None:
    """A cell's text; a list becomes one paragraph per item, so items stay apart when they wrap."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    items = _items(value) or [""]
    for i, item in enumerate(items):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        run = paragraph.add_run(item)
        if bold:
            run.bold = True
        if align_right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(CELL_SPACE_AFTER_POINTS)  # air between rows and items


def _style_table(word_table: Any) -> None:
    """Header row emphasised by the table style, no banding or first-column emphasis: the plain
    rules of a journal table. Narrow side margins in cells leave room for more columns."""
    from docx.oxml.ns import qn

    properties = word_table._tbl.tblPr
    for look in properties.findall(qn("w:tblLook")):
        properties.remove(look)
    margins = _set_on(properties, "tblCellMar")
    for side in ("left", "right"):
        _set_on(margins, side, w=str(CELL_SIDE_MARGIN_TWIPS), type="dxa")
    _set_on(
        properties,
        "tblLook",
        val="0620",
        firstRow="1",
        lastRow="0",
        firstColumn="0",
        lastColumn="0",
        noHBand="1",
        noVBand="1",
    )


def _keep_rows_whole(row: Any, header: bool = False) -> None:
    """A row is not split across pages; the header row repeats at the top of every page."""
    properties = row._tr.get_or_add_trPr()
    _set_on(properties, "cantSplit", val="true")
    if header:
        _set_on(properties, "tblHeader", val="true")


def text_width(document: Any) -> int:
    section = document.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def column_widths(
    table: Table, columns: Sequence[Column], available: float, font_points: float, padding: float
) -> list[float]:
    """Column widths in points that fill `available`. Every column gets room for its longest
    word; the rest of the line goes where it saves the most wrapped lines (see _fewest_lines).
    When the longest words do not all fit, the headers give way first (a header may wrap inside
    a word, a value should not); only then are the values squeezed."""
    values, least, wanted = _column_rooms(table, columns, font_points, padding)
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


def _column_rooms(
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
    cells = [[_items(row.get(column.key)) for row in rows] for column in columns]
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


def add_docx_table(document: Any, table: Table, number: int) -> Any:
    """Caption, a real Word table (header row bold and repeated on every page, column widths
    from the content) and its note, appended to an open python-docx Document."""
    from docx.shared import Emu, Pt

    columns = table.columns_for("docx")
    add_caption(document, "Table", number, table.title, keep_with_next=True)
    style = document.styles[DOCX_TABLE_STYLE]
    style.font.size = Pt(DOCX_TABLE_FONT_POINTS)  # on the style, so Word's table styles can change it back
    word_table = document.add_table(rows=1, cols=len(columns))
    word_table.style = style
    _style_table(word_table)
    word_table.autofit = False
    available = text_width(document) / EMU_PER_POINT
    widths = [
        Emu(int(w * EMU_PER_POINT))
        for w in column_widths(table, columns, available, DOCX_TABLE_FONT_POINTS, CELL_PADDING_INCHES * 72)
    ]
    for grid_column, width in zip(word_table._tbl.tblGrid.gridCol_lst, widths):
        grid_column.w = width
    header = word_table.rows[0]
    _keep_rows_whole(header, header=True)
    for cell, column, width in zip(header.cells, columns, widths):
        cell.width = width
        _fill_cell(cell, column.header, bold=True, align_right=column.numeric)
    for row in table.rows:
        added = word_table.add_row()
        _keep_rows_whole(added)
        for cell, column in zip(added.cells, columns):
            _fill_cell(cell, row.get(column.key), align_right=column.numeric)
    if table.note:
        note = document.add_paragraph()
        note.add_run("Note. ").italic = True
        note.add_run(table.note)
        for run in note.runs:  # a table's note is set like the table, smaller than the text
            run.font.size = Pt(DOCX_TABLE_FONT_POINTS)
    return word_table


def new_document(title: str, authors: Sequence[str] = (), subject: str = "Reflexive thematic analysis") -> Any:
    """A document on python-docx's default template (Word's own styles), with core properties
    of its own instead of the template's ('python-docx', 2013)."""

    from docx import Document
    from docx.shared import Inches

    document = Document()
    for section in document.sections:
        # Word's current default margins (the template still has Word 2003's 1.25 inch sides).
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Inches(1)
    properties = document.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    properties.title = title
    properties.subject = subject
    properties.author = "; ".join(authors)
    properties.last_modified_by = "; ".join(authors)
    properties.comments = "Written by qualcode"
    properties.created = now
    properties.modified = now
    properties.revision = 1
    return document


def needs_landscape(table: Table, available_points: float) -> bool:
    """Whether a Word table is too wide for `available_points`: its headers would have to break
    inside words (the codebook's six columns on a portrait page)."""
    _, least, _ = _column_rooms(table, table.columns_for("docx"), DOCX_TABLE_FONT_POINTS, CELL_PADDING_INCHES * 72)
    return sum(least) > available_points


def set_landscape(section: Any, landscape: bool = True) -> None:
    """Turn a Word section's pages on their side (or back upright), keeping the paper size."""
    from docx.enum.section import WD_ORIENT

    wide, tall = sorted((section.page_width, section.page_height), reverse=True)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (wide, tall) if landscape else (tall, wide)


def save_docx_table(table: Table, path: Path) -> None:
    """One table in a Word document of its own, on landscape pages when it is too wide for portrait."""
    document = new_document(table.title)
    if needs_landscape(table, text_width(document) / EMU_PER_POINT):
        set_landscape(document.sections[0])
    add_docx_table(document, table, 1)
    document.save(str(path))
