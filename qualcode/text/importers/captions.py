"""WebVTT (.vtt) and SubRip (.srt) captions: timed cues, speakers from voice tags or "Name:" prefixes.

Cue breaks are line-wrapping, not paragraphs: consecutive cues of one speaker become one turn,
their text joined with a space, timed by the first cue. A cue with no voice tag or prefix
continues the current speaker. Teams writes `<v Jane Doe>text</v>`; Zoom writes "Jane Doe: text".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from qualcode.errors import ImportFormatError
from qualcode.text.importers.base import ParsedTranscript, ParsedTurn, SourceLine, normalise_text, parse_timestamp
from qualcode.text.importers.speakers import LabelCandidate, accepted_labels, looks_like_label, split_label

_CUE_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"^(?P<start>{_CUE_TIME})\s*-->\s*(?P<end>{_CUE_TIME})(?:\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)*(?:\s+(?P<name>[^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"<(?:/?[A-Za-z][^<>]*|\d[\d:.]*)>")  # <i>, </v>, <c.yellow>, <font ...>, <00:00:01.000>
_ASS_OVERRIDE = re.compile(r"\{\\[^}]*\}")  # {\an8} position codes some .srt files carry
_BROADCAST_MARK = re.compile(r"^>>\s*")  # TV captions mark each change of speaker: ">> JANE: text"
_DIALOGUE_DASH = re.compile(r"^-\s*")  # "- Jane: text" for a second speaker in one cue
_CUE_ID = re.compile(r"\d+|[0-9a-fA-F-]{8,}(?:/\d+-\d+)?")  # SRT numbers, Teams' "2f1a.../12-0"
_VTT_BLOCKS = ("NOTE", "STYLE", "REGION")
_SENTENCE_END = tuple('.?!…"”')
# Captions without speakers have no paragraphs either; a pause, or a sentence end in a long
# stretch, is where a reader would start a new one.
_PARAGRAPH_PAUSE = 2.0
_PARAGRAPH_WORDS = 60


@dataclass
class _Cue:
    start: float
    end: float
    lines: list[str]


@dataclass
class _Piece:
    speaker: str | None
    text: str
    start: float
    end: float


def parse_vtt(text: str, source: str) -> ParsedTranscript:
    warnings = [] if text.lstrip().startswith("WEBVTT") else ["no WEBVTT header line; read as WebVTT anyway"]
    return _parse(text, "vtt", source, warnings)


def parse_srt(text: str, source: str) -> ParsedTranscript:
    return _parse(text, "srt", source, [])


def caption_format(text: str) -> str | None:
    """ "vtt" or "srt" if the text is a caption file, judged by its start."""
    text = text.lstrip()
    if text.startswith("WEBVTT"):
        return "vtt"
    lines = [line.strip() for line in text.split("\n")[:6] if line.strip()]
    timings = [line for line in lines if _TIMING.match(line)]
    if not timings or not (lines[0] == timings[0] or (lines[0].isdigit() and lines[1] == timings[0])):
        return None
    return "srt" if "," in timings[0] else "vtt"


def _parse(text: str, fmt: str, source: str, warnings: list[str]) -> ParsedTranscript:
    cues, orphans = _cues(text)
    if not cues:
        raise ImportFormatError(
            f"{source}: no caption cues found (expected timing lines like '00:00:01.000 --> 00:00:04.000')"
        )
    if orphans:
        warnings.append(f"{orphans} block(s) of text without a cue timing were added to the cue before them")
    pieces = _pieces(_with_meet_voices(_without_rolling_repeats(cues)))
    if any(p.speaker for p in pieces):
        turns = _speaker_turns(pieces)
    else:
        turns = _paragraph_turns(pieces)
        warnings.append("no speakers in the captions: turns break at pauses and sentence ends")
    if not turns:
        raise ImportFormatError(f"{source}: the caption cues contain no text")
    return ParsedTranscript(turns, fmt, None, None, warnings)


def _cues(text: str) -> tuple[list[_Cue], int]:
    """Cues in order, and how many timing-less text blocks were attached to the cue before them."""
    cues: list[_Cue] = []
    orphans = 0
    for block in re.split(r"\n\s*\n", normalise_text(text)):
        lines = block.split("\n")
        timings = [(i, match) for i, line in enumerate(lines) if (match := _TIMING.match(line.strip()))]
        if not timings:
            if lines[0].startswith("WEBVTT") or lines[0].split(" ")[0] in _VTT_BLOCKS:
                continue
            if cues:
                # A cue whose text follows a blank line (YouTube writes a line of one space there)
                # is no orphan: its text simply comes in the next block.
                # Google Meet parts a second speaker's words from the first with "-" and a blank line.
                orphans += bool(cues[-1].lines) and cues[-1].lines[-1].strip() != "-"
                cues[-1].lines.extend(lines)
            continue
        # Lines before a timing are the cue's id ("12", "2f1a.../12-0"); usually one cue per block,
        # but files missing a blank line between cues are read too.
        for k, (at, timing) in enumerate(timings):
            last = k + 1 == len(timings)
            payload = lines[at + 1 : len(lines) if last else timings[k + 1][0]]
            if not last and payload and _CUE_ID.fullmatch(payload[-1].strip()):
                payload = payload[:-1]  # the next cue's id
            cues.append(_Cue(parse_timestamp(timing["start"]), parse_timestamp(timing["end"]), payload))
    return cues, orphans


def _without_rolling_repeats(cues: list[_Cue]) -> list[_Cue]:
    """Cues without the line each one repeats from the cue before, in scrolling captions.

    YouTube's automatic captions show two lines at a time: every cue starts with the line the cue
    before ended with. Read as they are, every sentence would appear twice. A file counts as
    scrolling when many of its cues repeat like that, so a speaker who says "No." twice elsewhere
    keeps both.
    """
    texts = [[c for line in cue.lines if (c := _clean(line))] for cue in cues]
    previous_last: str | None = None
    repeating: list[int] = []
    for index, lines in enumerate(texts):
        if lines and lines[0] == previous_last:
            repeating.append(index)
        if lines:
            previous_last = lines[-1]
    if len(repeating) < _ROLLING_SHARE * sum(1 for lines in texts if lines):
        return cues
    for index in repeating:
        cue = cues[index]
        first = next(i for i, line in enumerate(cue.lines) if _clean(line))
        cues[index] = _Cue(cue.start, cue.end, cue.lines[first + 1 :])
    return cues


_ROLLING_SHARE = 0.3


def _with_meet_voices(cues: list[_Cue]) -> list[_Cue]:
    """Google Meet's captions name the speaker on a line of its own, "(Jane Doe)", at the start of
    each cue, and after a "-" line when a second speaker follows in the same cue. Where most cues
    start like that, those lines become voice tags and the "-" lines go."""
    openings = [next((line.strip() for line in cue.lines if line.strip()), "") for cue in cues]
    named = sum(1 for line in openings if _meet_speaker(line))
    if named < _MEET_SHARE * len(cues):
        return cues
    converted = []
    for cue in cues:
        lines: list[str] = []
        for line in cue.lines:
            if line.strip() == "-":
                continue
            name = _meet_speaker(line.strip())
            lines.append(f"<v {name}>" if name else line)
        converted.append(_Cue(cue.start, cue.end, lines))
    return converted


_MEET_SPEAKER = re.compile(r"^\((?P<name>[^()]{1,40})\)$")
_MEET_SHARE = 0.5


def _meet_speaker(line: str) -> str | None:
    found = _MEET_SPEAKER.match(line)
    return found["name"].strip() if found and looks_like_label(found["name"]) else None


def _segments(cue: _Cue) -> list[tuple[str | None, list[str]]]:
    """(voice, lines) runs of a cue: voice from a <v Name> tag, None for text outside any."""
    payload = "\n".join(cue.lines)
    segments: list[tuple[str | None, str]] = []
    voice, position = None, 0
    for tag in _VOICE.finditer(payload):
        segments.append((voice, payload[position : tag.start()]))
        voice = _clean(tag.group("name") or "") or None
        position = tag.end()
    segments.append((voice, payload[position:]))
    return [(v, lines) for v, text in segments if (lines := [c for line in text.split("\n") if (c := _clean(line))])]


def _clean(text: str) -> str:
    text = html.unescape(_ASS_OVERRIDE.sub("", _TAG.sub("", text)))
    return _BROADCAST_MARK.sub("", " ".join(text.split()))


def _prefix(line: str) -> LabelCandidate | None:
    """A "Name: text" prefix, after a dialogue dash if there is one ("- Jane: text")."""
    return split_label(SourceLine(_DIALOGUE_DASH.sub("", line)), bare=False)


def _pieces(cues: list[_Cue]) -> list[_Piece]:
    """Speaker-attributed stretches of text, each timed by its cue; unattributed ones continue."""
    segmented = [(cue, _segments(cue)) for cue in cues]
    prefixes = [
        c
        for _, segments in segmented
        for voice, lines in segments
        if voice is None
        for line in lines
        if (c := _prefix(line))
    ]
    speakers = accepted_labels(prefixes)
    pieces: list[_Piece] = []
    current: str | None = None
    for cue, segments in segmented:
        for voice, lines in segments:
            if voice is not None:
                current = voice
                pieces.append(_Piece(voice, " ".join(lines), cue.start, cue.end))
                continue
            for line in lines:
                prefix = _prefix(line)
                if prefix and prefix.label.casefold() in speakers:
                    current = prefix.label
                    line = prefix.rest
                if line:
                    pieces.append(_Piece(current, line, cue.start, cue.end))
    return pieces


def _speaker_turns(pieces: list[_Piece]) -> list[ParsedTurn]:
    turns: list[ParsedTurn] = []
    for piece in pieces:
        if turns and turns[-1].speaker == piece.speaker:
            turns[-1].text = f"{turns[-1].text} {piece.text}"
        else:
            turns.append(ParsedTurn(piece.speaker, piece.text, piece.start))
    return turns


def _paragraph_turns(pieces: list[_Piece]) -> list[ParsedTurn]:
    turns: list[ParsedTurn] = []
    previous: _Piece | None = None
    for piece in pieces:
        long_enough = bool(turns) and len(turns[-1].text.split()) >= _PARAGRAPH_WORDS
        new_paragraph = previous is None or (
            piece.start - previous.end >= _PARAGRAPH_PAUSE or (long_enough and previous.text.endswith(_SENTENCE_END))
        )
        if new_paragraph:
            turns.append(ParsedTurn(None, piece.text, piece.start))
        else:
            turns[-1].text = f"{turns[-1].text} {piece.text}"
        previous = piece
    return turns
