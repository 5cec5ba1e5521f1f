"""`qualcode import qdpx|qdc|qualcoder|folder`: bring in work done in other programs or copies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcode.cli.common import Settings, emit, pass_settings, print_json
from qualcode.terminal_text import visible
from qualcode.wording import counted

if TYPE_CHECKING:  # importing the library at run time here would slow every command's start-up
    from qualcode.exchange.incorporate import Outcome


def show_outcome(outcome: Outcome, as_json: bool) -> None:
    """What was (or would be) added, matched and conflicting, then conflicts, notes and warnings."""
    if as_json:
        print_json(outcome.to_dict())
        return
    verb = "Would bring in" if outcome.dry_run else "Brought in"
    # Names in these lines come from another program's file: control characters are shown, not run.
    source = visible(str(outcome.source))
    click.echo(f"{verb} from {source}" + (" (dry run: nothing changed)" if outcome.dry_run else "") + ":")
    emit(outcome.rows(), columns=["what", "added", "matched", "conflicts", "skipped"], empty="nothing")
    for line in outcome.conflicts:
        click.echo(visible(f"conflict: {line}"))
    for line in outcome.notes:
        click.echo(visible(f"note: {line}"))
    for line in outcome.warnings:
        click.echo(visible(f"warning: {line}"), err=True)
    if outcome.warnings:
        click.echo(counted(len(outcome.warnings), "warning"), err=True)


def exchange_options(fn: Callable) -> Callable:
    fn = click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")(fn)
    fn = click.option("--dry-run", is_flag=True, help="Only report what would be added, matched and conflicting.")(fn)
    fn = click.option(
        "--rename-prefix",
        metavar="PREFIX",
        help="Keep both sides of a clash (same name, different meaning or text): the incoming one is named PREFIX + name.",
    )(fn)
    return fn


def analyst_map_option(fn: Callable) -> Callable:
    return click.option(
        "--analyst-map",
        "analyst_map",
        multiple=True,
        metavar='"NAME=ANALYST"',
        help="Record a user of the file as this analyst (repeat, or separate pairs with commas).",
    )(fn)


@click.group("import")
def import_group() -> None:
    """Import REFI-QDA projects (.qdpx) and codebooks (.qdc), QualCoder projects and project folders."""


@import_group.command("qdpx")
@click.argument("file", type=click.Path(path_type=Path))
@analyst_map_option
@exchange_options
@pass_settings
def qdpx(
    settings: Settings,
    file: Path,
    analyst_map: tuple[str, ...],
    rename_prefix: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import a REFI-QDA project from NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette or qualcode.

    Transcripts already here (the same text) are matched, not duplicated; codes are matched by
    name; codings keep their users as analysts. Everything is written in one transaction.

    \b
    Examples:
        qualcode import qdpx colleague.qdpx --dry-run
        qualcode import qdpx atlas-export.qdpx --analyst-map "Anna Smith=Anna"
    """
    from qualcode.exchange.refi.qdpx import import_qdpx, parse_analyst_map

    outcome = import_qdpx(
        settings.project(),
        file,
        settings.analyst(),
        analyst_map=parse_analyst_map(analyst_map),
        rename_prefix=rename_prefix,
        dry_run=dry_run,
    )
    show_outcome(outcome, as_json)


@import_group.command("qdc")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only report what would be added, matched and conflicting.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@pass_settings
def qdc(settings: Settings, file: Path, dry_run: bool, as_json: bool) -> None:
    """Import a REFI-QDA codebook (.qdc), merging it into this codebook by code name.

    \b
    Example:
        qualcode import qdc shared-codebook.qdc
    """
    from qualcode.exchange.refi.qdc import import_qdc

    show_outcome(import_qdc(settings.project(), file, settings.analyst(), dry_run=dry_run), as_json)


@import_group.command("qualcoder")
@click.argument("project_folder", metavar="PROJECT.qda", type=click.Path(path_type=Path))
@analyst_map_option
@exchange_options
@pass_settings
def qualcoder(
    settings: Settings,
    project_folder: Path,
    analyst_map: tuple[str, ...],
    rename_prefix: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import a QualCoder project: text sources, codes, codings, journals, memos, cases, attributes.

    Give the folder QualCoder made (study.qda, holding data.qda). Each coding's owner becomes
    its analyst. The QualCoder project is only read, never changed.

    \b
    Example:
        qualcode import qualcoder ~/QualCoder/study.qda --dry-run
    """
    from qualcode.exchange.qualcoder import import_qualcoder
    from qualcode.exchange.refi.qdpx import parse_analyst_map

    outcome = import_qualcoder(
        settings.project(),
        project_folder,
        settings.analyst(),
        analyst_map=parse_analyst_map(analyst_map),
        rename_prefix=rename_prefix,
        dry_run=dry_run,
    )
    show_outcome(outcome, as_json)


@import_group.command("folder")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@exchange_options
@pass_settings
def folder(settings: Settings, folder: Path, rename_prefix: str | None, dry_run: bool, as_json: bool) -> None:
    """Import a project folder that `qualcode export folder` wrote (and git may have merged).

    A project just created (`qualcode init`) becomes the project the folder holds, phase log
    and all. Into a project with work of its own it brings what `qualcode merge` of that copy
    would. A tree left inconsistent by hand edits is refused with the file and line, and
    nothing is changed.

    \b
    Example:
        qualcode init study-b --analyst Sam && qualcode -p study-b import folder study-git
    """
    from qualcode.exchange.folder.read import import_folder

    show_outcome(
        import_folder(settings.project(), folder, settings.analyst(), rename_prefix=rename_prefix, dry_run=dry_run),
        as_json,
    )
