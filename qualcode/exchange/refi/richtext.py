"""The plain text of a rich-text source (.docx) that an exporter packed without its .txt.

Positions in the project file were counted on the exporter's own plain text, which is the
document's paragraphs one per line. Every paragraph counts, empty ones included, and paragraphs
are joined by CRLF so that positions counting a paragraph end as one character and as two can
both be tried (see positions.py).
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import Element

from qualcode.errors import ImportFormatError
from qualcode.exchange.refi.xmlread import parse_xml

_BODY_TAGS = {"t": None, "tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}
_SKIPPED = {"del", "moveFrom", "txbxContent", "instrText"}


def docx_plain_text(data: bytes, label: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if package.getinfo("word/document.xml").file_size > 200 * 1024**2:
                raise ImportFormatError(f"{label}: the Word document is too large to read")
            document = package.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        raise ImportFormatError(f"{label}: not a readable .docx file") from None
    paragraphs: list[str] = []
    _collect(parse_xml(document, label), paragraphs)
    return "\r\n".join(paragraphs)


def _collect(element: Element, paragraphs: list[str]) -> None:
    """Paragraphs in reading order (tables' cells included, text boxes and deletions not)."""
    for node in element:
        if node.tag == "p":
            pieces: list[str] = []
            _runs(node, pieces)
            paragraphs.append("".join(pieces))
        elif node.tag not in _SKIPPED:
            _collect(node, paragraphs)


def _runs(element: Element, pieces: list[str]) -> None:
    for node in element:
        if node.tag in _SKIPPED:
            continue
        if node.tag in _BODY_TAGS:
            replacement = _BODY_TAGS[node.tag]
            pieces.append((node.text or "") if replacement is None else replacement)
        else:
            _runs(node, pieces)
