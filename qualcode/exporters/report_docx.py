"""Drawing the report (qualcode.report.gather.ReportContent) as a Word document.

Only Word's built-in styles from python-docx's default template are used (Title, Subtitle,
Heading 1-3, Quote, Caption, List Bullet, a built-in table style), with no direct formatting
beyond bold and italic runs, so authors can restyle the whole document from Word's style gallery
and it opens the same in Word and LibreOffice. Table and figure numbers are SEQ fields and the
footer holds a PAGE field, as Word's own Insert Caption and page numbers would.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from qualcode.exporters.table_docx import (
    add_caption,
    add_docx_table,
    add_field,
    new_document,
    set_landscape,
    text_width,
)
from qualcode.exporters.tables import Table
from qualcode.report.content import AgreementAppendix, NarrativeBlock, Quote, ReportContent, ThemeSection
from qualcode.wording import long_date, typographic

APPENDIX_TITLES = {
    "codebook": "Codebook",
    "agreement": "Agreement between analysts",
    "journal": "Reflexive journal",
    "audit": "Audit trail",
}
MAX_FIGURE_HEIGHT_INCHES = 7.5
CAPTION_ROOM_INCHES = 0.6  # under a figure on a page of its own: its one-line caption
MARGIN_INCHES = 1.0  # new_document's margins
SENTENCE_ENDS = set(".!?…\"'”’)]")
BLOCK_QUOTE_INDENT_INCHES = 0.5
JOURNAL_KIND_LABELS = {"reflexive": "reflexive memo", "decision": "decision memo", "phase": "phase change"}


class ReportWriter:
    """Appends the report's parts to one document, numbering tables and figures as it goes."""

    def __init__(self, document: Any):
        self.document = document
        self.tables = 0
        self.figures = 0
        self._style_ids: dict[str, str] = {}

    def styled(self, style: str | None) -> Any:
        """A new paragraph in a built-in style. The style id is looked up once per style:
        python-docx looks it up for every paragraph, which costs seconds over a long report."""
        paragraph = self.document.add_paragraph()
        if style is not None:
            if style not in self._style_ids:
                self._style_ids[style] = self.document.styles[style].style_id
            paragraph._p.style = self._style_ids[style]
        return paragraph

    # -- small pieces ---------------------------------------------------------------------

    def paragraph(self, text: str = "", style: str | None = None) -> Any:
        paragraph = self.styled(style)
        if text:
            add_text_with_commands(paragraph, text)
        return paragraph

    def placeholder(self, text: str) -> Any:
        """Something the authors still have to write, in italics and brackets so it stands out."""
        paragraph = self.document.add_paragraph()
        paragraph.add_run(text).italic = True
        return paragraph

    def labelled(self, label: str, text: str | None, missing: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.add_run(f"{label}. ").bold = True
        if text and text.strip():
            paragraph.add_run(" ".join(text.split()))
        else:
            paragraph.add_run(missing).italic = True

    def table(self, table: Table) -> None:
        if not table.rows:
            self.placeholder(table.empty)
            return
        self.tables += 1
        add_docx_table(self.document, table, self.tables)

    def figure(self, image: Path, caption: str, own_page: bool = False) -> None:
        """A picture at its drawn size (its pixels at its dpi) when that fits the text width,
        else the text width, then numbered and captioned."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.image.image import Image
        from docx.shared import Emu, Inches

        self.figures += 1
        size = Image.from_file(str(image))
        width = min(text_width(self.document), Inches(size.px_width / (size.horz_dpi or 72)))
        height = int(width * size.px_height / size.px_width)
        page = self.document.sections[-1]
        # The page's text height less room for the caption (all of it on a page of its own, else
        # never taller than 7.5 inches).
        room = page.page_height - page.top_margin - page.bottom_margin
        tallest = (
            room - Inches(CAPTION_ROOM_INCHES) if own_page else min(Inches(MAX_FIGURE_HEIGHT_INCHES), room - Inches(1))
        )
        if height > tallest:
            width, height = int(width * tallest / height), tallest
        self.document.add_picture(str(image), width=Emu(width), height=Emu(height))
        picture = self.document.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        add_caption(self.document, "Figure", self.figures, caption, keep_with_next=False)

    def quote(self, quote: Quote) -> None:
        """An extract as a block quotation ending with its attribution, '(P6)'. A passage coded
        from mid-sentence gets an ellipsis, so readers see that words were left out."""
        paragraph = self.styled("Quote")
        lines = quotation_lines(quote.text)
        for i, line in enumerate(lines):
            run = paragraph.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
        paragraph.add_run(f" ({quote.source})").italic = False

    def heading(self, text: str, level: int, new_page: bool = False) -> Any:
        heading = self.document.add_heading(typographic(text), level)
        if new_page:
            heading.paragraph_format.page_break_before = True
        return heading

    # -- the report's parts ---------------------------------------------------------------

    def front_matter(self, content: ReportContent) -> None:
        self.paragraph(typographic(content.title), "Title")
        self.paragraph(typographic(content.subtitle), "Subtitle")
        if content.missing:
            self.paragraph("This report is incomplete. The project has:")
            for item in content.missing:
                # What is missing, without the command that adds it (the terminal gives that):
                # the body of a paper draft has no shell commands.
                self.paragraph(item.split(":", 1)[0], "List Bullet")

    def data_and_analysis(self, content: ReportContent) -> None:
        self.heading("Data and analysis", 1)
        for text in content.summary:
            self.paragraph(text)
        if content.participants is not None and content.participants.rows:
            self.paragraph(f"Table {self.tables + 1} describes the participants.")
            self.table(content.participants)

    def themes(self, content: ReportContent) -> None:
        """The results: an opening paragraph, the overview table, then a section per theme;
        the map follows as a figure on a page of its own (drawn by `render_report`)."""
        self.heading("Themes", 1)
        if content.opening:
            self.paragraph(content.opening)
        self.paragraph(content.themes_note)
        if content.themes_table is not None:
            intro = f"Table {self.tables + 1} lists the themes with their subthemes"
            if content.map_image is not None:
                intro += f"; Figure {self.figures + 1} shows how they relate"
            self.paragraph(intro + ".")
            self.table(content.themes_table)
        for section in content.themes:
            self.theme(section, 2, content)

    def theme(self, section: ThemeSection, level: int, content: ReportContent) -> None:
        self.heading(section.name, min(level, 4))
        if section.narrative is not None:
            self.narrative(section.narrative)
        else:
            self.unwritten_theme(section, content)
        for sub in section.subthemes:
            self.theme(sub, level + 1, content)

    def narrative(self, blocks: Sequence[NarrativeBlock]) -> None:
        """The authors' analysis: paragraphs, lists and extracts in the order written."""
        for block in blocks:
            if block.kind == "quote" and block.quote is not None:
                self.quote(block.quote)
                continue
            style = {"bullet": "List Bullet", "number": "List Number"}.get(block.kind)
            paragraph = self.styled(style)
            for run in block.runs:
                added = paragraph.add_run(run.text)
                if run.bold:
                    added.bold = True
                if run.italic or block.kind == "gap":
                    added.italic = True

    def unwritten_theme(self, section: ThemeSection, content: ReportContent) -> None:
        """Today's section for a theme without a narrative: what the project knows of it."""
        self.placeholder("[analysis to be written]")
        self.labelled("Definition", section.definition, "[definition to be written]")
        self.labelled("Central organising concept", section.concept, "[central organising concept to be written]")
        about = []
        if section.extracts:  # none: the placeholder below says so
            about.append(extracts_phrase(section, content))
        if section.codes:
            about.append(f"codes: {', '.join(section.codes)}")
        if section.status != "final":
            about.append(f"status: {section.status}")
        if section.subthemes:
            about.append(f"subthemes: {'; '.join(sub.name for sub in section.subthemes)}")
        if about:
            self.document.add_paragraph().add_run(_sentence("; ".join(about))).italic = True
        for quote in section.quotes:
            self.quote(quote)
        if not section.extracts:
            has_codes = section.codes or any(sub.codes for sub in section.subthemes)
            self.placeholder(
                "[No extracts: none of this theme's codes has coded passages yet.]"
                if has_codes
                else "[No extracts: no codes are assigned to this theme yet.]"
            )
        elif section.quotes and not section.quotes_chosen:
            self.placeholder("[Extracts picked by the report, spread over participants, until the authors choose.]")

    def map_page(self, image: Path, caption: str) -> bool:
        """The thematic map as a figure on a page of its own, turned landscape when the drawing
        is wider than an upright page's text (it was laid out for one or the other, map_pages);
        returns whether the page is landscape."""
        from docx.enum.section import WD_SECTION
        from docx.image.image import Image
        from docx.shared import Inches

        size = Image.from_file(str(image))
        upright = self.document.sections[-1]
        upright_width = min(upright.page_width, upright.page_height) - 2 * Inches(MARGIN_INCHES)
        wide = Inches(size.px_width / (size.horz_dpi or 72)) > upright_width + Inches(0.01)
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        set_landscape(section, wide)
        self.figure(image, caption, own_page=True)
        return wide

    def appendix(self, letter: str, key: str, new_page: bool = True) -> None:
        self.heading(f"Appendix {letter}. {APPENDIX_TITLES[key]}", 1, new_page=new_page)

    def agreement(self, appendix: AgreementAppendix) -> None:
        for text in appendix.paragraphs:
            self.paragraph(text)
        for table in appendix.tables:
            self.table(table)

    def journal(self, entries: Sequence[dict[str, Any]]) -> None:

        if not entries:
            self.paragraph("The journal has no entries yet (reflexive, decision and phase memos appear here).")
        for entry in entries:
            header = self.document.add_paragraph()
            header.paragraph_format.keep_with_next = True
            header.paragraph_format.space_before = _points(10)
            kind = JOURNAL_KIND_LABELS.get(entry["kind"], entry["kind"])
            header.add_run(f"{long_date(entry['at'])} · {entry['analyst'] or 'unknown analyst'} · {kind}").bold = True
            about = f" — phase {entry['phase']} ({entry['phase_name']})"
            if entry.get("target"):
                about += f", on {_target(entry['target'])}"
            header.add_run(about).italic = True
            for block in re.split(r"\n\s*\n", entry["text"].strip()):
                text = " ".join(block.split())
                # A phase change without a memo carries qualcode's own note ('project created'),
                # not the analyst's words, so it may be set as a sentence.
                self.paragraph(text if entry.get("memo_id") else _sentence(text))


def quotation_lines(text: str) -> list[str]:
    """An extract's lines, whitespace evened, with "…" where it starts or stops mid-sentence."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()] or [""]
    if lines[0][:1].islower():
        lines[0] = "…" + lines[0]
    if lines[-1] and lines[-1][-1] not in SENTENCE_ENDS:
        lines[-1] += "…"
    return lines


def extracts_phrase(section: ThemeSection, content: ReportContent) -> str:
    """How much of the data set a theme draws on: numbers only when the report gives counts."""
    total = content.participants_total
    if content.counts:
        extracts = f"{section.extracts:,} extract{'s' if section.extracts != 1 else ''}"
        return f"{extracts} from {section.participants:,} of {total:,} participant{'s' if total != 1 else ''}"
    if section.participants * 2 >= total:
        return "extracts from across the data set"
    return "extracts from a few participants" if section.participants > 1 else "extracts from one participant"


def map_pages(paper: str) -> list[tuple[float, float]]:
    """The room (width, height in inches) the map's page gives its figure, upright then on its
    side: the text area less the caption, as `map_page` places it. The figure is laid out at
    this size (map_figure), so it prints at the size it was drawn."""
    from qualcode.exporters.table_docx import PAPER_MM

    width, height = (mm / 25.4 - 2 * MARGIN_INCHES for mm in PAPER_MM[paper])
    return [(width, height - CAPTION_ROOM_INCHES), (height, width - CAPTION_ROOM_INCHES)]


def _target(target: str) -> str:
    """A memo's target as the journal shows it: 'theme:Repair' -> "the theme ‘Repair’"."""
    kind, _, name = target.partition(":")
    if kind == "coding":
        return f"coding {name}"
    return f"the {kind} ‘{name}’" if name else target


def _points(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def add_text_with_commands(paragraph: Any, text: str) -> None:
    """Text in which `backticked` commands are set in a monospaced font."""
    for i, part in enumerate(text.split("`")):
        if not part:
            continue
        run = paragraph.add_run(part)
        if i % 2:
            run.font.name = "Consolas"


def add_page_numbers(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(footer, "PAGE", "1")


def _appendices(content: ReportContent, writer: ReportWriter) -> list[tuple[str, bool, Callable[[], None]]]:
    """(name, wants landscape pages, draw) of each appendix asked for, in print order. Tables
    with many or long columns (codebook, agreement) get landscape pages."""
    found: list[tuple[str, bool, Callable[[], None]]] = []
    if content.codebook is not None:
        codebook = content.codebook
        found.append(("codebook", True, lambda: writer.table(codebook)))
    if content.agreement is not None:
        agreement = content.agreement
        found.append(("agreement", bool(agreement.tables), lambda: writer.agreement(agreement)))
    if content.journal is not None:
        journal = content.journal
        found.append(("journal", False, lambda: writer.journal(journal)))
    if content.audit is not None:
        audit = content.audit
        found.append(("audit", False, lambda: writer.table(audit)))  # two columns: when, what was done
    return found


def render_report(content: ReportContent, path: Path) -> None:
    from docx.enum.section import WD_SECTION
    from docx.shared import Inches

    document = new_document(content.title, content.authors, paper=content.paper)
    document.core_properties.created = content.created.replace(microsecond=0)
    # Extracts are block quotations: indented on both sides (set on the Quote style itself, so
    # restyling in Word changes them all).
    quote_format = document.styles["Quote"].paragraph_format
    quote_format.left_indent = quote_format.right_indent = Inches(BLOCK_QUOTE_INDENT_INCHES)
    add_page_numbers(document.sections[0])
    writer = ReportWriter(document)
    writer.front_matter(content)
    writer.data_and_analysis(content)
    writer.themes(content)
    landscape = False
    if content.map_image is not None:
        landscape = writer.map_page(content.map_image, content.map_caption)
    for letter, (key, wide, draw) in zip("ABCDEFGH", _appendices(content, writer)):
        if wide != landscape:
            set_landscape(document.add_section(WD_SECTION.NEW_PAGE), wide)
            landscape = wide
            writer.appendix(letter, key, new_page=False)
        else:
            writer.appendix(letter, key)
        draw()
    document.save(str(path))


def render_results(content: ReportContent, path: Path) -> None:
    """The results section alone (`qualcode export results --format docx`): the opening, the
    overview table, a section per theme and the map as the figure after them."""
    from docx.shared import Inches

    document = new_document(content.title, content.authors, paper=content.paper)
    quote_format = document.styles["Quote"].paragraph_format
    quote_format.left_indent = quote_format.right_indent = Inches(BLOCK_QUOTE_INDENT_INCHES)
    add_page_numbers(document.sections[0])
    writer = ReportWriter(document)
    writer.themes(content)
    if content.map_image is not None:
        writer.map_page(content.map_image, content.map_caption)
    document.save(str(path))


def save_journal_docx(entries: Sequence[dict[str, Any]], path: Path, title: str, authors: Sequence[str]) -> None:
    """The reflexive journal on its own, for `qualcode export journal --format docx`."""
    document = new_document(title, authors)
    add_page_numbers(document.sections[0])
    writer = ReportWriter(document)
    writer.paragraph(title, "Title")
    writer.journal(entries)
    document.save(str(path))
