"""`qualcode export qdpx|qdc`: the project or its codebook as REFI-QDA exchange files."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import Settings, echo_path, force_option, pass_settings, refuse_empty_out

_VALIDATE_HELP = "Check the file against the REFI-QDA schema first, and refuse to write it if it fails (needs lxml)."


@click.command("qdpx")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    callback=refuse_empty_out,
    help="Where to write (default exports/PROJECT.qdpx).",
)
@force_option
@click.option("--validate", is_flag=True, help=_VALIDATE_HELP)
@pass_settings
def qdpx(settings: Settings, out: Path | None, validate: bool) -> None:
    """Export the whole project as REFI-QDA (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Transcripts, participants (cases with their attributes), analysts (users), codes, codings,
    memos (notes) and themes (sets named "Theme: NAME") all keep their GUIDs, so importing the
    file back, here or into a colleague's copy, adds nothing twice.

    \b
    Example:
        qualcode export qdpx --out exchange/study.qdpx
    """
    if out is not None and str(out) == "-":
        raise click.UsageError(
            "a .qdpx is a zip archive, not text, so it cannot go to standard output: give --out a file name"
        )
    from qualcode.exchange.refi.qdpx import export_qdpx

    result = export_qdpx(settings.project(), out, validate=validate)
    counts = result.counts
    echo_path(result.path)
    click.echo(
        f"{counts.transcripts} transcripts, {counts.codes} codes, {counts.codings} codings, "
        f"{counts.memos} memos, {counts.participants} participants, {counts.themes} themes"
        + ("; valid against the REFI-QDA schema" if validate else "")
    )
    for line in counts.notes:
        click.echo(f"note: {line}")


@click.command("qdc")
@click.option(
    "--out",
    metavar="PATH",
    callback=refuse_empty_out,
    help="Where to write (default exports/PROJECT.qdc; '-' prints it).",
)
@force_option
@click.option("--validate", is_flag=True, help=_VALIDATE_HELP)
@pass_settings
def qdc(settings: Settings, out: str | None, validate: bool) -> None:
    """Export the codebook as REFI-QDA (.qdc): codes, hierarchy, colours and descriptions.

    \b
    Example:
        qualcode export qdc --out codebook.qdc
    """
    if out == "-":
        from qualcode.exchange.refi import validation
        from qualcode.exchange.refi.qde_write import codebook_xml

        xml, count = codebook_xml(settings.project())
        if not count:
            raise click.ClickException("the codebook is empty: add codes first (qualcode code add NAME)")
        if validate and (problems := validation.schema_errors(xml.encode("utf-8"), "codebook")):
            raise click.ClickException(f"the codebook does not validate against the REFI-QDA schema: {problems[0]}")
        click.echo(xml, nl=False)
        return
    from qualcode.exchange.refi.qdc import export_qdc

    path, count = export_qdc(settings.project(), Path(out) if out else None, validate=validate)
    echo_path(path)
    click.echo(f"{count} codes" + ("; valid against the REFI-QDA schema" if validate else ""))
