"""The Word report: everything an author starts a paper from, gathered from the project.

`gather_report` reads the project into a `ReportContent` (plain data: paragraphs, tables, theme
sections with their extracts); qualcode.exporters.report_docx draws it with Word's own styles.
`write_report` does both and writes the file atomically. What the project lacks (transcripts,
codes, themes, definitions, chosen quotes) is said in the report and returned as warnings, so an
unfinished analysis still gets a useful draft instead of an error.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.analysis.journal import journal_entries, journal_markdown
from qualcode.analysis.retrieval import extracts
from qualcode.analysis.thematic_map import write_map
from qualcode.analysis.theme_quotes import theme_quotes
from qualcode.errors import InvalidInput
from qualcode.exporters.report_docx import map_pages, render_report, save_journal_docx
from qualcode.exporters.tables import check_format
from qualcode.files import write_atomically
from qualcode.report.agreement_appendix import agreement_appendix
from qualcode.report.content import Quote, ReportContent, ThemeSection
from qualcode.report.narrative import narrative_blocks
from qualcode.report.paper_tables import (
    audit_table,
    codebook_table,
    participants_table,
    participants_total,
    report_themes,
    theme_code_names,
    themes_table,
)
from qualcode.report.preferences import counts_for, paper_for
from qualcode.report.prose import (
    analysts_of,
    long_date,
    missing_parts,
    project_name,
    summary_paragraphs,
    title_of,
)
from qualcode.report.quotes import (
    Candidate,
    QuotedPassages,
    candidate_from_extract,
    spread_over_participants,
)
from qualcode.store import Project
from qualcode.wording import counted, join_names, typographic

APPENDICES = ("codebook", "agreement", "journal", "audit")  # in the order they are printed
DEFAULT_QUOTES = 3


@dataclass
class ReportResult:
    path: Path
    themes: int
    quotes: int
    missing: list[str]  # what the project lacks for a full report
    warnings: list[str]  # themes without definitions, concepts or chosen quotes
    appendices: list[str]


def check_include(include: Iterable[str] | str | None) -> list[str]:
    """Appendices asked for as a list or 'journal,agreement' ('all' for every one), in print order."""
    if include is None:
        return []
    items = include.split(",") if isinstance(include, str) else list(include)
    wanted = {item.strip().lower() for item in items if item.strip()}
    if "all" in wanted:
        return list(APPENDICES)
    unknown = sorted(wanted - set(APPENDICES))
    if unknown:
        raise InvalidInput(f"unknown appendix '{unknown[0]}'; --include takes {', '.join(APPENDICES)} or all")
    return [name for name in APPENDICES if name in wanted]


def default_report_path(project: Project) -> Path:
    return Path("exports") / f"{project.path.stem}-report.docx"


def write_report(
    project: Project,
    out_path: Path | None = None,
    include: Iterable[str] | str | None = (),
    quotes: int = DEFAULT_QUOTES,
    counts: bool | None = None,
    paper: str | None = None,
) -> ReportResult:
    """Write the Word report to `out_path` (default exports/PROJECT-report.docx) with the
    appendices in `include` and up to `quotes` extracts per theme and subtheme without a
    narrative; frequencies and paper size as asked, else the project's defaults."""

    appendices = check_include(include)
    chosen_paper = paper_for(project, paper)
    with_counts = counts_for(project, counts)
    if quotes < 0:
        raise InvalidInput("--quotes must be 0 or more")
    path = Path(out_path) if out_path else default_report_path(project)
    if path.suffix.lower() != ".docx":
        raise InvalidInput(f"the report is a Word file: give --out a name ending in .docx, not '{path.name}'")
    with tempfile.TemporaryDirectory(prefix="qualcode-report-") as work:
        content, warnings = gather_report(project, appendices, quotes, Path(work), with_counts, paper=chosen_paper)
        content.paper = chosen_paper
        write_atomically(path, lambda temporary: render_report(content, temporary))
    return ReportResult(
        path=path,
        themes=len(content.themes),
        quotes=sum(
            len(section.quotes) + sum(len(s.quotes) for s in _all_subthemes(section)) for section in content.themes
        ),
        missing=content.missing,
        warnings=warnings,
        appendices=appendices,
    )


def _all_subthemes(section: ThemeSection) -> list[ThemeSection]:
    found = []
    for sub in section.subthemes:
        found += [sub, *_all_subthemes(sub)]
    return found


