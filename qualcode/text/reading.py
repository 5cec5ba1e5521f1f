"""Selecting the lines of a transcript a reader asked for, with their turn and speaker."""

from __future__ import annotations

from typing import Any

from qualcode.errors import InvalidInput
from qualcode.names import spelled_as_stored, unknown_name_message
from qualcode.text.corpus import StoredTranscript
from qualcode.text.transcripts import LineIndex, parse_range


def select_lines(
    stored: StoredTranscript,
    *,
    lines: str | None = None,
    turns: str | None = None,
    speaker: str | None = None,
) -> list[dict[str, Any]]:
    """Each line: number, text, turn number, whether the turn starts there, speaker, label end.

    A range that runs past the end of the transcript gives what there is (see `past_the_end`);
    one that starts past it is refused."""
    index = LineIndex(stored.text)
    first_line, last_line = 1, len(index)
    if lines:
        first_line, last_line = parse_range(lines, "lines")
        if first_line < 1 or first_line > len(index):
            raise InvalidInput(f"--lines {lines} is outside {stored.name}, which has {len(index)} lines")
        last_line = min(last_line, len(index))
    wanted_turns = None
    if turns:
        first_turn, last_turn = parse_range(turns, "turns")
        if first_turn < 1 or first_turn > len(stored.turns):
            raise InvalidInput(f"--turns {turns} is outside {stored.name}, which has {len(stored.turns)} turns")
        wanted_turns = range(first_turn, min(last_turn, len(stored.turns)) + 1)
    if speaker:
        known = {t.speaker for t in stored.turns if t.speaker}
        found = spelled_as_stored(speaker, known)  # p6 for P6, O'Neil for O’Neil
        if found is None:
            raise InvalidInput(unknown_name_message(f"speaker in {stored.name}", speaker, sorted(known)))
        speaker = found
    selected = []
    turn_iter = iter(stored.turns)
    turn = next(turn_iter, None)
    for number in range(first_line, last_line + 1):
        start, end = index.line_span(number)
        while turn is not None and turn.end < start:
            turn = next(turn_iter, None)
        current = None if turn is not None and not turn.start <= start <= turn.end else turn
        if wanted_turns is not None and (current is None or current.number not in wanted_turns):
            continue
        if speaker and (current is None or current.speaker != speaker):
            continue
        # The turn this line opens, if it opens one: its speaker label and timestamp are on it.
        opened = current if current is not None and current.start == start else None
        selected.append(
            {
                "line": number,
                "turn": current.number if current else None,
                "turn_starts": opened is not None,
                "speaker": current.speaker if current else None,
                # a label may be a line of its own (Otter's "Jane Doe  0:13" kept in place)
                "label_end": (min(opened.body_start, end) - start) if opened else 0,
                "timestamp": opened.timestamp if opened else None,
                "start": start,
                "end": end,
                "text": stored.text[start:end],
            }
        )
    return selected


def past_the_end(stored: StoredTranscript, *, lines: str | None = None, turns: str | None = None) -> str | None:
    """What to tell a reader whose range runs past the end: "P21 ends at line 10"."""
    if lines and parse_range(lines, "lines")[1] > len(LineIndex(stored.text)):
        return f"{stored.name} ends at line {len(LineIndex(stored.text))}"
    if turns and parse_range(turns, "turns")[1] > len(stored.turns):
        return f"{stored.name} ends at turn {len(stored.turns)}"
    return None
