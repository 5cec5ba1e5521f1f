"""`qualcode log` and `qualcode undo`."""

from __future__ import annotations

import click

from qualcode.cli.common import Settings, emit, output_options, pass_settings
from qualcode.cli.completion import complete_analysts


@click.command()
@click.option("--limit", "-n", type=int, default=50, show_default=True, help="How many commands (0 for all).")
@click.option("--analyst", "only_analyst", shell_complete=complete_analysts, help="Only this analyst's changes.")
@click.option("--entity", help="Only changes to this kind of row (codings, codes, memos, themes, …).")
@output_options
@pass_settings
def log(settings: Settings, limit: int, only_analyst: str | None, entity: str | None, as_json: bool, as_csv: bool) -> None:
    """The audit trail: every change, who made it and when, newest first.

    \b
    Examples:
        qualcode log
        qualcode log --analyst Tom --entity codings --csv > trail.csv
    """
    from qualcode.history import audit_trail

    rows = audit_trail(settings.project(), limit=limit or None, analyst=only_analyst, entity=entity)
    emit(rows, as_json=as_json, as_csv=as_csv, columns=None if as_json else ["id", "at", "analyst", "command", "changes", "undone"],
         empty="no changes recorded yet")


@click.command()
@pass_settings
def undo(settings: Settings) -> None:
    """Revert the last change made by this analyst (run again to go further back).

    \b
    Example:
        qualcode -a Tom undo
    """
    from qualcode.history import undo as revert

    analyst = settings.analyst()
    done = revert(settings.project(), analyst)
    click.echo(f"undid '{done['command']}' by {analyst} from {done['at']} ({done['rows']} rows restored)")
