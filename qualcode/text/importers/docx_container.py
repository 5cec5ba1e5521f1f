"""Checking a .docx before python-docx opens it: a Word file is a zip from elsewhere.

python-docx reads every part of the package into memory and parses the XML parts whole, so a
small zip that expands to gigabytes (a zip bomb), or to one enormous document.xml, would take
all memory and minutes. As for .qdpx archives (qualcode/exchange/refi/archive.py), the bytes
actually decompressed are counted, since a declared size can lie; here the limits are those of a
transcript, and the parts are read in chunks so the check itself stays small. XML parts may not
declare entities: Word never writes a DOCTYPE, and python-docx would drop the entity's words
silently rather than expand them (an XXE attempt, or a file mangled by another program).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from qualcode.errors import ImportFormatError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .doc, and password-protected .docx
MAX_ENTRIES = 10_000
# A long interview's document.xml is a few megabytes; pictures make the whole package larger.
MAX_XML_PART_BYTES = 32 * 1024**2
MAX_TOTAL_BYTES = 256 * 1024**2
# Reading costs per paragraph (about 35 µs each), and a few bytes make one: "<w:p/>" is six, so a
# 200 KB zip could hold millions and take minutes. A book-length transcript has some thousands.
MAX_PARAGRAPHS = 50_000
MAX_ELEMENTS = 2_000_000
_PARAGRAPH = re.compile(rb"<(?:[\w.-]+:)?p[\s/>]")
_CHUNK = 1024**2
_XML_SUFFIXES = (".xml", ".rels")
_ENTITY_MARKS = (b"<!DOCTYPE", b"<!ENTITY")


def check_docx_container(data: bytes, source: str) -> None:
    """Raise ImportFormatError unless `data` is a Word package within a transcript's limits."""
    if not data:
        raise ImportFormatError(f"{source}: the file is empty")
    if data.startswith(OLE_MAGIC):
        raise ImportFormatError(
            f"{source}: an old Word .doc file or a password-protected document; "
            "open it in Word and save it as .docx without a password"
        )
    if not data.startswith(ZIP_MAGIC):
        raise not_a_word_file(data, source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError):
        raise damaged(source) from None
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_ENTRIES:
            raise ImportFormatError(f"{source}: {len(infos):,} parts, more than a Word document has; refused as unsafe")
        if "word/document.xml" not in {info.filename for info in infos}:
            raise ImportFormatError(
                f"{source}: a zip file but not a Word document; open it in Word and save it as .docx"
            )
        counts = _Counts()
        for info in infos:
            _check_part(archive, info, source, counts)


class _Counts:
    """What the parts read so far add up to."""

    def __init__(self) -> None:
        self.bytes = self.paragraphs = self.elements = 0

    def add_xml(self, chunk: bytes, source: str, part: str) -> None:
        self.paragraphs += len(_PARAGRAPH.findall(chunk))
        self.elements += chunk.count(b"<") - chunk.count(b"</")
        if self.paragraphs > MAX_PARAGRAPHS or self.elements > MAX_ELEMENTS:
            raise ImportFormatError(
                f"{source}: {part} holds more than {MAX_PARAGRAPHS:,} paragraphs or {MAX_ELEMENTS:,} XML "
                "elements, far more than a transcript; refused as unsafe"
            )


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, counts: _Counts) -> None:
    """Decompress one part in chunks, holding it and the whole package to their limits."""
    remaining = MAX_TOTAL_BYTES - counts.bytes
    if info.flag_bits & 0x1:
        raise ImportFormatError(f"{source}: a password-protected document; save it from Word without a password")
    is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
    limit = min(remaining, MAX_XML_PART_BYTES) if is_xml else remaining
    size, tail = 0, b""
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_large(source, info.filename, limit, is_xml)
                if is_xml:
                    counts.add_xml(chunk, source, info.filename)
                    window = tail + chunk
                    if any(mark in window for mark in _ENTITY_MARKS):
                        raise ImportFormatError(
                            f"{source}: {info.filename} declares XML entities (a DOCTYPE), which Word never "
                            "writes and qualcode refuses to expand, so its words cannot be read; "
                            "re-save the document from Word"
                        )
                    tail = chunk[-16:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise damaged(source) from None
    except NotImplementedError:
        raise ImportFormatError(f"{source}: uses a zip compression Word does not write; re-save it from Word") from None
    counts.bytes += size


def _too_large(source: str, part: str, limit: int, is_xml: bool) -> ImportFormatError:
    what = f"its part {part}" if is_xml else "it"
    return ImportFormatError(
        f"{source}: {what} expands to more than {limit / 1024**2:,.0f} MB, far more than a transcript; "
        "refused as unsafe"
    )


def damaged(source: str) -> ImportFormatError:
    return ImportFormatError(
        f"{source}: not a valid .docx file (the zip is damaged); re-save it from Word or export as .txt"
    )


def not_a_word_file(data: bytes, source: str) -> ImportFormatError:
    """A file named .docx that is no zip at all: most often text saved under the wrong name."""
    head = data[:4096]
    try:
        head.decode("utf-8")
        looks_like_text = b"\x00" not in head
    except UnicodeDecodeError:
        looks_like_text = False
    if looks_like_text:
        return ImportFormatError(
            f"{source}: not a Word file but plain text (a .txt renamed .docx?); rename it to .txt and import it"
        )
    return ImportFormatError(f"{source}: not a Word file (a .docx is a zip archive, and this is not one)")
