"""Speaker turns found in a text that must stay exactly as it is.

A transcript imported from another program carries codings at character positions, so its text
cannot be re-laid out the way `qualcode transcript import` lays out a file. Turns are found in
place instead, in one of two layouts:

- labelled lines: a line that starts with an accepted speaker label ("P3:", "Interviewer:")
  opens a turn that runs to the last non-blank line before the next one;
- export headers, as Otter and Teams write them and QualCoder or another program keeps them: a
  line "Jane Doe  0:13" (name, two spaces or a tab, the time) opens a turn whose words are the
  lines after it; the header line is the turn's label, so `--turns` codes only the words.

Without either, each paragraph is a turn with no speaker. Lines before the first turn, and a
tool's footer ("Transcribed by https://otter.ai"), are turns without a speaker.
"""

from __future__ import annotations

from collections import Counter

from qualcode.text.importers.autotranscript import name_time_header
from qualcode.text.importers.base import TOOL_BOILERPLATE, ParsedTurn, SourceLine
from qualcode.text.importers.speakers import (
    LabelCandidate,
    accepted_labels,
    guess_interviewer,
    is_known_label,
    split_label,
)
from qualcode.text.ingest import PSEUDONYM
from qualcode.text.transcripts import LaidOut, Turn

# A label, with a time before or after it, ends in a colon or tab within this many characters;
# lines without one there are not looked at further (most lines of a long answer).
_LABEL_WINDOW = 120
_HEADER_MAX_CHARS = 80

_Span = list  # [start, body start, end, speaker, time]


def _candidate(line: str) -> LabelCandidate | None:
    head = line[:_LABEL_WINDOW]
    if ":" not in head and "\t" not in head and not head.startswith(("Q. ", "A. ")):
        return None
    return split_label(SourceLine(line), bare=False)


def _header(line: str) -> tuple[str, float, bool] | None:
    stripped = line.strip()
    if len(stripped) > _HEADER_MAX_CHARS or ":" not in stripped:
        return None
    return name_time_header(stripped)


def turns_in_place(text: str) -> tuple[LaidOut, str | None]:
    """The text unchanged with the turns found in it, and the interviewer's label (guessed)."""
    lines: list[tuple[int, str]] = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((position, line))
        position += len(line) + 1
    headers = _accepted_headers([_header(line) for _, line in lines])
    candidates = [_candidate(line) for _, line in lines]
    speakers = accepted_labels(c for c in candidates if c)
    labelled = sum(1 for c in candidates if c is not None and c.label.casefold() in speakers)
    if sum(1 for h in headers if h) >= max(2, labelled):
        spans = _header_spans(text, lines, headers)
    else:
        spans = _label_spans(text, lines, candidates, speakers)
    interviewer = guess_interviewer([ParsedTurn(s[3], text[s[1] : s[2]], s[4]) for s in spans])
    turns = [
        Turn(number, speaker, start, body, end, timestamp, bool(interviewer) and speaker == interviewer)
        for number, (start, body, end, speaker, timestamp) in enumerate(spans, start=1)
    ]
    return LaidOut(text, turns), interviewer


def _accepted_headers(found: list[tuple[str, float, bool] | None]) -> list[tuple[str, float] | None]:
    """Header lines whose name recurs (or is a role, "Speaker 1"); a one-off header-like line is
    words ("Chapter two  1:15"), and so is a one-space header unless its name recurs."""
    counts = Counter(h[0] for h in found if h)
    return [(h[0], h[1]) if h and (counts[h[0]] >= 2 or (is_known_label(h[0]) and not h[2])) else None for h in found]


def _label_spans(
    text: str, lines: list[tuple[int, str]], candidates: list[LabelCandidate | None], speakers: set[str]
) -> list[_Span]:
    spans: list[_Span] = []
    names: dict[str, str] = {}
    previous_end = None
    for (start, line), candidate in zip(lines, candidates):
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
    return spans


def _header_spans(text: str, lines: list[tuple[int, str]], headers: list[tuple[str, float] | None]) -> list[_Span]:
    """Turns from export headers: from the header line to the last line of words before the next
    header; the words start on the first line after the header."""
    spans: list[_Span] = []
    open_words = False  # the last span is a header's turn still waiting for its first words
    for (start, line), header in zip(lines, headers):
        first = start + len(line) - len(line.lstrip())
        end = start + len(line.rstrip())
        if header:
            spans.append([first, end, end, header[0], header[1]])
            open_words = True
        elif TOOL_BOILERPLATE.match(line.strip()) or not spans:
            spans.append([first, first, end, None, None])
            open_words = False
        elif open_words:
            spans[-1][1], spans[-1][2] = first, end
            open_words = False
        else:
            spans[-1][2] = end
    return spans


def participant_from_speakers(turns: list[Turn], interviewer: str | None) -> str | None:
    """As `transcript import` decides: a transcript whose only other speaker is labelled like a
    pseudonym (P3) belongs to that participant."""

    others = {t.speaker for t in turns if t.speaker and t.speaker != interviewer}
    if len(others) == 1:
        (speaker,) = others
        if PSEUDONYM.match(speaker):
            return speaker.replace(" ", "")
    return None
