"""Tables for papers in every format authors paste from: CSV, Markdown, LaTeX, Word and Excel.

A `Table` is plain data (caption, columns, rows); the writers here only format it, so the same
table of themes reads the same in a LaTeX manuscript, a Word report and a co-author's spreadsheet.
Files are written to a temporary file in the target folder and renamed into place, so an
interrupted or failed export never leaves half a file behind.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.errors import InvalidInput, QualcodeError

Cell = str | int | float | list[str] | None
BOLD_WIDER = 1.3  # header words are set in bold and start with a capital
TYPICAL_LENGTH_CAP = 45  # characters: a column's share stops growing at this typical length

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
# LaTeX: a typical article's \linewidth (6.5 in) and \small text; \tabcolsep on both sides.
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
        return [c for c in self.columns if c.formats is None or fmt in c.formats]

    def measures(self, column: Column) -> tuple[float, float, float]:
        """(longest word in the cells, longest word of the header, typical line) of a column in
        characters. A list cell's line is its longest item, since each item starts a line."""
        cells = [_items(row.get(column.key)) for row in self.rows]
        in_cells = max((len(word) for items in cells for item in items for word in item.split()), default=0)
        in_header = max((len(word) for word in column.header.split()), default=0) * BOLD_WIDER
        lines = [max(len(item) for item in items) for items in cells if items]
        typical = sum(lines) / len(lines) if lines else 0.0
        return max(3.0, in_cells), in_header, max(typical, len(column.header) if column.numeric else 0)

    def weights(self, columns: Sequence[Column]) -> list[float]:
        """How much of the line each column deserves, from its content: never less than its
        longest word, else its typical length, capped so one column of long text does not
        squeeze the others to nothing."""
        weights = []
        for column in columns:
            in_cells, in_header, typical = self.measures(column)
            weights.append(max(in_cells, in_header, min(typical, TYPICAL_LENGTH_CAP)))
        return weights


def check_format(fmt: str, allowed: Sequence[str]) -> str:
    cleaned = fmt.strip().lower()
    if cleaned == "tex":
        cleaned = "latex"
    if cleaned not in allowed:
        raise InvalidInput(f"unknown format '{fmt}'; choose one of {', '.join(allowed)}")
    return cleaned


# -- writing files --------------------------------------------------------------------------


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Create missing folders, let `write` fill a temporary file beside `path`, then rename it
    into place: readers see the old file or the complete new one, and a failure leaves nothing."""
    path = Path(path)
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name with --out")
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise QualcodeError(f"cannot write {path}: {blocking} is a file, not a folder (choose another --out)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise QualcodeError(f"cannot write {path}: {error.strerror or error} (choose another --out)") from None
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise QualcodeError(f"cannot write {path}: {error.strerror or error} (choose another --out)") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


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


def _latex_column_specs(table: Table, columns: list[Column]) -> str:
    r"""p{} columns sized like the Word table (room for the longest word, the rest by content),
    as shares of \linewidth so the table follows the document's own text width."""
    available = LATEX_LINE_POINTS - LATEX_COLUMN_GAP_POINTS * len(columns)
    widths = column_widths(table, columns, available, LATEX_FONT_POINTS, 0.0)
    specs = []
    for column, width in zip(columns, widths):
        align = r"\raggedleft" if column.numeric else r"\raggedright"
        specs.append(rf">{{{align}\arraybackslash}}p{{{width / LATEX_LINE_POINTS:.2f}\linewidth}}")
    return "".join(specs)


def to_latex(table: Table) -> str:
    """A booktabs table (\\usepackage{booktabs, array}) in a floating table environment."""
    columns = table.columns_for("latex")
    lines = [
        r"% Needs \usepackage{booktabs} and \usepackage{array} in the preamble.",
        r"\begin{table}[htbp]",
        r"\centering",
        r"\small",
        rf"\caption{{{latex_escape(table.title)}}}",
        rf"\label{{tab:{table.label}}}",
        rf"\begin{{tabular}}{{{_latex_column_specs(table, columns)}}}",
        r"\toprule",
        " & ".join(latex_escape(c.header) for c in columns) + r" \\",
        r"\midrule",
    ]
    for row in table.rows:
        lines.append(" & ".join(_latex_cell(row.get(c.key)) for c in columns) + r" \\")
    lines.append(r"\bottomrule")
    lines.append(r"\end{tabular}")
    if table.note:
        lines.append(rf"\par\smallskip\parbox{{\linewidth}}{{\footnotesize\textit{{Note.}} {latex_escape(table.note)}}}")
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
    for index, (column, weight) in enumerate(zip(columns, table.weights(columns)), start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(10, min(70, weight * 1.3 + 2))
        if not column.numeric:
            for cell in sheet[letter][1:]:
                cell.alignment = wrap
    sheet.freeze_panes = "A2"
    if table.note:
        sheet.append([])
        sheet.append([f"Note. {table.note}"])
    workbook.save(path)


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
    _set_on(properties, "tblLook", val="0620", firstRow="1", lastRow="0", firstColumn="0",
            lastColumn="0", noHBand="1", noVBand="1")


def _keep_rows_whole(row: Any, header: bool = False) -> None:
    """A row is not split across pages; the header row repeats at the top of every page."""
    properties = row._tr.get_or_add_trPr()
    _set_on(properties, "cantSplit", val="true")
    if header:
        _set_on(properties, "tblHeader", val="true")


def text_width(document: Any) -> int:
    section = document.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def column_widths(table: Table, columns: Sequence[Column], available: float, font_points: float, padding: float) -> list[float]:
    """Column widths in points that fill `available`, as browsers lay out tables: every column
    gets room for its longest word, and the space left goes to each column by how much more its
    typical line needs. When the longest words do not all fit, the headers give way first (a
    header may wrap inside a word, a value should not); only then are the values squeezed."""

    def room(characters: float) -> float:
        return characters * font_points * AVERAGE_CHARACTER_WIDTH + padding

    values, least, wanted = [], [], []
    for column in columns:
        in_cells, in_header, typical = table.measures(column)
        values.append(room(in_cells))
        least.append(room(max(in_cells, in_header)))
        wanted.append(room(max(in_cells, in_header, typical)))
    if sum(values) >= available:
        return [available * w / sum(values) for w in values]
    if sum(least) >= available:
        return _share_out(values, least, available)
    if sum(wanted) > available:
        return _share_out(least, wanted, available)
    # Everything fits on one line with room to spare: give the rest to the text columns.
    leftover = available - sum(wanted)
    text = [w if not c.numeric else 0.0 for w, c in zip(wanted, columns)]
    share = sum(text) or 1.0
    return [w + leftover * t / share for w, t in zip(wanted, text)]


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
    widths = [Emu(int(w * EMU_PER_POINT)) for w in column_widths(
        table, columns, available, DOCX_TABLE_FONT_POINTS, CELL_PADDING_INCHES * 72
    )]
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
    import datetime as dt

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


def save_docx_table(table: Table, path: Path) -> None:
    document = new_document(table.title)
    add_docx_table(document, table, 1)
    document.save(str(path))

