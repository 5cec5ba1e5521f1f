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
    AS_FOUND,
    F4_TIME,
    TOOL_BOILERPLATE,
    ParsedTranscript,
    ParsedTurn,
    SourceLine,
    SpeakerChoice,
    join_lines,
    normalise_text,
    parse_timestamp,
    preamble_text,
)
from qualcode.text.importers.speakers import (
    LabelCandidate,
    accepted_labels,
    forced_label,
    looks_like_label,
    split_label,
    strip_leading_time,
)
from qualcode.wording import counted


def parse_text(text: str, choice: SpeakerChoice = AS_FOUND, normalised: bool = False) -> ParsedTranscript:
    """normalised: the text has been through normalise_text already (it is not done twice)."""
    return parse_lines(text_lines(text, normalised), "text", choice=choice)


def parse_markdown(text: str, choice: SpeakerChoice = AS_FOUND, normalised: bool = False) -> ParsedTranscript:
    lines, front_matter = markdown_lines(text, normalised)
    return parse_lines(lines, "markdown", preamble=front_matter, choice=choice)


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


# A line that marks where the recording or a tape ends or starts, not something said:
# "END OF INTERVIEW", "[End of Tape 1, Side A]", "[Begin Audio File 2 bell_02.mp3]".
_RECORDING_MARK = re.compile(
    r"^[\[(*_]*\s*(?:end|begin(?:ning)?|start)\s+(?:of\s+)?(?:the\s+)?"
    r"(?:interview|transcript|transcription|recording|tape|side|session|audio(?:\s+file)?|video(?:\s+file)?|part)"
    r"(?:[\s,:;#-]*(?:\d{1,3}|[AB]|one|two|three|four|side|tape|part|of|\d{1,2}:\d{2}(?::\d{2})?"
    r"|[\w-]+\.(?:mp3|wav|m4a|mp4|wma)))*\s*[.\])*_]*$",
    re.IGNORECASE,
)
# f4 / f5transkript put "#00:01:23-4#" at the end of each paragraph: the time that paragraph ends,
# so the time the next turn starts. They are never part of what was said.
_F4_MARKS = re.compile(r"\s*" + F4_TIME)
_OPENING_F4_MARK = re.compile(F4_TIME + r"\s*")


def parse_lines(
    lines: list[SourceLine], fmt: str, preamble: list[str] | None = None, choice: SpeakerChoice = AS_FOUND
) -> ParsedTranscript:
    """Turns from lines: labelled if the document has speaker labels, else one turn per paragraph."""
    dropped: list[str] = []
    lines = _without_marks(_with_voice_tags(lines), dropped)
    lines, end_times = _without_f4_marks(lines)
    if choice.none:
        return _without_speakers(lines, fmt, list(preamble or []), dropped, warn=False)
    forced = choice.labels
    candidates = [None if line.heading or line.speaker else _candidate(line, forced) for line in lines]
    speakers = set(forced) if forced else accepted_labels(c for c in candidates if c)
    if not speakers and not any(line.speaker for line in lines):
        return _without_speakers(lines, fmt, list(preamble or []), dropped)
    details, named = _details_header(lines, candidates, speakers)
    front = max(details, _front_matter_labels(candidates, speakers))
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
            skipped_speech += index >= details
        elif candidate and candidate.label.casefold() in speakers:
            drafts.append(_Draft(candidate.label, _first(candidate.timestamp, pending_time), [candidate.rest]))
            pending_time = None
        elif (time := _time_only(line.text)) is not None:
            pending_time = time
        elif drafts and line.text.strip() in running_heads:
            heads += 1
            dropped.append(line.text.strip())
        elif drafts:
            drafts[-1].add(line.text)
            pending_time = None
        else:
            skipped.append(line.text)
            skipped_speech += 1
        if index in end_times:
            pending_time = end_times[index]

    turns = [ParsedTurn(d.speaker, join_lines(d.lines), d.timestamp) for d in drafts]
    if not forced and sum(1 for t in turns if not t.text) > sum(1 for t in turns if t.text):
        # Most "labels" have no words after them: the file is a list of names or headings, not turns.
        plain = _without_speakers(lines, fmt, list(preamble or []), dropped, warn=False)
        plain.warnings.append(
            "most lines look like speaker labels with no words after them; read as paragraphs without speakers"
        )
        return plain
    warnings = []
    if skipped_speech:
        warnings.append(
            f"{counted(skipped_speech, 'line')} before the first speaker label kept as the preamble, not as turns"
        )
    if headings_inside:
        warnings.append(f"skipped {counted(headings_inside, 'heading')} between turns")
    if heads:
        warnings.append(f"left out {counted(heads, 'page header or page number line')} between turns")
    empty = [t.speaker for t in turns if t.speaker and not t.text]
    if empty:
        warnings.append(f"skipped {counted(len(empty), 'speaker label')} with no words after them ({', '.join(empty)})")
    parsed = ParsedTranscript([t for t in turns if t.text], fmt, None, preamble_text(skipped), warnings, dropped)
    parsed.interviewer_named = named
    return parsed


