"""`qualcode code session`: code a transcript turn by turn at a prompt.

The screen and the keyboard live here; what a command does lives in qualcode/session.py. Each
code, undo or memo is saved the moment it is entered, so quitting in any way loses nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from qualcode.analysis.session import Command, SessionState, TurnCoding, parse_command
from qualcode.cli.common import Settings, console, pass_settings
from qualcode.cli.completion import complete_speakers, complete_transcripts
from qualcode.errors import QualcodeError
from qualcode.wording import counted, lines_label, shell_command

PREVIOUS_TURN_CHARS = 280  # enough of the previous turn to recall the question, not to reread it
LEGEND_TEXT_CHARS = 200  # the terminal's width cuts it shorter

HELP = [
    ("Rupture, Anxiety", "code the whole turn (Tab completes code names)"),
    ("+New code", "create a new code without being asked"),
    ('"exact words" => Code', "code a phrase in this turn (case, quotes and dashes need not match)"),
    ('"first ... last" => Code', "code from one phrase to another"),
    ("Enter or n", "next turn"),
    ("b", "back a turn"),
    ("g 12", "go to turn 12"),
    ("u", "undo the last coding made in this session"),
    ("m TEXT", "a reflexive memo on this transcript"),
    ("l", "list the codebook"),
    ("q", "quit (or Ctrl-D, Ctrl-C); everything is already saved"),
    ("Help,", "a trailing comma: a code named like a command"),
]
HINT = 'Codes, "words" => Code · Enter next · b back · u undo · m memo · ? help · q quit'


@click.command("session")
@click.argument("transcript", shell_complete=complete_transcripts)
@click.option("--from-turn", type=int, metavar="N", help="Start at turn N.")
@click.option(
    "--speaker", metavar="LABEL", shell_complete=complete_speakers, help="Step only through this speaker's turns."
)
@click.option(
    "--participant-only", is_flag=True, help="Step only through the participant's turns (not the interviewer's)."
)
@pass_settings
def session(
    settings: Settings, transcript: str, from_turn: int | None, speaker: str | None, participant_only: bool
) -> None:
    """Code a transcript turn by turn: read each turn, type codes at the prompt.

    Codes already applied show in their colours: a bar in the margin for each code on the
    whole turn, a background for your coded phrases, underlining for other analysts'. Each
    code, undo and memo is saved as you type it. Type ? at the prompt for help.

    \b
    Examples:
        qualcode code session P6
        qualcode code session P6 --participant-only --from-turn 12
        printf 'Rupture\\nn\\n"blank screen" => Frame\\nq\\n' | qualcode code session P6
    """
    state = SessionState.open(
        settings.project(),
        settings.analyst(),
        transcript,
        from_turn=from_turn,
        speaker=speaker,
        participant_only=participant_only,
    )
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    read = _terminal_reader(state.code_names) if interactive else _plain_reader
    notes = _opening_notes(state, from_turn)
    from qualcode.analysis.open_sessions import recorded_session

    # Recorded while it runs, so that a co-analyst's reveal can say this session is still open.
    with recorded_session(state.project, state.analyst_id, state.transcript.id):
        _run(state, read, interactive, notes)
    _print_summary(state, speaker, participant_only)


# -- the loop ----------------------------------------------------------------------------------


def _run(state: SessionState, read: Callable[[str], str], interactive: bool, notes: list) -> None:
    out = console()
    redraw = True
    try:
        while True:
            if redraw:
                if interactive:
                    out.clear()
                _draw_turn(out, state)
            for note in notes:
                out.print(note)
            try:
                line = read(_prompt(state, interactive))
            except (EOFError, KeyboardInterrupt):
                if interactive:
                    click.echo()
                return
            try:
                command = parse_command(line)
                if command.action == "quit":
                    return
                redraw, notes = _perform(state, command, read, out)
            except QualcodeError as error:
                redraw, notes = False, [_problem(str(error))]
    except (EOFError, KeyboardInterrupt):
        # Ctrl-C while a command was being saved rolls back that command only; the input ending
        # at a create-this-code question is a "no". Everything entered before is stored.
        click.echo()


def _perform(state: SessionState, command: Command, read: Callable[[str], str], out) -> tuple[bool, list]:
    """Carry out one command; returns whether to redraw the turn, and lines to show under it."""
    from rich.text import Text

    action = command.action
    if action == "code":
        return _code(state, command, read, out)
    if action == "next":
        if state.next():
            return True, []
        coded, total = state.progress()
        return False, [
            Text(f"that was the last turn ({coded} of {total} coded); b or g N to go back, q to quit", style="yellow")
        ]
    if action == "back":
        return (True, []) if state.back() else (False, [Text("this is the first turn", style="yellow")])
    if action == "goto" and command.turn is not None:
        landed = state.goto(command.turn).number
        if landed != command.turn:
            return True, [
                Text(f"turn {command.turn} is not one this session steps through; showing turn {landed}", style="dim")
            ]
        return True, []
    if action == "undo":
        undone = state.undo_last()
        if undone is None:
            return False, [Text("nothing to undo in this session", style="yellow")]
        note = f"undone: {', '.join(a.code for a in undone.applied)} on turn {undone.turn}"
        if undone.created_codes:
            note += f" (and the new code {', '.join(repr(n) for n in undone.created_codes)})"
        if undone.turn != state.turn.number:
            state.goto(undone.turn)
        return True, [Text(note, style="yellow")]
    if action == "memo":
        memo_id = state.add_memo(command.text or "")
        return False, [Text(f"memo {memo_id} saved on {state.transcript.name}", style="green")]
    if action == "list":
        _print_codebook(out, state)
        return False, []
    _print_help(out)
    return False, []


def _code(state: SessionState, command: Command, read: Callable[[str], str], out) -> tuple[bool, list]:
    from rich.text import Text

    from qualcode.names import suggestions

    if command.phrase:
        state.find_phrase(command.phrase)  # a phrase not in the turn fails before any question
    unknown = state.unknown_codes(command.codes)
    asked = [name for name in unknown if name not in command.new_codes]
    for name in asked:
        close = suggestions(name, state.code_names())
        if close:
            out.print(
                Text(
                    f"'{name}' is not in the codebook; did you mean {' or '.join(repr(c) for c in close)}?",
                    style="yellow",
                )
            )
        answer = read(f"create new code '{name}'? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            return False, [_problem(f"nothing coded: '{name}' is not in the codebook; type l to list codes")]
    result = state.apply(command.codes, command.phrase, create=bool(unknown))
    notes = []
    if result.applied:
        where = (
            "the whole turn"
            if command.phrase is None
            else f"“{_short(state.transcript.text[slice(*result.span)], 50)}”"
        )
        notes.append(Text(f"coded {where} with {', '.join(a.code for a in result.applied)}", style="green"))
    if result.created_codes:
        label = "new code" if len(result.created_codes) == 1 else "new codes"
        notes.append(Text(f"{label}: {', '.join(result.created_codes)}", style="green"))
    if result.already_coded:
        notes.append(Text(f"{result.already_coded} already coded like that; left as it was", style="dim"))
    return bool(result.applied), notes


# -- reading lines -------------------------------------------------------------------------


def _terminal_reader(names: Callable[[], list[str]]) -> Callable[[str], str]:
    """input() with readline: Tab completes code names (after commas and => too), ↑ recalls lines."""
    import readline

    matches: list[str] = []

    def complete(text: str, index: int) -> str | None:
        if index == 0:
            typed = text.lstrip()
            lead = text[: len(text) - len(typed)] or (" " if readline.get_begidx() > 0 else "")
            matches[:] = [lead + name for name in names() if name.lower().startswith(typed.lower())]
        return matches[index] if index < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(",>")
    if "libedit" in (readline.__doc__ or ""):
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    return input


def _plain_reader(prompt: str) -> str:
    """Lines from a pipe or a file, echoed after the prompt so the output reads like the session."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    click.echo(prompt + line.rstrip("\n"))
    return line


