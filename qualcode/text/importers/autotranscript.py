"""Automatic-transcription exports (Otter, Microsoft Teams, Zoom): a header line opens each turn.

The layouts, as the tools write them to .txt and .docx:
  Otter, Teams .docx    "Jane Doe  1:02:13" (or "Speaker 1  0:00") then the words on the next lines
  Rev and the like      "Speaker 1 (00:13):", "Jane Doe [00:00:13]", then the words
  Otter, no speakers    "0:15" alone on a line, then the words
  Zoom saved captions   "[Jane Doe] 12:03:44" then the words (same line or next)
  Zoom live transcript  "00:01:13 Jane Doe: the words"
  older Teams .docx     "0:0:3.980 --> 0:0:6.120", then the name, then the words
Everything before the first header (Otter's Summary / Keywords / Outline / Action Items, Teams'
meeting title, date and duration) is the preamble.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from qualcode.errors import ImportFormatError
from qualcode.text.importers.base import (
    AS_FOUND,
    TOOL_BOILERPLATE,
    ParsedTranscript,
    ParsedTurn,
    SpeakerChoice,
    join_lines,
    merge_same_speaker,
    no_such_speakers,
    parse_timestamp,
    preamble_text,
)
from qualcode.text.importers.plaintext import page_furniture
from qualcode.text.importers.speakers import is_known_label, looks_like_label
from qualcode.wording import counted

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
_HMS = r"\d{1,2}:\d{2}:\d{2}"
# Rev and services like it bracket the time, and Rev adds a colon: "Speaker 1 (00:13):".
_NAME_TIME = re.compile(
    rf"^(?P<name>\S.*?)(?P<gap>\s+)(?P<open>[\[(])?(?P<time>{_CLOCK})(?(open)[\])]:?)"
    r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?$"
)
_BRACKETED = re.compile(rf"^\[(?P<name>[^\]]{{1,60}})\]\s+(?P<time>{_HMS})(?:\s+(?P<text>.*))?$")
_TIME_NAME = re.compile(rf"^(?P<time>{_HMS})\s+(?:>>\s*)?(?P<name>[^:]{{1,60}}?)\s*:\s+(?P<text>.*)$")
# Otter writes "0:15", "12:34", "1:02:13", never "00:15": a zero-padded time is a transcriber's marker.
_OTTER_TIME_ONLY = re.compile(r"^(?:[1-9]\d?:[0-5]\d:[0-5]\d|[1-5]?\d:[0-5]\d)$")
_CUE_TIMING = re.compile(r"^(?P<time>\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?)\s*-->\s*\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?$")
_ZOOM_CHAT_NAME = re.compile(r"^From\s+(?P<name>.+?)\s+to\s+.+$")
_SENTENCE_PUNCTUATION = tuple(",;:!?")
_CLOCK_TIME_FROM = 3600.0  # a first turn an hour or more in is a time of day, not time into the recording


@dataclass
class _Header:
    speaker: str
    timestamp: float
    text: str = ""
    clock: bool = False  # a time of day ("10:15 AM"), made relative to the first turn
    weak: bool = False  # "Name 0:13" with one space: a header only if the name recurs
    bracketed: bool = False  # "Name [00:00:13]", "Name (00:13):", as Rev-style services write it


@dataclass
class _Block:
    header: _Header
    lines: list[str] = field(default_factory=list)


def name_time_header(line: str) -> tuple[str, float, bool] | None:
    """(name, seconds, weak) if the line is an Otter / Teams header ("Jane Doe  1:02:13",
    "Jane Doe [00:01:02]"); weak: one space before a bare time, a header only if the name recurs."""
    header = _name_time(line.strip())
    return (header.speaker, header.timestamp, header.weak) if header and not header.clock else None


# A header line ends with its time: a digit, a closing bracket (and Rev's colon), or AM/PM ("10:15 AM").
_HEADER_ENDINGS = tuple("0123456789])MmAaPp.:")


def _name_time(line: str) -> _Header | None:
    if not line.endswith(_HEADER_ENDINGS):
        return None
    match = _NAME_TIME.match(line)
    # one space before a bare time is weak evidence; brackets or AM/PM make it a header layout
    weak = match is not None and match.group("gap") == " " and not match.group("open") and not match.group("ampm")
    if not match or not _plausible_name(match.group("name"), wide_gap=not weak):
        return None
    name, time, ampm = match.group("name").strip(), match.group("time"), match.group("ampm")
    bracketed = bool(match.group("open"))
    if ampm:
        return _Header(name, _time_of_day(time, ampm), clock=True, weak=weak, bracketed=bracketed)
    return _Header(name, parse_timestamp(time), weak=weak, bracketed=bracketed)


def _bracketed(line: str) -> _Header | None:
    match = _BRACKETED.match(line) if line.startswith("[") else None
    if not match:
        return None
    return _Header(match.group("name").strip(), parse_timestamp(match.group("time")), match.group("text") or "", True)


def _time_name(line: str) -> _Header | None:
    match = _TIME_NAME.match(line) if line[:1].isdigit() else None
    if not match:
        return None
    name = match.group("name").strip()
    if chat := _ZOOM_CHAT_NAME.match(name):
        name = chat.group("name")
    if name.endswith(_SENTENCE_PUNCTUATION) or len(name.split()) > 6:
        return None
    return _Header(name, parse_timestamp(match.group("time")), match.group("text"), True)


def _time_only(line: str) -> _Header | None:
    match = _OTTER_TIME_ONLY.match(line) if line[:1].isdigit() else None
    return _Header("", parse_timestamp(line)) if match else None


def _plausible_name(name: str, wide_gap: bool) -> bool:
    """Otter and Teams put two or more spaces (or a tab) between name and time, and then any short
    name will do ("jdoe@uni.ac.uk", "Doe, Jane (Guest)"); after one space it must look like a name."""
    name = name.strip()
    if len(name) > 60 or ":" in name or name.endswith(_SENTENCE_PUNCTUATION) or len(name.split()) > 6:
        return False
    if name.startswith(("[", "(")):
        return False  # "[Speaker 1] [00:07]": a bracketed label, read as labelled text
    return any(c.isalpha() for c in name) and (wide_gap or looks_like_label(name))


def _time_of_day(time: str, ampm: str) -> float:
    hours, minutes, *seconds = (int(part) for part in time.split(":"))
    hours = hours % 12 + (12 if ampm.lower().startswith("p") else 0)
    return float(hours * 3600 + minutes * 60 + (seconds[0] if seconds else 0))


_LAYOUTS: dict[str, Callable[[str], _Header | None]] = {
    "name-time": _name_time,
    "bracketed": _bracketed,
    "time-name": _time_name,
    "time-only": _time_only,
}


def find_layout(lines: list[str]) -> str | None:
    """Which header layout the lines use, if at least two lines are headers of it."""
    lines = [line.strip() for line in lines]
    counts = {layout: sum(1 for h in _headers(lines, match) if h) for layout, match in _LAYOUTS.items()}
    # caption cues with voice tags pasted into a text file are captions, not the older Teams .docx
    voices = any(line.startswith(("<v ", "<V ")) for line in lines)
    counts["cue-timing"] = 0 if voices else sum(1 for line in lines if line[:1].isdigit() and _CUE_TIMING.match(line))
    layout, count = max(counts.items(), key=lambda item: item[1])
    return layout if count >= 2 else None


# What each tool writes around the transcript. Teams: the meeting recording's name, its length
# ("41m 6s"), guests as "Okonkwo, Chidi (Guest)". Otter: its outline headings, "Speaker 1".
_TEAMS_DURATION = re.compile(r"^(?:\d+h\s*)?\d+m\s*\d+s$")
_TEAMS_TITLE = re.compile(r"-Meeting Recording$|^Meeting Transcript$|Meeting notes$", re.IGNORECASE)
_TEAMS_SPEAKER = re.compile(r"\((?:Guest|External|Unverified)\)$|^[^,\s][^,]*,\s+\S")
_OTTER_HEADINGS = {
    "summary", "keywords", "keywords:", "summary keywords", "outline", "action items", "speakers", "overview", "notes",
}  # fmt: skip
# Otter's export starts with the date and the length: "Tue, Mar 12, 2024 10:14AM • 41:06"
_OTTER_DATE_LINE = re.compile(r"^\w{3}, .{4,40}\s•\s\d{1,2}:\d{2}(?::\d{2})?$")
_OTTER_SPEAKER = re.compile(r"(?i)^(?:unknown )?speaker(?: \d+)?$")


def export_format(lines: list[str], layout: str, from_docx: bool, same_paragraph: list[bool] | None = None) -> str:
    """The tool that most likely wrote a transcript in this layout: "otter", "teams", "zoom" or "rev".

    same_paragraph: for a .docx, whether each line continues the paragraph of the line before.
    Teams puts a turn's header and words in one paragraph, parted by a line break; Otter gives
    each its own paragraph. That decides only when neither tool has left its marks.
    """
    if layout in ("bracketed", "time-name"):
        return "zoom"
    if layout == "cue-timing":
        return "teams"
    if layout == "time-only":
        return "otter"
    edges = [line.strip() for line in lines[:20] + lines[-20:]]
    text = "\n".join(edges).lower()
    if "otter.ai" in text:
        return "otter"
    if "started transcription" in text or "stopped transcription" in text:
        return "teams"
    headers = [(i, h) for i, line in enumerate(lines) if (h := _name_time(line.strip()))]
    if sum(1 for _, h in headers if h.bracketed) > len(headers) / 2:
        return "rev"  # Otter and Teams never bracket the time
    speakers = [h.speaker for _, h in headers]
    teams = any(_TEAMS_DURATION.match(line) or _TEAMS_TITLE.search(line) for line in edges[:20])
    teams = teams or any(_TEAMS_SPEAKER.search(s) for s in speakers)
    otter = any(line.casefold() in _OTTER_HEADINGS or _OTTER_DATE_LINE.match(line) for line in edges[:20])
    otter = otter or any(_OTTER_SPEAKER.match(s) for s in speakers)
    if teams != otter:
        return "teams" if teams else "otter"
    if from_docx and same_paragraph and headers:
        joined = sum(1 for i, _ in headers if i + 1 < len(same_paragraph) and same_paragraph[i + 1])
        return "teams" if joined > len(headers) / 2 else "otter"
    return "otter"


def parse_export(lines: list[str], fmt: str, source: str, choice: SpeakerChoice = AS_FOUND) -> ParsedTranscript:
    """Turns from an Otter / Teams / Zoom export; consecutive blocks of one speaker become one turn."""
    dropped = [line.strip() for line in lines if TOOL_BOILERPLATE.match(line.strip())]
    lines = [line.strip() for line in lines if not TOOL_BOILERPLATE.match(line.strip())]
    layout = find_layout(lines)
    blocks: list[_Block] = []
    preamble = lines
    if layout == "cue-timing":
        blocks, preamble = _cue_blocks(lines, choice)
    elif layout:
        blocks, preamble = _header_blocks(lines, _LAYOUTS[layout], choice)
    if not blocks and choice.only:
        raise no_such_speakers(source, choice)
    if not blocks:
        raise ImportFormatError(
            f"{source}: no {fmt.title()} speaker headers found (lines like 'Jane Doe  0:13' followed by the words); "
            "try --format text"
        )
    warnings = []
    heads = page_furniture(preamble, [line for block in blocks for line in block.lines])
    if heads:
        # a transcript copied out of a paginated document: its title and page numbers recur
        kept = [[line for line in block.lines if line not in heads] for block in blocks]
        left_out = [line for block in blocks for line in block.lines if line in heads]
        for block, lines_kept in zip(blocks, kept):
            block.lines = lines_kept
        dropped.extend(left_out)
        warnings.append(f"left out {counted(len(left_out), 'page header or page number line')} between turns")
    if any(b.header.clock for b in blocks) and blocks[0].header.timestamp >= _CLOCK_TIME_FROM:
        start = blocks[0].header.timestamp
        for block in blocks:
            block.header.timestamp = (block.header.timestamp - start) % 86400  # past midnight wraps
        warnings.append("the times are times of day; turn timestamps count from the first turn")
    turns = [
        ParsedTurn(b.header.speaker or None, join_lines([b.header.text, *b.lines]), b.header.timestamp) for b in blocks
    ]
    empty = sum(1 for t in turns if not t.text)
    if empty:
        warnings.append(f"skipped {counted(empty, 'speaker header')} with no words after them")
    turns = merge_same_speaker([t for t in turns if t.text])
    return ParsedTranscript(turns, fmt, None, preamble_text(preamble), warnings, dropped)


def _headers(
    lines: list[str], match: Callable[[str], _Header | None], choice: SpeakerChoice = AS_FOUND
) -> list[_Header | None]:
    headers = [match(line) for line in lines]
    counts = Counter(h.speaker for h in headers if h)
    headers = [None if h and h.weak and counts[h.speaker] < 2 else h for h in headers]
    if forced := choice.labels:
        # `--speakers`: only headers naming one of them open a turn; the others are words
        headers = [
            h if h is None or not h.speaker or " ".join(h.speaker.split()).casefold() in forced else None
            for h in headers
        ]
    if choice.none:
        for header in headers:
            if header:
                header.speaker = ""
    return headers


def _header_blocks(
    lines: list[str], match: Callable[[str], _Header | None], choice: SpeakerChoice = AS_FOUND
) -> tuple[list[_Block], list[str]]:
    headers = _headers(lines, match, choice)
    first = _first_real_header(lines, headers)
    preamble, blocks = lines[:first], []
    for line, header in zip(lines[first:], headers[first:]):
        if header:
            blocks.append(_Block(header))
        else:
            blocks[-1].lines.append(line)
    return blocks, preamble


def _first_real_header(lines: list[str], headers: list[_Header | None]) -> int:
    """Index of the first turn header. A header-like line in an Otter outline names nobody who
    speaks again and has no words under it, so the transcript starts at the first header of a
    recurring or known speaker, or at a speaker who speaks once (a host's welcome) just before
    one, with words of their own."""
    found = [(i, h) for i, h in enumerate(headers) if h]
    counts = Counter(h.speaker for _, h in found)
    for k, (i, header) in enumerate(found):
        if counts[header.speaker] >= 2 or is_known_label(header.speaker):
            return i
        following = found[k + 1] if k + 1 < len(found) else None
        says = any(line.strip() for line in lines[i + 1 : following[0] if following else len(lines)])
        if says and following and (counts[following[1].speaker] >= 2 or is_known_label(following[1].speaker)):
            return i
    return found[0][0] if found else len(headers)


def _cue_blocks(lines: list[str], choice: SpeakerChoice = AS_FOUND) -> tuple[list[_Block], list[str]]:
    """Older Teams .docx: a cue timing line, the speaker's name on the next line, then the words."""
    blocks: list[_Block] = []
    preamble: list[str] = []
    expecting_name = False
    forced = choice.labels
    for line in lines:
        timing = _CUE_TIMING.match(line)
        if timing:
            blocks.append(_Block(_Header("", parse_timestamp(timing.group("time")))))
            expecting_name = True
        elif not line:
            continue
        elif (
            expecting_name
            and _plausible_name(line, wide_gap=True)
            and (not forced or " ".join(line.split()).casefold() in forced)
        ):
            blocks[-1].header.speaker = "" if choice.none else line
            expecting_name = False
        elif blocks:
            blocks[-1].lines.append(line)
            expecting_name = False
        else:
            preamble.append(line)
    return blocks, preamble
