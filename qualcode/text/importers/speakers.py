"""Speaker labels: telling "P1: ..." from "Note: she paused", and guessing who the interviewer is.

A line opens a turn when it starts with a short label and a colon (or a tab, or a bold label).
Anything can look like that once ("The reason was this: ..."), so a label counts only if it is a
known role ("Interviewer", "P3", "R", "Speaker 2") or it is name-shaped and recurs in the document.
Caption files are different: there a label opening a cue is a speaker whatever its case or how
often it occurs, unless it is plainly no name (caption_label_kind).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.text.importers.base import F4_TIME, TIME_PATTERN, ParsedTurn, SourceLine, parse_timestamp

INTERVIEWER_ROLES = (
    "interviewer", "interviewerin", "int", "iv", "i", "q", "researcher", "moderator",
    "moderatorin", "facilitator", "host", "entrevistador", "entrevistadora",
)  # fmt: skip
PARTICIPANT_ROLES = ("participant", "interviewee", "respondent", "p", "r", "a", "ie", "guest", "pt")
# WhisperX and pyannote write "SPEAKER_00", and "UNKNOWN" where they could not tell who spoke.
_NEUTRAL_ROLES = ("speaker", "unknown speaker", "unknown")


def _role_pattern(roles: Iterable[str]) -> re.Pattern[str]:
    # "P3", "P 3", "P03", "Participant #2", "Interviewer (JS)", "Int.", "Speaker 1", "SPEAKER_00"
    alternatives = "|".join(sorted(roles, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})\.?\s*[#_-]?\s*(?:\d+[a-z]?)?(?:\s*\([^()]{{1,30}}\))?$", re.IGNORECASE)


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
    "end of recording", "recording stopped", "recording resumed", "redacted", "name", "indistinct", "noise",
    "background noise", "cross talk", "cross-talk", "coughing", "laughing", "sigh", "overlap", "phone rings",
    # what caption tools put in brackets instead of words: YouTube's "[Foreign]", whisper.cpp's "[BLANK_AUDIO]"
    "foreign", "speaking foreign language", "no audio", "blank_audio", "blank audio", "background music",
    "music playing", "upbeat music", "soft music", "cheering", "cheers", "chuckles", "chuckling", "clapping",
    "static", "beeping", "typing", "sound", "sounds",
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
    # Weak shapes count only if the label recurs: a line holding only a label ("INTERVIEWER"),
    # a label before a dash ("Gwen – Yes"), a bracketed label without a colon ("[Speaker 1] Yes").
    must_recur: bool = False
    dashed: bool = False  # "Gwen – Yes": counts only in a transcript that labels every turn that way


# A time before the words: "[00:01:23]", "(01:23)", "00:01:23", or f4 / MAXQDA's "#00:01:23-4#".
_LEADING_TIME = re.compile(
    rf"^(?:[\[(](?P<bracketed>{TIME_PATTERN})[\])]|{F4_TIME}"
    r"|(?P<bare>\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)(?=\s|$))"
    r"\s*(?:[-–—]\s+)?"
)
# oTranscribe and hand-typed transcripts put minutes and seconds before a label: "02:13 P1: Yes";
# after a bold label it may end the line ("**Jane Doe** 0:19").
_SHORT_LEADING_TIME = re.compile(r"^(?P<short>\d{1,2}:\d{2})(?:\s+|$)")
_COLON_LABEL = re.compile(
    rf"^(?P<label>[^:\t\[\]]{{1,{MAX_LABEL_CHARS}}}?)\s*(?:[\[(](?P<time>{TIME_PATTERN})[\])]\s*)?"
    r"(?::(?=\s|$)|\t|(?P<dash>\s[-–—](?=\s)))\s*(?P<rest>.*)$",
    re.DOTALL,
)
# Oral histories and depositions write "Q. Where were you born?" and "A. In Leeds." (a label only
# where it recurs: "A. Smith came in" may start a sentence).
_QUESTION_ANSWER = re.compile(r"^(?P<label>[QA])\.\s+(?P<rest>\S.*)$", re.DOTALL)
# WhisperX and some caption tools bracket the label: "[SPEAKER_00]: Yes", "[Speaker 1] Yes".
_BRACKETED_LABEL = re.compile(
    rf"^\[(?P<label>[^\[\]:]{{1,{MAX_LABEL_CHARS}}})\](?P<colon>\s*:)?(?:\s+|$)(?P<rest>.*)$", re.DOTALL
)


def strip_leading_time(text: str, minutes_seconds: bool = False) -> tuple[float | None, str]:
    """("[00:01:23] P1: Yes" -> (83.0, "P1: Yes")); a bare time needs hours to count, unless
    minutes_seconds allows "02:13 P1: Yes" (only where a label must follow, so "10:30 we met" keeps
    its time in the text)."""
    match = _LEADING_TIME.match(text)
    if match:
        time = match.group("bracketed") or match.group("f4") or match.group("bare")
        return parse_timestamp(time), text[match.end() :]
    if minutes_seconds and (short := _SHORT_LEADING_TIME.match(text)):
        return parse_timestamp(short.group("short")), text[short.end() :]
    return None, text


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
    timestamp, text = strip_leading_time(text, minutes_seconds=True)
    if bracketed := _BRACKETED_LABEL.match(text):
        label = _clean(bracketed.group("label"))
        known = is_known_label(label)
        if not (known or looks_like_label(label)):
            return None  # "[laughs] yes", "[inaudible]"
        time_after, rest = strip_leading_time(bracketed.group("rest").strip())
        weak = not (bracketed["colon"] or known)
        return LabelCandidate(label, rest.strip(), _first_time(None, timestamp, time_after), weak)
    if question := _QUESTION_ANSWER.match(text):
        return LabelCandidate(question["label"], question["rest"].strip(), timestamp, must_recur=True)
    match = _COLON_LABEL.match(text)
    if not match:
        return LabelCandidate(text, "", timestamp, must_recur=True) if bare and _bare_label(text) else None
    label = _clean(match.group("label"))
    if not label:
        return None
    time = match.group("time")
    # a time may also follow the colon: "Speaker 1: [00:00:05] Hello"
    time_after, rest = strip_leading_time(match.group("rest").strip())
    dashed = bool(match["dash"])
    return LabelCandidate(label, rest.strip(), _first_time(time, timestamp, time_after), dashed, dashed)


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
    # a time after a bold label is the turn's ("**Jane Doe** 0:19", "**Jane Doe** [00:00:30]")
    time_after, rest = strip_leading_time(rest.strip(), minutes_seconds=True)
    timestamp = timestamp if timestamp is not None else time_after
    return LabelCandidate(label, rest.strip(), timestamp) if label and ":" not in label else None


def _clean(label: str) -> str:
    return label.strip().strip("*_").strip()


def accepted_labels(candidates: Iterable[LabelCandidate]) -> set[str]:
    """The labels (casefolded) that are speakers in this document: known roles, or recurring names.

    Labels before a dash count only where no label is followed by a colon: in a transcript that
    writes "P1: ...", a line like "Tenants' Voices - Interview 6" is a title, not a turn.
    """
    candidates = list(candidates)
    accepted = _accepted([c for c in candidates if not c.dashed])
    return accepted or _accepted([c for c in candidates if c.dashed])


def _accepted(candidates: list[LabelCandidate]) -> set[str]:
    counts = Counter(c.label.casefold() for c in candidates)
    accepted = set()
    for c in candidates:
        key = c.label.casefold()
        known = is_known_label(c.label)
        if (known and not c.must_recur) or (counts[key] >= 2 and (known or looks_like_label(c.label))):
            accepted.add(key)
    return accepted | _single_answers(candidates, counts)


def _single_answers(candidates: list[LabelCandidate], counts: Counter[str]) -> set[str]:
    """Names that label one turn only, where that turn answers the interviewer: "Rowan: ..."
    between two "Interviewer:" prompts (or after the last). A name has to recur to count
    elsewhere, as a capitalised word before a colon inside someone's turn ("Sunday: we went
    out") is not a speaker; set between an interviewer's questions, it is one, and leaving it out
    would give the participant's words to the interviewer."""
    found = set()
    for index, candidate in enumerate(candidates):
        key = candidate.label.casefold()
        if counts[key] != 1 or candidate.must_recur or not candidate.rest or not looks_like_label(candidate.label):
            continue
        before = candidates[index - 1] if index else None
        after = candidates[index + 1] if index + 1 < len(candidates) else None
        if before is None or not _INTERVIEWER_LABEL.match(before.label.strip()):
            continue
        if after is None or after.label.casefold() == before.label.casefold():
            found.add(key)
    return found


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


