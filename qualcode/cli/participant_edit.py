"""`qualcode participant rename|delete|merge`: correcting the participant list.

These commands join the `participant` group (qualcode.cli.participant adds them)."""

from __future__ import annotations

import click

from qualcode.cli.common import Settings, pass_settings
from qualcode.cli.completion import complete_participants
from qualcode.wording import counted, join_names


@click.command("rename")
@click.argument("old", shell_complete=complete_participants)
@click.argument("new")
@pass_settings
def rename(settings: Settings, old: str, new: str) -> None:
    """Rename a participant; attributions such as "(P6)" in quotes, tables and reports follow.

    \b
    Example:
        qualcode participant rename P06 P6
    """
    from qualcode.analysis.participant_edits import rename_participant

    was, now = rename_participant(settings.project(), settings.analyst(), old, new)
    click.echo(f"renamed participant '{was}' to '{now}'")


@click.command("delete")
@click.argument("name", shell_complete=complete_participants)
@pass_settings
def delete(settings: Settings, name: str) -> None:
    """Delete a participant and their attributes (refused while transcripts name them).

    \b
    Example:
        qualcode participant delete P12
    """
    from qualcode.analysis.participant_edits import delete_participant

    stored = delete_participant(settings.project(), settings.analyst(), name)
    click.echo(f"deleted participant '{stored}'")


@click.command("merge")
@click.argument("source", shell_complete=complete_participants)
@click.argument("target", shell_complete=complete_participants)
@pass_settings
def merge(settings: Settings, source: str, target: str) -> None:
    """Merge participant SOURCE into TARGET: its transcripts and attributes move, SOURCE goes.

    Refused when both have an attribute with different values.

    \b
    Example:
        qualcode participant merge P3b P3
    """
    from qualcode.analysis.participant_edits import merge_participants

    was, now, moved = merge_participants(settings.project(), settings.analyst(), source, target)
    moved_text = f"; {counted(len(moved), 'transcript')} moved ({join_names(moved)})" if moved else ""
    click.echo(f"merged participant '{was}' into '{now}'{moved_text}")
