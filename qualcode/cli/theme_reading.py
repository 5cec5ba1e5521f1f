"""`qualcode theme list|show|review`: reading the themes back: the tree with counts, one theme in
full, and the review of every theme against the data. The commands join the `theme` group in
qualcode.cli.theme."""

from __future__ import annotations

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
)
from qualcode.cli.completion import complete_themes
from qualcode.wording import counted


@click.command("list")
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
    tree = theme_tree(project, include_discarded=show_all, coded_by=blind_filter(settings, only_analyst))
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


@click.command("show")
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

    details = theme_details(settings.project(), name, coded_by=blind_filter(settings, only_analyst), sample=sample)
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
    if details["narrative"]:
        out.print("[bold]Narrative[/bold]")
        _indented(details["narrative"])
    else:
        out.print("[bold]Narrative[/bold]: [dim]not written yet: qualcode theme write NAME[/dim]")
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


@click.command("review")
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

    report = review_themes(
        settings.project(), name, coded_by=blind_filter(settings, only_analyst), extracts_per_theme=sample
    )
    if as_json:
        print_json(report)
        return
    if not report["themes"]:
        click.echo("no themes to review yet: qualcode theme add NAME --code CODE")
        return
    out = console()
    explained: list[bool] = []
    for entry in report["themes"]:
        _review_theme(out, entry, explained)
    if explained:
        # Said once on the screen: what the two figures after each overlapping theme are.
        out.print()
        _wrapped(
            out,
            "[dim]In “extracts sharing text with”, (n, %): how many of this theme's extracts share text"
            " with that theme, and what share of its extracts they are.[/dim]",
            0,
        )
    if report["project"]:
        _review_project(out, report["project"])


def _wrapped(out: Any, markup: str, indent: int) -> None:
    """A line of rich markup wrapped with a hanging indent, so wrapped lines stay under their
    heading instead of running back to the left edge (qualcode/cli/screen.py's policy)."""
    from rich.text import Text

    from qualcode.cli import screen

    text = Text.from_markup(markup)
    if not screen.colour():
        # Without colour the line is laid out by the screen policy, which keeps figures such
        # as "(1, 2%)" whole; with colour rich keeps the styles and wraps at spaces.
        click.echo(screen.paragraph(text.plain, " " * indent, " " * indent, out.width))
        return
    text.plain = text.plain.replace(screen.NBSP, " ")
    for part in text.wrap(out, max(20, out.width - indent)):
        part.rstrip()
        out.print(Text(" " * indent) + part, overflow="ignore", crop=False)


def _review_theme(out: Any, entry: dict[str, Any], explained: list[bool]) -> None:
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
        figure = "{} ({}, {:.0%})".format
        overlaps = "; ".join(
            figure(o["theme"], o["extracts"], o["share"]).replace(" (", "\u00a0(").replace(", ", ",\u00a0")
            for o in entry["overlaps"][:5]
        )
        more = f"; … and {len(entry['overlaps']) - 5} more" if len(entry["overlaps"]) > 5 else ""
        _wrapped(out, f"extracts sharing text with: {escape(overlaps + more)}", indent)
        explained.append(True)
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
        names = ", ".join(f"{c['code']}\u00a0({c['codings']})" for c in used[:30])
        more = f" … and {len(used) - 30} more" if len(used) > 30 else ""
        _wrapped(
            out,
            f"{counted(len(used), 'code')} with codings in no theme (codings in parentheses): {escape(names + more)}",
            2,
        )
    else:
        _wrapped(out, "every code with codings is in a theme", 2)
    if unused:
        more = f" … and {len(unused) - 30} more" if len(unused) > 30 else ""
        _wrapped(
            out,
            f"[dim]{counted(len(unused), 'code')} without codings, in no theme: {escape(', '.join(unused[:30]) + more)}[/dim]",
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


def blind_filter(settings: Settings, only_analyst: str | None) -> str | None:
    """Under blind coding the theme commands count the acting analyst's codings only."""
    from qualcode.analysis.visibility import coded_by

    project = settings.project()
    return coded_by(project.db, settings.analyst(), only_analyst)
