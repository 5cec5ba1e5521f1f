"""`qualcode memo add|list|show|edit|delete` and `qualcode journal`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import (
    Settings,
    console,
    emit,
    output_options,
    pass_settings,
    print_json,
    read_text_input,
)
from qualcode.cli.completion import (
    complete_analysts,
    complete_memo_kinds,
    complete_memo_targets,
)

KINDS_HELP = "familiarisation, reflexive, decision, code, theme, phase, coding"
ON_HELP = "What the memo is about: transcript:NAME, code:NAME, theme:NAME or coding:ID."


@click.group()
def memo() -> None:
    """Memos: familiarisation notes, reflexive and decision memos, notes on codes and themes."""


def _first_line(text: str, width: int = 70) -> str:
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def _target(memo_row: dict[str, Any]) -> str:
    """What a memo is on, in words: "transcript P2", or just "Rupture as turning point" for a
    code memo on a code (the kind already says what it is on)."""
    kind_of, _, name = (memo_row["target"] or "").partition(":")
    if not name:
        return kind_of
    return name if kind_of == memo_row["kind"] else f"{kind_of} {name}"


def _summary(memo_row: dict[str, Any]) -> str:
    target = _target(memo_row)
    on = f" memo on {target}" if target else ""
    return f"{memo_row['kind']}{on}, phase {memo_row['phase']}"


@memo.command("add")
@click.argument("text", required=False)
@click.option("--on", "on", metavar="TYPE:NAME", shell_complete=complete_memo_targets, help=ON_HELP)
@click.option(
    "--kind",
    metavar="KIND",
    shell_complete=complete_memo_kinds,
    help=f"One of {KINDS_HELP} (default: from --on, else reflexive).",
)
@click.option(
    "--file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the memo from a file.",
)
@pass_settings
def add(settings: Settings, text: str | None, on: str | None, kind: str | None, from_file: Path | None) -> None:
    """Write a memo from TEXT, stdin ('-'), --file or $EDITOR.

    Without TEXT or --file, $EDITOR opens. The memo records who wrote it, when, and the phase.

    \b
    Examples:
        qualcode memo add --on transcript:P3 "Long pauses before talking about ruptures."
        qualcode memo add --kind reflexive -          (reads stdin)
        qualcode memo add --on code:"Repair" --kind decision --file decision.md
    """
    from qualcode.analysis.memos import add_memo, check_kind, get_memo, resolve_target

    project = settings.project()
    analyst = settings.analyst()
    # Check the target and kind before the editor opens, so a typo does not cost a written memo.
    if on:
        resolve_target(project, on)
    if kind:
        check_kind(kind)
    body = read_text_input(text, from_file, "memo")
    memo_id = add_memo(project, analyst, body, kind=kind, on=on)
    click.echo(f"saved memo {memo_id} ({_summary(get_memo(project, memo_id))})")


@memo.command("list")
@click.option(
    "--on", "on", metavar="TYPE:NAME", shell_complete=complete_memo_targets, help="Only memos about this: " + ON_HELP
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    shell_complete=complete_memo_kinds,
    help=f"Only memos of this kind (repeatable): {KINDS_HELP}.",
)
@click.option(
    "--analyst", "author", metavar="NAME", shell_complete=complete_analysts, help="Only memos written by this analyst."
)
@output_options
@pass_settings
def list_(
    settings: Settings, on: str | None, kinds: tuple[str, ...], author: str | None, as_json: bool, as_csv: bool
) -> None:
    """List memos in the order they were written, with their first line.

    \b
    Examples:
        qualcode memo list --on transcript:P3
        qualcode memo list --kind decision --analyst Tom --json
    """
    from qualcode.analysis.memos import list_memos

    memos = list_memos(settings.project(), on=on, kinds=list(kinds), analyst=author)
    if as_json or as_csv:
        emit(memos, as_json=as_json, as_csv=as_csv)
        return
    if not memos:
        click.echo('no memos yet: write one with `qualcode memo add "..."`')
        return
    _print_memo_table(memos)


# Narrower than this, the memo's first line moves under the row rather than being cut past
# recognising; a target ("transcript P13") wraps no narrower than TARGET_MIN.
MEMO_TEXT_MIN = 30
TARGET_MIN = 16


def _print_memo_table(memos: list[dict[str, Any]]) -> None:
    """One row a memo with its first line cut, with an ellipsis, to the room the other columns
    leave; in a narrow terminal the first line goes on a line of its own under the row."""
    from qualcode.analysis.journal import display_time
    from qualcode.cli import screen

    rows = [
        {
            "id": m["id"],
            "when": display_time(m["created"]),
            "analyst": m["analyst"],
            "kind": m["kind"],
            "phase": m["phase"],
            "on": _target(m),
            "memo": m["body"].splitlines()[0] if m["body"] else "",
        }
        for m in memos
    ]
    columns = [
        screen.Column("id", kind="number"),
        screen.Column("when", kind="fixed"),
        screen.Column("analyst", kind="name"),
        screen.Column("kind", kind="name"),
        screen.Column("phase", kind="number"),
        screen.Column("on", kind="name"),
    ]
    room = screen.width()
    # What the short columns leave is shared: the target wraps within a third of it, the first
    # line takes the rest (never wrapped, cut at a word with an ellipsis).
    left = room - screen.natural_width(rows, columns[:-1]) - 2 * len(screen.GAP)
    on_width = min(screen.natural_width(rows, columns[-1:]), max(TARGET_MIN, left // 3))
    below = left - on_width < MEMO_TEXT_MIN
    cut = room - len("    memo: ") if below else left - on_width
    for row in rows:
        row["memo"] = screen.shorten(row["memo"], cut)
    columns.append(screen.Column("memo", kind="text" if below else "fixed", own_line=below))
    screen.print_table(rows, columns, title="Memos")


@memo.command("show")
@click.argument("memo_id", type=int, metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) for scripts.")
@pass_settings
def show(settings: Settings, memo_id: int, as_json: bool) -> None:
    """Show one memo in full.

    \b
    Example:
        qualcode memo show 12
    """
    from rich.text import Text

    from qualcode.analysis.journal import display_time
    from qualcode.analysis.memos import get_memo
    from qualcode.analysis.phases import PHASES

    found = get_memo(settings.project(), memo_id)
    if as_json:
        print_json(found)
        return
    out = console()
    out.print(
        Text(f"memo {found['id']} · {found['kind']} · phase {found['phase']} ({PHASES[found['phase']]})", style="bold")
    )
    written = f"by {found['analyst']}, {display_time(found['created'])}"
    if found["updated"] != found["created"]:
        written += f" (edited {display_time(found['updated'])})"
    out.print(Text(written))
    if found["target"]:
        out.print(Text(f"on {found['target']}"))
    out.print()
    out.print(Text(found["body"]))


@memo.command("edit")
@click.argument("memo_id", type=int, metavar="ID")
@click.option("--text", "text", metavar="TEXT", help="The new text ('-' reads stdin); without it $EDITOR opens.")
@click.option(
    "--file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the new text from a file.",
)
@click.option("--kind", metavar="KIND", shell_complete=complete_memo_kinds, help=f"Change the kind: {KINDS_HELP}.")
@click.option(
    "--on",
    "on",
    metavar="TYPE:NAME",
    shell_complete=complete_memo_targets,
    help="Change what the memo is about: " + ON_HELP,
)
@click.option("--force", is_flag=True, help="Edit another analyst's memo (the audit log records it).")
@pass_settings
def edit(
    settings: Settings,
    memo_id: int,
    text: str | None,
    from_file: Path | None,
    kind: str | None,
    on: str | None,
    force: bool,
) -> None:
    """Change a memo's text, kind or target.

    Without --text, --file, --kind or --on, $EDITOR opens with the memo's current text.

    \b
    Examples:
        qualcode memo edit 12
        qualcode memo edit 12 --text "Rewritten after the team meeting."
        qualcode memo edit 12 --kind decision
    """
    from qualcode.analysis.memos import (
        check_kind,
        check_may_change,
        edit_memo,
        get_memo,
        resolve_target,
    )

    project = settings.project()
    analyst = settings.analyst()
    current = get_memo(project, memo_id)
    body = None
    if text is not None or from_file is not None or (kind is None and on is None):
        # Refuse bad input before the editor opens, not after the new text is typed.
        check_may_change(project, analyst, memo_id, "edit", force)
        if kind:
            check_kind(kind)
        if on:
            resolve_target(project, on)
        body = read_text_input(text, from_file, "memo", initial=current["body"] + "\n")
    updated = edit_memo(project, analyst, memo_id, body=body, kind=kind, on=on, force=force)
    if updated == current:
        click.echo(f"memo {memo_id} unchanged")
    else:
        click.echo(f"updated memo {memo_id} ({_summary(updated)})")


@memo.command("delete")
@click.argument("memo_id", type=int, metavar="ID")
@click.option("--force", is_flag=True, help="Delete another analyst's memo (the audit log records it).")
@pass_settings
def delete(settings: Settings, memo_id: int, force: bool) -> None:
    """Delete a memo (the audit log keeps its text).

    \b
    Example:
        qualcode memo delete 12
    """
    from qualcode.analysis.memos import delete_memo

    gone = delete_memo(settings.project(), settings.analyst(), memo_id, force=force)
    click.echo(f"deleted memo {memo_id} ({gone['analyst']}, {_summary(gone)}): {_first_line(gone['body'])}")


@click.command()
@click.option(
    "--analyst", "author", metavar="NAME", shell_complete=complete_analysts, help="Only this analyst's entries."
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    shell_complete=complete_memo_kinds,
    help=f"Memo kinds to include (repeatable; default: reflexive, decision, phase). Kinds: {KINDS_HELP}.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "md"]), default="text", show_default=True, help="md prints Markdown."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) for scripts.")
@pass_settings
def journal(settings: Settings, author: str | None, kinds: tuple[str, ...], fmt: str, as_json: bool) -> None:
    """The reflexive journal: reflexive, decision and phase memos and phase changes, in time order.

    \b
    Examples:
        qualcode journal
        qualcode journal --analyst Tom --kind reflexive
        qualcode journal --format md > journal.md
    """
    from rich.padding import Padding
    from rich.text import Text

    from qualcode.analysis.journal import display_time, journal_entries, journal_markdown

    entries = journal_entries(settings.project(), analyst=author, kinds=list(kinds))
    if as_json:
        print_json(entries)
        return
    if fmt == "md":
        click.echo(journal_markdown(entries), nl=False)
        return
    if not entries:
        click.echo('no journal entries yet: write one with `qualcode memo add --kind reflexive "..."`')
        return
    out = console()
    for entry in entries:
        heading = f"{display_time(entry['at'])} · phase {entry['phase']} {entry['phase_name']} · {entry['analyst'] or '?'} · {entry['kind']}"
        if entry["target"]:
            heading += f" · on {entry['target']}"
        if entry["edited"]:
            heading += f" · edited {display_time(entry['edited'])}"
        out.print(Text(heading, style="bold"))
        out.print(Padding(Text(entry["text"]), (0, 0, 1, 4), expand=False))
