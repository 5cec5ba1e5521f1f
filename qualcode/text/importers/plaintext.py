"""Plain text and Markdown transcripts: speaker-prefixed lines, continuation lines, or plain prose.

The same labelled-line parser also reads .docx paragraphs (see docx_transcript), so the rules
live here once: a line with an accepted label opens a turn, a line without one continues the
turn before it, and lines before the first label are the preamble.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import pairwise

from qualcode.text.importers.base import (
    F4_TIME,
    TOOL_BOILERPLATE,
    ParsedTranscript,
    ParsedTurn,
    SourceLine,
    join_lines,
    normalise_text,
    parse_timestamp,
    preamble_text,
)
from qualcode.text.importers.speakers import LabelCandidate, accepted_labels, split_label, strip_leading_time


def parse_text(text: str) -> ParsedTranscript:
    return parse_lines(text_lines(text), "text")


def parse_markdown(text: str) -> ParsedTranscript:
    lines, front_matter = markdown_lines(text)
    return parse_lines(lines, "markdown", preamble=front_matter)


@dataclass
class _Draft:
    speaker: str | None
    timestamp: float | None
    lines: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        """A continuation line; its leading time dates the turn if the label line had none
        (aTrain writes "SPEAKER_00" alone, then "[00:00:07] - words")."""
        timestamp, text = strip_leading_time(text.strip())
        if self.timestamp is None and not join_lines(self.lines):
            self.timestamp = timestamp
        self.lines.append(text)


# A closing line that marks the end of the recording, not something said.
_END_MARK = re.compile(
    r"^[\[(*_]*\s*end\s+of\s+(?:the\s+)?(?:interview|transcript|transcription|recording|tape|session)"
    r"\s*[.\])*_]*$",
    re.IGNORECASE,
)
# f4 / f5transkript put "#00:01:23-4#" at the end of each paragraph: the time that paragraph ends,
# so the time the next turn starts. They are never part of what was said.
_F4_MARKS = re.compile(r"\s*" + F4_TIME)
_OPENING_F4_MARK = re.compile(F4_TIME + r"\s*")


def parse_lines(lines: list[SourceLine], fmt: str, preamble: list[str] | None = None) -> ParsedTranscript:
    """Turns from lines: labelled if the document has speaker labels, else one turn per paragraph."""
    lines, end_times = _without_f4_marks(_without_closing_lines(lines))
    candidates = [None if line.heading or line.speaker else split_label(line) for line in lines]
    speakers = accepted_labels(c for c in candidates if c)
    if not speakers and not any(line.speaker for line in lines):
        return _without_speakers(lines, fmt, list(preamble or []))
    front = _front_matter_labels(candidates, speakers)
    running_heads = _running_heads(lines, candidates, speakers)

    drafts: list[_Draft] = []
    skipped = list(preamble or [])
    skipped_speech = headings_inside = heads = 0
    pending_time: float | None = None
    for index, (line, candidate) in enumerate(zip(lines, candidates)):
        if line.heading:
            if drafts:
                headings_inside += 1
            else:
                skipped.append(line.text)
        elif line.speaker:
            drafts.append(_Draft(line.speaker.strip(), _first(line.timestamp, pending_time), [line.text]))
            pending_time = None
        elif index < front:
            skipped.append(line.text)
            skipped_speech += 1
        elif candidate and candidate.label.casefold() in speakers:
            drafts.append(_Draft(candidate.label, _first(candidate.timestamp, pending_time), [candidate.rest]))
            pending_time = None
        elif (time := _time_only(line.text)) is not None:
            pending_time = time
        elif drafts and line.text.strip() in running_heads:
            heads += 1
        elif drafts:
            drafts[-1].add(line.text)
            pending_time = None
        else:
            skipped.append(line.text)
            skipped_speech += 1
        if index in end_times:
            pending_time = end_times[index]

    turns = [ParsedTurn(d.speaker, join_lines(d.lines), d.timestamp) for d in drafts]
    warnings = []
    if skipped_speech:
        warnings.append(f"{skipped_speech} line(s) before the first speaker label kept as the preamble, not as turns")
    if headings_inside:
        warnings.append(f"skipped {headings_inside} heading(s) between turns")
    if heads:
        warnings.append(f"left out {heads} page header or page number line(s) between turns")
    empty = [t.speaker for t in turns if t.speaker and not t.text]
    if empty:
        warnings.append(f"skipped {len(empty)} speaker label(s) with no words after them ({', '.join(empty)})")
    return ParsedTranscript([t for t in turns if t.text], fmt, None, preamble_text(skipped), warnings)


def _without_speakers(lines: list[SourceLine], fmt: str, skipped: list[str]) -> ParsedTranscript:
    drafts: list[_Draft] = []
    headings_inside = 0
    pending_time: float | None = None
    for line in lines:
        if line.heading:
            if drafts:
                headings_inside += 1
            else:
                skipped.append(line.text)
            continue
        if (time := _time_only(line.text)) is not None:
            pending_time = time
            continue
        timestamp, text = strip_leading_time(line.text.strip())
        if line.new_paragraph or not drafts:
            drafts.append(_Draft(None, _first(line.timestamp, timestamp, pending_time)))
            pending_time = None
        drafts[-1].lines.append(text)
    warnings = ["no speaker labels found: each paragraph is a turn without a speaker"]
    if headings_inside:
        warnings.append(f"skipped {headings_inside} heading(s) between paragraphs")
    turns = [ParsedTurn(None, text, d.timestamp) for d in drafts if (text := join_lines(d.lines))]
    return ParsedTranscript(turns, fmt, None, preamble_text(skipped), warnings)


def _without_closing_lines(lines: list[SourceLine]) -> list[SourceLine]:
    """The lines without closing ones nobody said: "END OF INTERVIEW" (or transcript, recording
    ...), "Transcribed by https://otter.ai", "Jane Doe stopped transcription"."""
    while lines and (_END_MARK.match(last := lines[-1].text.strip()) or TOOL_BOILERPLATE.match(last)):
        lines = lines[:-1]
    return lines


def _without_f4_marks(lines: list[SourceLine]) -> tuple[list[SourceLine], dict[int, float]]:
    """The lines without their f4 time marks, and the last mark of each line that had one.

    A mark opening a line ("#00:00:08-3# B: ...", as MAXQDA writes them) is left for the label
    parser, which reads it as the time the turn starts.
    """
    end_times: dict[int, float] = {}
    cleaned: list[SourceLine] = []
    for index, line in enumerate(lines):
        text = line.text.strip()
        opening = _OPENING_F4_MARK.match(text)
        head, body = (text[: opening.end()], text[opening.end() :]) if opening else ("", text)
        marks = list(_F4_MARKS.finditer(body))
        if marks:
            end_times[index] = parse_timestamp(marks[-1].group("f4"))
            line = replace(line, text=head + _F4_MARKS.sub("", body).strip())
        cleaned.append(line)
    return cleaned, end_times


def _running_heads(lines: list[SourceLine], candidates: list[LabelCandidate | None], speakers: set[str]) -> set[str]:
    """Lines that are page furniture, not speech: "Page 3 of 12", and the title lines before the
    first turn when they come back later (a transcript copied out of a paginated document)."""
    opening = [bool(line.speaker or (c and c.label.casefold() in speakers)) for line, c in zip(lines, candidates)]
    first = opening.index(True) if True in opening else len(lines)
    before = {text for line in lines[:first] if not line.heading and len(text := line.text.strip()) >= 12}
    later = {line.text.strip() for line in lines[first:]}
    return {text for text in later if _PAGE_NUMBER.match(text)} | (before & later)


_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d+\s+(?:of|/)\s+\d+$|^-\s*\d+\s*-$", re.IGNORECASE)


def _front_matter_labels(candidates: list[LabelCandidate | None], speakers: set[str]) -> int:
    """How many leading lines are a details block, not turns ("Interviewee: female, 71").

    Such lines look like labelled turns, but their label is used only there, and their value is
    short and not a sentence. The block ends at the first label that recurs.
    """
    counts = Counter(c.label.casefold() for c in candidates if c and c.label.casefold() in speakers)
    front = 0
    for index, candidate in enumerate(candidates):
        if candidate is None or candidate.label.casefold() not in speakers:
            continue
        if counts[candidate.label.casefold()] >= 2:
            return front
        if len(candidate.rest.split()) > _DETAIL_WORDS or candidate.rest.rstrip().endswith(_STATEMENT_END):
            return front
        front = index + 1
    return 0


_DETAIL_WORDS = 10
_STATEMENT_END = tuple(".?!…")


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)


def _time_only(text: str) -> float | None:
    """The time on a line that holds nothing else ("[00:12:03]"), which dates the next turn."""
    timestamp, rest = strip_leading_time(text.strip())
    return timestamp if timestamp is not None and not rest.strip() else None


# --- plain text -------------------------------------------------------------------------------

_SENTENCE_END = tuple('.?!:;"”’)…]')


def text_lines(text: str) -> list[SourceLine]:
    """One SourceLine per non-blank line; in hard-wrapped text only a blank line starts a paragraph."""
    raw = normalise_text(text).split("\n")
    wrapped = _is_hard_wrapped(raw)
    lines: list[SourceLine] = []
    after_blank = True
    for line in raw:
        if not line.strip():
            after_blank = True
            continue
        lines.append(SourceLine(line.strip(), new_paragraph=after_blank or not wrapped))
        after_blank = False
    return lines


def _is_hard_wrapped(raw: list[str]) -> bool:
    """Text wrapped at a fixed width breaks lines mid-sentence: no end punctuation, lowercase next."""
    joins = [(a.strip(), b.strip()) for a, b in pairwise(raw) if a.strip() and b.strip()]
    mid_sentence = sum(1 for a, b in joins if not a.endswith(_SENTENCE_END) and b[0].islower())
    return bool(joins) and mid_sentence >= 0.3 * len(joins)


# --- Markdown ---------------------------------------------------------------------------------

_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_RULE = re.compile(r"^(?:[-*_=]\s*){3,}$")
_COMMENT = re.compile(r"^<!--.*-->$")
_BLOCK_PREFIX = re.compile(r"^(?:>\s?)+|^[-*+]\s+")
_EMPHASISED_START = re.compile(r"^(\*\*|__|\*|_)(?P<inner>[^*_\n]{1,45}?)\1(?P<after>.*)$")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*\\])\*(?=\S)([^*]+?)(?<=\S)\*|(?<![\w\\])_(?=\S)([^_]+?)(?<=\S)_(?!\w)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")


def markdown_lines(text: str) -> tuple[list[SourceLine], list[str]]:
    """SourceLines of a Markdown document, and its front matter (kept for the preamble)."""
    raw = normalise_text(text).split("\n")
    front_matter: list[str] = []
    if raw and raw[0].strip() in ("---", "+++"):
        fence = raw[0].strip()
        end = next((i for i in range(1, len(raw)) if raw[i].strip() in (fence, "...")), None)
        if end is not None:
            front_matter, raw = raw[1:end], raw[end + 1 :]
    lines: list[SourceLine] = []
    after_blank = True
    for line in raw:
        stripped = line.strip()
        if not stripped or _RULE.match(stripped) or _COMMENT.match(stripped):
            after_blank = after_blank or not stripped
            continue
        if heading := _HEADING.match(stripped):
            lines.append(SourceLine(_plain(heading.group(1)), heading=True))
        else:
            lines.append(_markdown_line(_BLOCK_PREFIX.sub("", stripped), after_blank))
        after_blank = False
    return lines, front_matter


def _markdown_line(text: str, new_paragraph: bool) -> SourceLine:
    """ "**P1:** text" and "**Interviewer**: text" become "P1: text" with "P1:" marked as emphasised."""
    match = _EMPHASISED_START.match(text)
    if not match:
        return SourceLine(_plain(text), new_paragraph)
    inner, after = match.group("inner"), match.group("after")
    return SourceLine(_plain(inner + after), new_paragraph, emphasis=inner.strip())


def _plain(text: str) -> str:
    text = _STRONG.sub(r"\2", text)
    text = _EM.sub(lambda m: m.group(1) or m.group(2), text)
    return _ESCAPE.sub(r"\1", text)