def _prompt(state: SessionState, interactive: bool) -> str:
    text = f"{state.transcript.name} T{state.turn.number} › "
    # \001 and \002 tell readline the colour codes take no room, so line editing stays aligned.
    return f"\001\033[1m\002{text}\001\033[0m\002" if interactive else text


# -- drawing ---------------------------------------------------------------------------------


def _draw_turn(out, state: SessionState) -> None:
    from rich.padding import Padding
    from rich.rule import Rule
    from rich.text import Text

    turn, stored = state.turn, state.transcript
    title = Text(stored.name, style="bold")
    if stored.participant and stored.participant != stored.name:
        title.append(f" ({stored.participant})")
    title.append(f" · turn {turn.number} of {len(stored.turns)}")
    if turn.speaker:
        title.append(f" · {turn.speaker}")
    title.append(f" · {lines_label(state.lines())}")
    out.print(Rule(title, align="left", style="dim"))
    coded, total = state.progress()
    out.print(Text(f"{state.analyst} has coded {coded} of {total} turns · ? for help", style="dim"))

    codings = state.codings()
    gutter = _gutter(codings)
    previous = state.previous_turn
    if previous is not None:
        text = state.text_of(previous)
        if len(text) > PREVIOUS_TURN_CHARS:
            label = text[: previous.body_start - previous.start]
            tail = text[len(text) - PREVIOUS_TURN_CHARS + len(label) :]
            text = label + "…" + tail[tail.find(" ") + 1 :]  # start on a whole word
        out.print()
        _print_wrapped(out, Text(text, style="dim"), Text(" " * gutter.cell_len))  # aligned with the turn below
    out.print()
    _print_wrapped(out, _highlighted(state, codings), gutter)
    out.print()
    if codings:
        out.print(Padding(_legend(codings), (0, 0, 1, 2), expand=False))
    out.print(Text(HINT, style="dim"))


