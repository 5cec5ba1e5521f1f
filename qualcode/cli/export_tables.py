"""`qualcode export themes|codebook|extracts|journal`: tables for papers, in the formats authors use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import Settings, echo_path, force_option, pass_settings, refuse_empty_out

OUT_HELP = "Where to write (default exports/PROJECT-{kind}.EXT; '-' prints text formats)."


def _emit(written: Path | str) -> None:
    """A file written, or text for stdout (`--out -`)."""
    if isinstance(written, str):
        click.echo(written, nl=False)
    else:
        echo_path(written)


RAW_HELP = "Write cells exactly as stored, even ones a spreadsheet would run as a formula (=, +, -, @)."


def _export(
    settings: Settings,
    kind: str,
    table_of: Callable,
    out: str | None,
    fmt: str | None,
    about: str | None = None,
    raw: bool = False,
) -> None:
    from qualcode.report.paper_tables import (
        default_export_path,
        export_table,
        resolve_export_format,
    )

    chosen = resolve_export_format(kind, out, fmt)
    project = settings.project()
    _emit(export_table(table_of(project), chosen, out or default_export_path(project, kind, chosen, about), raw))


@click.command()
@click.option("--format", "fmt", metavar="csv|md|latex|docx|xlsx", help="Default: from --out's extension, else csv.")
@click.option("--out", metavar="PATH", callback=refuse_empty_out, help=OUT_HELP.format(kind="themes"))
@force_option
@click.option("--raw", is_flag=True, help=RAW_HELP)
@click.option(
    "--quotes",
    type=click.IntRange(min=0),
    default=0,
    help="Add a column of N illustrative extracts, chosen ones first.",
)
@click.option(
    "--definition-words",
    type=click.IntRange(min=1),
    metavar="N",
    help="Shorten definitions to N words (default: in full).",
)
@click.option(
    "--counts/--no-counts",
    default=None,
    help="Add participants n/N and extracts (default: the project's `qualcode config counts`, else off).",
)
@pass_settings
def themes(
    settings: Settings,
    fmt: str | None,
    out: str | None,
    quotes: int,
    definition_words: int | None,
    counts: bool | None,
    raw: bool,
) -> None:
    """The table of themes papers print: theme, subthemes, definition, and on request
    illustrative extracts and frequencies (participants n/N, extracts).

    Final themes when any theme is final, otherwise every theme not discarded. LaTeX uses
    booktabs; spreadsheets get n and N as separate numbers.

    \b
    Examples:
        qualcode export themes --format latex --out paper/themes.tex
        qualcode export themes --format md --out - --quotes 1
        qualcode export themes --out themes.xlsx --counts
    """
    from qualcode.report.paper_tables import themes_table
    from qualcode.report.preferences import counts_for

    def table_of(project: Any) -> Any:
        return themes_table(
            project, counts=counts_for(project, counts), definition_words=definition_words, quotes=quotes
        )

    _export(settings, "themes", table_of, out, fmt, raw=raw)


@click.command()
@click.option("--format", "fmt", metavar="csv|md|docx", help="Default: from --out's extension, else csv.")
@click.option("--out", metavar="PATH", callback=refuse_empty_out, help=OUT_HELP.format(kind="codebook"))
@force_option
@click.option("--raw", is_flag=True, help=RAW_HELP)
@click.option("--examples", is_flag=True, help="Add an example extract of each code (its most quotable passage).")
@pass_settings
def codebook(settings: Settings, fmt: str | None, out: str | None, examples: bool, raw: bool) -> None:
    """The codebook: codes in hierarchy order with descriptions, inclusion and exclusion
    criteria, counts, their themes and, on request, an example extract of each.

    \b
    Examples:
        qualcode export codebook --format docx
        qualcode export codebook --format md --out - --examples
    """
    from qualcode.report.paper_tables import codebook_table

    _export(settings, "codebook", lambda project: codebook_table(project, examples=examples), out, fmt, raw=raw)


@click.command()
@click.option("--code", "code_name", metavar="CODE", help="Only the extracts of this code.")
@click.option("--theme", "theme_name", metavar="THEME", help="Only the extracts of this theme (and its subthemes).")
@click.option("--format", "fmt", metavar="csv|xlsx|md", help="Default: from --out's extension, else csv.")
@click.option("--out", metavar="PATH", callback=refuse_empty_out, help=OUT_HELP.format(kind="extracts"))
@force_option
@click.option("--raw", is_flag=True, help=RAW_HELP)
@pass_settings
def extracts(
    settings: Settings, code_name: str | None, theme_name: str | None, fmt: str | None, out: str | None, raw: bool
) -> None:
    """Coded extracts with participant, transcript, lines, speaker, code and analyst.

    \b
    Examples:
        qualcode export extracts --theme "Anxiety as co-created" --format xlsx
        qualcode export extracts --code Rupture --format csv --out -
    """
    from qualcode.report.paper_tables import extracts_table

    if code_name and theme_name:
        raise click.UsageError("choose --code or --theme, not both")
    _export(
        settings,
        "extracts",
        lambda project: extracts_table(project, code=code_name, theme=theme_name),
        out,
        fmt,
        about=code_name or theme_name,
        raw=raw,
    )


@click.command()
@click.option("--format", "fmt", metavar="md|docx", help="Default: from --out's extension, else md.")
@click.option("--out", metavar="PATH", callback=refuse_empty_out, help=OUT_HELP.format(kind="journal"))
@force_option
@click.option("--by", "by_analyst", metavar="NAME", help="Only this analyst's entries.")
@pass_settings
def journal(settings: Settings, fmt: str | None, out: str | None, by_analyst: str | None) -> None:
    """The reflexive journal (reflexive, decision and phase entries) in time order.

    \b
    Examples:
        qualcode export journal --format docx
        qualcode export journal --by Tom --out -
    """
    from qualcode.report.gather import export_journal

    _emit(export_journal(settings.project(), out, fmt, by_analyst))


@click.command()
@click.option("--format", "fmt", metavar="md|docx", help="Default: from --out's extension, else md.")
@click.option("--out", metavar="PATH", help=OUT_HELP.format(kind="results"))
@click.option(
    "--counts/--no-counts",
    default=None,
    help="Give frequencies (default: the project's `qualcode config counts`, else off).",
)
@click.option("--paper", metavar="a4|letter", help="Paper size of the .docx (default: the project's, else A4).")
@pass_settings
def results(settings: Settings, fmt: str | None, out: str | None, counts: bool | None, paper: str | None) -> None:
    """The results section alone: the opening, the table of themes, and each theme's narrative
    (`qualcode theme write`) with its extracts set apart and attributed, as Markdown or Word.

    \b
    Examples:
        qualcode export results --format docx
        qualcode export results --out -
    """
    from qualcode.report.results import export_results

    written, warnings = export_results(settings.project(), out, fmt, counts=counts, paper=paper)
    for line in warnings:
        click.echo(line if line.startswith("note: ") else f"warning: {line}", err=True)
    _emit(written)
