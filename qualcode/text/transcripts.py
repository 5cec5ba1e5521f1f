"""Transcript text: how turns are laid out as the stored text, the line index, and locations.

The stored text is the transcript as a reader sees it: one turn after another, each starting on
a new line with its speaker label ("P3: Well, I ..."), paragraphs inside a turn on their own
lines. Offsets everywhere are 0-based, end-exclusive, in Unicode code points of this text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from qualcode.errors import InvalidInput
from qualcode.text.matching import EmptyPhrase, find_phrase
from qualcode.text.normalise import normalise
from qualcode.wording import shell_command


class TurnLike(Protocol):
    speaker: str | None
    text: str
    timestamp: float | None


@dataclass(frozen=True)
class Turn:
    number: int  # 1-based
    speaker: str | None
    start: int  # where the turn begins, at its speaker label
    body_start: int  # where the spoken words begin, after "Label: "
    end: int
    timestamp: float | None = None
    is_interviewer: bool = False


@dataclass(frozen=True)
class LaidOut:
    text: str
    turns: list[Turn]


def lay_out(turns: Iterable[TurnLike], interviewer: str | None = None) -> LaidOut:
    """Join parsed turns into the stored text and record where each turn lies in it."""
    pieces: list[str] = []
    placed: list[Turn] = []
    offset = 0
    for number, turn in enumerate(turns, start=1):
        body = normalise(turn.text).strip("\n")
        label = f"{turn.speaker}: " if turn.speaker else ""
        if number > 1:
            pieces.append("\n")
            offset += 1
        start = offset
        pieces.append(label + body)
        offset += len(label) + len(body)
        placed.append(
            Turn(
                number=number,
                speaker=turn.speaker,
                start=start,
                body_start=start + len(label),
                end=offset,
                timestamp=turn.timestamp,
                is_interviewer=bool(interviewer and turn.speaker == interviewer),
            )
        )
    return LaidOut("".join(pieces), placed)


class LineIndex:
    """Maps between 1-based line numbers and character offsets of a text."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __len__(self) -> int:
        return len(self.starts)

    def line_span(self, number: int) -> tuple[int, int]:
        """[start, end) of line `number`, without its line break."""
        start = self.starts[number - 1]
        end = self.starts[number] - 1 if number < len(self.starts) else len(self.text)
        return start, end

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def lines_of(self, start: int, end: int) -> tuple[int, int]:
        """First and last line that a span [start, end) touches."""
        return self.line_of(start), self.line_of(max(start, end - 1))


def spoken_words(laid_out: LaidOut) -> int:
    """Words spoken in a transcript: speaker labels are not counted (a text without turns is
    counted whole)."""
    if not laid_out.turns:
        return word_count(laid_out.text)
    return sum(word_count(laid_out.text[turn.body_start : turn.end]) for turn in laid_out.turns)


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


# -- locations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """What the user typed to point at a passage; exactly one of the ways is set."""

    lines: str | None = None
    turns: str | None = None
    chars: str | None = None
    match: str | None = None
    occurrence: int | None = None  # with match: which hit, 1-based

    def describe(self) -> str:
        for kind in ("lines", "turns", "chars"):
            value = getattr(self, kind)
            if value:
                return f"{kind} {value}"
        return f'match "{self.match}"'


def parse_range(value: str, what: str) -> tuple[int, int]:
    """'12-14' or '12' (also '12..14', '12–14') -> (12, 14)."""
    found = re.fullmatch(r"\s*(\d+)\s*(?:(?:-|–|\.\.|:)\s*(\d+))?\s*", value)
    if not found:
        raise InvalidInput(f"--{what} takes a number or a range like 12-14, not '{value}'")
    first = int(found.group(1))
    last = int(found.group(2)) if found.group(2) else first
    if last < first:
        raise InvalidInput(f"--{what} {value}: the range runs backwards; write {last}-{first}")
    return first, last


def resolve_location(text: str, turns: Sequence[Turn], location: Location) -> tuple[int, int]:
    """Turn --lines/--turns/--chars/--match into one span [start, end) of the stored text.

    Spans from --lines and --turns leave out speaker labels, so a coded passage holds only
    the words spoken.
    """
    ways = [k for k in ("lines", "turns", "chars", "match") if getattr(location, k)]
    if len(ways) != 1:
        raise InvalidInput("give exactly one location: --lines, --turns, --chars or --match")
    if location.chars:
        # Characters are taken exactly as given: scripts and other tools rely on the offsets.
        start, end = _chars(location.chars, len(text))
    elif location.lines:
        start, end = _trim_whitespace(text, *_skip_labels(turns, *_lines(text, location.lines)))
    elif location.turns:
        start, end = _trim_whitespace(text, *_turns(turns, location.turns))
    else:
        start, end = _match(text, location.match or "", location.occurrence)
    if end <= start:
        raise InvalidInput(f"{location.describe()} holds no text to code")
    return start, end


def _chars(value: str, length: int) -> tuple[int, int]:
    found = re.fullmatch(r"\s*(\d+)\s*(?:-|–|\.\.|:)\s*(\d+)\s*", value)
    if not found:
        raise InvalidInput(f"--chars takes a range START-END (end exclusive), not '{value}'")
    start, end = int(found.group(1)), int(found.group(2))
    if end <= start:
        raise InvalidInput(f"--chars {value}: the end must be after the start")
    if end > length:
        raise InvalidInput(f"--chars {value} is outside the text, which has {length} characters")
    return start, end


def _lines(text: str, value: str) -> tuple[int, int]:
    first, last = parse_range(value, "lines")
    index = LineIndex(text)
    if first < 1 or last > len(index):
        raise InvalidInput(f"--lines {value} is outside the transcript, which has {len(index)} lines")
    return index.line_span(first)[0], index.line_span(last)[1]


def _turns(turns: Sequence[Turn], value: str) -> tuple[int, int]:
    first, last = parse_range(value, "turns")
    if first < 1 or last > len(turns):
        raise InvalidInput(f"--turns {value} is outside the transcript, which has {len(turns)} turns")
    return turns[first - 1].body_start, turns[last - 1].end


def _skip_labels(turns: Sequence[Turn], start: int, end: int) -> tuple[int, int]:
    starts = [t.start for t in turns]
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and turns[i].start <= start < turns[i].body_start:
        start = turns[i].body_start
    return start, end


def _match(text: str, phrase: str, occurrence: int | None) -> tuple[int, int]:
    try:
        hits = find_phrase(text, phrase)
    except EmptyPhrase:
        raise EmptyPhrase("--match needs some words to look for") from None
    if not hits:
        raise InvalidInput(
            f'no passage matches "{phrase}"; check the words with `{shell_command("transcript", "search", phrase)}`'
        )
    if occurrence is not None:
        if not 1 <= occurrence <= len(hits):
            raise InvalidInput(f'"{phrase}" occurs {len(hits)} times; --occurrence must be 1 to {len(hits)}')
        return hits[occurrence - 1]
    if len(hits) > 1:
        index = LineIndex(text)
        where = ", ".join(str(index.line_of(s)) for s, _ in hits[:8])
        raise InvalidInput(
            f'"{phrase}" occurs {len(hits)} times (lines {where}); add --occurrence N or a longer phrase'
        )
    return hits[0]


def _trim_whitespace(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
