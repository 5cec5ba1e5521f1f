"""`qualcode log` and `qualcode undo`."""

from __future__ import annotations

from typing import Any

import click

from qualcode.cli.common import (
    Settings,
    console,
    emit,
    pass_settings,
    print_json,
    print_plain_table,
)
from qualcode.cli.completion import complete_analysts, complete_audit_entities

LOG_COLUMNS = ("id", "when", "analyst", "command", "changes")
# Past this many commands the log is printed as plain columns: rich's layout of a long table is slow.
RICH_LOG_MAX_ROWS = 200


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
    _print_log([_log_row(row) for row in rows], undone={i for i, row in enumerate(rows) if row["undone"]})


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


def _print_log(rows: list[dict[str, str]], undone: set[int]) -> None:
    """Borderless columns: the short ones keep their width, what the command changed wraps in
    the room left, so the log reads at 80 columns."""
    if len(rows) > RICH_LOG_MAX_ROWS:
        print_plain_table(rows, list(LOG_COLUMNS), None, None)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", padding=(0, 1), pad_edge=False)
    for column in LOG_COLUMNS:
        table.add_column(
            column,
            no_wrap=column not in ("command", "changes"),
            justify="right" if column == "id" else "left",
            ratio=2 if column == "changes" else None,
        )
    for index, row in enumerate(rows):
        table.add_row(*(Text(row[c]) for c in LOG_COLUMNS), style="dim" if index in undone else "")
    console().print(table)


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
