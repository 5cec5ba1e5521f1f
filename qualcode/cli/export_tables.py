"""`qualcode export themes|codebook|extracts|journal`: tables for papers, in the formats authors use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
@pass_settings
def themes(settings: Settings, fmt: str | None, out: str | None, raw: bool) -> None:
    """The table of themes papers print: theme, subthemes, definition, participants n/N, extracts.

    Final themes when any theme is final, otherwise every theme not discarded. LaTeX uses
    booktabs; spreadsheets get n and N as separate numbers.

    \b
    Examples:
        qualcode export themes --format latex --out paper/themes.tex
        qualcode export themes --format md --out -
        qualcode export themes --out themes.xlsx
    """
    from qualcode.report.paper_tables import themes_table

    _export(settings, "themes", themes_table, out, fmt, raw=raw)


@click.command()
@click.option("--format", "fmt", metavar="csv|md|docx", help="Default: from --out's extension, else csv.")
@click.option("--out", metavar="PATH", callback=refuse_empty_out, help=OUT_HELP.format(kind="codebook"))
@force_option
@click.option("--raw", is_flag=True, help=RAW_HELP)
@pass_settings
def codebook(settings: Settings, fmt: str | None, out: str | None, raw: bool) -> None:
    """The codebook: codes in hierarchy order with descriptions, counts and their themes.

    \b
    Examples:
        qualcode export codebook --format docx
        qualcode export codebook --format md --out -
    """
    from qualcode.report.paper_tables import codebook_table

    _export(settings, "codebook", codebook_table, out, fmt, raw=raw)


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
