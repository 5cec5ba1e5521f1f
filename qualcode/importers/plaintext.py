"""Plain text and Markdown transcripts: speaker-prefixed lines, continuation lines, or plain prose.

The same labelled-line parser also reads .docx paragraphs (see docx_transcript), so the rules
live here once: a line with an accepted label opens a turn, a line without one continues the
turn before it, and lines before the first label are the preamble.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from qualcode.importers.base import (
    ParsedTranscript,
    ParsedTurn,
    SourceLine,
    join_lines,
    normalise_text,
    preamble_text,
)
from qualcode.importers.speakers import accepted_labels, split_label, strip_leading_time


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


def parse_lines(lines: list[SourceLine], fmt: str, preamble: list[str] | None = None) -> ParsedTranscript:
    """Turns from lines: labelled if the document has speaker labels, else one turn per paragraph."""
    candidates = [None if line.heading or line.speaker else split_label(line) for line in lines]
    speakers = accepted_labels(c for c in candidates if c)
    if not speakers and not any(line.speaker for line in lines):
        return _without_speakers(lines, fmt, list(preamble or []))

    drafts: list[_Draft] = []
    skipped = list(preamble or [])
    skipped_speech = headings_inside = 0
    pending_time: float | None = None
    for line, candidate in zip(lines, candidates):
        if line.heading:
            if drafts:
                headings_inside += 1
            else:
                skipped.append(line.text)
        elif line.speaker:
            drafts.append(_Draft(line.speaker.strip(), _first(line.timestamp, pending_time), [line.text]))
            pending_time = None
        elif candidate and candidate.label.casefold() in speakers:
            drafts.append(_Draft(candidate.label, _first(candidate.timestamp, pending_time), [candidate.rest]))
            pending_time = None
        elif (time := _time_only(line.text)) is not None:
            pending_time = time
        elif drafts:
            drafts[-1].lines.append(strip_leading_time(line.text.strip())[1])
            pending_time = None
        else:
            skipped.append(line.text)
            skipped_speech += 1

    turns = [ParsedTurn(d.speaker, join_lines(d.lines), d.timestamp) for d in drafts]
    warnings = []
    if skipped_speech:
        warnings.append(f"{skipped_speech} line(s) before the first speaker label kept as the preamble, not as turns")
    if headings_inside:
        warnings.append(f"skipped {headings_inside} heading(s) between turns")
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
