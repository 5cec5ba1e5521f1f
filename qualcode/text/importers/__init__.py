"""Reading interview transcripts in the formats researchers bring them in.

Every format becomes the same ParsedTranscript (speaker turns, a preamble, warnings); laying the
turns out as stored text is qualcode.text.transcripts' job. One module per format family:
plaintext (text, Markdown), autotranscript (Otter, Zoom, Teams exports), docx_transcript (Word),
captions (WebVTT, SubRip); encoding and speakers hold what they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from qualcode.errors import ImportFormatError, InvalidInput
from qualcode.input_limits import MAX_TRANSCRIPT_BYTES, read_input_file
from qualcode.text.importers.autotranscript import export_format, find_layout, parse_export
from qualcode.text.importers.base import (
    AS_FOUND,
    ParsedTranscript,
    ParsedTurn,
    SourceLine,
    SpeakerChoice,
    decode_references,
    no_such_speakers,
    normalise_text,
)
from qualcode.text.importers.captions import caption_format, parse_srt, parse_vtt
from qualcode.text.importers.docx_container import OLE_MAGIC, ZIP_MAGIC
from qualcode.text.importers.docx_transcript import read_docx
from qualcode.text.importers.encoding import decode_bytes, encoding_warning
from qualcode.text.importers.plaintext import markdown_lines, parse_lines, parse_markdown, parse_text
from qualcode.text.importers.tools import detect_tool

__all__ = [
    "AS_FOUND",
    "FORMATS",
    "READABLE_SUFFIXES",
    "REFUSED_SUFFIXES",
    "ParsedTranscript",
    "ParsedTurn",
    "SpeakerChoice",
    "detect_format",
    "parse_file",
]

FORMATS: tuple[str, ...] = ("auto", "text", "markdown", "otter", "zoom", "teams", "rev", "docx", "vtt", "srt")
_EXPORTS = ("otter", "zoom", "teams", "rev")
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
    _normalised: str | None = field(default=None, repr=False)

    @property
    def normalised(self) -> str:
        """The text as every importer but the caption reader takes it: character references
        decoded, then normalised; worked out once, as the format is detected."""
        if self._normalised is None:
            self._normalised = normalise_text(decode_references(self.text))
        return self._normalised


@dataclass
class _WordFile:
    name: str
    lines: list[SourceLine]
    warnings: list[str]


def detect_format(path: Path) -> str:
    """The format parse_file would read the file as: by extension, then by what the content looks like."""
    return _detect(_read(Path(path)))


def parse_file(path: Path, format: str | None = None, choice: SpeakerChoice = AS_FOUND) -> ParsedTranscript:
    """Read one transcript file; format None or "auto" detects it. Raises ImportFormatError.

    choice: speaker labels as the user decided them (`--speakers`, `--no-speakers`), for the rare
    file the rules misread.
    """
    requested = (format or "auto").lower()
    if requested not in FORMATS:
        raise ImportFormatError(f"unknown transcript format '{format}'; use one of: {', '.join(FORMATS)}")
    if choice.only and choice.none:
        raise InvalidInput("--speakers and --no-speakers contradict each other; give one of them")
    source = _read(Path(path))
    fmt = _detect(source) if requested == "auto" else requested
    parsed = _parse(source, fmt, choice)
    if choice.only:
        _check_speakers(source.name, parsed, choice)
    if not parsed.turns:
        raise ImportFormatError(f"{source.name}: no transcript text found (only headings or front matter)")
    if isinstance(source, _TextFile):
        parsed.encoding = source.encoding
        if warning := encoding_warning(source.encoding):
            parsed.warnings.insert(0, warning)
        text = source.normalised if fmt not in ("vtt", "srt") else normalise_text(source.text)
        parsed.tool = detect_tool(parsed.format, _edges(text))
    else:
        parsed.warnings[:0] = source.warnings
        parsed.tool = detect_tool(parsed.format, _edges("\n".join(line.text for line in source.lines)))
    return parsed


def _edges(text: str, size: int = 4_000) -> str:
    """The start and the end of a text, where tools leave their marks."""
    return text if len(text) <= 2 * size else f"{text[:size]}\n{text[-size:]}"


def _check_speakers(name: str, parsed: ParsedTranscript, choice: SpeakerChoice) -> None:
    """--speakers must name labels the file has: none found is an error, some missing a warning."""
    found = {" ".join(t.speaker.split()).casefold() for t in parsed.turns if t.speaker}
    missing = [label for key, label in choice.labels.items() if key not in found]
    if len(missing) == len(choice.labels):
        raise no_such_speakers(name, choice)
    if missing:
        parsed.warnings.append(
            "--speakers: " + ", ".join(f"'{label}'" for label in missing) + " opens no turn in this file"
        )


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
        if not layout:
            return "docx"
        joined = [not line.new_paragraph for line in source.lines]
        return export_format(texts, layout, from_docx=True, same_paragraph=joined)
    if source.suffix in (".vtt", ".srt"):
        return source.suffix[1:]
    if captions := caption_format(source.text):
        return captions
    if source.suffix in (".md", ".markdown"):
        lines = _markdown_texts(source)
        layout = find_layout(lines)
        return export_format(lines, layout, from_docx=False) if layout else "markdown"
    lines = _plain_texts(source)
    layout = find_layout(lines)
    return export_format(lines, layout, from_docx=False) if layout else "text"


def _markdown_texts(source: _TextFile) -> list[str]:
    """A Markdown file's lines as read, emphasis and headings marks gone ("**Jane Doe** 0:19")."""
    return [line.text for line in markdown_lines(source.normalised, normalised=True)[0]]


def _plain_texts(source: _TextFile) -> list[str]:
    """A text file's lines, with bold Markdown around a label gone ("**Jane Doe** 0:19")."""
    lines = source.normalised.split("\n")
    if "**" not in source.normalised and "__" not in source.normalised:
        return lines
    return [
        line.replace("**", "").replace("__", "") if line.lstrip().startswith(("**", "__")) else line for line in lines
    ]


def _parse(source: _TextFile | _WordFile, fmt: str, choice: SpeakerChoice) -> ParsedTranscript:
    if isinstance(source, _WordFile):
        if fmt in ("vtt", "srt"):
            raise ImportFormatError(f"{source.name}: a Word document, not {fmt} captions; use --format auto")
        if fmt in _EXPORTS:
            return parse_export([decode_references(line.text) for line in source.lines], fmt, source.name, choice)
        return parse_lines(
            [replace(line, text=decode_references(line.text)) for line in source.lines], "docx", choice=choice
        )
    if fmt == "docx":
        raise ImportFormatError(f"{source.name}: a text file, not a Word .docx document; use --format auto")
    if fmt in _EXPORTS:
        lines = _markdown_texts(source) if source.suffix in (".md", ".markdown") else _plain_texts(source)
        return parse_export(lines, fmt, source.name, choice)
    if fmt == "markdown":
        return parse_markdown(source.normalised, choice, normalised=True)
    if fmt == "vtt":
        return parse_vtt(source.text, source.name, choice)
    if fmt == "srt":
        return parse_srt(source.text, source.name, choice)
    return parse_text(source.normalised, choice, normalised=True)
