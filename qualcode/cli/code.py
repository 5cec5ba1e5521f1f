"""`qualcode code ...`: the codebook, applying and removing codes, and the coding session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcode.cli.common import (
    Settings,
    console,
    emit,
    output_options,
    pass_settings,
    print_extracts,
    print_json,
    read_text_input,
)
from qualcode.cli.completion import (
    complete_analysts,
    complete_codes,
    complete_transcripts,
)
from qualcode.cli.lazy import LazyGroup
from qualcode.wording import counted, join_names, turns_label

if TYPE_CHECKING:
    from qualcode.analysis.coding import HitPassage


# `code session` lives in its own module, loaded only when asked for.
@click.group(cls=LazyGroup, lazy_commands={"session": ("qualcode.cli.session", "session")})
def code() -> None:
    """The codebook, and coding passages of transcripts."""


def location_options(fn):
    for option in reversed(
        [
            click.option(
                "--lines", metavar="12-14", help="Lines of the transcript (as `transcript show` numbers them)."
            ),
            click.option("--turns", metavar="5-6", help="Speaker turns."),
            click.option("--chars", metavar="100-250", help="Character offsets, end exclusive."),
            click.option(
                "--match",
                metavar='"the words"',
                help="The passage's words as typed (straight and curly quotes, dashes alike; case if need be).",
            ),
            click.option("--occurrence", type=int, metavar="N", help="With --match: the Nth occurrence."),
        ]
    ):
        fn = option(fn)
    return fn


@code.command("add")
@click.argument("name")
@click.option("--description", help="What the code captures.")
@click.option("--parent", shell_complete=complete_codes, help="Parent code, for a hierarchy.")
@click.option("--color", metavar="#RRGGBB", help="Colour for highlighting and the map (default: from a palette).")
@click.option("--category", is_flag=True, help="A category: groups codes and is not applied itself.")
@pass_settings
def add(
    settings: Settings, name: str, description: str | None, parent: str | None, color: str | None, category: bool
) -> None:
    """Add a code to the codebook.

    \b
    Example:
        qualcode code add "Rupture: withdrawal" --parent Rupture --description "Client moves away"
    """
    from qualcode.analysis.coding import add_code

    created = add_code(
        settings.project(),
        settings.analyst(),
        name,
        description=description,
        parent=parent,
        color=color,
        category=category,
    )
    what = "category" if category else "code"
    click.echo(f"added {what} '{created.name}'" + (f" under '{parent}'" if parent else ""))


@code.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include merged and retired codes.")
@output_options
@pass_settings
def list_(settings: Settings, show_all: bool, as_json: bool, as_csv: bool) -> None:
    """The codebook as a tree, with codings, transcripts and participants per code.

    \b
    Example:
        qualcode code list
    """
    from qualcode.analysis.retrieval import code_tree

    rows = code_tree(settings.project(), include_inactive=show_all, viewer=settings.analyst())
    if as_json or as_csv:
        emit(rows, as_json=as_json, as_csv=as_csv)
        return
    if not rows:
        click.echo("no codes yet: qualcode code add NAME, or code apply NAME --new ...")
        return
    from qualcode.cli import screen

    # Each name keeps its tree indent on wrapped lines; the ■ is drawn in the code's colour.
    cells = [
        {
            **row,
            "code": screen.Indented(
                "  " * row["depth"] + ("└ " if row["depth"] else ""),
                row["name"]
                + (f" ({row['status']})" if row["status"] != "active" else "")
                + (" (category)" if row["category"] else ""),
                marker="■ ",
                marker_style=row["color"] or None,
            ),
        }
        for row in rows
    ]
    columns = [screen.Column("code", kind="name")]
    columns += [screen.Column(key, kind="number") for key in ("codings", "transcripts", "participants")]
    screen.print_table(cells, columns)


@code.command("show")
@click.argument("name", shell_complete=complete_codes)
@click.option("--analyst", "only_analyst", shell_complete=complete_analysts, help="Only this analyst's extracts.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_settings
def show(settings: Settings, name: str, only_analyst: str | None, as_json: bool) -> None:
    """A code's definition, memos and every extract.

    \b
    Example:
        qualcode code show "Rupture: withdrawal"
    """
    from rich.text import Text

    from qualcode.analysis.retrieval import code_details

    details = code_details(settings.project(), name, analyst=only_analyst, viewer=settings.analyst())
    if as_json:
        print_json(details)
        return
    out = console()
    status = f"merged into {details['merged_into']}" if details["merged_into"] else details["status"]
    out.print(
        Text(details["name"], style="bold")
        + (Text(f"  ({status})", style="dim") if details["status"] != "active" else "")
    )
    for label, key in (
        ("parent", "parent"),
        ("description", "description"),
        ("include", "inclusion"),
        ("exclude", "exclusion"),
    ):
        if details[key]:
            out.print(Text(f"{label}: ", style="dim") + Text(details[key]))
    if details["children"]:
        out.print(Text("subcodes: ", style="dim") + Text(", ".join(details["children"])))
    for memo in details["memos"]:
        out.print(
            Text(f"memo {memo['id']} ({memo['analyst']}, {memo['created'][:10]}): ", style="dim") + Text(memo["body"])
        )
    count = len(details["extracts"])
    out.print(f"{count} extract{'' if count == 1 else 's'}")
    if details["extracts"]:
        print_extracts(details["extracts"])


@code.command("rename")
@click.argument("old", shell_complete=complete_codes)
@click.argument("new")
@pass_settings
def rename(settings: Settings, old: str, new: str) -> None:
    """Rename a code (codings, themes and memos follow it).

    \b
    Example:
        qualcode code rename "stuckness" "Feeling stuck"
    """
    from qualcode.analysis.coding import rename_code

    rename_code(settings.project(), settings.analyst(), old, new)
    click.echo(f"renamed '{old}' to '{new}'")


@code.command("describe")
@click.argument("name", shell_complete=complete_codes)
@click.argument("description", required=False)
@click.option(
    "--file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the description from a file.",
)
@click.option("--inclusion", help="When to apply the code.")
@click.option("--exclusion", help="When not to apply it.")
@click.option("--color", metavar="#RRGGBB")
@click.option(
    "--category/--codable",
    "category",
    default=None,
    help="Make it a category (groups codes, not applied itself), or a code that is applied again.",
)
@pass_settings
def describe(
    settings: Settings,
    name: str,
    description: str | None,
    from_file: Path | None,
    inclusion: str | None,
    exclusion: str | None,
    color: str | None,
    category: bool | None,
) -> None:
    """Set a code's description, inclusion and exclusion notes (argument, --file, - for stdin, or $EDITOR).

    \b
    Examples:
        qualcode code describe "Rupture" "A strain or break in the alliance"
        qualcode code describe "Rupture" --inclusion "Named by the therapist as a rupture"
        qualcode code describe "Rupture"        # opens $EDITOR
    """
    from qualcode.analysis.coding import describe_code, get_code

    project = settings.project()
    if description is None and from_file is None and (inclusion or exclusion or color or category is not None):
        text = None
    else:
        text = read_text_input(description, from_file, "description", initial=get_code(project, name).description or "")
    describe_code(
        project,
        settings.analyst(),
        name,
        codable=None if category is None else not category,
        description=text,
        inclusion=inclusion,
        exclusion=exclusion,
        color=color,
    )
    click.echo(f"updated '{name}'")


@code.command("move")
@click.argument("name", shell_complete=complete_codes)
@click.option("--parent", shell_complete=complete_codes, help="The new parent (omit for top level).")
@pass_settings
def move(settings: Settings, name: str, parent: str | None) -> None:
    """Move a code under another parent, or to the top level.

    \b
    Example:
        qualcode code move "Silence" --parent "Rupture: withdrawal"
    """
    from qualcode.analysis.coding import move_code

    move_code(settings.project(), settings.analyst(), name, parent)
    click.echo(f"moved '{name}' " + (f"under '{parent}'" if parent else "to the top level"))


@code.command("merge")
@click.argument("source", shell_complete=complete_codes)
@click.argument("target", shell_complete=complete_codes)
@pass_settings
def merge(settings: Settings, source: str, target: str) -> None:
    """Merge code SOURCE into TARGET: its codings move, SOURCE is kept as "merged into TARGET".

    \b
    Example:
        qualcode code merge "Feeling stuck" "Stuckness"
    """
    from qualcode.analysis.coding import merge_codes

    merged = merge_codes(settings.project(), settings.analyst(), source, target)
    line = f"merged '{source}' into '{target}': {counted(merged.moved, 'coding')} moved"
    if merged.folded:
        line += f", {merged.folded} folded into the same analyst's identical coding with '{target}'"
    click.echo(line)


@code.command("split")
@click.argument("source", shell_complete=complete_codes)
@click.argument("new_name")
@click.option("--coding", "coding_ids", type=int, multiple=True, required=True, help="A coding id to move (repeat).")
@click.option("--description")
@pass_settings
def split(settings: Settings, source: str, new_name: str, coding_ids: tuple[int, ...], description: str | None) -> None:
    """Move chosen codings of SOURCE to a new code NEW_NAME.

    \b
    Example:
        qualcode code split Rupture "Rupture: confrontation" --coding 12 --coding 40
    """
    from qualcode.analysis.coding import split_code

    moved = split_code(
        settings.project(), settings.analyst(), source, new_name, list(coding_ids), description=description
    )
    click.echo(f"created '{new_name}' with {counted(moved, 'coding')} from '{source}'")


@code.command("delete")
@click.argument("name", shell_complete=complete_codes)
@click.option("--force", is_flag=True, help="Delete the code even though it has codings (they are removed).")
@pass_settings
def delete(settings: Settings, name: str, force: bool) -> None:
    """Delete a code; refuses while it has codings unless --force.

    \b
    Example:
        qualcode code delete "Misc" --force
    """
    from qualcode.analysis.coding import delete_code

    removed = delete_code(settings.project(), settings.analyst(), name, force=force)
    click.echo(f"deleted '{name}'" + (f" and its {counted(removed, 'coding')}" if removed else ""))


@code.command("apply")
@click.argument("codes", nargs=-1, required=True, shell_complete=complete_codes)
@click.option("--transcript", "-t", shell_complete=complete_transcripts, help="Transcript name or participant.")
@location_options
@click.option(
    "--from-search",
    "from_search",
    metavar="WORDS",
    help="Code every hit of this search (as `transcript search` reads it; all transcripts, or --transcript).",
)
@click.option(
    "--unit",
    metavar="match|sentence|turn",
    help="With --from-search: code each hit's sentence (the default), the hit alone, or its speaker turn.",
)
@click.option("--new", "create", is_flag=True, help="Create codes that do not exist yet.")
@click.option("--yes", "-y", is_flag=True, help="With --from-search: do not ask before coding.")
@pass_settings
def apply(
    settings: Settings,
    codes: tuple[str, ...],
    transcript: str | None,
    lines: str | None,
    turns: str | None,
    chars: str | None,
    match: str | None,
    occurrence: int | None,
    from_search: str | None,
    unit: str | None,
    create: bool,
    yes: bool,
) -> None:
    """Code a passage with one or more codes.

    \b
    Examples:
        qualcode code apply Rupture "Repair: metacommunication" -t P6 --lines 40-42
        qualcode code apply Anxiety -t P3 --match "my stomach just dropped"
        qualcode code apply "Supervision" --new --from-search "supervisor" --yes
        qualcode code apply Rupture --from-search rupture --unit turn -t P6
    """
    from qualcode.analysis.coding import apply_codes

    project, analyst = settings.project(), settings.analyst()
    if from_search:
        if lines or turns or chars or match:
            raise click.ClickException("--from-search codes every hit; leave out --lines, --turns, --chars and --match")
        _apply_from_search(settings, codes, from_search, transcript, unit, create, yes)
        return
    if unit:
        raise click.ClickException("--unit goes with --from-search; a passage given by location is coded as given")
    if not transcript:
        raise click.ClickException("name the transcript with --transcript (or use --from-search)")
    from qualcode.text.corpus import load_transcript
    from qualcode.text.transcripts import Location

    location = Location(lines=lines, turns=turns, chars=chars, match=match, occurrence=occurrence)
    stored = load_transcript(project, transcript)
    applied = apply_codes(project, analyst, codes, stored, [location], create=create)
    first = applied[0]
    where = stored.locate(first.start, first.end)
    ids = ", ".join(str(a.coding_id) for a in applied)
    from qualcode.cli import screen

    place = screen.keep_together(f"{'lines' if '-' in where['lines'] else 'line'} {where['lines']}")
    turns = turns_label(where["turn"], where["last_turn"], where["speakers"]).replace(" ", screen.NBSP, 1)
    screen.echo_paragraph(
        f"coded {first.transcript} {place}, {turns}, {screen.keep_together('chars ' + where['chars'])}"
        f" with {', '.join(a.code for a in applied)}:"
        f" {screen.keep_together(('coding ' if len(applied) == 1 else 'codings ') + ids)}",
        "    ",
        "",
    )
    # The preview is wrapped and indented under the line it illustrates.
    screen.echo_paragraph(f"“{_short(first.text)}”", "    ")
    if match and len(where["speakers"]) > 1:
        click.echo(f"warning: {_across_speakers(where['speakers'], stored.interviewer)}; coded as matched", err=True)


def _across_speakers(speakers: list[str], interviewer: str | None) -> str:
    """'the passage runs from P21's words into the interviewer's (…)'."""
    named = ["the interviewer" if s == interviewer else s for s in speakers]
    if len(named) == 2:
        return f"the passage runs from {named[0]}'s words into {named[1]}'s"
    return f"the passage runs across the words of {join_names(named)}"


def _apply_from_search(
    settings: Settings,
    codes: tuple[str, ...],
    expression: str,
    transcript: str | None,
    unit: str | None,
    create: bool,
    yes: bool,
) -> None:
    from qualcode.analysis.coding import apply_to_passages, check_codes, passages_for_hits
    from qualcode.text.search import search
    from qualcode.text.units import DEFAULT_UNIT, UNIT_NOUNS, check_unit

    project, analyst = settings.project(), settings.analyst()
    unit = check_unit(unit or DEFAULT_UNIT)
    check_codes(project, codes, create=create, viewer=analyst)
    hits = search(project, expression, transcript=transcript)
    if not hits:
        raise click.ClickException(f"no hits for {expression}; nothing coded")
    passages = passages_for_hits(project, hits, unit)
    from qualcode.cli import screen

    for passage in passages:
        where = screen.keep_together(f"{passage.transcript} L{passage.lines} T{passage.turn}:")
        screen.echo_paragraph(f"{where} {_marked(passage)}", "    ", "")
    noun = UNIT_NOUNS[unit]
    if unit == "match":
        question = f"code these {counted(len(hits), 'hit')} with {', '.join(codes)}?"
    else:
        click.echo(
            f"each hit is coded as its {noun[0]} (--unit {unit});"
            + (
                " --unit match codes the hit alone"
                if unit == "turn"
                else " --unit match: the hit alone, --unit turn: its turn"
            )
        )
        question = f"code {counted(len(passages), *noun)} for {counted(len(hits), 'hit')} with {', '.join(codes)}?"
    if not yes and not click.confirm(question, default=True):
        click.echo("nothing coded")
        return
    by_transcript: dict[str, list[tuple[int, int]]] = {}
    for passage in passages:
        by_transcript.setdefault(passage.transcript, []).append((passage.start, passage.end))
    applied, skipped = apply_to_passages(project, analyst, codes, by_transcript, create=create, skip_existing=True)
    as_units = "" if unit == "match" else f" as {counted(len(passages), *noun)}"
    click.echo(
        f"coded {counted(len(hits), 'hit')}{as_units} in {counted(len(by_transcript), 'transcript')}:"
        f" {counted(len(applied), 'coding')}" + (f" ({skipped} already coded, skipped)" if skipped else "")
    )


def _marked(passage: HitPassage, limit: int = 200) -> str:
    """The passage on one line with its hits in [brackets], cut around the first when long."""
    pieces, at = [], passage.start
    for hit in passage.hits:
        if hit.start < at:
            continue
        pieces += [passage.text[at - passage.start : hit.start - passage.start], "[", hit.match, "]"]
        at = hit.end
    pieces.append(passage.text[at - passage.start :])
    marked = " ".join("".join(pieces).split())
    if len(marked) <= limit:
        return marked
    first = marked.index("[")
    start = max(0, min(first - limit // 3, len(marked) - limit))
    return ("…" if start else "") + marked[start : start + limit] + ("…" if start + limit < len(marked) else "")


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@code.command("remove")
@click.argument("coding_id", type=int)
@click.option("--force", is_flag=True, help="Remove another analyst's coding.")
@pass_settings
def remove(settings: Settings, coding_id: int, force: bool) -> None:
    """Remove one coding (ids are shown by `code show` and `extracts`).

    \b
    Example:
        qualcode code remove 42
    """
    from qualcode.analysis.coding import remove_coding

    coding = remove_coding(settings.project(), settings.analyst(), coding_id, force=force)
    click.echo(f"removed coding {coding_id} ({coding['code']} in {coding['transcript']}, by {coding['analyst']})")