def _candidate(line: SourceLine, forced: dict[str, str]) -> LabelCandidate | None:
    return forced_label(line.text, forced) if forced else split_label(line)


def _without_speakers(
    lines: list[SourceLine], fmt: str, skipped: list[str], dropped: list[str], warn: bool = True
) -> ParsedTranscript:
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
    warnings = ["no speaker labels found: each paragraph is a turn without a speaker"] if warn else []
    if headings_inside:
        warnings.append(f"skipped {counted(headings_inside, 'heading')} between paragraphs")
    turns = [ParsedTurn(None, text, d.timestamp) for d in drafts if (text := join_lines(d.lines))]
    return ParsedTranscript(turns, fmt, None, preamble_text(skipped), warnings, dropped)


def _without_marks(lines: list[SourceLine], dropped: list[str]) -> list[SourceLine]:
    """The lines without those nobody said, wherever they are: "END OF INTERVIEW", "[End of
    Tape 1, Side A]", "Transcribed by https://otter.ai", "Jane Doe stopped transcription",
    "Meeting ended after 00:50:32"."""
    kept = []
    for line in lines:
        text = line.text.strip()
        if not line.speaker and (TOOL_BOILERPLATE.match(text) or _RECORDING_MARK.match(text)):
            dropped.append(text)
        else:
            kept.append(line)
    return kept


# WebVTT voice tags in a text file (a caption file's words copied into .txt or .docx):
# "<v Jane Doe>Hello.</v>". The other caption tags around them go too.
_VOICE_TAG = re.compile(r"<v(?:\.[\w.-]+)*\s+([^<>]*)>", re.IGNORECASE)
_CUE_TIMING = re.compile(r"^(?P<start>(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s*-->\s*\S+")
_CUE_ID = re.compile(r"\d+|[0-9a-fA-F-]{8,}(?:/\d+-\d+)?")
_CAPTION_TAGS = re.compile(r"</?(?:v|c|i|b|u|lang|ruby|rt)(?:\.[\w.-]+)*(?:\s[^<>]*)?>|<\d[\d:.]*>", re.IGNORECASE)


def _with_voice_tags(lines: list[SourceLine]) -> list[SourceLine]:
    """Lines with voice tags become lines of that speaker; the next line of the same voice
    continues. Cue timings among them (captions pasted under a title, so not read as a caption
    file) date the next voice, and cue ids before them go."""
    if not any("<v" in line.text or "<V" in line.text for line in lines):
        return lines
    converted: list[SourceLine] = []
    voice: str | None = None
    time: float | None = None
    for index, line in enumerate(lines):
        if timing := _CUE_TIMING.match(line.text.strip()):
            time = parse_timestamp(timing["start"])
            continue
        following = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
        if _CUE_ID.fullmatch(line.text.strip()) and _CUE_TIMING.match(following):
            continue
        parts = _VOICE_TAG.split(line.text)
        if len(parts) == 1:
            if text := _plain_caption(line.text):
                converted.append(replace(line, text=text))
            continue
        if before := _plain_caption(parts[0]):
            converted.append(replace(line, text=before))
        for name, words in zip(parts[1::2], parts[2::2]):
            name, words = _plain_caption(name), _plain_caption(words)
            if name and name != voice:
                converted.append(SourceLine(words, speaker=name, timestamp=time))
                voice = name
            elif words:
                converted.append(SourceLine(words, new_paragraph=False))
            time = None
    return converted


