"""`qualcode report`: the Word report an author starts a paper from."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import (
    Settings,
    drawing_notes,
    echo_path,
    force_option,
    json_option,
    pass_settings,
    print_json,
    refuse_empty_out,
)


@click.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    callback=refuse_empty_out,
    help="Where to write the .docx (default exports/PROJECT-report.docx).",
)
@force_option
@click.option(
    "--include",
    default="",
    metavar="PARTS",
    help="Appendices, comma-separated: codebook,agreement,journal,audit (or all).",
)
@click.option(
    "--quotes",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Extracts per theme and subtheme when the authors have not chosen quotes.",
)
@click.option(
    "--counts/--no-counts",
    default=None,
    help="Give frequencies (extracts, participants) or leave them out (default: the project's "
    "`qualcode config counts`, else off).",
)
@click.option(
    "--paper", metavar="a4|letter", help="Paper size (default: the project's, else A4; Letter in the US and Canada)."
)
@json_option
@pass_settings
def report(
    settings: Settings,
    out: Path | None,
    include: str,
    quotes: int,
    counts: bool | None,
    paper: str | None,
    as_json: bool,
) -> None:
    """Write the Word report: the data set and analysis, participants, the table of themes, the
    thematic map, a section per theme with its extracts, and appendices on request.

    A theme's analysis written with `qualcode theme write` is its section, extracts in place;
    a theme without one gets its definition and quotes (chosen with `qualcode theme quote`, else
    picked spread over participants) under "[analysis to be written]". What the analysis still
    lacks, and narrative references that cannot be quoted, are marked in the report and listed here.

    \b
    Examples:
        qualcode report
        qualcode report --include codebook,agreement,journal,audit --out paper/report.docx
        qualcode report --include all --quotes 2
    """
    from qualcode.report.gather import write_report

    with drawing_notes():
        result = write_report(settings.project(), out, include, quotes, counts=counts, paper=paper)
    if as_json:
        print_json(
            {
                "path": str(result.path),
                "themes": result.themes,
                "quotes": result.quotes,
                "appendices": result.appendices,
                "missing": result.missing,
                "warnings": result.warnings,
            }
        )
        return
    for line in result.missing:
        click.echo(f"missing: {line}", err=True)
    for line in result.warnings:
        click.echo(line if line.startswith("note: ") else f"warning: {line}", err=True)
    echo_path(result.path)
