"""`qualcode export folder DIR`: the project as a text tree a team can keep in git."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import Settings, pass_settings
from qualcode.wording import counted


@click.command("folder")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@pass_settings
def export_folder(settings: Settings, folder: Path) -> None:
    """Write the whole project as a folder of text files to keep in git.

    Transcripts become transcripts/GUID.txt; codebook, codings, themes, memos, participants,
    turns and the phase log become .jsonl files, one record a line, sorted by GUID. Exporting
    again changes only what changed, so `git diff` shows the analysis as it moves; two
    analysts' branches merge with git, and `qualcode import folder` brings the merged tree in
    as `qualcode merge` would.

    \b
    Example:
        qualcode export folder study-git && git -C study-git add -A && git -C study-git commit -m "coded P3"
    """
    from qualcode.exchange.folder.write import export_folder as write_folder

    counts = write_folder(settings.project(), folder)
    click.echo(f"wrote {folder}")
    click.echo(
        f"{counted(counts.transcripts, 'transcript')}, {counted(counts.codes, 'code')}, "
        f"{counted(counts.codings, 'coding')}, {counted(counts.memos, 'memo')}, {counted(counts.themes, 'theme')}; "
        + (f"{counted(counts.files_written, 'file')} changed" if counts.files_written else "no file changed")
        + (f", {counted(counts.files_removed, 'file')} removed" if counts.files_removed else "")
    )