# Words that make a label a clause ("The reason was this:", "what I mean is:"), not a name.
_CLAUSE_WORDS = {
    "the", "a", "an", "this", "that", "these", "those", "is", "are", "was", "were", "be", "been", "am",
    "it", "its", "it's", "i", "i'm", "you", "he", "she", "we", "they", "me", "my", "your", "our", "their",
    "his", "him", "her", "us", "them", "of", "to", "in", "on", "at", "for", "with", "from", "by", "and",
    "or", "but", "if", "then", "than", "as", "what", "which", "who", "when", "where", "why", "how",
    "there", "here", "not", "do", "does", "did", "have", "has", "had", "will", "would", "can", "could",
    "should", "may", "might", "must", "just", "all", "some", "any", "one", "said", "says", "say", "thing",
    "things", "point", "mean", "means", "like", "about",
}  # fmt: skip
# "Chapter Two:", "Part 3:": a heading in the captions, not a speaker
_HEADING_WORDS = {"chapter", "part", "section", "step", "lesson", "day", "week", "round", "stage", "episode", "tip"}
_NAME_WORD = re.compile(r"^[\w.'’@&-]+$")
_NOT_A_NAME = re.compile(r"^(?:\d+(?:[.:]\d+)*\s*(?:am|pm|a\.m\.|p\.m\.)?|.*(?:://|www\.).*)$", re.IGNORECASE)
MAX_CAPTION_LABEL_CHARS = 80


