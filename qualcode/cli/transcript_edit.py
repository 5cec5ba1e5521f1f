"""`qualcode transcript rename|delete|set|update|pseudonymise`: keeping the corpus right.

These commands join the `transcript` group (qualcode.cli.transcript adds them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import Settings, console, pass_settings, print_json
from qualcode.cli.completion import complete_participants, complete_transcripts
from qualcode.wording import counted


@click.command("rename")
@click.argument("name", shell_complete=complete_transcripts)
@click.argument("new_name")
@pass_settings
def rename(settings: Settings, name: str, new_name: str) -> None:
    """Rename a transcript; its codings, memos and counts follow.

    \b
    Example:
        qualcode transcript rename "Interview 3" P3
    """
    from qualcode.text.revisions import rename_transcript

    old, new = rename_transcript(settings.project(), settings.analyst(), name, new_name)
    click.echo(f"renamed transcript '{old}' to '{new}'")


@click.command("delete")
@click.argument("name", shell_complete=complete_transcripts)
@click.option("--force", is_flag=True, help="Delete it with its codings, chosen quotes and memos.")
@pass_settings
def delete(settings: Settings, name: str, force: bool) -> None:
    """Delete a transcript (refused while it has codings, quotes or memos, unless --force).

    `qualcode undo` brings it back, with everything --force removed.

    \b
    Example:
        qualcode transcript delete P3-draft --force
    """
    from qualcode.text.revisions import delete_transcript

    stored, went = delete_transcript(settings.project(), settings.analyst(), name, force=force)
    click.echo(f"deleted transcript '{stored}'" + (f" with {went.describe()}" if went else ""))


@click.command("set")
@click.argument("name", shell_complete=complete_transcripts)
@click.option("--participant", metavar="P3", shell_complete=complete_participants, help="Its participant.")
@click.option("--no-participant", is_flag=True, help="It belongs to no participant.")
@click.option("--new", is_flag=True, help="Add the participant if there is none of that name yet.")
@pass_settings
def set_(settings: Settings, name: str, participant: str | None, no_participant: bool, new: bool) -> None:
    """Give a transcript another participant (a mistyped one is refused unless --new).

    \b
    Example:
        qualcode transcript set P3b --participant P3
    """
    from qualcode.text.revisions import set_transcript_participant

    if (participant is None) == (not no_participant):
        raise click.UsageError("give --participant P or --no-participant")
    stored, was, now = set_transcript_participant(
        settings.project(), settings.analyst(), name, None if no_participant else participant, new=new
    )
    was_text = f"'{was}'" if was else "none"
    now_text = f"'{now}'" if now else "none"
    click.echo(f"{stored}: participant {now_text} (was {was_text})")


@click.command("update")
@click.argument("name", shell_complete=complete_transcripts)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--drop-lost", is_flag=True, help="Remove codings whose text is gone (otherwise nothing changes).")
@click.option("--interviewer", metavar="LABEL", help="The interviewer's speaker label (default: guessed).")
@pass_settings
def update(settings: Settings, name: str, file: Path, drop_lost: bool, interviewer: str | None) -> None:
    """Replace a transcript's text with a corrected version; its codings move with the words.

    Codings on unchanged words move silently; codings whose words changed are listed with the
    old and new text and kept; codings whose words are gone are listed and stop the command,
    unless --drop-lost. `qualcode undo` restores the old text and every coding.

    \b
    Example:
        qualcode transcript update P3 corrected/P3.docx
    """
    from qualcode.text.corpus import load_transcript

    project = settings.project()
    stored = load_transcript(project, name).name
    report = import_with_lost_listed(
        project, [file], settings.analyst(), name=stored, replace=True, drop_lost=drop_lost, interviewer=interviewer
    )
    result = report.results[0]
    if result.status == "failed":
        raise click.ClickException(result.message)
    for warning in result.warnings:
        click.echo(f"warning: {file.name}: {warning}", err=True)
    if result.status == "replaced":
        click.echo(f"updated {result.name}: {counted(result.turns, 'turn')}, {counted(result.words, 'word')}")
        print_coding_moves(result.codings)
    else:
        click.echo(f"{result.status} {result.name}: {result.message}")


def import_with_lost_listed(project: Any, paths: Sequence[Path], analyst: str, **options: Any) -> Any:
    """Import as `import_transcripts` does; codings that would be lost are listed, then the
    command stops with nothing changed."""
    from qualcode.text.ingest import import_transcripts
    from qualcode.text.rewrite import LostCodings

    try:
        return import_transcripts(project, list(paths), analyst, **options)
    except LostCodings as lost:
        click.echo(f"codings of '{lost.transcript}' whose text is gone:", err=True)
        for move in lost.lost:
            click.echo(f'  coding {move.coding_id} {move.code} ({move.analyst}): "{_short(move.old_text)}"', err=True)
        raise click.ClickException(str(lost)) from None


def print_coding_moves(moves: Sequence[Any]) -> None:
    """What happened to a replaced transcript's codings: a count of those that moved silently,
    and every coding whose words changed or are gone."""
    if not moves:
        return
    same = sum(1 for m in moves if m.status == "same")
    changed = [m for m in moves if m.status == "changed"]
    lost = [m for m in moves if m.status == "lost"]
    click.echo(f"  {counted(same, 'coding')} on unchanged text moved with it")
    if changed:
        click.echo(f"  {counted(len(changed), 'coding')} whose text changed, kept on the new text:")
        for m in changed:
            click.echo(
                f'    coding {m.coding_id} {m.code} ({m.analyst}): "{_short(m.old_text)}" → "{_short(m.new_text)}"'
            )
    if lost:
        click.echo(f"  {counted(len(lost), 'coding')} whose text is gone, removed (--drop-lost):")
        for m in lost:
            click.echo(f'    coding {m.coding_id} {m.code} ({m.analyst}): "{_short(m.old_text)}"')


def _short(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@click.command("pseudonymise")
@click.argument("names", nargs=-1, shell_complete=complete_transcripts)
@click.option("--all", "every", is_flag=True, help="Every transcript in the project.")
@click.option(
    "--map", "map_file", required=True, type=click.Path(path_type=Path), help="CSV: name, replacement per row."
)
@click.option("--memos", is_flag=True, help="Replace the names in memos too.")
@click.option("--dry-run", is_flag=True, help="List every hit in context; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@pass_settings
def pseudonymise(
    settings: Settings,
    names: tuple[str, ...],
    every: bool,
    map_file: Path,
    memos: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Replace real names, places and other identifiers with pseudonyms or "[descriptions]".

    The map is a CSV file, one name and its replacement per row (a header row is optional).
    Names match as whole words, ignoring case and which apostrophe, quote mark or dash was
    typed; a capitalised name (Rose) leaves the lower-case word (rose) alone, and the
    replacement takes the hit's capitals. Codings move exactly with the text. Afterwards no
    replaced word is left in the project file: not in the search index, the audit log (which
    keeps counts and fingerprints) or its free pages. This cannot be undone: keep the
    original files somewhere safe if you may need them.

    \b
    Examples:
        qualcode transcript pseudonymise --all --map names.csv --dry-run
        qualcode transcript pseudonymise P3 P6 --map names.csv --memos
    """
    from rich.progress import Progress

    from qualcode.text.pseudonymise import pseudonymise as run
    from qualcode.text.pseudonyms import read_map

    if bool(names) == every:
        raise click.UsageError("name the transcripts to pseudonymise, or pass --all")
    project = settings.project()
    mapping = read_map(map_file)
    analyst = settings.analyst()
    progress_console = console(stderr=True)
    with Progress(transient=True, disable=not progress_console.is_terminal, console=progress_console) as progress:
        total = len(names) if names else None
        task = progress.add_task("pseudonymising", total=total)
        report = run(
            project,
            analyst,
            list(names) if names else None,
            mapping,
            memos=memos,
            dry_run=dry_run,
            on_transcript=lambda: progress.advance(task),
        )
    if report.named_after:
        click.echo(
            f"warning: the names of {', '.join(report.named_after)} (or their source files) hold a name from the map;"
            " rename them with `qualcode transcript rename`",
            err=True,
        )
    if as_json:
        print_json(
            {
                "dry_run": dry_run,
                "hits": [h.to_dict() for h in report.hits],
                "transcripts_changed": report.transcripts,
                "memos_changed": report.memos,
            }
        )
        return
    if dry_run:
        _print_hits(report.hits)
        places = len({h.where for h in report.replaced})
        click.echo(
            f"{counted(len(report.replaced), 'name')} would be replaced in {counted(places, 'place')}"
            + (f"; {len(report.left_alone)} left alone (marked so above)" if report.left_alone else "")
            + "; nothing changed (dry run)"
        )
        return
    click.echo(
        f"replaced {counted(len(report.replaced), 'name')} in {counted(report.transcripts, 'transcript')}"
        + (f" and {counted(report.memos, 'memo')}" if memos else "")
        + f"; {counted(report.codings_moved, 'coding')} moved with the text"
    )
    if report.left_alone:
        click.echo(
            f"left alone (a capitalised name in lower case, or split over two lines): {len(report.left_alone)};"
            " see them with --dry-run"
        )
    if report.versions_cleared:
        click.echo(f"cleared {counted(report.versions_cleared, 'earlier text')} kept for undo that held the names")


def _print_hits(hits: Sequence[Any]) -> None:
    from rich.text import Text

    out = console()
    for hit in hits:
        line = Text(f"{hit.where} L{hit.line}  ", style="dim")
        line.append("…" + hit.before)
        line.append(hit.found.replace("\n", " "), style="bold reverse")
        line.append(f" → {hit.replacement}" if hit.replaced else f" (left alone: {hit.left_because})", style="bold")
        line.append(hit.after + "…")
        out.print(line, overflow="fold")
