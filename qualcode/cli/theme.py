"""`qualcode theme ...`: build themes from codes, review them against the data, define, name and quote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape

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
from qualcode.cli.completion import complete_codes, complete_themes
from qualcode.wording import counted

STATUS_CHOICES = "candidate|reviewed|final|discarded"


def _stored_names(project: Any, *typed: str) -> list[str]:
    """Theme names as stored (names match ignoring case and spacing), so messages show the
    themes as they are named; an unknown name stops the command with suggestions."""
    from qualcode.analysis.themes import get_theme

    return [get_theme(project, name).name for name in typed]


@click.group()
def theme() -> None:
    """Themes and subthemes: build them from codes, review, define, name and quote."""


@theme.command("add")
@click.argument("name")
@click.option("--parent", shell_complete=complete_themes, help="Make it a subtheme of this theme.")
@click.option("--definition", help="What the theme is about (can be written later with `theme define`).")
@click.option("--concept", help="Its central organising concept: the idea that holds it together.")
@click.option("--code", "codes", multiple=True, shell_complete=complete_codes, help="Assign this code (repeatable).")
@pass_settings
def add(
    settings: Settings,
    name: str,
    parent: str | None,
    definition: str | None,
    concept: str | None,
    codes: tuple[str, ...],
) -> None:
    """Add a candidate theme, or a subtheme with --parent.

    \b
    Examples:
        qualcode theme add "Anxiety as co-created" --code Anxiety --code "Client's distress"
        qualcode theme add "Holding the frame" --parent "The therapist's work"
    """
    from qualcode.analysis.themes import add_theme

    created = add_theme(
        settings.project(), settings.analyst(), name, parent=parent, definition=definition, concept=concept, codes=codes
    )
    where = f" under '{parent}'" if parent else ""
    with_codes = f" with {len(set(codes))} code{'s' if len(set(codes)) != 1 else ''}" if codes else ""
    click.echo(f"added theme '{created.name}'{where}{with_codes}")


@theme.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include discarded themes.")
@click.option("--analyst", "only_analyst", help="Count only this analyst's codings (default: every analyst's).")
@output_options
@pass_settings
def list_(settings: Settings, show_all: bool, only_analyst: str | None, as_json: bool, as_csv: bool) -> None:
    """Themes and subthemes as a tree, with counts.

    Each theme with its codes, extracts, transcripts and participants. Extracts are distinct coded passages of the theme and its subthemes: a passage coded with two
    of its codes, or by two analysts, counts once.

    \b
    Example:
        qualcode theme list --all
    """
    from qualcode.analysis.theme_extracts import participant_of_transcripts
    from qualcode.analysis.theme_overview import flatten_tree, theme_tree
    from qualcode.analysis.themes import theme_names

    project = settings.project()
    tree = theme_tree(project, include_discarded=show_all, coded_by=only_analyst)
    if as_json:
        print_json(tree)
        return
    rows = flatten_tree(tree)
    if as_csv:
        emit(
            rows,
            as_csv=True,
            columns=[
                "name",
                "parent",
                "depth",
                "status",
                "codes",
                "extracts",
                "codings",
                "transcripts",
                "participants",
                "definition",
                "concept",
            ],
        )
        return
    if not rows:
        if not show_all and theme_names(project):
            click.echo("no themes in play: `qualcode theme list --all` shows the discarded ones")
        else:
            click.echo("no themes yet: qualcode theme add NAME --code CODE")
        return
    _print_tree(console(), rows, len(set(participant_of_transcripts(project).values())))


def _print_tree(out: Any, rows: list[dict[str, Any]], participants_total: int) -> None:
    """One line of figures per theme, with its codes on a dim line beneath.

    The codes get the full width under the name rather than a column of their own: a codes
    column squeezed beside the name made every row several lines tall at 80 columns."""
    from rich.text import Text

    figures = [
        ("extracts", [str(row["extracts"]) for row in rows]),
        ("transcripts", [str(row["transcripts"]) for row in rows]),
        ("participants", [f"{row['participants']}/{participants_total}" for row in rows]),
    ]
    status_width = max(len("status"), *(len(row["status"]) for row in rows))
    widths = [max(len(title), *(len(v) for v in values)) for title, values in figures]
    right = 2 + status_width + sum(2 + w for w in widths)
    prefixes = ["  " * row["depth"] + ("└ " if row["depth"] else "") for row in rows]
    longest = max(len(prefix) + Text(row["name"]).cell_len for prefix, row in zip(prefixes, rows))
    name_width = max(20, min(out.width - right, longest))

    header = Text("theme".ljust(name_width) + "  " + "status".ljust(status_width), style="bold")
    for (title, _), width in zip(figures, widths):
        header.append("  " + title.rjust(width), style="bold")
    out.print(header, overflow="ignore", crop=False)
    out.print(Text("─" * min(out.width, name_width + right), style="dim"), overflow="ignore", crop=False)
    for i, (row, prefix) in enumerate(zip(rows, prefixes)):
        style = "dim" if row["status"] == "discarded" else ("bold" if row["depth"] == 0 else "")
        lines = Text(row["name"], style=style).wrap(out, name_width - len(prefix))
        for k, part in enumerate(lines):
            part.rstrip()
            line = Text(prefix if k == 0 else " " * len(prefix)) + part
            if k == 0:
                line.align("left", name_width)
                line.append("  " + row["status"].ljust(status_width), style=style or None)
                for (_, values), width in zip(figures, widths):
                    line.append("  " + values[i].rjust(width))
            out.print(line, overflow="ignore", crop=False)
        has_subthemes = i + 1 < len(rows) and rows[i + 1]["depth"] > row["depth"]
        _print_codes(out, row["codes"], has_subthemes, indent=len(prefix) + 2)


def _print_codes(out: Any, codes: list[str], has_subthemes: bool, indent: int) -> None:
    """The theme's own codes; a theme built only from its subthemes' codes shows none."""
    from rich.text import Text

    if codes:
        line = Text("codes: " + " · ".join(codes), style="dim")
    elif has_subthemes:
        return
    else:
        line = Text("no codes yet", style="dim italic")
    for part in line.wrap(out, max(20, out.width - indent)):
        part.rstrip()
        out.print(Text(" " * indent) + part, overflow="ignore", crop=False)


@theme.command("show")
@click.argument("name", shell_complete=complete_themes)
@click.option("--analyst", "only_analyst", help="Count and sample only this analyst's codings.")
@click.option(
    "--extracts",
    "sample",
    type=click.IntRange(0, 100),
    default=5,
    show_default=True,
    help="How many sample extracts to print.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_settings
def show(settings: Settings, name: str, only_analyst: str | None, sample: int, as_json: bool) -> None:
    """A theme in full, with a sample of its extracts.

    Its definition, central organising concept, subthemes, codes, links, memos, chosen quotes
    and a sample of its extracts.

    \b
    Example:
        qualcode theme show "Anxiety as co-created"
    """
    from qualcode.analysis.theme_overview import theme_details

    details = theme_details(settings.project(), name, coded_by=only_analyst, sample=sample)
    if as_json:
        print_json(details)
        return
    out = console()
    parent = f" — subtheme of {escape(details['parent'])}" if details["parent"] else ""
    out.print(f"[bold]{escape(details['name'])}[/bold] ({details['status']}){parent}")
    out.print(
        f"{counted(details['extracts'], 'extract')} ({counted(details['codings'], 'coding')})"
        f" from {counted(details['transcripts'], 'transcript')},"
        f" {details['participants']}/{details['participants_total']} participants"
    )
    _field(out, "Definition", details["definition"], "none yet: qualcode theme define NAME")
    _field(out, "Central organising concept", details["concept"], "none yet: qualcode theme define NAME --concept TEXT")
    if details["subthemes"]:
        out.print("[bold]Subthemes[/bold]")
        for sub in details["subthemes"]:
            counts = f"{counted(sub['extracts'], 'extract')}, {counted(sub['participants'], 'participant')}"
            out.print(f"  {escape(sub['name'])} ({sub['status']}): {counts}")
    out.print(
        "[bold]Codes[/bold]"
        if details["codes"]
        else "[bold]Codes[/bold]: none yet (qualcode theme assign CODE --to NAME)"
    )
    for code in details["codes"]:
        via = f"  [dim]via {escape(code['via'])}[/dim]" if code["via"] else ""
        out.print(
            f"  [{code['color'] or 'default'}]■[/] {escape(code['name'])}: {counted(code['extracts'], 'extract')}{via}"
        )
    if details["links"]:
        out.print("[bold]Links[/bold]")
        for link in details["links"]:
            label = f" {link['label']} " if link["label"] else " "
            arrow = f"—{label}→ {link['theme']}" if link["direction"] == "to" else f"← {link['theme']}{label.rstrip()}"
            _wrapped(out, escape(arrow), 2)
    if details["memos"]:
        out.print("[bold]Memos[/bold]")
        for memo in details["memos"]:
            out.print(
                f"  [dim]#{memo['id']} {escape(memo['analyst'])}, {memo['created'][:10]}, phase {memo['phase']} ({memo['kind']})[/dim]"
            )
            _indented(memo["body"], indent=4)
    _extracts(out, "Chosen quotes", details["quotes"])
    _extracts(out, "Sample extracts", details["sample"])


def _field(out: Any, title: str, value: str | None, missing: str) -> None:
    if value:
        out.print(f"[bold]{title}[/bold]")
        _indented(value)
    else:
        out.print(f"[bold]{title}[/bold]: [dim]{missing}[/dim]")


def _indented(text: str, indent: int = 2) -> None:
    import shutil
    import textwrap

    width = max(40, shutil.get_terminal_size((100, 24)).columns)
    pad = " " * indent
    click.echo("\n".join(textwrap.fill(p, width, initial_indent=pad, subsequent_indent=pad) for p in text.split("\n")))


def _extracts(out: Any, title: str, extracts: list[dict[str, Any]]) -> None:
    if extracts:
        out.print(f"[bold]{title}[/bold]")
        print_extracts(extracts)


@theme.command("assign")
@click.argument("codes", nargs=-1, required=True, shell_complete=complete_codes)
@click.option("--to", "to_theme", required=True, shell_complete=complete_themes, help="The theme to put the codes in.")
@pass_settings
def assign(settings: Settings, codes: tuple[str, ...], to_theme: str) -> None:
    """Put codes into a theme (a code may belong to several themes).

    \b
    Example:
        qualcode theme assign Anxiety "Client's distress" --to "Anxiety as co-created"
    """
    from qualcode.analysis.themes import assign_codes

    project = settings.project()
    (to_theme,) = _stored_names(project, to_theme)
    added = assign_codes(project, settings.analyst(), list(codes), to_theme)
    skipped = len({c.lower() for c in codes}) - len(added)
    message = f"assigned {len(added)} code{'s' if len(added) != 1 else ''} to '{to_theme}'"
    click.echo(message + (f" ({skipped} already there)" if skipped else ""))


@theme.command("unassign")
@click.argument("codes", nargs=-1, required=True, shell_complete=complete_codes)
@click.option(
    "--from", "from_theme", required=True, shell_complete=complete_themes, help="The theme to take the codes out of."
)
@pass_settings
def unassign(settings: Settings, codes: tuple[str, ...], from_theme: str) -> None:
    """Take codes out of a theme.

    \b
    Example:
        qualcode theme unassign Anxiety --from "Anxiety as co-created"
    """
    from qualcode.analysis.themes import unassign_codes

    project = settings.project()
    (from_theme,) = _stored_names(project, from_theme)
    removed = unassign_codes(project, settings.analyst(), list(codes), from_theme)
    click.echo(f"took {len(removed)} code{'s' if len(removed) != 1 else ''} out of '{from_theme}'")


@theme.command("rename")
@click.argument("old", shell_complete=complete_themes)
@click.argument("new")
@pass_settings
def rename(settings: Settings, old: str, new: str) -> None:
    """Rename a theme (names are unique, ignoring case).

    \b
    Example:
        qualcode theme rename "Anxiety" "Anxiety as co-created"
    """
    from qualcode.analysis.themes import rename_theme

    project = settings.project()
    (old,) = _stored_names(project, old)
    renamed = rename_theme(project, settings.analyst(), old, new)
    click.echo(f"renamed '{old}' to '{renamed.name}'")


@theme.command("merge")
@click.argument("source", shell_complete=complete_themes)
@click.argument("target", shell_complete=complete_themes)
@pass_settings
def merge(settings: Settings, source: str, target: str) -> None:
    """Fold one theme into another.

    SOURCE's codes, subthemes, links, quotes and memos move to TARGET, and SOURCE is removed.

    \b
    Example:
        qualcode theme merge "Feeling stuck" "Anxiety as co-created"
    """
    from qualcode.analysis.themes import merge_themes

    project = settings.project()
    source, target = _stored_names(project, source, target)
    moved = merge_themes(project, settings.analyst(), source, target)
    parts = ", ".join(counted(n, what.removesuffix("s")) for what, n in moved.items() if n)
    click.echo(f"merged '{source}' into '{target}'" + (f": moved {parts}" if parts else ""))


@theme.command("move")
@click.argument("name", shell_complete=complete_themes)
@click.option("--under", "parent", shell_complete=complete_themes, help="Make it a subtheme of this theme.")
@click.option("--top", is_flag=True, help="Make it a top-level theme.")
@pass_settings
def move(settings: Settings, name: str, parent: str | None, top: bool) -> None:
    """Make a theme a subtheme of another, or a top-level theme again.

    \b
    Examples:
        qualcode theme move "Holding the frame" --under "The therapist's work"
        qualcode theme move "Holding the frame" --top
    """
    from qualcode.analysis.themes import move_theme

    if bool(parent) == top:
        raise click.ClickException("say where to: --under THEME or --top")
    project = settings.project()
    name, *under = _stored_names(project, name, *([parent] if parent else []))
    parent = under[0] if under else None
    move_theme(project, settings.analyst(), name, parent)
    click.echo(f"moved '{name}' " + (f"under '{parent}'" if parent else "to the top level"))


@theme.command("define")
@click.argument("name", shell_complete=complete_themes)
@click.argument("text", required=False)
@click.option(
    "--file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the definition from a file.",
)
@click.option("--concept", help="The central organising concept ('-' reads it from stdin).")
@pass_settings
def define(settings: Settings, name: str, text: str | None, from_file: Path | None, concept: str | None) -> None:
    """Write a theme's definition and organising concept.

    Sets the definition and/or the central organising concept. The definition comes from TEXT, a
    file or stdin (TEXT '-'); with neither nor --concept, $EDITOR opens with both, the concept
    below a marker line.

    \b
    Examples:
        qualcode theme define "Anxiety as co-created" "How therapists describe anxiety arising between them and clients"
        qualcode theme define "Anxiety as co-created" --concept "Anxiety belongs to the relationship"
        qualcode theme define "Anxiety as co-created" --file definitions/anxiety.md
    """
    from qualcode.analysis.themes import define_theme, get_theme

    project = settings.project()
    current = get_theme(project, name)
    definition = None
    if text is None and from_file is None and concept is None:
        definition, concept = _edit_definition_and_concept(current.definition or "", current.concept or "")
    elif text is not None or from_file is not None:
        definition = read_text_input(text, from_file, "definition", initial=current.definition or "")
    if concept == "-":
        concept = read_text_input("-", None, "central organising concept")
    define_theme(project, settings.analyst(), name, definition=definition, concept=concept)
    what = " and ".join(w for w, v in (("definition", definition), ("central organising concept", concept)) if v)
    click.echo(f"saved the {what} of '{current.name}'")


CONCEPT_MARKER = "# ----- the central organising concept (one or two sentences) goes below this line -----"


def _edit_definition_and_concept(definition: str, concept: str) -> tuple[str, str | None]:
    """Both halves of a theme's definition in one $EDITOR session: the definition above the
    concept marker, the central organising concept below it."""
    from qualcode.cli.common import EDITOR_MARKER

    edited = click.edit(f"{definition}\n\n{CONCEPT_MARKER}\n{concept}\n\n{EDITOR_MARKER}\n")
    if edited is None:
        raise click.ClickException("nothing written; nothing changed")
    body = edited.split(EDITOR_MARKER, 1)[0]
    above, _, below = body.partition(CONCEPT_MARKER)
    if not above.strip():
        raise click.ClickException("the definition is empty; nothing changed")
    return above.strip(), below.strip() or None


@theme.command("status")
@click.argument("name", shell_complete=complete_themes)
@click.argument("status", metavar=STATUS_CHOICES)
@pass_settings
def status(settings: Settings, name: str, status: str) -> None:
    """Mark a theme candidate, reviewed, final or discarded.

    Discarded themes stay in the project, hidden from lists and the map unless asked for.

    \b
    Example:
        qualcode theme status "Anxiety as co-created" final
    """
    from qualcode.analysis.themes import check_status, set_theme_status

    project = settings.project()
    (name,) = _stored_names(project, name)
    set_theme_status(project, settings.analyst(), name, status)
    click.echo(f"'{name}' is now {check_status(status)}")


@theme.command("link")
@click.argument("source", shell_complete=complete_themes)
@click.argument("target", shell_complete=complete_themes)
@click.option("--label", help="The relation, read SOURCE → TARGET (e.g. 'shapes', 'protects against').")
@pass_settings
def link(settings: Settings, source: str, target: str, label: str | None) -> None:
    """Relate two themes on the map; linking again changes the label.

    \b
    Example:
        qualcode theme link "Supervision as holding" "Anxiety as co-created" --label "contains"
    """
    from qualcode.analysis.themes import link_themes

    project = settings.project()
    source, target = _stored_names(project, source, target)
    link_themes(project, settings.analyst(), source, target, label)
    click.echo(f"linked '{source}' → '{target}'" + (f" ({label})" if label else ""))


@theme.command("unlink")
@click.argument("source", shell_complete=complete_themes)
@click.argument("target", shell_complete=complete_themes)
@pass_settings
def unlink(settings: Settings, source: str, target: str) -> None:
    """Remove the link from SOURCE to TARGET.

    \b
    Example:
        qualcode theme unlink "Supervision as holding" "Anxiety as co-created"
    """
    from qualcode.analysis.themes import unlink_themes

    project = settings.project()
    source, target = _stored_names(project, source, target)
    unlink_themes(project, settings.analyst(), source, target)
    click.echo(f"removed the link '{source}' → '{target}'")


@theme.command("order")
@click.argument("names", nargs=-1, required=True, shell_complete=complete_themes)
@pass_settings
def order(settings: Settings, names: tuple[str, ...]) -> None:
    """Set the order of themes among their siblings.

    The order is used by lists, the map and the report.

    \b
    Example:
        qualcode theme order "Anxiety as co-created" "Supervision as holding" "Learning the craft"
    """
    from qualcode.analysis.themes import order_themes

    project = settings.project()
    names = tuple(_stored_names(project, *names))
    order_themes(project, settings.analyst(), list(names))
    click.echo("ordered " + ", ".join(f"'{n}'" for n in names))


@theme.command("quote")
@click.argument("theme_name", metavar="THEME", shell_complete=complete_themes)
@click.argument("coding_id", type=int)
@click.option("--remove", is_flag=True, help="Take the quote out instead.")
@pass_settings
def quote(settings: Settings, theme_name: str, coding_id: int, remove: bool) -> None:
    """Choose an extract to illustrate a theme.

    The chosen quotes stand under the theme in the report; the coding's code must be in the
    theme or one of its subthemes. Coding ids are shown by `theme show` and `theme review`.

    \b
    Examples:
        qualcode theme quote "Anxiety as co-created" 112
        qualcode theme quote "Anxiety as co-created" 112 --remove
    """
    from qualcode.analysis.theme_quotes import choose_quote, remove_quote

    project = settings.project()
    (theme_name,) = _stored_names(project, theme_name)
    if remove:
        remove_quote(project, settings.analyst(), theme_name, coding_id)
        click.echo(f"removed coding {coding_id} from the quotes of '{theme_name}'")
        return
    chosen = choose_quote(project, settings.analyst(), theme_name, coding_id)
    click.echo(
        f"chose coding {coding_id} ({chosen['participant'] or chosen['transcript']}, lines {chosen['lines']}) for '{theme_name}'"
    )


@theme.command("review")
@click.argument("name", required=False, shell_complete=complete_themes)
@click.option("--analyst", "only_analyst", help="Review only this analyst's codings (default: every analyst's).")
@click.option(
    "--extracts",
    "sample",
    type=click.IntRange(0, 50),
    default=3,
    show_default=True,
    help="Extracts per theme to re-read.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_settings
def review(settings: Settings, name: str | None, only_analyst: str | None, sample: int, as_json: bool) -> None:
    """Review themes against the data.

    Coverage, overlap, definitions, and extracts to re-read for each theme. Flags are advice for discussion, not rules. Extracts are distinct coded passages; two themes
    overlap on an extract when an extract of the other shares text with it.

    \b
    Examples:
        qualcode theme review
        qualcode theme review "Anxiety as co-created" --extracts 6
    """
    from qualcode.analysis.review import review_themes

    report = review_themes(settings.project(), name, coded_by=only_analyst, extracts_per_theme=sample)
    if as_json:
        print_json(report)
        return
    if not report["themes"]:
        click.echo("no themes to review yet: qualcode theme add NAME --code CODE")
        return
    out = console()
    for entry in report["themes"]:
        _review_theme(out, entry)
    if report["project"]:
        _review_project(out, report["project"])


def _wrapped(out: Any, markup: str, indent: int) -> None:
    """A line of rich markup wrapped with a hanging indent, so wrapped lines stay under their
    heading instead of running back to the left edge."""
    from rich.text import Text

    for part in Text.from_markup(markup).wrap(out, max(20, out.width - indent)):
        part.rstrip()
        out.print(Text(" " * indent) + part, overflow="ignore", crop=False)


def _review_theme(out: Any, entry: dict[str, Any]) -> None:
    indent = 2 * entry["depth"]
    kind = "Subtheme" if entry["parent"] else "Theme"
    out.print()
    _wrapped(out, f"[bold]{kind}: {escape(entry['name'])}[/bold] ({entry['status']})", indent)
    indent += 2
    _wrapped(
        out,
        f"{counted(entry['extracts'], 'extract')} ({counted(entry['codings'], 'coding')}) · participants"
        f" {entry['participants']}/{entry['participants_total']} · transcripts {entry['transcripts']}/{entry['transcripts_total']}",
        indent,
    )
    missing = entry["transcripts_without"]
    if missing:
        shown = ", ".join(missing[:12]) + (f" … and {len(missing) - 12} more" if len(missing) > 12 else "")
        _wrapped(out, f"no extract in: {escape(shown)}", indent)
    yes_no = {True: "yes", False: "[yellow]no[/yellow]"}
    _wrapped(
        out,
        f"definition: {yes_no[entry['has_definition']]} · central organising concept: {yes_no[entry['has_concept']]}"
        f" · final name: {yes_no[entry['final_name']]}",
        indent,
    )
    if entry["shared_codes"]:
        shared = "; ".join(f"{s['code']} (also in {', '.join(s['themes'])})" for s in entry["shared_codes"])
        _wrapped(out, f"shared codes: {escape(shared)}", indent)
    if entry["overlaps"]:
        overlaps = "; ".join(f"{o['theme']} ({o['extracts']}, {o['share']:.0%})" for o in entry["overlaps"][:5])
        more = f"; … and {len(entry['overlaps']) - 5} more" if len(entry["overlaps"]) > 5 else ""
        _wrapped(out, f"extracts sharing text with: {escape(overlaps + more)}", indent)
    for flag in entry["flags"]:
        _wrapped(out, f"[yellow]⚑ {escape(flag)}[/yellow]", indent)
    if entry["sample"]:
        _wrapped(out, "[bold]Re-read against the data[/bold]", indent)
        print_extracts(entry["sample"], indent=4)


def _review_project(out: Any, project: dict[str, Any]) -> None:
    out.print("\n[bold]Across the project[/bold]")
    # Codes with codings but in no theme are data the themes leave out; codes never applied
    # (often grouping codes whose sub-codes are themed) matter less and are listed apart.
    used = [c for c in project["codes_in_no_theme"] if c["codings"]]
    unused = [c["code"] for c in project["codes_in_no_theme"] if not c["codings"]]
    if used:
        names = ", ".join(f"{c['code']} ({c['codings']})" for c in used[:30])
        more = f" … and {len(used) - 30} more" if len(used) > 30 else ""
        _wrapped(out, f"codes with codings in no theme ({len(used)}): {escape(names + more)}", 2)
    else:
        _wrapped(out, "every code with codings is in a theme", 2)
    if unused:
        more = f" … and {len(unused) - 30} more" if len(unused) > 30 else ""
        _wrapped(
            out,
            f"[dim]codes without codings in no theme ({len(unused)}): {escape(', '.join(unused[:30]) + more)}[/dim]",
            2,
        )
    for row in project["themes_on_one_participant"]:
        theme_name = escape(f"'{row['theme']}'")
        _wrapped(out, f"[yellow]⚑[/yellow] {theme_name} rests on one participant ({escape(row['participant'])})", 2)
    for row in project["themes_mostly_one_transcript"]:
        theme_name = escape(f"'{row['theme']}'")
        _wrapped(
            out,
            f"[yellow]⚑[/yellow] {theme_name}: {row['share']:.0%} of its extracts come from {escape(row['transcript'])}",
            2,
        )
    if project["themes_without_definition"]:
        _wrapped(out, f"without a definition: {escape(', '.join(project['themes_without_definition']))}", 2)
    _wrapped(out, "[dim]Flags are prompts for re-reading and discussion, not verdicts.[/dim]", 2)