def caption_label_kind(label: str) -> str | None:
    """How surely a "Label:" opening a caption cue names a speaker: "name", "maybe" or None.

    Caption tools write the speaker at the start of a cue whatever the name looks like: Zoom
    writes display names as people typed them ("jdoe42", "Maria | Acme", "Sam Okafor (Ops)"),
    and a podcast guest may speak once. So a role, a capitalised name or a handle with digits is a
    name; other lower-case words are one only where most cues are labelled or they recur; a time,
    a URL or a clause ("The reason was this") is none.
    """
    label = label.strip()
    if not label or len(label) > MAX_CAPTION_LABEL_CHARS or _NOT_A_NAME.match(label):
        return None
    if is_known_label(label):
        return "name"
    name = _TRAILING_PARENTHESIS.sub("", label).split("|")[0]  # "Sam Okafor (Ops)", "Maria | Acme"
    name = "".join(c for c in name if not _symbol(c)).strip()  # "Maria 🌻"
    words = name.split()
    if not words or len(words) > MAX_LABEL_WORDS or not any(c.isalpha() for c in name):
        return None
    if name.casefold().rstrip(".") in _NOT_SPEAKERS or (len(words) <= 3 and words[0].casefold() in _HEADING_WORDS):
        return None  # "Note:", "Chapter Two:", "Step 3:"
    if looks_like_label(name):
        return "name"
    if not all(_NAME_WORD.match(word) for word in words):
        return None
    lowered = [word.casefold() for word in words]
    if any(word in _CLAUSE_WORDS for word in lowered) or lowered[0] in _NOT_SPEAKERS:
        return None
    if len(words) == 1 and any(c.isdigit() or c in "_@." for c in name):
        return "name"  # a handle: "jdoe42", "m.okafor", "sam_k"
    return "maybe"


