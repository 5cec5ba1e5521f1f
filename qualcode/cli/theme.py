"""`qualcode theme ...`: build themes from codes, define, name, order, link and quote them.

Listing, showing and reviewing themes are in qualcode.cli.theme_reading, added to this group."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import Settings, pass_settings, read_text_input
from qualcode.cli.completion import complete_codes, complete_themes
from qualcode.cli.theme_reading import list_, review, show
from qualcode.cli.theme_writing import write
from qualcode.wording import counted, lines_label

STATUS_CHOICES = "candidate|reviewed|final|discarded"


def _stored_names(project: Any, *typed: str) -> list[str]:
    """Theme names as stored (names match ignoring case and spacing), so messages show the
    themes as they are named; an unknown name stops the command with suggestions."""
    from qualcode.analysis.themes import get_theme

    return [get_theme(project, name).name for name in typed]


@click.group()
def theme() -> None:
    """Themes and subthemes: build them from codes, review, define, name and quote."""


# Reading the themes back (list, show, review) is a module of its own; its commands join here.
theme.add_command(list_)
theme.add_command(show)
theme.add_command(review)
theme.add_command(write)


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
        f"chose coding {coding_id} ({chosen['participant'] or chosen['transcript']}, {lines_label(chosen['lines'])}) for '{theme_name}'"
    )
