"""`qualcode participant list|set|import`.

Renaming, deleting and merging participants are in qualcode.cli.participant_edit, added to this group."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import Settings, emit, output_options, pass_settings
from qualcode.cli.participant_edit import delete, merge, rename


@click.group()
def participant() -> None:
    """Participants (pseudonyms) and their attributes."""


for _command in (rename, delete, merge):
    participant.add_command(_command)


@participant.command("list")
@output_options
@pass_settings
def list_(settings: Settings, as_json: bool, as_csv: bool) -> None:
    """The participant table, one row per participant, as papers print it.

    \b
    Example:
        qualcode participant list --csv > participants.csv
    """
    from qualcode.analysis.participants import participant_table

    keys, rows = participant_table(settings.project())
    columns = ["participant", *keys, "transcripts"]
    if as_json or as_csv or not rows:
        emit(
            rows,
            as_json=as_json,
            as_csv=as_csv,
            columns=columns,
            empty="no participants yet: import transcripts or `qualcode participant import FILE.csv`",
        )
        return
    from qualcode.cli import screen

    # Attributes that do not fit move, from the last, to a line of their own under each row.
    screen.print_table(rows, screen.columns_for(rows, columns), title="Participants")


@participant.command("set")
@click.argument("name")
@click.argument("assignments", nargs=-1, required=True, metavar="KEY=VALUE...")
@click.option("--new", is_flag=True, help="Add the participant if there is none of that name yet.")
@pass_settings
def set_(settings: Settings, name: str, assignments: tuple[str, ...], new: bool) -> None:
    """Set attributes of a participant (an empty VALUE removes one).

    An unknown participant is refused with the nearest names, unless --new adds it.

    \b
    Examples:
        qualcode participant set P3 years=12 orientation=integrative
        qualcode participant set P14 --new years=4
    """
    from qualcode.analysis.participants import parse_assignments, set_attributes

    values = parse_assignments(list(assignments))
    set_attributes(settings.project(), settings.analyst(), name, values, new=new)
    click.echo(f"{name}: " + ", ".join(f"{k}={v}" for k, v in values.items()))


@participant.command("import")
@click.argument("csv_file", type=click.Path(path_type=Path))
@pass_settings
def import_(settings: Settings, csv_file: Path) -> None:
    """Import attributes from a CSV file with one row per participant.

    The first column (or one headed participant, pseudonym or id) names the participant;
    every other column is an attribute.

    \b
    Example:
        qualcode participant import participants.csv
    """
    from qualcode.analysis.participants import import_attributes

    count, keys = import_attributes(settings.project(), settings.analyst(), csv_file)
    click.echo(f"imported attributes of {count} participants: {', '.join(keys)}")