def _symbol(char: str) -> bool:
    """An emoji or other symbol, or the joiners and selectors that build emoji."""
    return unicodedata.category(char)[0] == "S" or char in "\u200d\ufe0e\ufe0f"


def forced_label(text: str, labels: dict[str, str]) -> LabelCandidate | None:
    """The label a line opens with when the user named the labels (`--speakers`): any of them,
    as written, before a colon or a tab, or alone on the line. labels: casefolded -> as given."""
    if not labels:
        return None
    timestamp, rest = strip_leading_time(text.strip(), minutes_seconds=True)
    plain = rest.lstrip("*_").lstrip()
    folded = plain.casefold()
    for key in sorted(labels, key=len, reverse=True):
        if not folded.startswith(key):
            continue
        # the label as the file writes it ("Ruth Bell" for --speakers "ruth bell")
        written = plain[: len(key)] if plain[: len(key)].casefold() == key else labels[key]
        after = plain[len(key) :].lstrip("*_")
        time_after, after = _label_time(after)
        if not after.strip():
            return LabelCandidate(written, "", _first_time(None, timestamp, time_after))
        if after[0] in ":\t" or (after[0] == " " and after.lstrip()[:1] == ":"):
            words = after.lstrip(" ").lstrip(":\t").lstrip("*_").strip()
            time_words, words = strip_leading_time(words)
            return LabelCandidate(written, words.strip(), _first_time(None, timestamp, time_after, time_words))
    return None


_LABEL_TIME = re.compile(rf"^\s*[\[(](?P<time>{TIME_PATTERN})[\])]")


def _label_time(after: str) -> tuple[float | None, str]:
    found = _LABEL_TIME.match(after)
    return (parse_timestamp(found["time"]), after[found.end() :]) if found else (None, after)


def _capitalised(word: str) -> bool:
    """ "Jane", "P3", "O’Brien", and brand-like "iPhone" (Zoom names devices); not "said"."""
    word = word.lstrip("\"'’")
    return bool(word) and (word[0].isupper() or word[0].isdigit() or any(c.isupper() for c in word))


def guess_interviewer(turns: list[ParsedTurn]) -> str | None:
    """The interviewer's label: a role name if one is used, else the speaker who mostly asks."""
    return interviewer_guess(turns)[0]


def interviewer_guess(turns: list[ParsedTurn], named: str | None = None) -> tuple[str | None, str]:
    """The interviewer's label and why it was chosen, in words for `transcript inspect`.

    Role names first (Interviewer, Int, I, Q, Researcher, Moderator, Facilitator, Host...). Then
    the speaker a details header names as the interviewer (`named`: "INTERVIEWER: Ruth Bell"
    makes "BELL:" or "RB:" the interviewer). Then, if the others are all labelled as participants
    (P3, R, Respondent), the one who is not. Then the speaker whose turns most often end by asking
    something, the one who says less breaking a tie (in an interview the participant does most of
    the talking).
    """
    speakers = list(dict.fromkeys(t.speaker for t in turns if t.speaker))
    if not speakers:
        return None, "no speaker labels"
    for speaker in speakers:
        if _INTERVIEWER_LABEL.match(speaker):
            return speaker, f"'{speaker}' is an interviewer's label"
    if named and (match := _named_in_header(speakers, named)):
        return match, f"the details at the top name {named} as the interviewer"
    others = [s for s in speakers if not _PARTICIPANT_LABEL.match(s)]
    if len(others) == 1 and len(speakers) > 1:
        participants = ", ".join(s for s in speakers if s != others[0])
        return others[0], f"the other speakers are labelled as participants ({participants})"
    if len(speakers) < 2:
        return None, "only one speaker"
    words = {s: sum(len(t.text.split()) for t in turns if t.speaker == s) for s in speakers}
    chosen = max(speakers, key=lambda s: (_share_asking(turns, s), -words[s]))
    asked, counted = _asking_counts(turns, chosen)
    if not asked:
        return chosen, f"nobody asks; '{chosen}' says least ({words[chosen]:,} words)"
    return chosen, f"'{chosen}' asks most: {asked} of their {counted} turns end with a question"


