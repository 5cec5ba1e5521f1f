"""`qualcode export ...`: tables for papers and REFI-QDA exchange files."""

from __future__ import annotations

import importlib

import click

# subcommand -> (module under qualcode.cli, attribute); loaded only when `export` runs.
EXPORTS = {
    "themes": ("export_tables", "themes"),
    "codebook": ("export_tables", "codebook"),
    "extracts": ("export_tables", "extracts"),
    "journal": ("export_tables", "journal"),
    "qdpx": ("export_refi", "qdpx"),
    "qdc": ("export_refi", "qdc"),
}


class ExportGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in EXPORTS if self.get_command(ctx, name) is not None]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in EXPORTS:
            return None
        module, attribute = EXPORTS[name]
        try:
            loaded = importlib.import_module(f"qualcode.cli.{module}")
        except ModuleNotFoundError:
            return None
        return getattr(loaded, attribute, None)


@click.group(cls=ExportGroup)
def export() -> None:
    """Write tables for papers (themes, codebook, extracts, journal) and REFI-QDA files."""
