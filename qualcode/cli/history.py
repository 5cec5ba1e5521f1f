"""`qualcode log` and `qualcode undo`."""

from __future__ import annotations

from typing import Any

import click

from qualcode.cli.common import Settings, emit, pass_settings, print_json
from qualcode.cli.completion import complete_analysts, complete_audit_entities

LOG_COLUMNS = ("id", "when", "analyst", "command", "changes")


@click.command()
@click.option("--limit", "-n", type=int, default=50, show_default=True, help="How many commands (0 for all).")
@click.option("--analyst", "only_analyst", shell_complete=complete_analysts, help="Only this analyst's changes.")
@click.option(
    "--entity",
    shell_complete=complete_audit_entities,
    help="Only commands that changed this kind of row (codings, codes, memos, themes, …).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) for scripts.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@pass_settings
def log(
    settings: Settings, limit: int, only_analyst: str | None, entity: str | None, as_json: bool, as_csv: bool
) -> None:
    """The audit trail: every change, who made it and when, newest first.

    Each command has an id (#); `undo` takes back the newest of your own that is still in force.

    \b
    Examples:
        qualcode log
        qualcode log --analyst Tom --entity codings --csv > trail.csv
    """
    from qualcode.history import audit_trail

    rows = audit_trail(settings.project(), limit=limit or None, analyst=only_analyst, entity=entity)
    if as_json:
        print_json(rows)
        return
    if as_csv:
        emit(rows, as_csv=True, columns=["id", "at", "analyst", "command", "changes", "undone", "undid"])
        return
    if not rows:
        click.echo("no changes recorded yet")
        return
    _print_log([_log_row(row) for row in rows])


def _log_row(row: dict[str, Any]) -> dict[str, str]:
    from qualcode.analysis.journal import display_time

    command = row["command"]
    if row["undid"] is not None:
        command += f" #{row['undid']}"
    elif row["undone"]:
        command += " (undone)"
    return {
        "id": f"#{row['id']}",
        "when": display_time(row["timestamp"]),
        "analyst": row["analyst"] or "",
        "command": command,
        "changes": row["changes"],
    }


def _print_log(rows: list[dict[str, str]]) -> None:
    """The short columns keep their width and what the command changed wraps in the room left,
    so the log reads at 80 columns; an undone command says so in its command column."""
    from qualcode.cli import screen

    columns = [
        screen.Column("id", kind="number"),
        screen.Column("when", kind="fixed"),
        screen.Column("analyst", kind="name"),
        screen.Column("command", kind="name"),
        screen.Column("changes", kind="text"),
    ]
    screen.print_table(rows, columns)


@click.command()
@pass_settings
def undo(settings: Settings) -> None:
    """Revert the last change made by this analyst (run again to go further back).

    Undo refuses, and says which later command is in the way, when later work has changed
    what it would restore or builds on what it would take back.

    \b
    Example:
        qualcode -a Tom undo
    """
    from qualcode.analysis.journal import display_time
    from qualcode.history import undo as revert

    analyst = settings.analyst()
    done = revert(settings.project(), analyst)
    click.echo(
        f"undid '{done['command']}' by {analyst} (#{done['id']}, {display_time(done['timestamp'])}),"
        f" which {done['changes'] or 'changed nothing'}"
    )
