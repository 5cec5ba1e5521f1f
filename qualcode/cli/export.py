"""`qualcode export ...`: tables for papers and REFI-QDA exchange files."""

from __future__ import annotations

import click

from qualcode.cli.lazy import LazyGroup

# subcommand -> (module, attribute); loaded only when `export` runs.
EXPORTS = {
    "themes": ("qualcode.cli.export_tables", "themes"),
    "codebook": ("qualcode.cli.export_tables", "codebook"),
    "extracts": ("qualcode.cli.export_tables", "extracts"),
    "journal": ("qualcode.cli.export_tables", "journal"),
    "results": ("qualcode.cli.export_tables", "results"),
    "qdpx": ("qualcode.cli.export_refi", "qdpx"),
    "qdc": ("qualcode.cli.export_refi", "qdc"),
    "folder": ("qualcode.cli.folder", "export_folder"),
}


@click.group(cls=LazyGroup, lazy_commands=EXPORTS)
def export() -> None:
    """Write tables for papers (themes, codebook, extracts, journal), the results section, REFI-QDA files
    and the folder form."""