def _plain_caption(text: str) -> str:
    return " ".join(_CAPTION_TAGS.sub("", text).split())


# A details header, as archives and oral-history projects put above a transcript:
# "INTERVIEWEE: Margaret Bell", "INTERVIEWER: Ruth Adeyemi", "DATE: 3 May 2019", "PLACE: Leeds",
# "MARGARET BELL: An Interview Conducted by Ruth Adeyemi". Its lines look like labelled turns
# ("INTERVIEWER" may label turns further down), but they are the preamble.
_DETAIL_LINE = re.compile(r"^(?P<key>[^\W\d][\w .'’/()#&-]{0,40}?)\s*:\s*(?P<value>.*)$")
_DETAIL_KEY_WORDS = {
    "date", "dates", "place", "location", "venue", "time", "duration", "length", "transcriber", "transcribed",
    "transcription", "tape", "tapes", "project", "collection", "series", "accession", "restrictions",
    "language", "languages", "recorded", "recording", "session", "sessions", "study", "subject", "subjects",
    "topic", "topics", "keywords", "format", "number", "id", "copyright", "sponsor", "name", "occupation",
    "born", "birthplace", "audio", "file", "editor", "edited", "reviewed", "summary", "abstract", "title",
}  # fmt: skip
_ROLE_KEYS = {
    "interviewer", "interviewers", "interviewee", "interviewees", "narrator", "narrators", "respondent",
    "participant", "informant", "interviewed by", "conducted by",
}  # fmt: skip
_INTERVIEWER_KEYS = {"interviewer", "interviewers", "interviewed by", "conducted by"}
_CONDUCTED_BY = re.compile(
    r"\b(?:interview(?:s|ed)?\s+(?:conducted\s+)?by|conducted\s+by)\s+(?P<name>[^,;()\n]+?)"
    r"\s*(?:$|[,;(]|\b(?:in|on|at|for)\b)",
    re.IGNORECASE,
)
_DETAIL_MAX_WORDS = 12
_DETAIL_SEARCH_LINES = 40


def _details_header(
    lines: list[SourceLine], candidates: list[LabelCandidate | None], speakers: set[str]
) -> tuple[int, str | None]:
    """How many leading lines are a details header, and whom it names as the interviewer.

    A header is two or more "KEY: value" lines at the top (after a title, perhaps), at least one
    of them a plain detail (a date, a place, a transcriber, a title line naming who conducted the
    interview); role keys ("INTERVIEWER:") count in it when their value is a name, not a sentence.
    """
    end = details = 0
    has_detail = False
    named: str | None = None
    for index, line in enumerate(lines[:_DETAIL_SEARCH_LINES]):
        text = line.text.strip()
        found = _DETAIL_LINE.match(text)
        conducted = _CONDUCTED_BY.search(text)
        if line.speaker or (line.heading and details):
            break
        if line.heading:
            continue
        if found and (kind := _detail_kind(found["key"], found["value"], conducted)):
            details += 1
            end = index + 1
            has_detail = has_detail or kind == "detail"
            key = " ".join(found["key"].split()).casefold()
            if conducted:
                named = conducted["name"].strip()
            elif key in _INTERVIEWER_KEYS and not named:
                named = found["value"].strip()
            continue
        if conducted and len(text.split()) <= 16:
            named, end, has_detail = conducted["name"].strip(), index + 1, True
            details += 1
            continue
        opening = candidates[index]
        if details or (opening and opening.label.casefold() in speakers) or len(text.split()) > _DETAIL_MAX_WORDS:
            break
    if details < 2 or not has_detail:
        return 0, None
    return end, named


