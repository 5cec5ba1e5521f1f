"""Tables in Word: a real table with a numbered caption, its header repeated on every page and
column widths from the content, in a document of its own or appended to the report; also the
captions, fields and page orientation the report uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qualcode.exporters.table_layout import column_rooms, column_widths
from qualcode.exporters.tables import Cell, Table, cell_items, printed_cell

# The default Word template's table style closest to a journal table: rules above and below the
# table and under the header, no vertical lines (readers of the .docx can switch styles in Word).
DOCX_TABLE_STYLE = "Light Shading"
DOCX_TABLE_FONT_POINTS = 9
CELL_SPACE_AFTER_POINTS = 3
CELL_SIDE_MARGIN_TWIPS = 72  # 0.05 inch each side (Word's default is 0.08)
CELL_PADDING_INCHES = 0.14  # both side margins, and a little air
EMU_PER_POINT = 12700


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

    items = cell_items(value) or [""]
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
            _fill_cell(cell, printed_cell(row.get(column.key), column), align_right=column.numeric)
    if table.note:
        note = document.add_paragraph()
        note.add_run("Note. ").italic = True
        note.add_run(table.note)
        for run in note.runs:  # a table's note is set like the table, smaller than the text
            run.font.size = Pt(DOCX_TABLE_FONT_POINTS)
    return word_table


PAPER_MM = {"a4": (210, 297), "letter": (215.9, 279.4)}  # width, height upright


def new_document(
    title: str, authors: Sequence[str] = (), subject: str = "Reflexive thematic analysis", paper: str = "a4"
) -> Any:
    """A document on python-docx's default template (Word's own styles) on A4 or Letter paper,
    with core properties of its own instead of the template's ('python-docx', 2013)."""

    from docx import Document
    from docx.shared import Inches, Mm

    document = Document()
    width, height = PAPER_MM[paper]
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
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
    _, least, _ = column_rooms(table, table.columns_for("docx"), DOCX_TABLE_FONT_POINTS, CELL_PADDING_INCHES * 72)
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
