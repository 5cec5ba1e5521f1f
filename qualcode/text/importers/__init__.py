"""Reading interview transcripts in the formats researchers bring them in.

Every format becomes the same ParsedTranscript (speaker turns, a preamble, warnings); laying the
turns out as stored text is qualcode.text.transcripts' job. One module per format family:
plaintext (text, Markdown), autotranscript (Otter, Zoom, Teams exports), docx_transcript (Word),
captions (WebVTT, SubRip); encoding and speakers hold what they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import ImportFormatError, InvalidInput
from qualcode.input_limits import MAX_TRANSCRIPT_BYTES, read_input_file
from qualcode.text.importers.autotranscript import export_format, find_layout, parse_export
from qualcode.text.importers.base import ParsedTranscript, ParsedTurn, SourceLine, normalise_text
from qualcode.text.importers.captions import caption_format, parse_srt, parse_vtt
from qualcode.text.importers.docx_container import OLE_MAGIC, ZIP_MAGIC
from qualcode.text.importers.docx_transcript import read_docx
from qualcode.text.importers.encoding import decode_bytes, encoding_warning
from qualcode.text.importers.plaintext import parse_lines, parse_markdown, parse_text

__all__ = [
    "FORMATS",
    "READABLE_SUFFIXES",
    "REFUSED_SUFFIXES",
    "ParsedTranscript",
    "ParsedTurn",
    "detect_format",
    "parse_file",
]

FORMATS: tuple[str, ...] = ("auto", "text", "markdown", "otter", "zoom", "teams", "docx", "vtt", "srt")
_EXPORTS = ("otter", "zoom", "teams")
_DOCX_SUFFIXES = (".docx", ".docm", ".dotx")
_UNSUPPORTED = {
    ".doc": "an old Word .doc file; open it in Word and save it as .docx",
    ".rtf": "a Rich Text file; open it in Word and save it as .docx",
    ".odt": "an OpenDocument file; save it as .docx from LibreOffice or Word",
    ".pages": "a Pages file; export it as Word (.docx)",
    ".pdf": "a PDF; export the transcript as .docx or .txt from where it was made",
}
# What a folder given to `transcript import` is searched for: files read as transcripts, and files
# that look like transcripts in a form that is refused with advice on converting them.
READABLE_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".md", ".markdown", *_DOCX_SUFFIXES, ".vtt", ".srt")
REFUSED_SUFFIXES: tuple[str, ...] = tuple(_UNSUPPORTED)


@dataclass
class _TextFile:
    name: str  # the path as given, for messages
    suffix: str
    text: str
    encoding: str


@dataclass
class _WordFile:
    name: str
    lines: list[SourceLine]
    warnings: list[str]


def detect_format(path: Path) -> str:
    """The format parse_file would read the file as: by extension, then by what the content looks like."""
    return _detect(_read(Path(path)))


def parse_file(path: Path, format: str | None = None) -> ParsedTranscript:
    """Read one transcript file; format None or "auto" detects it. Raises ImportFormatError."""
    requested = (format or "auto").lower()
    if requested not in FORMATS:
        raise ImportFormatError(f"unknown transcript format '{format}'; use one of: {', '.join(FORMATS)}")
    source = _read(Path(path))
    parsed = _parse(source, _detect(source) if requested == "auto" else requested)
    if not parsed.turns:
        raise ImportFormatError(f"{source.name}: no transcript text found (only headings or front matter)")
    if isinstance(source, _TextFile):
        parsed.encoding = source.encoding
        if warning := encoding_warning(source.encoding):
            parsed.warnings.insert(0, warning)
    else:
        parsed.warnings[:0] = source.warnings
    return parsed


def _read(path: Path) -> _TextFile | _WordFile:
    name, suffix = str(path), path.suffix.lower()
    if path.is_dir():
        raise ImportFormatError(f"{name}: a folder, not a transcript file")
    if not path.exists():
        raise ImportFormatError(f"{name}: no such file")
    if suffix in _UNSUPPORTED:
        raise ImportFormatError(f"{name}: {_UNSUPPORTED[suffix]}")
    try:
        data = read_input_file(path, MAX_TRANSCRIPT_BYTES, "transcript file")
    except InvalidInput as error:
        raise ImportFormatError(str(error)) from None
    except OSError as error:
        raise ImportFormatError(f"{name}: cannot be read ({error.strerror or error})") from None
    if suffix in _DOCX_SUFFIXES or data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return _WordFile(name, *read_docx(data, name))
    text, encoding = decode_bytes(data, name)
    return _TextFile(name, suffix, text, encoding)


def _detect(source: _TextFile | _WordFile) -> str:
    if isinstance(source, _WordFile):
        texts = [line.text for line in source.lines]
        layout = find_layout(texts)
        return export_format(texts, layout, from_docx=True) if layout else "docx"
    if source.suffix in (".vtt", ".srt"):
        return source.suffix[1:]
    if captions := caption_format(source.text):
        return captions
    if source.suffix in (".md", ".markdown"):
        return "markdown"
    lines = normalise_text(source.text).split("\n")
    layout = find_layout(lines)
    return export_format(lines, layout, from_docx=False) if layout else "text"


def _parse(source: _TextFile | _WordFile, fmt: str) -> ParsedTranscript:
    if isinstance(source, _WordFile):
        if fmt in ("vtt", "srt"):
            raise ImportFormatError(f"{source.name}: a Word document, not {fmt} captions; use --format auto")
        if fmt in _EXPORTS:
            return parse_export([line.text for line in source.lines], fmt, source.name)
        return parse_lines(source.lines, "docx")
    if fmt == "docx":
        raise ImportFormatError(f"{source.name}: a text file, not a Word .docx document; use --format auto")
    if fmt in _EXPORTS:
        return parse_export(normalise_text(source.text).split("\n"), fmt, source.name)
    if fmt == "markdown":
        return parse_markdown(source.text)
    if fmt == "vtt":
        return parse_vtt(source.text, source.name)
    if fmt == "srt":
        return parse_srt(source.text, source.name)
    return parse_text(source.text)
