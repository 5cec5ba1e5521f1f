"""`qualcode phase` (where the analysis stands, what is done and left) and `qualcode phase set`."""

from __future__ import annotations

from typing import Any

import click

from qualcode.cli.common import Settings, console, pass_settings, print_json

# Long lists of names are cut in the overview; --json always has them all.
SHOWN_NAMES = 8


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) for scripts.")
@click.pass_context
def phase(ctx: click.Context, as_json: bool) -> None:
    """The six phases: the current one, what is done and left in it, and the phase log.

    \b
    Examples:
        qualcode phase
        qualcode phase set 3 --note "Codebook stable after P1-P6"
    """
    if ctx.invoked_subcommand is not None:
        return
    from qualcode.analysis.phases import phase_overview

    settings: Settings = ctx.obj
    overview = phase_overview(settings.project())
    if as_json:
        print_json(overview)
        return
    _print_overview(overview)


def _item_line(item: dict[str, Any]) -> str:
    """An item's line after its mark (✓ done, ○ not yet)."""
    if item["total"] is None:
        return f"{item['label']}: {'yes' if item['complete'] else 'not yet'}"
    if not item["total"]:
        return f"{item['label']}: none yet"
    line = f"{item['label']}: {item['done']} of {item['total']}"
    if item["left"]:
        shown = ", ".join(item["left"][:SHOWN_NAMES])
        more = len(item["left"]) - SHOWN_NAMES
        line += f"; left: {shown}" + (f" and {more} more" if more > 0 else "")
    return line


def _move_label(entry: dict[str, Any]) -> str:
    if entry["direction"] == "start":
        return f"began in {entry['phase']}"
    arrow = f"{entry['previous']} → {entry['phase']}"
    return f"{arrow}, back" if entry["direction"] == "back" else arrow


def _print_overview(overview: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    from qualcode.analysis.journal import display_time

    out = console()
    out.print(Text(f"Phase {overview['phase']} of 6: {overview['phase_name']}", style="bold"))
    out.print(Text(overview["coding"]["line"]))
    out.print()
    phases = Table(box=None, show_header=False, padding=(0, 1))
    for column in ("mark", "number", "name", "about"):
        phases.add_column(column, no_wrap=column != "about")
    for entry in overview["phases"]:
        style = "bold" if entry["current"] else ""
        phases.add_row(
            "▶" if entry["current"] else " ", str(entry["number"]), entry["name"], entry["about"], style=style
        )
    out.print(phases)
    out.print()
    out.print(Text(f"Phase {overview['phase']}: done and left", style="bold"))
    # A grid, so a long list of what is left wraps under its item, not under the mark.
    checklist = Table.grid(padding=(0, 1))
    checklist.add_column(justify="right", width=3)
    checklist.add_column()
    for item in overview["checklist"]:
        checklist.add_row("✓" if item["complete"] else "○", Text(_item_line(item)))
    out.print(checklist)
    out.print()
    out.print(Text("Phase log", style="bold"))
    log = Table(box=None, show_header=False, padding=(0, 1))
    for column in ("when", "move", "analyst", "note"):
        log.add_column(column, no_wrap=column != "note")
    for entry in overview["log"]:
        log.add_row(display_time(entry["at"]), _move_label(entry), entry["analyst"] or "", Text(entry["note"] or ""))
    out.print(log)


@phase.command("set")
@click.argument("number", type=int)
@click.option("--note", metavar="TEXT", help="Why you are moving (worth giving when going back); kept in the journal.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) for scripts.")
@pass_settings
def set_(settings: Settings, number: int, note: str | None, as_json: bool) -> None:
    """Move to another phase, forward or back.

    The move and its note go into the phase log, and the note into the journal as a phase memo.

    \b
    Examples:
        qualcode phase set 2 --note "Familiarisation notes written for all 14 transcripts"
        qualcode phase set 2 --note "Theme review showed the codes for rupture are too coarse"
    """
    from qualcode.analysis.phases import set_phase

    moved = set_phase(settings.project(), settings.analyst(), number, note)
    if as_json:
        print_json(moved)
        return
    if moved["direction"] == "back":
        click.echo(f"Back to phase {moved['phase']}: {moved['phase_name']} (from phase {moved['previous']}).")
        if moved["note"]:
            click.echo(
                "Moving between phases is part of reflexive thematic analysis; your note is in the phase log and the journal."
            )
        else:
            click.echo(
                "Moving between phases is part of reflexive thematic analysis. The move is logged; a memo saying why"
            )
            click.echo('would help the journal: qualcode memo add --kind phase "..."')
    else:
        click.echo(f"Moved on to phase {moved['phase']}: {moved['phase_name']} (from phase {moved['previous']}).")
        if moved["note"]:
            click.echo("Your note is in the phase log and the journal.")
    click.echo("See what is done and left with `qualcode phase`.")
