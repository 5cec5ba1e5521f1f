"""Speaker labels: telling "P1: ..." from "Note: she paused", and guessing who the interviewer is.

A line opens a turn when it starts with a short label and a colon (or a tab, or a bold label).
Anything can look like that once ("The reason was this: ..."), so a label counts only if it is a
known role ("Interviewer", "P3", "R", "Speaker 2") or it is name-shaped and recurs in the document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.importers.base import TIME_PATTERN, ParsedTurn, SourceLine, parse_timestamp

INTERVIEWER_ROLES = (
    "interviewer", "interviewerin", "int", "iv", "i", "q", "researcher", "moderator",
    "moderatorin", "facilitator", "host", "entrevistador", "entrevistadora",
)  # fmt: skip
PARTICIPANT_ROLES = ("participant", "interviewee", "respondent", "p", "r", "a", "ie", "guest", "pt")
_NEUTRAL_ROLES = ("speaker", "unknown speaker")


def _role_pattern(roles: Iterable[str]) -> re.Pattern[str]:
    # "P3", "P 3", "P03", "Participant #2", "Interviewer (JS)", "Int.", "Speaker 1"
    alternatives = "|".join(sorted(roles, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})\.?\s*[#-]?\s*(?:\d+[a-z]?)?(?:\s*\([^()]{{1,30}}\))?$", re.IGNORECASE)


_INTERVIEWER_LABEL = _role_pattern((*INTERVIEWER_ROLES, "question"))
_PARTICIPANT_LABEL = _role_pattern((*PARTICIPANT_ROLES, "answer"))
_KNOWN_LABEL = _role_pattern((*INTERVIEWER_ROLES, *PARTICIPANT_ROLES, *_NEUTRAL_ROLES))

# Words people put before a colon at the start of a line that are not speakers.
_NOT_SPEAKERS = {
    "note", "notes", "nb", "n.b", "ps", "p.s", "example", "examples", "e.g", "eg", "i.e", "tip", "warning",
    "update", "edit", "source", "sources", "ref", "reference", "see", "subject", "date", "time", "place",
    "location", "duration", "title", "summary", "keywords", "outline", "topic", "topics", "action", "items",
    "chapters", "quote", "translation", "transcriber", "comment", "comments", "context", "background",
    "observation", "aside", "footnote", "caveat", "reminder", "important", "fact", "definition", "result",
    "reason", "problem", "solution", "step", "option", "yes", "no", "ok", "okay", "so", "well", "and", "but",
    "then", "now", "first", "second", "third", "finally", "also", "plus", "anyway", "basically", "honestly",
    "actually", "action items", "transcriber's note", "transcriber’s note",
    # transcription marks that stand on a line of their own
    "pause", "long pause", "laughs", "laughter", "inaudible", "crosstalk", "silence", "interruption",
    "unclear", "overlapping", "music", "applause", "sighs", "coughs", "end", "break", "end of interview",
    "end of recording", "recording stopped", "recording resumed",
}  # fmt: skip
_PARTICLES = {
    "de", "da", "del", "della", "der", "den", "di", "du", "dos", "das", "van", "von", "la", "le", "bin", "al",
    "el", "ten", "ter", "y", "e", "af", "zu",
}  # fmt: skip
_LABEL_CHARS = re.compile(r"^[\w .'’()#&/-]+$")
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)$")
MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 4


@dataclass
class LabelCandidate:
    label: str  # cleaned: no colon, no emphasis markers
    rest: str  # the words after the label on the same line ("" when the label stands alone)
    timestamp: float | None  # a time written with the label ("[00:01:23] P1:", "P1 (01:23):")
    bare: bool = False  # a line holding only a label, no colon ("INTERVIEWER"): must recur to count


_LEADING_TIME = re.compile(
    rf"^(?:[\[(](?P<bracketed>{TIME_PATTERN})[\])]|(?P<bare>\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?)(?=\s|$))"
    r"\s*(?:[-–—]\s+)?"
)
_COLON_LABEL = re.compile(
    rf"^(?P<label>[^:\t\[\]]{{1,{MAX_LABEL_CHARS}}}?)\s*(?:[\[(](?P<time>{TIME_PATTERN})[\])]\s*)?"
    r"(?::(?=\s|$)|\t)\s*(?P<rest>.*)$",
    re.DOTALL,
)


def strip_leading_time(text: str) -> tuple[float | None, str]:
    """("[00:01:23] P1: Yes" -> (83.0, "P1: Yes")); a bare time needs hours to count."""
    match = _LEADING_TIME.match(text)
    if not match:
        return None, text
    return parse_timestamp(match.group("bracketed") or match.group("bare")), text[match.end() :]


def split_label(line: SourceLine, bare: bool = True) -> LabelCandidate | None:
    """The speaker label a line starts with, if it has the shape of one (not yet whether it is one).

    bare: whether a line holding nothing but a label-like name ("INTERVIEWER", "Speaker 2") can be
    one, as in transcripts that put the label on its own line above the words.
    """
    text = line.text.strip()
    emphasis = (line.emphasis or "").strip()
    if emphasis and text.startswith(emphasis):
        candidate = _emphasised_label(emphasis, text[len(emphasis) :])
        if candidate:
            return candidate
    timestamp, text = strip_leading_time(text)
    match = _COLON_LABEL.match(text)
    if not match:
        return LabelCandidate(text, "", timestamp, bare=True) if bare and _bare_label(text) else None
    label = _clean(match.group("label"))
    if not label:
        return None
    time = match.group("time")
    # a time may also follow the colon: "Speaker 1: [00:00:05] Hello"
    time_after, rest = strip_leading_time(match.group("rest").strip())
    return LabelCandidate(label, rest.strip(), _first_time(time, timestamp, time_after))


def _first_time(label_time: str | None, *others: float | None) -> float | None:
    if label_time:
        return parse_timestamp(label_time)
    return next((t for t in others if t is not None), None)


def _bare_label(text: str) -> bool:
    """A whole line that can only be a label: a role, a name in capitals, or two to four name words."""
    if not text or not (text[-1].isalnum() or text[-1] == ")"):
        return False
    if is_known_label(text):
        return True
    words = text.split()
    letters = [c for c in text if c.isalpha()]
    shouted = len(letters) >= 2 and all(c.isupper() for c in letters)
    return looks_like_label(text) and (shouted or len(words) >= 2)


def _emphasised_label(emphasis: str, after: str) -> LabelCandidate | None:
    timestamp, emphasis = strip_leading_time(emphasis)
    if emphasis.endswith(":"):
        label, rest = emphasis[:-1], after
    elif after.lstrip().startswith(":"):
        label, rest = emphasis, after.lstrip()[1:]
    elif not after or after[0].isspace():
        label, rest = emphasis, after  # a bold label without a colon: "P3<tab>text", or "P3" alone
    else:
        return None
    label = _clean(label)
    return LabelCandidate(label, rest.strip(), timestamp) if label and ":" not in label else None


def _clean(label: str) -> str:
    return label.strip().strip("*_").strip()


def accepted_labels(candidates: Iterable[LabelCandidate]) -> set[str]:
    """The labels (casefolded) that are speakers in this document: known roles, or recurring names."""
    candidates = list(candidates)
    counts = Counter(c.label.casefold() for c in candidates)
    accepted = set()
    for c in candidates:
        key = c.label.casefold()
        known = is_known_label(c.label)
        if (known and not c.bare) or (counts[key] >= 2 and (known or looks_like_label(c.label))):
            accepted.add(key)
    return accepted


def is_known_label(label: str) -> bool:
    return bool(_KNOWN_LABEL.match(label.strip()))


def looks_like_label(label: str) -> bool:
    """Short, at most four capitalised words (name particles aside), not a word like "Note".

    A trailing parenthesis is not counted: Zoom adds pronouns and roles ("Sam Reid (he/him)").
    """
    label = label.strip()
    if not 0 < len(label) <= MAX_LABEL_CHARS or not _LABEL_CHARS.match(label):
        return False
    name = _TRAILING_PARENTHESIS.sub("", label)
    if not any(c.isalpha() for c in name) or name.casefold().rstrip(".") in _NOT_SPEAKERS:
        return False
    first, *others = words = name.split()
    if len(words) > MAX_LABEL_WORDS or not _capitalised(first):
        return False
    return all(_capitalised(word) or word in _PARTICLES for word in others)


def _capitalised(word: str) -> bool:
    """ "Jane", "P3", "O’Brien", and brand-like "iPhone" (Zoom names devices); not "said"."""
    word = word.lstrip("\"'’")
    return bool(word) and (word[0].isupper() or word[0].isdigit() or any(c.isupper() for c in word))


def guess_interviewer(turns: list[ParsedTurn]) -> str | None:
    """The interviewer's label: a role name if one is used, else the speaker who mostly asks.

    Role names first (Interviewer, Int, I, Q, Researcher, Moderator, Facilitator, Host...). Then,
    if the others are all labelled as participants (P3, R, Respondent), the one who is not. Then
    the speaker whose turns most often end in a question, shorter turns breaking a tie.
    """
    speakers = list(dict.fromkeys(t.speaker for t in turns if t.speaker))
    if not speakers:
        return None
    for speaker in speakers:
        if _INTERVIEWER_LABEL.match(speaker):
            return speaker
    others = [s for s in speakers if not _PARTICIPANT_LABEL.match(s)]
    if len(others) == 1 and len(speakers) > 1:
        return others[0]
    if len(speakers) < 2:
        return None
    return max(speakers, key=lambda s: _asks_questions(turns, s))


def _asks_questions(turns: list[ParsedTurn], speaker: str) -> tuple[float, float]:
    texts = [t.text for t in turns if t.speaker == speaker]
    questions = sum(1 for text in texts if text.rstrip(" \"'”’)").endswith("?"))
    mean_words = sum(len(text.split()) for text in texts) / len(texts)
    return questions / len(texts), -mean_words
