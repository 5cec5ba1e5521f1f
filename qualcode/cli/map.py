"""`qualcode map`: draw the thematic map; `map snapshot` and `map history` follow its development."""

from __future__ import annotations

import click

from qualcode.cli.common import (
    Settings,
    drawing_notes,
    echo_path,
    emit,
    force_option,
    output_options,
    pass_settings,
    refuse_empty_out,
    short_time,
)

FORMAT_NAMES = "png|svg|pdf|graphml|gexf|dot|mermaid|json"


@click.group("map", invoke_without_command=True)
@click.option(
    "--out",
    "out",
    metavar="PATH",
    callback=refuse_empty_out,
    help="Where to write (default exports/PROJECT-map.FORMAT; '-' prints text formats).",
)
@force_option
@click.option("--format", "fmt", metavar=FORMAT_NAMES, help="File format (default: from --out's extension, else png).")
@click.option(
    "--include", "include", type=click.Choice(["codes"]), multiple=True, help="Also draw the codes of each theme."
)
@click.option(
    "--status",
    default="candidate",
    show_default=True,
    metavar="candidate|final|all",
    help="candidate: every theme still in play; final: final themes only; all: discarded ones too.",
)
@click.option(
    "--snapshot", type=int, metavar="N", help="Draw snapshot N (see `map history`) instead of the current map."
)
@pass_settings
@click.pass_context
def map_command(
    ctx: click.Context,
    settings: Settings,
    out: str | None,
    fmt: str | None,
    include: tuple[str, ...],
    status: str,
    snapshot: int | None,
) -> None:
    """Draw the thematic map.

    Themes, subthemes (and codes) with the links between themes.

    PNG, SVG and PDF are figures for papers; GraphML and GEXF open in Gephi and yEd; Mermaid
    pastes into Markdown; DOT goes to Graphviz; JSON is networkx node-link data.

    \b
    Examples:
        qualcode map
        qualcode map --status final --out figures/map.pdf
        qualcode map --include codes --format svg
        qualcode map --format mermaid --out -
        qualcode map snapshot --note "after review with Tom"
    """
    if ctx.invoked_subcommand is not None:
        return
    from qualcode.analysis.thematic_map import (
        default_map_path,
        map_text,
        resolve_format,
        write_map,
    )

    fmt = resolve_format(out, fmt)
    project = settings.project()
    if out == "-":
        click.echo(map_text(project, fmt, status, "codes" in include, snapshot), nl=False)
        return
    path = out or default_map_path(project.path.stem, fmt, status, snapshot)
    with drawing_notes():
        written = write_map(project, path, fmt, status=status, include_codes="codes" in include, snapshot=snapshot)
    echo_path(written)


@map_command.command("snapshot")
@click.option("--note", help="What this map records (e.g. 'candidate themes', 'after review').")
@pass_settings
def snapshot(settings: Settings, note: str | None) -> None:
    """Keep the current map in its history.

    Every theme is kept, with its codes, so a report can show how the themes developed.

    \b
    Example:
        qualcode map snapshot --note "candidate themes before review"
    """
    from qualcode.analysis.thematic_map import list_snapshots, take_snapshot

    project = settings.project()
    snapshot_id = take_snapshot(project, settings.analyst(), note)
    kept = next(s for s in list_snapshots(project) if s["id"] == snapshot_id)
    click.echo(f"snapshot {snapshot_id}: {_held(kept)}")


@map_command.command("history")
@output_options
@pass_settings
def history(settings: Settings, as_json: bool, as_csv: bool) -> None:
    """The stored snapshots of the map, oldest first.

    Draw one with `qualcode map --snapshot N`.

    \b
    Example:
        qualcode map history
    """
    import shutil
    import textwrap

    from qualcode.analysis.thematic_map import list_snapshots

    rows = list_snapshots(settings.project())
    if as_json or as_csv:
        emit(rows, as_json=as_json, as_csv=as_csv)
        return
    if not rows:
        click.echo('no snapshots yet: qualcode map snapshot --note "candidate themes"')
        return
    # Three short lines per snapshot (when, what it held, its note) rather than one long one
    # that wraps at 80 columns.
    width = max(40, shutil.get_terminal_size((100, 24)).columns)
    pad = " " * 5
    for row in rows:
        click.echo(f"{row['id']:>3}  {short_time(row['at'])}  {row['analyst'] or '-'}, phase {row['phase']}")
        click.echo(textwrap.fill(_held(row), width, initial_indent=pad, subsequent_indent=pad))
        if row["note"]:
            click.echo(textwrap.fill(row["note"], width, initial_indent=pad, subsequent_indent=pad))


def _held(snapshot: dict) -> str:
    """What a snapshot's map held, e.g. '6 themes and 13 subthemes (19 final), 29 codes, 6 links'."""

    def count(n: int, noun: str) -> str:
        return f"{n} {noun}{'' if n == 1 else 's'}"

    final = f"{snapshot['final']} final" if snapshot["final"] else "none final"
    return (
        f"{count(snapshot['themes'], 'theme')} and {count(snapshot['subthemes'], 'subtheme')} ({final}),"
        f" {count(snapshot['codes'], 'code')}, {count(snapshot['links'], 'link')}"
    )
