"""The report's content as plain data: what `gather` reads from the project and what
qualcode.exporters.report_docx draws. Kept apart from both so the renderer depends on data only,
never on the code that gathers it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.exporters.tables import Table


@dataclass
class AgreementAppendix:
    paragraphs: list[str]
    tables: list[Table] = field(default_factory=list)  # each with its explanation as the note


@dataclass(frozen=True)
class Quote:
    coding_id: int
    text: str
    source: str  # the pseudonym it is attributed to, else the transcript name
    transcript: str
    code: str


@dataclass(frozen=True)
class Run:
    """A stretch of narrative text, as Markdown emphasis left it."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class NarrativeBlock:
    """One block of a theme's narrative: a paragraph, a list item ('bullet' or 'number'), an
    extract set apart ('quote'), or a marked gap where a reference could not be quoted ('gap',
    its runs saying why)."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    quote: Quote | None = None


@dataclass
class ThemeSection:
    name: str
    status: str
    definition: str | None
    concept: str | None
    codes: list[str]
    extracts: int
    participants: int
    quotes: list[Quote]
    quotes_chosen: bool  # False: picked by the report (or none to pick)
    subthemes: list[ThemeSection] = field(default_factory=list)
    narrative: list[NarrativeBlock] | None = None  # None: the authors have not written it yet


@dataclass
class ReportContent:
    title: str
    subtitle: str
    authors: list[str]
    created: dt.datetime
    missing: list[str]
    summary: list[str]
    participants: Table | None
    themes_note: str
    themes_table: Table | None
    themes: list[ThemeSection]
    participants_total: int
    map_image: Path | None
    map_caption: str
    codebook: Table | None = None
    agreement: AgreementAppendix | None = None
    journal: list[dict[str, Any]] | None = None
    audit: Table | None = None
    counts: bool = True  # frequencies shown (reflexive TA reports often leave them out)
    paper: str = "a4"
    opening: str | None = None  # the results section's first paragraph