def _detail_kind(key: str, value: str, conducted: re.Match[str] | None) -> str | None:
    """ "detail", "role" (an interviewer or narrator named) or None (not a details line)."""
    key = " ".join(key.split()).casefold()
    value = value.strip()
    if conducted:
        return "detail"
    if len(key.split()) > 4 or len(value.split()) > _DETAIL_MAX_WORDS or value.endswith(("?", "!")):
        return None
    if key in _ROLE_KEYS:
        sentence = value.endswith((".", "…")) and not looks_like_label(value)
        return None if sentence or not value else "role"
    return "detail" if _DETAIL_KEY_WORDS & set(re.split(r"[\s/()#-]+", key)) else None


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
    before = [line.text.strip() for line in lines[:first] if not line.heading]
    later = [line.text.strip() for line, opens in zip(lines[first:], opening[first:]) if not opens]
    return page_furniture(before, later)


def page_furniture(before: list[str], later: list[str]) -> set[str]:
    """Which of the `later` lines (those among the turns) are page headers or page numbers, given
    the lines `before` the first turn (a title that comes back on every page)."""
    titles = {text for text in before if len(text) >= 12}
    return {text for text in later if _PAGE_NUMBER.match(text)} | (titles & set(later)) | _numbered_heads(later)


_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d+\s+(?:of|/)\s+\d+$|^-\s*\d+\s*-$|^page\s+\d+$", re.IGNORECASE)
# "Bell -- 12", "Margaret Bell Interview    Page 4", "Page 5", "13": a head and a page number.
_NUMBERED_HEAD = re.compile(
    r"^(?P<head>.*?[^\d\s\-–—|:,.])?[\s\-–—|:,.]*(?:page\s*)?(?P<number>\d{1,4})(?:\s*(?:of|/)\s*\d+)?$",
    re.IGNORECASE,
)


def _numbered_heads(lines: list[str]) -> set[str]:
    """Lines that are the same head with a page number that goes up: a head that recurs with
    rising numbers, or three or more bare numbers counting up one by one."""
    by_head: dict[str, list[tuple[int, str]]] = {}
    for text in lines:
        if len(text) <= 80 and text[-1:].isdigit() and (found := _NUMBERED_HEAD.match(text)):
            head = " ".join((found["head"] or "").split()).casefold()
            by_head.setdefault(head, []).append((int(found["number"]), text))
    heads: set[str] = set()
    for head, numbered in by_head.items():
        numbers = [n for n, _ in numbered]
        rising = all(b > a for a, b in pairwise(numbers))
        counting = all(b == a + 1 for a, b in pairwise(numbers))
        if len(numbered) >= 2 and rising and (head or (len(numbered) >= 3 and counting)):
            heads.update(text for _, text in numbered)
    return heads


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


def text_lines(text: str, normalised: bool = False) -> list[SourceLine]:
    """One SourceLine per non-blank line; in hard-wrapped text only a blank line starts a paragraph.

    A line that opens with bold Markdown ("**Jane Doe** 0:19", pasted from a Markdown export)
    has it read as emphasis, as in a Markdown file.
    """
    raw = (text if normalised else normalise_text(text)).split("\n")
    wrapped = _is_hard_wrapped(raw)
    lines: list[SourceLine] = []
    after_blank = True
    for line in raw:
        stripped = line.strip()
        if not stripped:
            after_blank = True
            continue
        new_paragraph = after_blank or not wrapped
        if stripped.startswith(("**", "__")):
            lines.append(_markdown_line(stripped, new_paragraph))
        else:
            lines.append(SourceLine(stripped, new_paragraph=new_paragraph))
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


def markdown_lines(text: str, normalised: bool = False) -> tuple[list[SourceLine], list[str]]:
    """SourceLines of a Markdown document, and its front matter (kept for the preamble)."""
    raw = (text if normalised else normalise_text(text)).split("\n")
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