def gather_report(
    project: Project,
    appendices: Sequence[str],
    quotes: int,
    work_dir: Path,
    counts: bool = False,
    draw_map: bool = True,
    paper: str = "a4",
) -> tuple[ReportContent, list[str]]:
    """Everything the report shows, and the warnings for the terminal. The map image is drawn
    into `work_dir`, which must outlive the rendering."""

    tree, themes_note = report_themes(project)
    # The map's 'final' view keeps final themes under final parents; a final subtheme reported on
    # its own (its parent is not final) would leave it empty, so such a report maps every theme.
    final_only = any(theme["status"] == "final" and theme["parent"] is None for theme in tree)
    picker = QuotePicker(project, quotes)
    sections = [picker.section(theme) for theme in tree]
    has_participants = project.db.execute("SELECT 1 FROM participants LIMIT 1").fetchone() is not None
    authors = analysts_of(project)
    created = dt.datetime.now(dt.UTC)
    content = ReportContent(
        title=title_of(project),
        subtitle=f"Report from the qualcode project {project.path.name} · {', '.join(authors)} · "
        f"{long_date(created.isoformat())}",
        authors=authors,
        created=created,
        missing=missing_parts(project),
        summary=[typographic(text) for text in summary_paragraphs(project)],
        participants=participants_table(project) if has_participants else None,
        themes_note=themes_note,
        themes_table=themes_table(project, tree, counts=counts) if tree else None,
        themes=sections,
        participants_total=participants_total(project),
        map_image=_draw_map(project, final_only, work_dir, paper) if tree and draw_map else None,
        map_caption=(
            "Thematic map of the final themes and their final subthemes."
            if final_only
            else "Thematic map of the themes in play (candidate, reviewed and final), with their subthemes."
        ),
        codebook=codebook_table(project) if "codebook" in appendices else None,
        agreement=agreement_appendix(project) if "agreement" in appendices else None,
        journal=journal_entries(project) if "journal" in appendices else None,
        audit=audit_table(project) if "audit" in appendices else None,
        counts=counts,
        opening=opening_paragraph(sections),
        paper=paper,
    )
    return content, theme_warnings(sections) + picker.narrative_lines


def opening_paragraph(sections: Sequence[ThemeSection]) -> str | None:
    """The results' first sentence: how many themes, named, as a paper opens its findings."""
    if not sections:
        return None
    names = [f"“{typographic(section.name)}”" for section in sections]
    if len(names) == 1:
        return f"The analysis developed one theme, {names[0]}."
    listed = join_names(names)
    return f"The analysis developed {counted(len(names), 'theme', in_words=True)}: {listed}."


def _draw_map(project: Project, final_only: bool, work_dir: Path, paper: str) -> Path:
    """The thematic map of the reported themes (the final ones when those are reported), laid
    out as a figure that prints at its drawn size on the map's page of this paper."""

    return write_map(
        project,
        work_dir / "thematic-map.png",
        fmt="png",
        status="final" if final_only else "candidate",
        pages=map_pages(paper),
    )


def theme_warnings(sections: Sequence[ThemeSection], parent: str | None = None) -> list[str]:
    """One line per theme or subtheme that is not ready for the paper, saying what it lacks."""
    lines = []
    for section in sections:
        lacks = []
        if section.narrative is not None:  # written: what it quotes is reported on its own
            lines += theme_warnings(section.subthemes, section.name)
            continue
        if not (section.definition or "").strip():
            lacks.append("no definition")
        if not (section.concept or "").strip():
            lacks.append("no central organising concept")
        if not section.extracts:
            has_codes = section.codes or any(sub.codes for sub in section.subthemes)
            lacks.append(
                "no extracts (its codes have no coded passages)" if has_codes else "no extracts (no codes assigned)"
            )
        elif not section.quotes_chosen and section.quotes:
            lacks.append("no chosen quotes (the report picked extracts)")
        if lacks:
            what = f"subtheme '{section.name}' of '{parent}'" if parent else f"theme '{section.name}'"
            lines.append(f"{what}: {'; '.join(lacks)}")
        lines += theme_warnings(section.subthemes, section.name)
    return lines


