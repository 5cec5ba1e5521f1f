"""Speaker turns found in a text that must stay exactly as it is.

A transcript imported from another program carries codings at character positions, so its text
cannot be re-laid out the way `qualcode transcript import` lays out a file. Turns are found in
place instead: a line that starts with an accepted speaker label ("P3:", "Interviewer:") opens a
turn that runs to the last non-blank line before the next one; without labels each paragraph is a
turn with no speaker. Lines before the first label form a turn without a speaker.
"""

from __future__ import annotations

import re

from qualcode.importers.base import ParsedTurn, SourceLine
from qualcode.importers.speakers import accepted_labels, guess_interviewer, split_label
from qualcode.transcripts import LaidOut, Turn

_LINE = re.compile(r"[^\n]*")


def turns_in_place(text: str) -> tuple[LaidOut, str | None]:
    """The text unchanged with the turns found in it, and the interviewer's label (guessed)."""
    lines = [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group().strip()]
    candidates = [split_label(SourceLine(line), bare=False) for _, line in lines]
    speakers = accepted_labels(c for c in candidates if c)
    spans: list[tuple[int, int, int, str | None, float | None]] = []  # start, body start, end, speaker, time
    previous_end = None
    names: dict[str, str] = {}
    for (start, line), candidate in zip(lines, candidates):
        end = start + len(line.rstrip())
        labelled = candidate is not None and candidate.label.casefold() in speakers
        new_paragraph = previous_end is None or "\n\n" in text[previous_end:start]
        if labelled:
            speaker = names.setdefault(candidate.label.casefold(), candidate.label)
            # the words after the label are the end of the line, whatever precedes them
            spans.append((start, end - len(candidate.rest), end, speaker, candidate.timestamp))
        elif not spans or (not speakers and new_paragraph):
            first = start + len(line) - len(line.lstrip())
            spans.append((first, first, end, None, None))
        else:
            spans[-1] = (*spans[-1][:2], end, *spans[-1][3:])
        previous_end = end
    turns = [
        Turn(number, speaker, start, body, end, timestamp)
        for number, (start, body, end, speaker, timestamp) in enumerate(spans, start=1)
    ]
    interviewer = guess_interviewer([ParsedTurn(t.speaker, text[t.body_start : t.end], t.timestamp) for t in turns])
    if interviewer:
        turns = [
            Turn(t.number, t.speaker, t.start, t.body_start, t.end, t.timestamp, t.speaker == interviewer)
            for t in turns
        ]
    return LaidOut(text, turns), interviewer


def participant_from_speakers(turns: list[Turn], interviewer: str | None) -> str | None:
    """As `transcript import` decides: a transcript whose only other speaker is labelled like a
    pseudonym (P3) belongs to that participant."""
    from qualcode.importing import PSEUDONYM

    others = {t.speaker for t in turns if t.speaker and t.speaker != interviewer}
    if len(others) == 1:
        (speaker,) = others
        if PSEUDONYM.match(speaker):
            return speaker.replace(" ", "")
    return None