def _print_wrapped(out, text, gutter) -> None:
    """Text wrapped to the terminal, with the gutter repeated in front of every line."""
    for line in text.wrap(out, max(20, out.width - gutter.cell_len)):
        out.print(gutter + line, no_wrap=True, crop=True)


def _gutter(codings: list[TurnCoding]):
    """A bar in the margin for each code on the whole turn (yours solid, others' thin), so several
    whole-turn codes all show and the background is left for phrases."""
    from rich.text import Text

    gutter = Text()
    for coding in codings:
        if coding.whole_turn:
            gutter.append("▌" if coding.mine else "│", style=coding.color or "")
    gutter.append(" " * max(1, 2 - gutter.cell_len))
    return gutter


def _highlighted(state: SessionState, codings: list[TurnCoding]):
    """The turn with its speaker label in bold, and the phrases coded in it: the acting analyst's
    as background colour (the shorter on top, so a phrase shows inside a longer one), other
    analysts' underlined. Whole-turn codings are drawn in the gutter instead."""
    from rich.style import Style
    from rich.text import Text

    turn = state.turn
    text = Text(state.text_of(turn))
    if turn.body_start > turn.start:
        text.stylize("bold yellow" if turn.is_interviewer else "bold green", 0, turn.body_start - turn.start)
    phrases = [c for c in codings if not c.whole_turn]
    for coding in sorted(phrases, key=lambda c: (c.mine, -(c.end - c.start))):
        span = (coding.start - turn.start, coding.end - turn.start)
        if coding.mine:
            text.stylize(_code_style(coding.color), *span)
        else:
            text.stylize(Style(underline=True), *span)
    return text


