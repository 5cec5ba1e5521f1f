"""Speaker turns found in a text that must stay exactly as it is.

A transcript imported from another program carries codings at character positions, so its text
cannot be re-laid out the way `qualcode transcript import` lays out a file. Turns are found in
place instead: a line that starts with an accepted speaker label ("P3:", "Interviewer:") opens a
turn that runs to the last non-blank line before the next one; without labels each paragraph is a
turn with no speaker. Lines before the first label form a turn without a speaker.
"""

from __future__ import annotations

from qualcode.text.importers.base import ParsedTurn, SourceLine
from qualcode.text.importers.speakers import (
    LabelCandidate,
    accepted_labels,
    guess_interviewer,
    split_label,
)
from qualcode.text.ingest import PSEUDONYM
from qualcode.text.transcripts import LaidOut, Turn

# A label, with a time before or after it, ends in a colon or tab within this many characters;
# lines without one there are not looked at further (most lines of a long answer).
_LABEL_WINDOW = 120


def _candidate(line: str) -> LabelCandidate | None:
    head = line[:_LABEL_WINDOW]
    if ":" not in head and "\t" not in head:
        return None
    return split_label(SourceLine(line), bare=False)


def turns_in_place(text: str) -> tuple[LaidOut, str | None]:
    """The text unchanged with the turns found in it, and the interviewer's label (guessed)."""
    lines: list[tuple[int, str, LabelCandidate | None]] = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((position, line, _candidate(line)))
        position += len(line) + 1
    speakers = accepted_labels(c for _, _, c in lines if c)
    spans: list[list] = []  # [start, body start, end, speaker, time]
    names: dict[str, str] = {}
    previous_end = None
    for start, line, candidate in lines:
        end = start + len(line.rstrip())
        if candidate is not None and candidate.label.casefold() in speakers:
            speaker = names.setdefault(candidate.label.casefold(), candidate.label)
            # the words after the label are the end of the line, whatever precedes them
            spans.append([start, end - len(candidate.rest), end, speaker, candidate.timestamp])
        elif not spans or (not speakers and "\n\n" in text[previous_end:start]):
            first = start + len(line) - len(line.lstrip())
            spans.append([first, first, end, None, None])
        else:
            spans[-1][2] = end
        previous_end = end
    interviewer = guess_interviewer([ParsedTurn(s[3], text[s[1] : s[2]], s[4]) for s in spans])
    turns = [
        Turn(number, speaker, start, body, end, timestamp, bool(interviewer) and speaker == interviewer)
        for number, (start, body, end, speaker, timestamp) in enumerate(spans, start=1)
    ]
    return LaidOut(text, turns), interviewer


def participant_from_speakers(turns: list[Turn], interviewer: str | None) -> str | None:
    """As `transcript import` decides: a transcript whose only other speaker is labelled like a
    pseudonym (P3) belongs to that participant."""

    others = {t.speaker for t in turns if t.speaker and t.speaker != interviewer}
    if len(others) == 1:
        (speaker,) = others
        if PSEUDONYM.match(speaker):
            return speaker.replace(" ", "")
    return None
