"""`qualcode analyst add|list`."""

from __future__ import annotations

import click

from qualcode.cli.common import Settings, emit, output_options, pass_settings


@click.group()
def analyst() -> None:
    """Everyone who codes in this project."""


@analyst.command("add")
@click.argument("name")
@pass_settings
def add(settings: Settings, name: str) -> None:
    """Add an analyst.

    \b
    Example:
        qualcode analyst add Tom
    """
    from qualcode.analysis.analysts import add_analyst

    add_analyst(settings.project(), settings.analyst(), name)
    click.echo(f"added analyst {name.strip()}")


@analyst.command("list")
@output_options
@pass_settings
def list_(settings: Settings, as_json: bool, as_csv: bool) -> None:
    """List analysts with their codings and memos.

    \b
    Example:
        qualcode analyst list --csv
    """
    from qualcode.analysis.analysts import list_analysts

    rows = list_analysts(settings.project())
    if not (as_json or as_csv):
        # For people: the day they joined and a plain marker; scripts get the stored values.
        rows = [
            {
                **row,
                "created": row["created"][:10],
                "default": ", ".join(label for label in ("default", "consensus") if row[label]),
            }
            for row in rows
        ]
        for row in rows:
            del row["consensus"]
    emit(rows, as_json=as_json, as_csv=as_csv, headers={"created": "added", "default": ""})


@analyst.command("blind")
@click.argument("state", type=click.Choice(["on", "off"]))
@click.option(
    "--shared-codebook",
    is_flag=True,
    help="With on: everyone sees the codebook (all codes); codings stay each analyst's own.",
)
@pass_settings
def blind(settings: Settings, state: str, shared_codebook: bool) -> None:
    """Blind (independent) coding: each analyst sees only their own codings and codes.

    Under blind coding, `code session`, `transcript show`, `code show`, `extracts`, `matrix`,
    `cooccurrence`, `code list` counts, the theme commands and completion show the acting
    analyst only their own codings (and the consensus analyst's), and codes another analyst
    created stay hidden unless the codebook is shared. `blind off` (or confirming `compare`) is
    the reveal, written in the journal as "codes revealed for comparison".

    \b
    Examples:
        qualcode analyst blind on
        qualcode analyst blind on --shared-codebook
        qualcode analyst blind off
    """
    from qualcode.analysis.blind import reveal, start_blind
    from qualcode.analysis.visibility import is_blind

    project, acting = settings.project(), settings.analyst()
    if state == "on":
        done = start_blind(project, acting, shared_codebook=shared_codebook)
        codebook = "the codebook is shared" if done.shared_codebook else "each analyst sees only their own codes"
        click.echo(f"blind coding {'on' if done.changed else 'was already on'}: {codebook}")
        return
    if shared_codebook:
        raise click.UsageError("--shared-codebook goes with `blind on`")
    from qualcode.analysis.open_sessions import open_session_notes

    if is_blind(project.db):
        for note in open_session_notes(project.db, acting):
            click.echo(f"note: {note}", err=True)
    done = reveal(project, acting)
    if done.changed:
        click.echo(f"blind coding off: codes revealed for comparison (journal entry, memo {done.memo_id})")
    else:
        click.echo("blind coding was not on; nothing changed")