def _legend(codings: list[TurnCoding]):
    """One line per coding: its mark and code, whose it is (when not yours), its id for
    `code remove`, and what it covers, cut to the terminal's width."""
    from rich.table import Table
    from rich.text import Text

    others = any(not c.mine for c in codings)
    # The first columns keep their full width; only the covered text is cut to fit the terminal.
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, min_width=2 + max(len(c.code) for c in codings))
    if others:
        grid.add_column(no_wrap=True, style="dim", min_width=max(len(c.analyst) for c in codings if not c.mine))
    grid.add_column(
        no_wrap=True, justify="right", style="dim", min_width=1 + max(len(str(c.coding_id)) for c in codings)
    )
    grid.add_column()
    for coding in codings:
        # The same marks as on the text: a bar for a whole-turn coding (as in the gutter), a
        # block for a phrase; filled for the acting analyst's, hollow or thin for others'.
        mark = ("▌" if coding.mine else "│") if coding.whole_turn else ("■" if coding.mine else "□")
        name = Text(mark + " ", style=coding.color or "")
        name.append(coding.code, style="" if coding.mine else "dim")
        who = [Text("" if coding.mine else coding.analyst)] if others else []
        where = "whole turn" if coding.whole_turn else f"“{_short(coding.text, LEGEND_TEXT_CHARS)}”"
        grid.add_row(name, *who, f"#{coding.coding_id}", Text(where, no_wrap=True, overflow="ellipsis"))
    return grid


def _code_style(color: str | None):
    """A code's colour as background, with black or white text, whichever reads better on it."""
    from rich.style import Style

    if not color:
        return Style(reverse=True)
    red, green, blue = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return Style(bgcolor=color, color="black" if luminance > 0.45 else "white")


def _print_codebook(out, state: SessionState) -> None:
    from rich.columns import Columns
    from rich.text import Text

    from qualcode.analysis.retrieval import code_tree

    rows = code_tree(state.project, viewer=state.analyst)  # under blind coding, only the codes they see
    if not rows:
        out.print("the codebook is empty: type a name to create the first code")
        return
    items = []
    for row in rows:
        item = Text("  " * row["depth"])  # subcodes under their parent, as in `code list`
        item.append("■ ", style=row["color"] or "")
        item.append(row["name"])
        item.append(f" {row['codings']}", style="dim")
        items.append(item)
    out.print(Text("the codebook, with each code's codings so far:", style="dim"))
    out.print(Columns(items, column_first=True, padding=(0, 3)))


def _print_help(out) -> None:
    from rich.table import Table

    grid = Table.grid(padding=(0, 3))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for keys, meaning in HELP:
        grid.add_row(keys, meaning)
    out.print(grid)


def _problem(message: str):
    from rich.text import Text

    return Text(message, style="red")


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- before and after ------------------------------------------------------------------------


def _opening_notes(state: SessionState, from_turn: int | None) -> list:
    from rich.text import Text

    if from_turn is not None:
        if state.turn.number != from_turn:
            return [
                Text(
                    f"turn {from_turn} is not one this session steps through; starting at turn {state.turn.number}",
                    style="dim",
                )
            ]
        return []
    resume = state.resume_turn()
    if resume is not None and resume != state.turn.number:
        return [Text(f"to carry on after the last turn {state.analyst} coded here: g {resume}", style="cyan")]
    return []


def _print_summary(state: SessionState, speaker: str | None, participant_only: bool) -> None:
    summary = state.summary()
    name = state.transcript.name
    if summary.codings:
        counts = ", ".join(f"{code} ×{n}" if n > 1 else code for code, n in summary.codes.items())
        line = f"{name}: {counted(summary.codings, 'coding')} on {counted(summary.turns, 'turn')} ({counts})"
    else:
        line = f"{name}: nothing coded this session"
    if summary.created_codes:
        line += f"; new codes: {', '.join(summary.created_codes)}"
    if summary.memos:
        line += f"; {counted(summary.memos, 'memo')}"
    options = ["--speaker", speaker] if speaker else (["--participant-only"] if participant_only else [])
    out = console()
    out.print(line + ". All saved.")
    # Unwrapped, so the command copies and pastes as one line.
    click.echo(f"to carry on: {shell_command('code', 'session', name, '--from-turn', str(summary.turn), *options)}")
