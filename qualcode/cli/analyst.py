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
        rows = [{**row, "created": row["created"][:10], "default": "default" if row["default"] else ""} for row in rows]
    emit(rows, as_json=as_json, as_csv=as_csv, headers={"created": "added", "default": ""})
