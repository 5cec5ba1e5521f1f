"""`qualcode theme write`: the analytic narrative of a theme, kept in the project for the report."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import EDITOR_MARKER, Settings, pass_settings
from qualcode.cli.completion import complete_themes

TEMPLATE_EXTRACTS = 40  # candidate extracts listed in the editor


@click.command("write")
@click.argument("name", shell_complete=complete_themes)
@click.argument("text", required=False)
@click.option(
    "--file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the narrative (Markdown) from a file.",
)
@click.option("--clear", is_flag=True, help="Remove the narrative (undo brings it back).")
@pass_settings
def write(settings: Settings, name: str, text: str | None, from_file: Path | None, clear: bool) -> None:
    """Write the analysis of a theme or subtheme: the paragraphs the report prints as its section.

    Markdown: paragraphs (a blank line between them), *italic*, **bold**, lists ("- " or "1. ").
    Place an extract by its coding id, {{86}}, or a cut of it, {{86: "first words … last words"}};
    the report sets it apart as a quotation ending "(P6)". The narrative comes from TEXT, a file,
    stdin (TEXT '-'), or $EDITOR, which opens with the current narrative and the theme's extracts
    with their ids to choose from.

    \b
    Examples:
        qualcode theme write "Rupture as generative"
        qualcode theme write "Rupture as generative" --file results/rupture.md
        qualcode theme write "Rupture as generative" - < results/rupture.md
    """
    from qualcode.analysis.theme_narrative import clear_narrative, narrative_of, write_narrative
    from qualcode.analysis.themes import get_theme

    project = settings.project()
    theme = get_theme(project, name)
    if clear:
        clear_narrative(project, settings.analyst(), theme.name)
        click.echo(f"removed the narrative of '{theme.name}'")
        return
    if text == "-":
        body = sys.stdin.read()
    elif text is not None:
        body = text
    elif from_file is not None:
        body = from_file.read_text(encoding="utf-8")
    else:
        edited = click.edit(editor_template(project, theme.name, narrative_of(project, theme.name) or ""))
        if edited is None:
            raise click.ClickException("nothing written; nothing changed")
        body = edited.split(EDITOR_MARKER, 1)[0]
    check = write_narrative(project, settings.analyst(), theme.name, body)
    for line in check.notes:
        click.echo(f"note: {line}", err=True)
    for line in check.problems:
        click.echo(f"warning: {line}; the report marks it", err=True)
    click.echo(f"saved the narrative of '{theme.name}'")


def editor_template(project: Any, theme: str, current: str) -> str:
    """The current narrative, then (below the marker, ignored) how to place extracts and the
    theme's candidate extracts with their ids, chosen quotes first."""
    from qualcode.analysis.theme_quotes import theme_quotes
    from qualcode.report.paper_tables import theme_extracts

    chosen = theme_quotes(project, theme)
    chosen_ids = {row["coding_id"] for row in chosen}
    others = [row for row in theme_extracts(project, theme) if row["coding_id"] not in chosen_ids]
    listed = [(row, True) for row in chosen] + [(row, False) for row in others]
    lines = [
        current,
        "",
        EDITOR_MARKER,
        f"# The analysis of '{theme}' in Markdown, above the marker line.",
        '# Place an extract with {{ID}}, or a cut of it with {{ID: "first words … last words"}}.',
        "# Extracts of the theme (* chosen quote):",
    ]
    for row, is_chosen in listed[:TEMPLATE_EXTRACTS]:
        who = row["participant"] or row["transcript"]
        words = " ".join(row["text"].split())
        lines.append(f"# {'*' if is_chosen else ' '} {{{{{row['coding_id']}}}}}  {who}, {row['code']}:")
        lines += [f"#       {part}" for part in textwrap.wrap(words, 80)[:4]]
    if len(listed) > TEMPLATE_EXTRACTS:
        lines.append(f"# … and {len(listed) - TEMPLATE_EXTRACTS} more (qualcode extracts CODE lists them all)")
    if not listed:
        lines.append("#   (none yet: the theme's codes have no coded passages)")
    return "\n".join(lines) + "\n"
