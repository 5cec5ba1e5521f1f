"""`qualcode transcript import|inspect|list|show|search`.

Correcting transcripts (rename, delete, set, update, pseudonymise) is in qualcode.cli.transcript_edit,
added to this group."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcode.cli.common import (
    Settings,
    console,
    emit,
    json_option,
    output_options,
    pass_settings,
    print_json,
)
from qualcode.cli.completion import complete_transcripts
from qualcode.cli.transcript_edit import (
    delete,
    import_with_lost_listed,
    print_coding_moves,
    pseudonymise,
    rename,
    set_,
    update,
)
from qualcode.terminal_text import visible
from qualcode.wording import counted, join_names, shell_command

if TYPE_CHECKING:
    from qualcode.text.importers.base import SpeakerChoice
    from qualcode.text.inspection import Inspection
    from qualcode.text.search import Hit


@click.group()
def transcript() -> None:
    """Import, list, read and search transcripts."""


# Correcting transcripts is a module of its own; its commands join here.
for _command in (rename, delete, set_, update, pseudonymise):
    transcript.add_command(_command)


def _format_choices() -> list[str]:
    # Kept in step with qualcode.text.importers.FORMATS without importing it at start-up.
    return ["auto", "text", "markdown", "otter", "zoom", "teams", "rev", "docx", "vtt", "srt"]


def speaker_options(fn: Callable) -> Callable:
    """--speakers and --no-speakers: for the rare file whose labels the rules misread."""
    fn = click.option(
        "--no-speakers", is_flag=True, help="Take no speaker labels: every paragraph is a turn without a speaker."
    )(fn)
    return click.option(
        "--speakers",
        metavar='"A,B"',
        help="Take exactly these speaker labels, comma-separated, as written in the file.",
    )(fn)


def _speaker_choice(speakers: str | None, no_speakers: bool) -> SpeakerChoice:
    from qualcode.text.importers.base import SpeakerChoice

    labels = tuple(label.strip() for label in (speakers or "").split(",") if label.strip())
    if speakers is not None and not labels:
        raise click.BadParameter('name the labels, comma-separated: --speakers "Jane Doe,P3"', param_hint="--speakers")
    if labels and no_speakers:
        raise click.UsageError("--speakers and --no-speakers contradict each other; give one of them")
    return SpeakerChoice(labels, no_speakers)


@transcript.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--participant", metavar="P3", help="The participant (pseudonym) these transcripts belong to.")
@click.option("--name", metavar="NAME", help="Transcript name (one file only; default: the file name).")
@click.option("--format", "fmt", type=click.Choice(_format_choices()), default="auto", show_default=True)
@click.option("--interviewer", metavar="LABEL", help="The interviewer's speaker label (default: guessed).")
@click.option("--replace", is_flag=True, help="Replace a transcript of the same name; its codings move with the words.")
@click.option("--drop-lost", is_flag=True, help="With --replace: remove codings whose text is gone.")
@click.option(
    "--pseudonyms", type=click.Path(path_type=Path), metavar="NAMES.csv", help="Replace these names before storing."
)
@speaker_options
@pass_settings
def import_(
    settings: Settings,
    files: tuple[Path, ...],
    participant: str | None,
    name: str | None,
    fmt: str,
    interviewer: str | None,
    replace: bool,
    drop_lost: bool,
    pseudonyms: Path | None,
    speakers: str | None,
    no_speakers: bool,
) -> None:
    """Import transcripts: .txt, .md, .docx, .vtt, .srt, and Otter, Zoom or Teams exports.

    FILES may name folders: their transcript files are imported, in name order. To see first how
    a file will be read, run `qualcode transcript inspect FILE`.

    \b
    Examples:
        qualcode transcript import interviews/*.docx
        qualcode transcript import interviews/
        qualcode transcript import P3.vtt --participant P3 --interviewer "Jane Smith"
        qualcode transcript import P9.txt --speakers "Ruth Bell,Margaret Hale"
    """
    from rich.progress import Progress

    from qualcode.text.ingest import transcript_files
    from qualcode.text.pseudonyms import read_map

    names_map = read_map(pseudonyms) if pseudonyms else None
    choice = _speaker_choice(speakers, no_speakers)
    project = settings.project()
    analyst = settings.analyst()
    files = tuple(transcript_files(files))
    progress_console = console(stderr=True)
    # Off when piped or redirected: a progress bar there would only leave a stray blank line.
    quiet = len(files) < 5 or not progress_console.is_terminal
    with Progress(transient=True, disable=quiet, console=progress_console) as progress:
        task = progress.add_task("importing", total=len(files))
        report = import_with_lost_listed(
            project,
            list(files),
            analyst,
            name=name,
            participant=participant,
            fmt=None if fmt == "auto" else fmt,
            interviewer=interviewer,
            replace=replace,
            drop_lost=drop_lost,
            pseudonyms=names_map,
            speakers=choice,
            on_file=lambda _: progress.advance(task),
        )
    for result in report.results:
        for warning in result.warnings:
            click.echo(visible(f"warning: {Path(result.path).name}: {warning}"), err=True)
        if result.status in ("imported", "replaced"):
            turns = f"{result.turns} turn" + ("" if result.turns == 1 else "s")
            words = f"{result.words:,} word" + ("" if result.words == 1 else "s")
            # a transcript is never given an invented participant: say when it has none
            nobody = (
                f" (no participant: `{shell_command('transcript', 'set', result.name, '--participant', 'P')}`)"
                if result.status == "imported" and not result.participant
                else ""
            )
            click.echo(visible(f"{result.status} {result.name}: {turns}, {words}{nobody}"))
            print_coding_moves(result.codings)
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


@transcript.command("inspect")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(_format_choices()), default="auto", show_default=True)
@click.option(
    "--first", type=click.IntRange(0), default=5, show_default=True, help="How many of the first turns to show."
)
@speaker_options
@json_option
def inspect(
    files: tuple[Path, ...], fmt: str, first: int, speakers: str | None, no_speakers: bool, as_json: bool
) -> None:
    """Show how files would be read, without importing them: format, speakers, interviewer, turns.

    For each file: the format and the tool that wrote it, the encoding, the speakers with their
    turns, who is taken for the interviewer and why, the first turns, what is kept as the preamble
    or left out, and warnings. Takes --speakers and --no-speakers as `transcript import` does.

    \b
    Examples:
        qualcode transcript inspect interviews/P3.vtt
        qualcode transcript inspect interviews/ --json
    """
    from qualcode.text.inspection import inspect_files

    found = inspect_files(list(files), None if fmt == "auto" else fmt, _speaker_choice(speakers, no_speakers), first)
    failed = [item for item in found if item.error]
    if as_json:
        print_json([item.to_dict() for item in found])
    elif len(found) == 1 and failed:
        raise click.ClickException(failed[0].error or "")
    else:
        click.echo("\n\n".join(_inspection_lines(item) for item in found))
    if failed:
        raise click.ClickException(
            f"{len(failed)} of {len(found)} files cannot be read" + ("" if as_json else " (shown above)")
        )


def _inspection_lines(item: Inspection) -> str:
    if item.error:
        return f"{item.path}\n  error        {item.error}"
    from qualcode.text.importers.encoding import ENCODING_NAMES

    read_as = ", ".join(
        part
        for part in (
            item.format,
            f"written by {item.tool}" if item.tool else "",
            ENCODING_NAMES.get(item.encoding or "", ""),
        )
        if part
    )
    out = [
        item.path,
        f"  read as      {read_as}",
        f"  turns        {counted(item.turns, 'turn')}, {counted(item.words, 'word')}",
    ]
    if item.speakers:
        speakers = ", ".join(f"{s.label} ({counted(s.turns, 'turn')})" for s in item.speakers)
        out.append(f"  speakers     {speakers}")
    else:
        out.append("  speakers     none found")
    out.append(f"  interviewer  {item.interviewer or 'none'} ({item.interviewer_reason})")
    if item.participant:
        out.append(f"  participant  {item.participant}")
    if item.preamble:
        lines = [line for line in item.preamble.split("\n") if line.strip()]
        out.append(
            f"  preamble     {counted(len(lines), 'line')}: "
            + " | ".join(_short(line) for line in lines[:3])
            + (" | …" if len(lines) > 3 else "")
        )
    if item.dropped:
        out.append(
            f"  left out     {counted(len(item.dropped), 'line')}: "
            + " | ".join(_short(line) for line in item.dropped[:3])
            + (" | …" if len(item.dropped) > 3 else "")
        )
    out.extend(f"  warning      {warning}" for warning in item.warnings)
    if item.first_turns:
        out.append("  first turns")
        for turn in item.first_turns:
            when = f"[{_clock(turn.timestamp)}] " if turn.timestamp is not None else ""
            who = f"{turn.speaker}: " if turn.speaker else ""
            out.append(f"    T{turn.number} {when}{who}{turn.text}")
    return "\n".join(out)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


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

    rows = list_transcripts(settings.project(), viewer=settings.analyst())
    if not (as_json or as_csv):  # a transcript may belong to no participant: the table says so
        rows = [{**row, "participant": row["participant"] or "(none)"} for row in rows]
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
@click.argument("name", required=False, shell_complete=complete_transcripts)
@click.option("--lines", metavar="10-40", help="Only these lines.")
@click.option("--turns", metavar="3-5", help="Only these turns.")
@click.option("--speaker", metavar="LABEL", help="Only this speaker's turns.")
@click.option("--json", "as_json", is_flag=True, help="Print the turns as JSON.")
@click.option("--codes", is_flag=True, help="Mark the coded passages, with the codes' names in the margin.")
@click.option(
    "--analysts",
    metavar='"Maya,Tom"',
    help="With --codes or --uncoded: these analysts' codings, or all (default: your own with --codes).",
)
@click.option("--uncoded", is_flag=True, help="Only the turns no one has coded (reviewing the whole data set).")
@pass_settings
def show(
    settings: Settings,
    name: str | None,
    lines: str | None,
    turns: str | None,
    speaker: str | None,
    as_json: bool,
    codes: bool,
    analysts: str | None,
    uncoded: bool,
) -> None:
    """Read a transcript with line numbers, turn numbers and speakers.

    --codes marks what you have coded: the names of the codes covering a line stand in the right
    margin, on the row where each passage starts, and the coded words are underlined in the
    code's colour; without colour (NO_COLOR, or output to a pipe or file) each coded run is set
    in {braces}. --analysts all (or "Maya,Tom") shows several analysts' codings, each name with
    its analyst: "Trust (Tom)". Under blind coding you see only your own.

    --uncoded shows only the turns no one has coded (under blind coding: no one whose codings you
    see), with their lines: the pass over the whole data set of phase 4. Without a NAME it goes
    over every transcript, in the order of `transcript list`, and ends with the total.

    \b
    Examples:
        qualcode transcript show P3 --lines 10-40
        qualcode transcript show P3 --codes
        qualcode transcript show P3 --codes --analysts all
        qualcode transcript show P3 --uncoded --speaker P3
        qualcode transcript show --uncoded
    """
    from qualcode.text.corpus import load_transcript
    from qualcode.text.reading import past_the_end, select_lines

    project = settings.project()
    if name is None:
        if not uncoded:
            raise click.UsageError("name a transcript, or use --uncoded to go over all of them")
        if lines or turns or codes:
            raise click.UsageError(
                "--lines, --turns and --codes need a transcript's name; without one --uncoded goes over all of them"
            )
        _show_all_uncoded(settings, speaker, analysts, as_json)
        return
    stored = load_transcript(project, name)
    selected = select_lines(stored, lines=lines, turns=turns, speaker=speaker)
    if analysts is not None and not (codes or uncoded):
        raise click.UsageError("--analysts goes with --codes or --uncoded")
    if codes or uncoded:
        _show_coded(settings, stored, selected, codes, analysts, uncoded, as_json)
        return
    if as_json:
        print_json({"transcript": stored.name, "participant": stored.participant, "lines": selected})
        return
    _render_lines(stored.name, stored.participant, stored.interviewer, selected)
    note = past_the_end(stored, lines=lines, turns=turns)
    if note:
        click.echo(f"({note})")


def _show_all_uncoded(settings: Settings, speaker: str | None, analysts: str | None, as_json: bool) -> None:
    """--uncoded over every transcript: each one with turns left, then the total."""
    from qualcode.analysis import coded_reading
    from qualcode.names import spelled_as_stored
    from qualcode.text.corpus import load_transcript, transcript_names
    from qualcode.text.reading import select_lines

    project, viewer = settings.project(), settings.analyst()
    names = transcript_names(project)
    if not names:
        raise click.ClickException("no transcripts yet: qualcode transcript import FILE...")
    stored_all = [load_transcript(project, n) for n in names]
    spelled = speaker
    if speaker:  # a participant's label is in their own transcript only: take the transcripts that have it
        labels = [spelled_as_stored(speaker, {t.speaker for t in st.turns if t.speaker}) for st in stored_all]
        stored_all = [st for st, found in zip(stored_all, labels) if found]
        if not stored_all:
            raise click.ClickException(f"no transcript has a speaker {visible(speaker)!r}")
        spelled = next(found for found in labels if found)
    nobody = _nobody(settings, analysts)
    left_total = turns_total = with_left = 0
    payloads = []
    for stored in stored_all:
        left = coded_reading.uncoded_turns(project, stored, viewer, analysts)
        shown, left_in_view, in_view = _only_uncoded(select_lines(stored, speaker=speaker), left)
        left_total += left_in_view
        turns_total += in_view
        if not left_in_view:
            continue
        with_left += 1
        if as_json:
            payloads.append(_coded_payload(settings, stored, shown, False, analysts, left))
        else:
            _draw_coded(
                settings, stored, shown, False, analysts, f"{left_in_view} of {counted(in_view, 'turn')} {nobody}"
            )
            click.echo()
    fully = len(stored_all) - with_left
    summary = f"{left_total:,} of {counted(turns_total, 'turn')} {nobody}"
    if left_total and fully:
        summary += f", in {with_left:,} of {counted(len(stored_all), 'transcript')}; every turn of the other {fully:,} is coded"
    else:
        summary += f", in {counted(len(stored_all), 'transcript')}"
    if speaker:
        summary = f"Speaker {visible(spelled or speaker)}: {summary}"
    if as_json:
        print_json({"transcripts": payloads, "uncoded_turns": left_total, "turns": turns_total, "summary": summary})
        return
    click.echo(summary)


def _nobody(settings: Settings, analysts: str | None) -> str:
    """How "no one has coded" reads: for the analysts asked for, or under blind coding."""
    from qualcode.analysis import coded_reading
    from qualcode.analysis.visibility import is_blind

    project, viewer = settings.project(), settings.analyst()
    if analysts is not None:
        return f"not coded by {join_names(coded_reading.whose_codings(project, viewer, analysts), 'or')}"
    if is_blind(project.db):
        return f"no one visible to {visible(viewer)} has coded (coding is blind)"
    return "no one has coded"


def _only_uncoded(selected: list[dict], left: Sequence) -> tuple[list[dict], int, int]:
    """The lines of the uncoded turns `left`, how many of the turns in view they are, and how
    many turns are in view."""
    numbers = {turn.number for turn in left}
    in_view = {line["turn"] for line in selected if line["turn"] is not None}
    return [line for line in selected if line["turn"] in numbers], len(numbers & in_view), len(in_view)


def _coded_payload(settings: Settings, stored, selected: list[dict], codes: bool, analysts, left) -> dict:
    """What --json prints for one transcript read with --codes or --uncoded (selected: the lines
    shown; left: the uncoded turns, or None without --uncoded)."""
    from qualcode.analysis import coded_reading

    whose = coded_reading.whose_codings(settings.project(), settings.analyst(), analysts)
    shown = coded_reading.transcript_codings(settings.project(), stored, whose) if codes else []
    marked = coded_reading.mark_lines(selected, shown)
    payload = {
        "transcript": stored.name,
        "participant": stored.participant,
        "analysts": whose,
        "lines": [
            {**m.line, "coded": [list(run) for run in m.coded], "codes": [c.coding.label for c in m.codings]}
            for m in marked
        ],
    }
    if left is not None:
        payload["uncoded_turns"] = [{"turn": t.number, "lines": coded_reading.turn_lines(stored, t)} for t in left]
    return payload


def _show_coded(
    settings: Settings, stored, selected: list[dict], codes: bool, analysts, uncoded: bool, as_json
) -> None:
    from qualcode.analysis import coded_reading

    left = coded_reading.uncoded_turns(settings.project(), stored, settings.analyst(), analysts) if uncoded else None
    tally = None
    if left is not None:
        selected, left_in_view, in_view = _only_uncoded(selected, left)
        tally = f"{left_in_view} of {counted(in_view, 'turn')} {_nobody(settings, analysts)}"
    if as_json:
        print_json(_coded_payload(settings, stored, selected, codes, analysts, left))
        return
    _draw_coded(settings, stored, selected, codes, analysts, tally)


def _draw_coded(settings: Settings, stored, selected: list[dict], codes: bool, analysts, tally: str | None) -> None:
    """One transcript's lines on the terminal, under its heading (with the uncoded tally, if any)."""
    from qualcode.analysis import coded_reading
    from qualcode.cli.transcript_codes import draw

    project = settings.project()
    whose = coded_reading.whose_codings(project, settings.analyst(), analysts)
    heading = visible(stored.name)
    if stored.participant and stored.participant != stored.name:
        heading += f" ({visible(stored.participant)})"
    if tally:
        heading += f": {tally}"
    shown = coded_reading.transcript_codings(project, stored, whose) if codes else []
    marked = coded_reading.mark_lines(selected, shown)
    out = console()
    colour = out.color_system is not None and not out.no_color and out.is_terminal
    if codes:
        heading += f" · codings of {join_names(whose)}" + ("" if colour else ", coded text in {braces}")
    draw(heading, stored.interviewer, marked, out.width, colour, _clock)


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
@click.argument("expression", metavar="WORDS")
@click.option("--exact", is_flag=True, help="Only the words as typed, not their other forms.")
@click.option("--near", type=int, metavar="N", help="The words within N words of each other, in any order.")
@click.option("--regex", is_flag=True, help="Treat WORDS as a regular expression (ignoring case).")
@click.option("--speaker", metavar="LABEL", help="Only in this speaker's turns.")
@click.option("--transcript", "in_transcript", metavar="NAME", help="Only in this transcript (or participant).")
@click.option("--limit", type=int, default=None, help="At most this many hits.")
@output_options
@pass_settings
def search_(
    settings: Settings,
    expression: str,
    exact: bool,
    near: int | None,
    regex: bool,
    speaker: str | None,
    in_transcript: str | None,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Search all transcripts for words in any of their forms; shows each hit in its turn.

    \b
    What matches (English word forms, by the Porter stemmer; case and accents do not matter):
      rupture               rupture, ruptures, ruptured, rupturing
      rupt*                 words beginning with rupt (keep to the start of the word)
      felt stuck            these words next to each other, in this order
      "felt stuck"          the same, set off from other words by quotes
      rupture AND repair    turns with both words (OR: either; NOT: the first without the second)
      NEAR(rupture repair, 5)  both within 5 words of each other, in any order
    Apostrophes, quotes, hyphens and other marks only separate words, so don't finds don’t.
    --exact: the words only as typed (rupture, not ruptures). --near N: the words given
    within N words of each other. --regex: a regular expression instead of words.

    \b
    Examples:
        qualcode transcript search rupture
        qualcode transcript search "felt stuck" --speaker P6
        qualcode transcript search "rupture repair" --near 5
        qualcode transcript search '"felt stuck" OR "felt lost"'
        qualcode transcript search "felt (stuck|lost)" --regex
    """
    from qualcode.text.search import search

    hits = search(
        settings.project(),
        expression,
        regex=regex,
        exact=exact,
        near=near,
        speaker=speaker,
        transcript=in_transcript,
        limit=limit,
    )
    if as_json or as_csv:
        emit([h.to_dict() for h in hits], as_json=as_json, as_csv=as_csv)
        return
    if not hits:
        click.echo(f"no hits for {visible(expression)}")
        return
    # Written with click rather than rich: a common word has thousands of hits, and rich's
    # layout of each line would take longer than the search. Text is made visible first (as
    # `transcript show` does), so control characters in a transcript cannot act on the terminal.
    from qualcode.cli.screen import colour, width

    room, coloured = width(), colour()
    click.echo("\n".join(_hit_block(hit, room, coloured) for hit in hits))
    click.echo(hits_summary(hits) + (f" (stopped at --limit {limit})" if limit and len(hits) >= limit else ""))


def _hit_block(hit: Hit, room: int, coloured: bool) -> str:
    """A hit as a block: where it is, then its context cut at whole words and wrapped under it,
    ending with the --chars location that codes it (kept on one line)."""
    from qualcode.cli import screen
    from qualcode.text.search import CONTEXT_CHARS

    where = visible(f"{hit.transcript} L{hit.line} T{hit.turn} {hit.speaker or ''}".rstrip())
    before, after = visible(hit.before), visible(hit.after)

    # The context is a window of characters, shorter where the turn begins or ends; where the
    # window cuts into a word, that word is dropped.
    if len(hit.before) >= CONTEXT_CHARS and not before[:1].isspace() and " " in before:
        before = before[before.index(" ") + 1 :]
    before = before.lstrip()
    if len(hit.after) >= CONTEXT_CHARS and not after[-1:].isspace() and " " in after:
        after = after[: after.rindex(" ")]
    location = screen.keep_together(f"--chars {hit.start}-{hit.end}")
    match = screen.keep_together(visible(hit.match))
    if coloured:  # marked, to be styled once the line is wrapped
        match = f"{screen.MARK}{match}{screen.END}"
    text = f"…{before}{match}{after}…  {location}"
    # The where is kept on one line, with the context after it and wrapped under it.
    block = screen.paragraph(f"{screen.keep_together(where)}  {text}", "    ", "", room)
    if not coloured:
        return block
    return screen.style(where, dim=True) + screen.marked(block, bold=True, reverse=True)[len(where) :]


def hits_summary(hits: Sequence[Hit]) -> str:
    """'12 hits in 3 transcripts: P2 5, P6 4, P11 3' (hits come in transcript order)."""
    per_transcript: dict[str, int] = {}
    for hit in hits:
        per_transcript[hit.transcript] = per_transcript.get(hit.transcript, 0) + 1
    counts = ", ".join(f"{visible(name)} {count}" for name, count in per_transcript.items())
    return f"{counted(len(hits), 'hit')} in {counted(len(per_transcript), 'transcript')}: {counts}"
