"""The parsed-transcript object every importer returns, and the small helpers they share."""

from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass, field

from qualcode.errors import ImportFormatError
from qualcode.text.normalise import normalise


@dataclass
class ParsedTurn:
    speaker: str | None  # label as written, cleaned ("Interviewer", "P1"); None if the source has no speakers
    text: str  # the words of the turn without the label; paragraphs within a turn joined by "\n"
    timestamp: float | None  # seconds from the start, when the source gives one


@dataclass
class ParsedTranscript:
    turns: list[ParsedTurn]
    format: str  # "text" | "markdown" | "otter" | "zoom" | "teams" | "rev" | "docx" | "vtt" | "srt"
    encoding: str | None  # the decoding used for text files; None for .docx
    preamble: str | None  # summary / keywords / headings skipped before the first turn, if any
    warnings: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # lines nobody said: tool banners, page headers, end marks
    tool: str | None = None  # the program that most likely wrote the file ("Otter", "Zoom"), when it shows
    interviewer_named: str | None = None  # who a details header names as the interviewer ("Ruth Bell")


@dataclass(frozen=True)
class SpeakerChoice:
    """What the user decided about speaker labels, for the rare file the rules misread:
    take exactly these labels (`--speakers "A,B"`), or none at all (`--no-speakers`)."""

    only: tuple[str, ...] = ()
    none: bool = False

    @property
    def labels(self) -> dict[str, str]:
        """The given labels, casefolded -> as given."""
        return {" ".join(label.split()).casefold(): " ".join(label.split()) for label in self.only}


AS_FOUND = SpeakerChoice()  # no choice made: the rules find the speakers


def no_such_speakers(source: str, choice: SpeakerChoice) -> ImportFormatError:
    """The error for `--speakers` labels of which none opens a turn in the file."""
    listed = ", ".join(f"'{label}'" for label in choice.labels.values())
    return ImportFormatError(
        f"{source}: no turn opens with any of the --speakers labels ({listed}); "
        "give them as they are written in the file, or leave out --speakers"
    )


@dataclass
class SourceLine:
    """One line of a text-like source, before speakers are found.

    Plain text, Markdown and .docx all reduce to these, so one parser finds speaker labels in all
    three. The optional fields carry what only some sources know.
    """

    text: str
    new_paragraph: bool = True  # False when the line continues a hard-wrapped paragraph
    emphasis: str | None = None  # leading bold text (a .docx bold run, Markdown **...**)
    speaker: str | None = None  # a speaker given by the layout itself (a table's speaker column)
    timestamp: float | None = None  # a time given by the layout itself (a table's time column)
    heading: bool = False  # a document heading: never speech


# Line breaks source files carry besides CR LF and CR (which normalise() turns into "\n"): Word's
# manual line break (vertical tab), page breaks, the Unicode line and paragraph separators, NEL.
_OTHER_LINE_BREAKS = re.compile(r"[\v\f\u2028\u2029\x85]")
# Non-breaking, narrow and figure spaces: Word and caption tools write them between words.
_ODD_SPACES = re.compile(r"[\u00a0\u202f\u2007]")
_BLANK_RUNS = re.compile(r"\n{3,}")
_INVISIBLE = re.compile("[\ufeff\u200b\u2060]")  # byte-order marks and zero-width spaces Word leaves behind


def normalise_text(text: str) -> str:
    """The stored form (NFC, "\\n" line ends) of a source file's text, cleaned of what only source
    files carry: invisible characters, other line breaks, odd spaces, trailing spaces, leading,
    trailing and repeated blank lines."""
    # Invisible characters go before NFC: one between a letter and its accent would keep them apart.
    text = normalise(_INVISIBLE.sub("", text))
    text = _ODD_SPACES.sub(" ", _OTHER_LINE_BREAKS.sub("\n", text))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def join_lines(lines: list[str]) -> str:
    """A turn's text from its lines: each stripped, blank ones dropped, joined by newlines."""
    return "\n".join(stripped for line in lines if (stripped := line.strip()))


# Lines a transcription tool adds that nobody said: Otter's footer, Teams' start and stop notes,
# Google Meet's closing line and note on accuracy, Rev's export note.
TOOL_BOILERPLATE = re.compile(
    r"^(?:Transcribed by https?://otter\.ai\S*"
    r"|.{1,80}\s(?:started|stopped) transcription"
    r"|(?:Meeting|Transcription|Recording) ended after \d{1,2}:\d{2}(?::\d{2})?\W*"
    r"|This editable transcript was computer generated\b.*"
    r"|This transcript was exported on .{1,60}\bview latest version here\.?)$",
    re.IGNORECASE,
)

# "&#39;", "&#x2019;", "&amp;": exactly the HTML and XML character references, each ending in ";".
# html.unescape would also turn "&not" in "&notes" into "¬", which a transcript never means.
_REFERENCE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));")


def decode_references(text: str) -> str:
    """The text with its character references decoded ("it&#39;s" -> "it's"); others left alone."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(_decoded, text)


def _decoded(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name:
        return html.entities.html5.get(f"{name};", match.group(0))
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return match.group(0)
    return chr(code)


TIME_PATTERN = r"\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?"
# f4 / f5transkript and MAXQDA mark times as "#00:01:23-4#" (the digit after the dash is tenths).
F4_TIME = r"#(?P<f4>\d{1,2}:\d{2}:\d{2}(?:-\d{1,3})?)#"
_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,-](\d{1,3}))?$")


def parse_timestamp(value: str) -> float:
    """Seconds in "1:02:13", "02:13", "00:00:13.500", "00:00:01,500", Teams' "0:0:3.98" or f4's "00:01:23-4".

    Two parts are minutes and seconds, as every transcription tool writes them.
    """
    match = _TIME.match(value.strip())
    if not match:
        raise ValueError(f"not a timestamp: {value!r}")
    hours, minutes, seconds, fraction = match.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if fraction:
        total += int(fraction) / 10 ** len(fraction)
    return round(float(total), 3)


def merge_same_speaker(turns: list[ParsedTurn]) -> list[ParsedTurn]:
    """Consecutive turns of one named speaker become one turn, keeping the first timestamp.

    Otter and Teams cut a speaker's words into blocks wherever they pause, often mid-sentence
    ("it was my" / "dad really"): a block that ends a sentence starts a new paragraph, one that
    does not runs on with a space.
    """
    merged: list[ParsedTurn] = []
    for turn in turns:
        previous = merged[-1] if merged else None
        if previous and turn.speaker is not None and previous.speaker == turn.speaker:
            separator = "\n" if previous.text.rstrip(_CLOSING).endswith(_SENTENCE_ENDS) else " "
            previous.text = f"{previous.text}{separator}{turn.text}"
        else:
            merged.append(ParsedTurn(turn.speaker, turn.text, turn.timestamp))
    return merged


_SENTENCE_ENDS = tuple(".?!…")
_CLOSING = "\"'”’)]"


def preamble_text(lines: list[str]) -> str | None:
    text = normalise_text("\n".join(lines))
    return text or None
