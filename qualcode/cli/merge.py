"""`qualcode merge OTHER.qualcode`: bring a co-analyst's copy of the project into this one."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import Settings, pass_settings
from qualcode.cli.exchange import exchange_options, show_outcome


@click.command("merge")
@click.argument("other", metavar="OTHER.qualcode", type=click.Path(path_type=Path))
@click.option("--analysts", metavar="B,C", help="Bring only these analysts' codings and memos (names in OTHER).")
@exchange_options
@pass_settings
def merge(
    settings: Settings, other: Path, analysts: str | None, rename_prefix: str | None, dry_run: bool, as_json: bool
) -> None:
    """Merge another copy of the project: transcripts, participants, codes, codings, memos, themes.

    Transcripts are matched by their text (the same interview imported on two machines is one
    transcript), codes and themes by name, analysts by name. Codings keep their analyst, so
    `qualcode compare` works straight after. Merging the same file again adds nothing.

    \b
    Examples:
        qualcode merge ~/Downloads/study-sam.qualcode --dry-run
        qualcode merge study-sam.qualcode --analysts Sam
    """
    from qualcode.exchange.project_merge import merge_project

    names = [n.strip() for n in analysts.split(",") if n.strip()] if analysts else None
    outcome = merge_project(
        settings.project(), other, settings.analyst(), only_analysts=names, rename_prefix=rename_prefix, dry_run=dry_run
    )
    show_outcome(outcome, as_json)
