"""Word (.docx) transcripts reduced to SourceLines: paragraphs, bold labels, and speaker/text tables.

Paragraph text is read from the XML runs rather than python-docx's Paragraph.text so that text
inside tracked insertions counts and tracked deletions do not, and so bold runs can be seen.
A paragraph's manual line breaks split it into lines (Teams writes "Name   0:03", a break,
then the words, in one paragraph). The lines then go to the plain-text or export parser.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from qualcode.errors import ImportFormatError
from qualcode.text.importers.base import SourceLine, normalise_text, parse_timestamp
from qualcode.text.importers.docx_container import check_docx_container, damaged
from qualcode.text.importers.speakers import is_known_label
from qualcode.wording import counted

_HEADING_STYLE = re.compile(r"^(?:heading \d|title|subtitle)$", re.IGNORECASE)
_TABLE_HEADER_WORDS = {
    "speaker", "name", "who", "text", "transcript", "transcription", "utterance", "dialogue", "content",
    "speech", "time", "timestamp", "start", "timecode", "timespan",
}  # fmt: skip
_MAIN_COLUMN_SHARE = 2 / 3
_CELL_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
# "00:01:23", "[01:23]", or a span as NVivo writes it, "0:12.4 - 0:40.9" (the start dates the turn)
_TIME_CELL = re.compile(rf"^[\[(]?(?P<start>{_CELL_TIME})(?:\s*[-–]\s*{_CELL_TIME})?[\])]?$")


def read_docx(data: bytes, source: str) -> tuple[list[SourceLine], list[str]]:
    """The document's lines in reading order, tables included, and warnings about what was left out.

    Raises ImportFormatError if the file is not a readable Word document or has no text.
    """
    check_docx_container(data, source)
    import docx  # imported here: loading python-docx and lxml costs the CLI's start-up time
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, XMLSyntaxError):
        raise damaged(source) from None
    except (PackageNotFoundError, KeyError, ValueError):
        raise ImportFormatError(
            f"{source}: a zip file but not a Word document; open it in Word and save it as .docx"
        ) from None
    from docx.oxml.ns import qn

    heading_styles = {s.style_id for s in document.styles if s.name and _HEADING_STYLE.match(s.name)}
    reader = _Reader(qn, heading_styles)
    lines = list(reader.block_lines(document.element.body))
    if not any(line.text.strip() for line in lines):
        raise ImportFormatError(f"{source}: the document contains no text")
    return lines, reader.warnings


class _Reader:
    """Walks the document body; holds the namespace helper and which styles are headings."""

    def __init__(self, qn: Any, heading_styles: set[str]) -> None:
        self.qn = qn
        self.heading_styles = heading_styles
        self.warnings: list[str] = []

    def block_lines(self, container: Any) -> Iterator[SourceLine]:
        for child in container.iterchildren():
            if child.tag == self.qn("w:p"):
                yield from self.paragraph_lines(child)
            elif child.tag == self.qn("w:tbl"):
                yield from self.table_lines(child)
            elif child.tag == self.qn("w:sdt"):  # a content control wrapping paragraphs
                for content in child.iterchildren(self.qn("w:sdtContent")):
                    yield from self.block_lines(content)

    def paragraph_lines(self, paragraph: Any) -> Iterator[SourceLine]:
        pieces = list(self._runs(paragraph))
        text = normalise_text("".join(text for text, _ in pieces)).replace("\n\n", "\n")
        if not text.strip():
            return
        bold = normalise_text(_bold_prefix(pieces))
        heading = self._style(paragraph) in self.heading_styles
        first = True
        for line in text.split("\n"):
            if line.strip():
                emphasis = bold.split("\n")[0].strip() if first and bold else None
                yield SourceLine(line.strip(), new_paragraph=first, emphasis=emphasis, heading=heading)
                first = False

    def _runs(self, paragraph: Any) -> Iterator[tuple[str, bool]]:
        """(text, bold) per run; tracked deletions, moved-away text and text boxes left out."""
        runs = paragraph.xpath(
            ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"
        )
        for run in runs:
            bold = self._is_bold(run)
            for child in run.iterchildren():
                if child.tag == self.qn("w:t"):
                    yield child.text or "", bold
                elif child.tag == self.qn("w:tab"):
                    yield "\t", bold
                elif child.tag in (self.qn("w:br"), self.qn("w:cr")):
                    yield "\n", bold
                elif child.tag == self.qn("w:noBreakHyphen"):
                    yield "-", bold

    def _is_bold(self, run: Any) -> bool:
        properties = run.find(self.qn("w:rPr"))
        if properties is None:
            return False
        bold = properties.find(self.qn("w:b"))
        if bold is not None and bold.get(self.qn("w:val"), "true").lower() not in ("0", "false", "off"):
            return True
        style = properties.find(self.qn("w:rStyle"))
        style_id = (style.get(self.qn("w:val"), "") if style is not None else "").lower()
        return "strong" in style_id or "bold" in style_id

    def _style(self, paragraph: Any) -> str | None:
        properties = paragraph.find(self.qn("w:pPr"))
        style = properties.find(self.qn("w:pStyle")) if properties is not None else None
        return style.get(self.qn("w:val")) if style is not None else None

    def table_lines(self, table: Any) -> Iterator[SourceLine]:
        """A speaker | text (or time | speaker | text) table gives one line per row with its speaker."""
        rows = [
            [list(self.block_lines(cell)) for cell in row.iterchildren(self.qn("w:tc"))]
            for row in table.iterchildren(self.qn("w:tr"))
        ]
        texts = [[" ".join(line.text for line in cell) for cell in row] for row in rows]
        columns = _transcript_columns(texts)
        if columns is None:
            yield from self._other_table_lines(rows, texts)
            return
        speaker_column, text_column, time_column = columns
        for number, (row, row_texts) in enumerate(zip(rows, texts)):
            if (number == 0 and _is_header_row(row_texts)) or text_column >= len(row):
                continue
            speaker = _cell(row_texts, speaker_column).strip(" *:") or None
            time = _cell(row_texts, time_column) if time_column is not None else ""
            timestamp = parse_timestamp(found["start"]) if (found := _TIME_CELL.match(time.strip())) else None
            words = row[text_column]
            if speaker and not words:
                words = [SourceLine("")]
            for index, line in enumerate(words):
                if index == 0:
                    yield SourceLine(line.text, speaker=speaker, timestamp=timestamp)
                else:
                    yield line

    def _other_table_lines(self, rows: list[list[list[SourceLine]]], texts: list[list[str]]) -> Iterator[SourceLine]:
        """A table that is not speaker | text. If one column holds most of the words it is the
        transcript (beside line numbers, notes or codes); otherwise each row is one line, "a | b"."""
        width = max((len(row) for row in texts), default=0)
        totals = [sum(len(_cell(row, i)) for row in texts) for i in range(width)]
        main = max(range(width), key=totals.__getitem__, default=0)
        if width <= 1 or totals[main] >= _MAIN_COLUMN_SHARE * sum(totals):
            beside = [
                c for row in texts for i, c in enumerate(row) if i != main and c.strip() and not c.strip().isdigit()
            ]
            if beside:
                self.warnings.append(
                    f"left out {counted(len(beside), 'table cell')} beside the transcript column (notes or codes)"
                )
            yield from (line for row in rows if main < len(row) for line in row[main])
        else:
            yield from (
                SourceLine(" | ".join(cells)) for row in texts if (cells := [c.strip() for c in row if c.strip()])
            )


def _bold_prefix(pieces: list[tuple[str, bool]]) -> str:
    prefix = ""
    for text, bold in pieces:
        if bold:
            prefix += text
        elif prefix or text.strip():
            break
    return prefix


def _cell(row: list[str], column: int | None) -> str:
    return row[column] if column is not None and column < len(row) else ""


def _is_header_row(cells: list[str]) -> bool:
    words = [c.strip().strip(":").casefold() for c in cells]
    return all(len(w) <= 30 for w in words) and any(w in _TABLE_HEADER_WORDS for w in words)


def _transcript_columns(rows: list[list[str]]) -> tuple[int, int, int | None] | None:
    """(speaker, text, time) column numbers if the table is a transcript, else None.

    The time column holds times; the text column has the longest cells; the speaker column has
    short cells that repeat (or are known roles), which a key | value details table does not.
    """
    body = rows[1:] if rows and _is_header_row(rows[0]) else rows
    width = max((len(row) for row in body), default=0)
    if width < 2:
        return None
    columns = [[_cell(row, i).strip() for row in body] for i in range(width)]
    time_column = next(
        (i for i, values in enumerate(columns) if (filled := [v for v in values if v])
         and sum(1 for v in filled if _TIME_CELL.match(v)) >= 0.8 * len(filled)),
        None,
    )  # fmt: skip
    others = [i for i in range(width) if i != time_column and any(columns[i])]
    if len(others) < 2:
        return None
    text_column = max(others, key=lambda i: sum(len(v) for v in columns[i]) / len(body))
    for i in others:
        names = [v.strip(" *:") for v in columns[i] if v]
        if i == text_column or not names or max(len(n) for n in names) > 60:
            continue
        repeats = len({n.casefold() for n in names}) < len(names)
        if repeats or all(is_known_label(n) for n in names):
            return i, text_column, time_column
    return None