def _named_in_header(speakers: list[str], named: str) -> str | None:
    """The label that is the named person: the whole name, the surname, the first name or the
    initials ("Ruth Bell" -> "Ruth Bell", "BELL", "Ruth", "RB")."""
    words = [w for w in re.split(r"[\s.]+", _TRAILING_PARENTHESIS.sub("", named)) if w]
    if not words:
        return None
    forms = {" ".join(words).casefold(), words[-1].casefold(), words[0].casefold()}
    if len(words) > 1:
        forms.add("".join(w[0] for w in words).casefold())
    return next((s for s in speakers if " ".join(s.replace(".", " ").split()).casefold() in forms), None)


# Backchannels ("Mm.", "Yeah, yeah.") are not turns anyone asks or answers in; they are left out
# of the count, or an interviewer who says "Right." a lot would look like a participant.
_BACKCHANNEL_WORDS = 2
_SENTENCES = re.compile(r"(?<=[.!?…])\s+")
# "..., you know?", "..., do you?", "..., isn't it?": a tag on a statement, not a question.
_TAG_QUESTION = re.compile(r",\s*(?:\S+\s+){0,2}\S+\?$")
# Questions that automatic transcription often leaves without a question mark ("What was that
# like for you"). Only openings that cannot start a statement: "When I was young" is not one.
_QUESTION_OPENING = re.compile(
    r"^(?:(?:and|so|but|okay|ok|right|now|well)\W+)*(?:"
    r"(?:do|does|did|can|could|would|will|have|has|had|are|is|was|were)\s+"
    r"(?:you|your|they|he|she|it|we|there|that|this|anyone|anybody|someone|somebody)\b"
    r"|(?:what|how|why|where|when|who|which)\s+(?:do|does|did|is|are|was|were|would|could|can|has|have|made|happened)\b"
    r"|(?:can|could|would)\s+you\s+tell\b|tell\s+me\b)",
    re.IGNORECASE,
)


# What participants say at the end of an answer, as a question or not, without asking anything.
_RHETORICAL = re.compile(
    r"^(?:(?:do\s+)?you\s+know(?:\s+what\s+i\s+mean)?|(?:does|if)\s+that\s+makes?\s+sense|"
    r"know\s+what\s+i\s+mean|right|innit|isn'?t\s+it|(?:am\s+i|are\s+you)\s+with\s+me)\W*$",
    re.IGNORECASE,
)


def _share_asking(turns: list[ParsedTurn], speaker: str) -> float:
    asked, counted = _asking_counts(turns, speaker)
    return asked / counted if counted else 0.0


def _asking_counts(turns: list[ParsedTurn], speaker: str) -> tuple[int, int]:
    """How many of the speaker's turns (backchannels aside) end by asking, and of how many."""
    texts = [t.text for t in turns if t.speaker == speaker and len(t.text.split()) > _BACKCHANNEL_WORDS]
    return sum(1 for text in texts if _asks(text)), len(texts)


def _asks(text: str) -> bool:
    """Whether a turn ends by asking: its last sentence is a question, not a tag on a statement."""
    last = _SENTENCES.split(text.strip().rstrip(" \"'”’)"))[-1]
    if _RHETORICAL.match(last):
        return False
    if last.endswith("?"):
        return not _TAG_QUESTION.search(last)
    return bool(_QUESTION_OPENING.match(last))
