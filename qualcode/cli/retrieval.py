"""`qualcode extracts`, `qualcode matrix` and `qualcode cooccurrence`."""

from __future__ import annotations

import click

from qualcode.cli.common import (
    Settings,
    emit,
    output_options,
    pass_settings,
    print_extracts,
)
from qualcode.cli.completion import (
    complete_analysts,
    complete_attributes,
    complete_codes,
    complete_matrix_columns,
    complete_participants,
    complete_transcripts,
)
from qualcode.wording import counted


@click.command()
@click.argument("code", required=False, shell_complete=complete_codes)
@click.option("--analyst", "only_analyst", shell_complete=complete_analysts, help="Only this analyst's codings.")
@click.option("--participant", shell_complete=complete_participants, help="Only this participant's transcripts.")
@click.option("--transcript", shell_complete=complete_transcripts, help="Only this transcript.")
@click.option(
    "--attribute",
    metavar="KEY=VALUE",
    shell_complete=complete_attributes,
    help="Only participants with this attribute value.",
)
@click.option("--children", is_flag=True, help="Include the code's subcodes.")
@output_options
@pass_settings
def extracts(
    settings: Settings,
    code: str | None,
    only_analyst: str | None,
    participant: str | None,
    transcript: str | None,
    attribute: str | None,
    children: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Every passage coded with CODE (or every coded passage), with where it is and who said it.

    \b
    Examples:
        qualcode extracts "Rupture: withdrawal"
        qualcode extracts Anxiety --attribute orientation=CBT --csv > anxiety.csv
    """
    from qualcode.analysis.retrieval import extracts as find_extracts

    rows = find_extracts(
        settings.project(),
        code,
        analyst=only_analyst,
        participant=participant,
        transcript=transcript,
        attribute=attribute,
        include_children=children,
        viewer=settings.analyst(),
    )
    if as_json or as_csv:
        emit(rows, as_json=as_json, as_csv=as_csv)
        return
    if not rows:
        click.echo("no extracts")
        return
    print_extracts(rows)
    transcripts = len({r["transcript"] for r in rows})
    click.echo(f"{counted(len(rows), 'extract')} from {counted(transcripts, 'transcript')}")


@click.command()
@click.option(
    "--by",
    default="participant",
    show_default=True,
    metavar="participant|transcript|attribute:KEY",
    shell_complete=complete_matrix_columns,
    help="Columns: participants, transcripts, or the values of a participant attribute.",
)
@click.option("--analyst", "only_analyst", shell_complete=complete_analysts, help="Only this analyst's codings.")
@output_options
@pass_settings
def matrix(settings: Settings, by: str, only_analyst: str | None, as_json: bool, as_csv: bool) -> None:
    """Codes by participants (or transcripts, or an attribute), counting codings in each cell.

    \b
    Examples:
        qualcode matrix
        qualcode matrix --by attribute:orientation
    """
    from qualcode.analysis.retrieval import matrix as build

    columns, rows = build(settings.project(), by=by, analyst=only_analyst, viewer=settings.analyst())
    if as_json or as_csv or not rows:
        emit(rows, as_json=as_json, as_csv=as_csv, columns=["code", *columns, "total"], empty="no codings yet")
        return
    _print_matrix(columns, rows)


def _print_matrix(columns: list[str], rows: list[dict]) -> None:
    """The matrix with its columns named when the names fit on one line across; otherwise (many
    attribute values such as "psychodynamic") lettered a, b, c… with a key under the table."""
    import string

    from qualcode.cli import screen

    keys = [*columns, "total"]

    def layout(headers: dict[str, str]) -> list[screen.Column]:
        return [screen.Column("code", kind="name")] + [screen.Column(c, headers.get(c, c), kind="number") for c in keys]

    named = layout({})
    room = screen.width()
    lettered = len(columns) <= len(string.ascii_lowercase) and not screen.fits_unwrapped(rows, named, room)
    if not lettered:
        screen.print_table(rows, named)
        return
    letters = dict(zip(columns, string.ascii_lowercase))
    screen.print_table(rows, layout(letters))
    screen.echo_paragraph(
        "key: " + " · ".join(f"{letters[c]} {c}".replace(" ", screen.NBSP) for c in columns), "     ", ""
    )


@click.command()
@click.option(
    "--by",
    "mode",
    type=click.Choice(["overlap", "turn"]),
    default="overlap",
    show_default=True,
    help="Count overlapping pairs of codings, or turns holding both codes.",
)
@click.option("--analyst", "only_analyst", shell_complete=complete_analysts, help="Only this analyst's codings.")
@output_options
@pass_settings
def cooccurrence(settings: Settings, mode: str, only_analyst: str | None, as_json: bool, as_csv: bool) -> None:
    """Pairs of codes that occur together, most frequent first.

    Each analyst's codings pair only with their own: --by overlap counts pairs of one analyst's
    codings whose passages overlap, --by turn the speaker turns in which one analyst applied both.

    \b
    Example:
        qualcode cooccurrence --by turn
    """
    from qualcode.analysis.retrieval import cooccurrence as pairs

    emit(
        pairs(settings.project(), mode=mode, analyst=only_analyst, viewer=settings.analyst()),
        as_json=as_json,
        as_csv=as_csv,
        empty="no codes occur together",
    )
