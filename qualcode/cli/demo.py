"""`qualcode demo`: build the bundled demo study and the documents it produces."""

from __future__ import annotations

import time
from pathlib import Path

import click

from qualcode.cli.common import drawing_notes, refuse_empty_out
from qualcode.wording import shell_command


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("exports/demo"),
    show_default=True,
    callback=refuse_empty_out,
    help="Folder for the report, map and theme table.",
)
@click.option(
    "--project-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("projects/demo.qualcode"),
    show_default=True,
    help="Where to build the demo project (an earlier demo there is replaced).",
)
def demo(out_dir: Path, project_file: Path) -> None:
    """Build the demo study: six therapists on the therapeutic alliance, coded by two analysts.

    Imports six interviews (plain text, Markdown, an Otter export, a Teams WebVTT file and a Word
    document), replays the analysis through all six phases, and writes the Word report, the
    thematic map and the table of themes.

    \b
    Example:
        qualcode demo
        qualcode -p demo theme list
    """
    from qualcode.demo import build_demo

    started = time.perf_counter()
    click.echo("building the demo study (6 interviews, 2 analysts, 6 phases)…")
    with drawing_notes():
        result = build_demo(project_file, out_dir)
    counts = result.counts
    click.echo(
        f"built {result.project}: {counts['transcripts']} transcripts ({counts['words']:,} words), "
        f"{counts['codes']} codes, {counts['codings']} codings by {len(counts['analysts'])} analysts, "
        f"{counts['themes']} themes with {counts['subthemes']} subthemes, {counts['memos']} memos"
    )
    for warning in result.warnings:
        click.echo(f"note: {warning}")
    for label, path in result.outputs.items():
        click.echo(f"wrote {path}  ({label})")
    click.echo(f"done in {time.perf_counter() - started:.1f} s\n")
    name = result.project.stem
    click.echo("Try next:")
    for words in (
        ["status"],
        ["phase"],
        ["theme", "list"],
        ["transcript", "show", "P6", "--lines", "1-20"],
        ["extracts", "Withdrawal rupture"],
        ["compare", "agreement", "--analysts", "Maya,Tom"],
        ["compare", "disagreements", "Maya", "Tom"],
        ["journal"],
    ):
        click.echo(f"  {shell_command('-p', name, *words)}")
