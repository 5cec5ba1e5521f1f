"""What is being brought into a project, whatever it came from.

A REFI-QDA file, a QualCoder project and another copy of a qualcode project are each read into a
Bundle first; one module (incorporate.py) then decides, for all of them alike, what matches what
is already in the project, what is new, and what conflicts. Items refer to each other by `key`
(the GUID the source gave them, or another id unique within the bundle).

Text is already in stored form (NFC, "\\n" line ends) and positions already in stored code points:
readers convert, so incorporating never has to know where a bundle came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.text.transcripts import Turn


@dataclass
class Analyst:
    key: str
    name: str
    guid: str | None = None
    created: str | None = None  # None: now


@dataclass
class Participant:
    key: str
    name: str
    guid: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class Transcript:
    key: str
    name: str
    text: str
    guid: str | None = None
    participant_key: str | None = None
    source_name: str | None = None
    format: str = "refi-qda"
    encoding: str | None = None
    interviewer: str | None = None
    preamble: str | None = None
    source_sha256: str | None = None
    turns: list[Turn] | None = None  # None: find them in the text (refi.turns)
    created: str | None = None  # when it was first imported (None: now)
    imported_by_key: str | None = None  # the analyst who imported it (None: who brings it in)
    timestamps: dict[int, float] | None = None  # turn number -> seconds, for turns found in the text


@dataclass
class Code:
    key: str
    name: str
    guid: str | None = None
    description: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    color: str | None = None
    parent_key: str | None = None
    created: str | None = None  # None: now
    status: str = "active"  # a retired or merged code comes only from a copy of a project
    merged_into_key: str | None = None
    codable: bool = True  # False: a category (REFI-QDA isCodable="false", QualCoder's code_cat)


@dataclass(slots=True)  # a bundle holds hundreds of thousands: no __dict__ for each
class Coding:
    key: str  # the coding's GUID when it has one
    transcript_key: str
    code_key: str
    analyst_key: str | None  # None: nobody recorded; the importing analyst is used
    start: int
    end: int
    created: str | None = None
    guid: str | None = None


@dataclass
class Memo:
    key: str
    body: str
    analyst_key: str | None = None
    kind: str = "reflexive"
    target_type: str | None = None  # transcript | code | theme | coding
    target_key: str | None = None
    phase: int | None = None  # None: the project's current phase
    created: str | None = None
    updated: str | None = None
    guid: str | None = None


@dataclass
class Theme:
    key: str
    name: str
    guid: str | None = None
    definition: str | None = None
    concept: str | None = None
    parent_key: str | None = None
    status: str = "candidate"
    position: int | None = None
    code_keys: list[str] = field(default_factory=list)


@dataclass
class ThemeLink:
    source_key: str
    target_key: str
    label: str | None = None


@dataclass
class Quote:
    theme_key: str
    coding_key: str


@dataclass
class PhaseMove:
    phase: int
    analyst_key: str | None
    at: str
    note: str | None = None


@dataclass
class Bundle:
    label: str  # how messages name where it came from: "interviews.qdpx", "study.qda"
    analysts: list[Analyst] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    transcripts: list[Transcript] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    memos: list[Memo] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    theme_links: list[ThemeLink] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    phase_log: list[PhaseMove] = field(default_factory=list)  # taken only by a project just created
    warnings: list[str] = field(default_factory=list)  # one line per item left out while reading
    notes: list[str] = field(default_factory=list)  # how the reader interpreted the source