class QuotePicker:
    """Illustrative extracts for each theme section: the authors' chosen quotes in their order,
    else extracts spread over participants (qualcode.report.quotes), never one passage twice."""

    def __init__(self, project: Project, per_section: int):
        self.project = project
        self.per_section = per_section
        self.quoted = QuotedPassages()
        self._extracts: dict[str, list[dict[str, Any]]] = {}
        self._interviewer_turns: set[tuple[str, int]] | None = None
        self._turn_starts: dict[str, list[int]] = {}
        self.narratives = dict(
            project.db.execute("SELECT name, narrative FROM themes WHERE narrative IS NOT NULL AND narrative != ''")
        )
        self.narrative_lines: list[str] = []  # gaps and notes for the terminal

    def section(self, theme: dict[str, Any]) -> ThemeSection:

        narrative = self.narratives.get(theme["name"])
        chosen = [] if narrative else theme_quotes(self.project, theme["name"])
        blocks = None
        if narrative:
            written = narrative_blocks(self.project, theme["name"], narrative, set(theme_code_names(theme)))
            blocks = written.blocks
            self.narrative_lines += written.problems + [f"note: {line}" for line in written.notes]
            for row in written.quoted:
                self.quoted.add(row["transcript"], row["start"], row["end"])
            quotes = [b.quote for b in blocks if b.quote is not None]
        elif chosen:
            quotes = [self._quote(row) for row in chosen]
            for row in chosen:
                self.quoted.add(row["transcript"], row["start"], row["end"])
        else:
            # A theme with subthemes is illustrated under each subtheme; its own section quotes
            # only what its own codes add, so the same words do not appear twice.
            codes = theme["codes"] if theme["subthemes"] else theme_code_names(theme)
            picked = spread_over_participants(self._candidates(codes), self.per_section, self.quoted)
            for candidate in picked:
                self.quoted.add(candidate.transcript, candidate.start, candidate.end)
            quotes = [self._quote_from_candidate(c) for c in picked]
        section = ThemeSection(
            name=theme["name"],
            status=theme["status"],
            definition=theme["definition"],
            concept=theme["concept"],
            codes=theme["codes"],
            extracts=theme["extracts"],
            participants=theme["participants"],
            quotes=quotes,
            quotes_chosen=bool(chosen) or blocks is not None,
            narrative=blocks,
        )
        section.subthemes = [self.section(sub) for sub in theme["subthemes"]]
        return section

    def _candidates(self, codes: Sequence[str]) -> list[Candidate]:

        if self._interviewer_turns is None:
            self._load_turns()
        candidates: dict[int, Candidate] = {}
        for code in codes:
            if code not in self._extracts:
                self._extracts[code] = extracts(self.project, code)
            for row in self._extracts[code]:
                candidates[row["coding_id"]] = candidate_from_extract(
                    row, self._interviewer_turns or set(), self._turn_starts
                )
        return list(candidates.values())

    def _load_turns(self) -> None:
        self._interviewer_turns = set()
        for transcript, number, start, by_interviewer in self.project.db.execute(
            "SELECT t.name, u.number, u.start, u.is_interviewer FROM turns u JOIN transcripts t ON t.id = u.transcript_id"
            " ORDER BY u.transcript_id, u.start"
        ):
            self._turn_starts.setdefault(transcript, []).append(start)
            if by_interviewer:
                self._interviewer_turns.add((transcript, number))

    def _quote(self, row: dict[str, Any]) -> Quote:
        return Quote(
            row["coding_id"],
            row["text"].strip(),
            row["participant"] or row["transcript"],
            row["transcript"],
            row["code"],
        )

    def _quote_from_candidate(self, candidate: Candidate) -> Quote:
        return Quote(
            candidate.coding_id, candidate.text.strip(), candidate.source, candidate.transcript, candidate.code
        )


# -- the reflexive journal on its own ---------------------------------------------------------

JOURNAL_FORMATS = ("md", "docx")


def resolve_journal_format(out: str | Path | None, fmt: str | None) -> str:

    if fmt:
        return check_format(fmt, JOURNAL_FORMATS)
    if out and str(out) != "-" and Path(out).suffix.lower() == ".docx":
        return "docx"
    return "md"


def export_journal(
    project: Project, out: str | Path | None, fmt: str | None = None, analyst: str | None = None
) -> Path | str:
    """The reflexive journal (reflexive, decision and phase entries in time order) as Markdown
    or Word; the Markdown text itself when `out` is '-'. Default file: exports/PROJECT-journal.EXT."""

    chosen = resolve_journal_format(out, fmt)
    entries = journal_entries(project, analyst=analyst)
    title = f"Reflexive journal: {project_name(project)}"
    if str(out) == "-":
        if chosen != "md":
            raise InvalidInput("docx is not a text format; write it to a file with --out PATH")
        return journal_markdown(entries, title)
    path = Path(out) if out else Path("exports") / f"{project.path.stem}-journal.{chosen}"
    if chosen == "md":
        text = journal_markdown(entries, title)
        return write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))

    authors = [analyst] if analyst else analysts_of(project)
    return write_atomically(path, lambda temporary: save_journal_docx(entries, temporary, title, authors))
