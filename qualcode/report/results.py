"""The results section on its own, `qualcode export results`: the opening paragraph, the table of
themes, and a section per theme with the authors' narrative and its extracts (or, for a theme not
written yet, its definition and quotes under "[analysis to be written]"), as Markdown or Word.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from qualcode.errors import InvalidInput
from qualcode.exporters.report_docx import extracts_phrase, quotation_lines, render_results
from qualcode.exporters.table_files import render_text
from qualcode.exporters.tables import check_format
from qualcode.files import write_atomically
from qualcode.report.content import NarrativeBlock, Quote, ReportContent, Run, ThemeSection
from qualcode.report.gather import DEFAULT_QUOTES, gather_report
from qualcode.report.preferences import counts_for, paper_for
from qualcode.store import Project
from qualcode.wording import typographic

RESULTS_FORMATS = ("md", "docx")


def resolve_results_format(out: str | Path | None, fmt: str | None) -> str:
    if fmt:
        return check_format(fmt, RESULTS_FORMATS)
    if out and str(out) != "-" and Path(out).suffix.lower() == ".docx":
        return "docx"
    return "md"


def export_results(
    project: Project,
    out: str | Path | None,
    fmt: str | None = None,
    counts: bool | None = None,
    paper: str | None = None,
    quotes: int = DEFAULT_QUOTES,
) -> tuple[Path | str, list[str]]:
    """Write the results section (default exports/PROJECT-results.EXT), or return its Markdown
    when `out` is '-'; with the warnings the report would give (gaps in narratives …)."""
    chosen = resolve_results_format(out, fmt)
    if str(out) == "-" and chosen != "md":
        raise InvalidInput("docx is not a text format; write it to a file with --out PATH")
    with_counts = counts_for(project, counts)
    chosen_paper = paper_for(project, paper)
    path = Path(out) if out and str(out) != "-" else Path("exports") / f"{project.path.stem}-results.{chosen}"
    if chosen == "docx" and path.suffix.lower() != ".docx":
        raise InvalidInput(f"a Word file needs a name ending in .docx, not '{path.name}'")
    with tempfile.TemporaryDirectory(prefix="qualcode-results-") as work:
        content, warnings = gather_report(
            project, [], quotes, Path(work), with_counts, draw_map=chosen == "docx", paper=chosen_paper
        )
        content.paper = chosen_paper
        if chosen == "md":
            text = results_markdown(content)
            if str(out) == "-":
                return text, warnings
            return write_atomically(path, lambda t: t.write_text(text, encoding="utf-8")), warnings
        return write_atomically(path, lambda t: render_results(content, t)), warnings


def results_markdown(content: ReportContent) -> str:
    lines = ["# Results", ""]
    if content.opening:
        lines += [content.opening, ""]
    lines += [content.themes_note, ""]
    if content.themes_table is not None and content.themes_table.rows:
        lines += [
            "Table 1 lists the themes with their subthemes.",
            "",
            render_text(content.themes_table, "md").rstrip(),
            "",
        ]
    for section in content.themes:
        lines += _section(section, 2, content)
    return "\n".join(lines).rstrip() + "\n"


def _section(section: ThemeSection, level: int, content: ReportContent) -> list[str]:
    lines = [f"{'#' * min(level, 6)} {typographic(section.name)}", ""]
    if section.narrative is not None:
        lines += narrative_markdown(section.narrative)
    else:
        lines += ["*[analysis to be written]*", ""]
        lines += [f"**Definition.** {_flat(section.definition) or '*[definition to be written]*'}", ""]
        concept = _flat(section.concept) or "*[central organising concept to be written]*"
        lines += [f"**Central organising concept.** {concept}", ""]
        if section.extracts:
            phrase = extracts_phrase(section, content)
            lines += [f"*{phrase[:1].upper()}{phrase[1:]}.*", ""]
        for quote in section.quotes:
            lines += quote_markdown(quote)
    for sub in section.subthemes:
        lines += _section(sub, level + 1, content)
    return lines


def narrative_markdown(blocks: Sequence[NarrativeBlock]) -> list[str]:
    lines: list[str] = []
    number = 0
    for block in blocks:
        if block.kind == "quote" and block.quote is not None:
            lines += quote_markdown(block.quote)
            number = 0
            continue
        text = _runs(block.runs)
        if block.kind == "bullet":
            lines.append(f"- {text}")
        elif block.kind == "number":
            number += 1
            lines.append(f"{number}. {text}")
        else:
            number = 0
            if lines and lines[-1] and (lines[-1].startswith("- ") or lines[-1][:1].isdigit()):
                lines.append("")
            lines += [f"*{text}*" if block.kind == "gap" else text, ""]
    if lines and lines[-1]:
        lines.append("")
    return lines


def quote_markdown(quote: Quote) -> list[str]:
    """An extract as a block quotation with its attribution on the last line."""
    body = quotation_lines(quote.text)
    return [*(f"> {line}" for line in body), f"> ({quote.source})", ""]


def _runs(runs: Sequence[Run]) -> str:
    return "".join(f"**{r.text}**" if r.bold else f"*{r.text}*" if r.italic else r.text for r in runs)


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())
