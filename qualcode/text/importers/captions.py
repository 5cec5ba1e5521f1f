"""WebVTT (.vtt) and SubRip (.srt) captions: timed cues, speakers from voice tags or "Name:" prefixes.

Cue breaks are line-wrapping, not paragraphs: consecutive cues of one speaker become one turn,
their text joined with a space, timed by the first cue. A cue with no voice tag or prefix
continues the current speaker. Teams writes `<v Jane Doe>text</v>`; Zoom writes "Jane Doe: text"
at the start of every cue, with display names as people typed them ("jdoe42", "Maria | Acme");
podcast hosts write the name only where the speaker changes, so a guest may be named once.
Captions without speakers (YouTube, Whisper) become paragraphs at pauses and sentence ends.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from qualcode.errors import ImportFormatError
from qualcode.text.importers.base import (
    AS_FOUND,
    ParsedTranscript,
    ParsedTurn,
    SourceLine,
    SpeakerChoice,
    decode_references,
    normalise_text,
    parse_timestamp,
)
from qualcode.text.importers.speakers import (
    LabelCandidate,
    accepted_labels,
    caption_label_kind,
    forced_label,
    is_known_label,
    looks_like_label,
    split_label,
)
from qualcode.wording import counted

_CUE_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"^(?P<start>{_CUE_TIME})\s*-->\s*(?P<end>{_CUE_TIME})(?:\s.*)?$")
# A line meant as a cue timing that cannot be read: "00:00:0x,000 --> 00:00:04,000", "00:06 -> 00:08".
_BROKEN_TIMING = re.compile(r"^\S*\d\S*\s*(?:-->|->|–>|—>)\s*\S*\d")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)*(?:\s+(?P<name>[^>]*))?>", re.IGNORECASE)
# "<v Jane Doe" with no ">" before the line ends: a voice tag left open
_UNCLOSED_VOICE = re.compile(r"<v(?:\.[\w.-]+)*\s+(?P<rest>[^<>]*)$", re.IGNORECASE)
_TAG = re.compile(r"<(?:/?[A-Za-z][^<>]*|\d[\d:.]*)>")  # <i>, </v>, <c.yellow>, <font ...>, <00:00:01.000>
_ASS_OVERRIDE = re.compile(r"\{\\[^}]*\}")  # {\an8} position codes some .srt files carry
_BROADCAST_MARK = re.compile(r"^>>\s*")  # TV captions mark each change of speaker: ">> JANE: text"
_DIALOGUE_DASH = re.compile(r"^-\s*")  # "- Jane: text" for a second speaker in one cue
_CUE_ID = re.compile(r"\d+|[0-9a-fA-F-]{8,}(?:/\d+-\d+)?")  # SRT numbers, Teams' "2f1a.../12-0"
_LONG_LABEL = re.compile(r"^(?P<label>[^:\n]{41,80}?):\s+(?P<rest>.*)$", re.DOTALL)  # long Zoom display names
_VTT_BLOCKS = ("NOTE", "STYLE", "REGION")
_SENTENCE_END = tuple('.?!…"”')
# Captions without speakers have no paragraphs either; a pause, or a sentence end in a long
# stretch, is where a reader would start a new one. Auto-captions have neither (no punctuation,
# no gaps between cues), so a paragraph also ends at a short pause once it is long, and at the
# next cue once it is very long: a two-hour recording must not become one turn.
_PARAGRAPH_PAUSE = 2.0
_PARAGRAPH_WORDS = 60
_PARAGRAPH_SHORT_PAUSE = 0.5
_PARAGRAPH_MAX_WORDS = 150
# In a file where most cues open with "Label:", a lower-case label is a display name too.
_LABELLED_SHARE = 0.5


@dataclass
class _Cue:
    start: float | None  # None when the cue's timing line could not be read
    end: float | None
    lines: list[str]


@dataclass
class _Piece:
    speaker: str | None
    text: str
    start: float | None
    end: float | None


@dataclass
class _Reading:
    """What reading the cues had to forgive, for the warnings."""

    broken_timings: list[str]
    orphans: int = 0
    open_voices: int = 0


def parse_vtt(text: str, source: str, choice: SpeakerChoice = AS_FOUND) -> ParsedTranscript:
    warnings = [] if text.lstrip().startswith("WEBVTT") else ["no WEBVTT header line; read as WebVTT anyway"]
    return _parse(text, "vtt", source, warnings, choice)


def parse_srt(text: str, source: str, choice: SpeakerChoice = AS_FOUND) -> ParsedTranscript:
    return _parse(text, "srt", source, [], choice)


def caption_format(text: str) -> str | None:
    """ "vtt" or "srt" if the text is a caption file, judged by its start."""
    text = text.lstrip()
    if text.startswith("WEBVTT"):
        return "vtt"
    lines = [line.strip() for line in text.split("\n")[:6] if line.strip()]
    timings = [line for line in lines if _TIMING.match(line)]
    if not timings:
        return None
    # the first cue starts the file, after its id if it has one ("1", Teams' "2f1a.../12-0")
    if not (lines[0] == timings[0] or (len(lines) > 1 and lines[1] == timings[0] and _cue_id(lines[0]))):
        return None
    return "srt" if "," in timings[0] else "vtt"


def _cue_id(line: str) -> bool:
    return bool(_CUE_ID.fullmatch(line)) or (" " not in line and len(line) <= 80 and "-->" not in line)


def _parse(text: str, fmt: str, source: str, warnings: list[str], choice: SpeakerChoice) -> ParsedTranscript:
    reading = _Reading([])
    cues = _cues(text, reading)
    if not cues:
        raise ImportFormatError(
            f"{source}: no caption cues found (expected timing lines like '00:00:01.000 --> 00:00:04.000')"
        )
    cues = _with_meet_voices(_without_rolling_repeats(cues))
    pieces = _pieces(cues, choice, reading)
    if reading.orphans:
        warnings.append(
            f"{counted(reading.orphans, 'block')} of text without a cue timing {'was' if reading.orphans == 1 else 'were'} added to the cue before them"
        )
    if reading.broken_timings:
        warnings.append(
            f"{counted(len(reading.broken_timings), 'cue timing line')} could not be read (like "
            f"'{reading.broken_timings[0]}'); their words are kept, without a time"
        )
    if reading.open_voices:
        warnings.append(
            f"{counted(reading.open_voices, 'voice tag')} {'has' if reading.open_voices == 1 else 'have'} no closing '>' (like '<v Jane Doe Hello'); "
            "the words after them are read as text"
        )
    if any(p.speaker for p in pieces):
        turns = _speaker_turns(pieces)
    else:
        turns = _paragraph_turns(pieces)
        if not choice.none:
            warnings.append("no speakers in the captions: turns break at pauses and sentence ends")
    if not turns:
        raise ImportFormatError(f"{source}: the caption cues contain no text")
    return ParsedTranscript(turns, fmt, None, None, warnings)


def _cues(text: str, reading: _Reading) -> list[_Cue]:
    """Cues in order; timing-less text blocks join the cue before them, and a cue whose timing
    line cannot be read keeps its words without a time."""
    cues: list[_Cue] = []
    for block in re.split(r"\n\s*\n", normalise_text(text)):
        lines = block.split("\n")
        timings: list[tuple[int, re.Match[str] | None]] = []
        for i, line in enumerate(lines):
            stripped = line.strip()
            if match := _TIMING.match(stripped):
                timings.append((i, match))
            elif _BROKEN_TIMING.match(stripped):
                timings.append((i, None))
                reading.broken_timings.append(stripped)
        if not timings:
            if lines[0].startswith("WEBVTT") or lines[0].split(" ")[0] in _VTT_BLOCKS:
                continue
            if cues:
                # A cue whose text follows a blank line (YouTube writes a line of one space there)
                # is no orphan: its text simply comes in the next block.
                # Google Meet parts a second speaker's words from the first with "-" and a blank line.
                reading.orphans += bool(cues[-1].lines) and cues[-1].lines[-1].strip() != "-"
                cues[-1].lines.extend(lines)
            continue
        # Lines before a timing are the cue's id ("12", "2f1a.../12-0"); usually one cue per block,
        # but files missing a blank line between cues are read too.
        for k, (at, timing) in enumerate(timings):
            last = k + 1 == len(timings)
            payload = lines[at + 1 : len(lines) if last else timings[k + 1][0]]
            if not last and payload and _CUE_ID.fullmatch(payload[-1].strip()):
                payload = payload[:-1]  # the next cue's id
            if timing is None:
                cues.append(_Cue(None, None, payload))
            else:
                cues.append(_Cue(parse_timestamp(timing["start"]), parse_timestamp(timing["end"]), payload))
    return cues


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


def _segments(cue: _Cue, reading: _Reading) -> list[tuple[str | None, list[str]]]:
    """(voice, lines) runs of a cue: voice from a <v Name> tag, None for text outside any."""
    payload = "\n".join(_closed_voice(line, reading) for line in cue.lines)
    segments: list[tuple[str | None, str]] = []
    voice, position = None, 0
    for tag in _VOICE.finditer(payload):
        segments.append((voice, payload[position : tag.start()]))
        voice = _clean(tag.group("name") or "") or None
        position = tag.end()
    segments.append((voice, payload[position:]))
    return [(v, lines) for v, text in segments if (lines := [c for line in text.split("\n") if (c := _clean(line))])]


def _closed_voice(line: str, reading: _Reading) -> str:
    """A line with a voice tag left open: "<v Jane Doe" alone is Jane Doe's tag; with words after
    the name there is no telling where the name ends, so the words are kept as text."""
    if "<v" not in line and "<V" not in line:
        return line
    found = _UNCLOSED_VOICE.search(line)
    if not found:
        return line
    rest = found["rest"].strip()
    if rest and (looks_like_label(rest) or caption_label_kind(rest) == "name") and len(rest.split()) <= 4:
        return f"{line[: found.start()]}<v {rest}>"
    reading.open_voices += 1
    return line[: found.start()] + rest


def _clean(text: str) -> str:
    text = decode_references(_ASS_OVERRIDE.sub("", _TAG.sub("", text)))
    return _BROADCAST_MARK.sub("", " ".join(text.split()))


def _prefix(line: str, forced: dict[str, str]) -> LabelCandidate | None:
    """A "Name: text" prefix, after a dialogue dash if there is one ("- Jane: text")."""
    text = _DIALOGUE_DASH.sub("", line)
    if forced:
        return forced_label(text, forced)
    candidate = split_label(SourceLine(text), bare=False)
    if candidate is None and (long := _LONG_LABEL.match(text)):
        candidate = LabelCandidate(long["label"].strip(), long["rest"].strip(), None)
    return candidate


def _opening(line: str, first: bool) -> bool:
    """Where a caption file names a speaker: the first line of a cue, or a line marked as a
    change of speaker ("- Jane: ..." in one cue, ">> JANE: ..." in TV captions)."""
    return first or line.startswith(("-", ">>"))


def _pieces(cues: list[_Cue], choice: SpeakerChoice, reading: _Reading) -> list[_Piece]:
    """Speaker-attributed stretches of text, each timed by its cue; unattributed ones continue."""
    segmented = [(cue, _segments(cue, reading)) for cue in cues]
    if choice.none:
        return [
            _Piece(None, " ".join(lines), cue.start, cue.end) for cue, segments in segmented for _, lines in segments
        ]
    forced = choice.labels
    found: list[tuple[LabelCandidate, bool]] = []
    for _, segments in segmented:
        for number, (voice, lines) in enumerate(segments):
            if voice is not None:
                continue
            for index, line in enumerate(lines):
                if candidate := _prefix(line, forced):
                    found.append((candidate, _opening(line, number == 0 and index == 0)))
    speakers = set(forced) if forced else _caption_speakers(found, sum(1 for _, s in segmented if s))
    pieces: list[_Piece] = []
    current: str | None = None
    for cue, segments in segmented:
        for voice, lines in segments:
            if voice is not None:
                current = voice
                pieces.append(_Piece(voice, " ".join(lines), cue.start, cue.end))
                continue
            for line in lines:
                prefix = _prefix(line, forced)
                if prefix and prefix.label.casefold() in speakers:
                    current = prefix.label
                    line = prefix.rest
                if line:
                    pieces.append(_Piece(current, line, cue.start, cue.end))
    return pieces


def _caption_speakers(found: list[tuple[LabelCandidate, bool]], cues_with_text: int) -> set[str]:
    """The labels (casefolded) that are speakers: any name-like label opening a cue, lower-case
    ones where most cues open with a label or they recur, and elsewhere the plain-text rule."""
    kinds: dict[str, str] = {}
    for candidate, opening in found:
        if not opening or candidate.dashed:
            continue
        kind = caption_label_kind(candidate.label)
        if candidate.must_recur and not is_known_label(candidate.label):
            # "[Door Slams] Who's there?": a bracket without a colon may be a sound, and one
            # with nothing after it ("[Applause]") is one
            kind = "maybe" if kind and candidate.rest else None
        if kind:
            kinds.setdefault(candidate.label.casefold(), kind)
    openings = Counter(c.label.casefold() for c, opening in found if opening and c.label.casefold() in kinds)
    labelled = sum(openings.values()) >= _LABELLED_SHARE * max(cues_with_text, 1)
    speakers = {key for key, kind in kinds.items() if kind == "name" or labelled or openings[key] >= 2}
    return speakers | accepted_labels(c for c, _ in found)


def _speaker_turns(pieces: list[_Piece]) -> list[ParsedTurn]:
    """One turn per change of speaker; a long turn (a talk, a monologue) gets paragraphs, as
    captions without speakers do, so its lines can be read and coded."""
    turns: list[ParsedTurn] = []
    words = 0
    for piece in pieces:
        if turns and turns[-1].speaker == piece.speaker:
            text = turns[-1].text
            paragraph = words >= _PARAGRAPH_MAX_WORDS or (words >= _PARAGRAPH_WORDS and text.endswith(_SENTENCE_END))
            separator = "\n" if paragraph else " "
            turns[-1].text = f"{text}{separator}{piece.text}"
            words = 0 if paragraph else words
        else:
            turns.append(ParsedTurn(piece.speaker, piece.text, piece.start))
            words = 0
        words += len(piece.text.split())
    return turns


def _paragraph_turns(pieces: list[_Piece]) -> list[ParsedTurn]:
    turns: list[ParsedTurn] = []
    previous: _Piece | None = None
    words = 0
    for piece in pieces:
        if previous is None or _new_paragraph(previous, piece, words):
            turns.append(ParsedTurn(None, piece.text, piece.start))
            words = 0
        else:
            turns[-1].text = f"{turns[-1].text} {piece.text}"
        words += len(piece.text.split())
        previous = piece
    return turns


def _new_paragraph(previous: _Piece, piece: _Piece, words: int) -> bool:
    pause = piece.start - previous.end if piece.start is not None and previous.end is not None else 0.0
    if pause >= _PARAGRAPH_PAUSE or words >= _PARAGRAPH_MAX_WORDS:
        return True
    if words < _PARAGRAPH_WORDS:
        return False
    return previous.text.endswith(_SENTENCE_END) or pause >= _PARAGRAPH_SHORT_PAUSE
