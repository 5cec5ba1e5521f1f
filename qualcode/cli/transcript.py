"""`qualcode transcript import|list|show|search`."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import (
    Settings,
    console,
    emit,
    output_options,
    pass_settings,
    print_json,
)
from qualcode.cli.completion import complete_transcripts
from qualcode.terminal_text import visible


@click.group()
def transcript() -> None:
    """Import, list, read and search transcripts."""


def _format_choices() -> list[str]:
    # Kept in step with qualcode.text.importers.FORMATS without importing it at start-up.
    return ["auto", "text", "markdown", "otter", "zoom", "teams", "docx", "vtt", "srt"]


@transcript.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--participant", metavar="P3", help="The participant (pseudonym) these transcripts belong to.")
@click.option("--name", metavar="NAME", help="Transcript name (one file only; default: the file name).")
@click.option("--format", "fmt", type=click.Choice(_format_choices()), default="auto", show_default=True)
@click.option("--interviewer", metavar="LABEL", help="The interviewer's speaker label (default: guessed).")
@click.option("--replace", is_flag=True, help="Replace a transcript of the same name that has no codings yet.")
@pass_settings
def import_(
    settings: Settings,
    files: tuple[Path, ...],
    participant: str | None,
    name: str | None,
    fmt: str,
    interviewer: str | None,
    replace: bool,
) -> None:
    """Import transcripts: .txt, .md, .docx, .vtt, .srt, and Otter, Zoom or Teams exports.

    FILES may name folders: their transcript files are imported, in name order.

    \b
    Examples:
        qualcode transcript import interviews/*.docx
        qualcode transcript import interviews/
        qualcode transcript import P3.vtt --participant P3 --interviewer "Jane Smith"
    """
    from rich.progress import Progress

    from qualcode.text.ingest import import_transcripts, transcript_files

    project = settings.project()
    analyst = settings.analyst()
    files = tuple(transcript_files(files))
    progress_console = console(stderr=True)
    # Off when piped or redirected: a progress bar there would only leave a stray blank line.
    quiet = len(files) < 5 or not progress_console.is_terminal
    with Progress(transient=True, disable=quiet, console=progress_console) as progress:
        task = progress.add_task("importing", total=len(files))
        report = import_transcripts(
            project,
            list(files),
            analyst,
            name=name,
            participant=participant,
            fmt=None if fmt == "auto" else fmt,
            interviewer=interviewer,
            replace=replace,
            on_file=lambda _: progress.advance(task),
        )
    for result in report.results:
        for warning in result.warnings:
            click.echo(visible(f"warning: {Path(result.path).name}: {warning}"), err=True)
        if result.status in ("imported", "replaced"):
            turns = f"{result.turns} turn" + ("" if result.turns == 1 else "s")
            words = f"{result.words:,} word" + ("" if result.words == 1 else "s")
            click.echo(visible(f"{result.status} {result.name}: {turns}, {words}"))
        elif result.status != "failed":
            click.echo(visible(f"{result.status} {result.name}: {result.message}"))
    if len(report.results) == 1 and report.failed:
        raise click.ClickException(visible(report.failed[0].message))
    if report.failed:
        for result in report.failed:
            click.echo(visible(f"error: {result.message}"), err=True)
        done = len(report.results) - len(report.failed)
        others = {0: "", 1: "; the other one was handled as shown above"}.get(
            done, f"; the other {done} were handled as shown above"
        )
        raise click.ClickException(f"{len(report.failed)} of {len(report.results)} files failed{others}")


@transcript.command("list")
@output_options
@pass_settings
def list_(settings: Settings, as_json: bool, as_csv: bool) -> None:
    """List transcripts with their participant, size and coding.

    \b
    Example:
        qualcode transcript list --json
    """
    from qualcode.text.corpus import list_transcripts

    rows = list_transcripts(settings.project())
    emit(
        rows,
        as_json=as_json,
        as_csv=as_csv,
        columns=None
        if (as_json or as_csv)
        else ["name", "participant", "format", "turns", "words", "codings", "analysts"],
        empty="no transcripts yet: qualcode transcript import FILE...",
    )


@transcript.command("show")
@click.argument("name", shell_complete=complete_transcripts)
@click.option("--lines", metavar="10-40", help="Only these lines.")
@click.option("--turns", metavar="3-5", help="Only these turns.")
@click.option("--speaker", metavar="LABEL", help="Only this speaker's turns.")
@click.option("--json", "as_json", is_flag=True, help="Print the turns as JSON.")
@pass_settings
def show(
    settings: Settings, name: str, lines: str | None, turns: str | None, speaker: str | None, as_json: bool
) -> None:
    """Read a transcript with line numbers, turn numbers and speakers.

    \b
    Example:
        qualcode transcript show P3 --lines 10-40
    """
    from qualcode.text.corpus import load_transcript
    from qualcode.text.reading import select_lines

    stored = load_transcript(settings.project(), name)
    selected = select_lines(stored, lines=lines, turns=turns, speaker=speaker)
    if as_json:
        print_json({"transcript": stored.name, "participant": stored.participant, "lines": selected})
        return
    _render_lines(stored.name, stored.participant, stored.interviewer, selected)


# Rich folds a line by re-splitting what is left of it, which grows with the square of its length
# (a 10 MB line took 30 s); longer lines are folded here, in one pass.
RICH_LINE_MAX_CHARS = 20_000


def _render_lines(name: str, participant: str | None, interviewer: str | None, selected: list[dict]) -> None:
    from rich.table import Table
    from rich.text import Text

    if any(len(line["text"]) > RICH_LINE_MAX_CHARS for line in selected):
        _print_folded(name, participant, selected)
        return

    out = console()
    out.print(Text(name, style="bold") + (f" ({participant})" if participant and participant != name else ""))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(justify="right", style="cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    for line in selected:
        # Made visible before rich sees it: rich would silently drop BEL, BS and CR.
        text = Text(visible(line["text"]))
        if line["label_end"]:
            style = "bold yellow" if line["speaker"] == interviewer else "bold green"
            text.stylize(style, 0, line["label_end"])
        turn = f"T{line['turn']}" if line["turn_starts"] else ""
        if line["timestamp"] is not None:
            text = Text(f"[{_clock(line['timestamp'])}] ", style="dim") + text
        grid.add_row(str(line["line"]), turn, text)
    out.print(grid)


def _print_folded(name: str, participant: str | None, selected: list[dict]) -> None:
    """Lines as numbered, hard-folded plain text: linear in the length of the text."""
    import shutil

    width = max(40, shutil.get_terminal_size((100, 24)).columns)
    number_width = len(str(selected[-1]["line"])) if selected else 1
    turn_width = max((len(f"T{line['turn']}") for line in selected), default=2)
    margin = number_width + turn_width + 2
    room = width - margin
    out = [visible(name) + (f" ({visible(participant)})" if participant and participant != name else "")]
    for line in selected:
        turn = f"T{line['turn']}" if line["turn_starts"] else ""
        stamp = f"[{_clock(line['timestamp'])}] " if line["timestamp"] is not None else ""
        text = stamp + visible(line["text"])
        pieces = [text[i : i + room] for i in range(0, len(text), room)] or [""]
        out.append(f"{line['line']:>{number_width}} {turn:>{turn_width}} {pieces[0]}")
        out.extend(" " * margin + piece for piece in pieces[1:])
    click.echo("\n".join(out))


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


@transcript.command("search")
@click.argument("phrase")
@click.option("--regex", is_flag=True, help="Treat PHRASE as a regular expression.")
@click.option("--speaker", metavar="LABEL", help="Only in this speaker's turns.")
@click.option("--transcript", "in_transcript", metavar="NAME", help="Only in this transcript.")
@click.option("--limit", type=int, default=None, help="At most this many hits.")
@output_options
@pass_settings
def search_(
    settings: Settings,
    phrase: str,
    regex: bool,
    speaker: str | None,
    in_transcript: str | None,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Search all transcripts; shows each hit in context with a location to code it.

    \b
    Examples:
        qualcode transcript search "rupture"
        qualcode transcript search "felt (stuck|lost)" --regex --speaker P6
    """
    from qualcode.text.search import search

    hits = search(settings.project(), phrase, regex=regex, speaker=speaker, transcript=in_transcript, limit=limit)
    rows = [h.to_dict() for h in hits]
    if as_json or as_csv:
        emit(rows, as_json=as_json, as_csv=as_csv)
        return
    if not hits:
        click.echo(f'no hits for "{phrase}"')
        return
    from rich.text import Text

    out = console()
    for hit in hits:
        line = Text(f"{hit.transcript} L{hit.line} T{hit.turn} {hit.speaker or ''}".rstrip() + "  ", style="dim")
        line.append("…" + visible(hit.before))
        line.append(visible(hit.match), style="bold reverse")
        line.append(visible(hit.after) + "…")
        line.append(f"  --chars {hit.start}-{hit.end}", style="dim")
        out.print(line, overflow="fold")
    transcripts = len({h.transcript for h in hits})
    click.echo(
        f"{len(hits)} hit{'s' if len(hits) != 1 else ''} in {transcripts} transcript{'s' if transcripts != 1 else ''}"
    )
