"""`qualcode compare ...`: agreement, disagreements, code correspondence and consensus coding."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcode.cli.common import (
    Settings,
    console,
    echo_path,
    output_options,
    pass_settings,
    print_csv,
    print_json,
)
from qualcode.cli.completion import (
    complete_analysts,
    complete_codes,
    complete_transcripts,
)

if TYPE_CHECKING:
    from qualcode.compare.correspondence import CodeMatch
    from qualcode.compare.disagreements import Disagreements
    from qualcode.compare.figures import AgreementTable

LEVEL_CHOICES = ("document", "character", "segment", "unitized", "all")


@click.group()
def compare() -> None:
    """Compare co-analysts' coding: agreement, the passages you differ on, how your codes
    correspond, and a consensus coding.

    \b
    Examples:
        qualcode compare agreement --level all
        qualcode compare disagreements Maya Tom --format md
        qualcode compare codes Maya Tom
        qualcode compare merge Maya Tom --into Consensus
    """


def selection_options(fn):
    for option in reversed(
        [
            click.option(
                "--code",
                "codes",
                multiple=True,
                shell_complete=complete_codes,
                metavar="CODE",
                help="Only this code (repeat for several).",
            ),
            click.option(
                "--transcript",
                "transcripts",
                multiple=True,
                shell_complete=complete_transcripts,
                metavar="NAME",
                help="Only this transcript (repeat for several).",
            ),
            click.option(
                "--all-transcripts",
                is_flag=True,
                help="Also include transcripts that only some of the analysts coded "
                "(their uncoded text then counts as not coded).",
            ),
        ]
    ):
        fn = option(fn)
    return fn


def _split_names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        from qualcode.errors import InvalidInput

        raise InvalidInput("--analysts names no analyst; name two or more, e.g. --analysts Maya,Tom")
    return names


@compare.command("agreement", short_help="Agreement per code and overall, with counts.")
@click.option("--analysts", metavar="A,B[,C...]", help="Analysts to compare (default: the two who have codings).")
@click.option(
    "--level",
    type=click.Choice(LEVEL_CHOICES),
    default="character",
    show_default=True,
    help="Units compared: transcripts (MAXQDA's code existence), characters (NVivo's coding "
    "comparison), coded segments (MAXQDA's segment overlap), or the text as a continuum "
    "(Krippendorff's unitizing |uα).",
)
@click.option(
    "--threshold",
    type=float,
    default=0.9,
    show_default=True,
    help="Segment level: the overlap (intersection over union) at which two segments agree.",
)
@click.option("--by-transcript", is_flag=True, help="Also one row per code and transcript.")
@selection_options
@output_options
@pass_settings
def agreement(
    settings: Settings,
    analysts: str | None,
    level: str,
    threshold: float,
    by_transcript: bool,
    codes: tuple[str, ...],
    transcripts: tuple[str, ...],
    all_transcripts: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Agreement between analysts per code and overall, with the counts behind each figure.

    Only transcripts that every compared analyst has coded are included; the output names the
    others and why they were left out. The figures are material for the team's discussion,
    not a pass mark.

    \b
    Examples:
        qualcode compare agreement
        qualcode compare agreement --analysts Maya,Tom,Ben --level document
        qualcode compare agreement --level segment --threshold 0.8
        qualcode compare agreement --level all --code Rupture --by-transcript
    """
    from qualcode.agreement.levels import LEVELS
    from qualcode.compare.codings import compare_agreement

    comparisons = compare_agreement(
        settings.project(),
        _split_names(analysts),
        LEVELS if level == "all" else (level,),
        codes=codes,
        transcripts=transcripts,
        threshold=threshold,
        by_transcript=by_transcript,
        all_transcripts=all_transcripts,
    )
    if as_json:
        dicts = [comparison.to_dict() for comparison in comparisons]
        print_json(dicts if level == "all" else dicts[0])
        return
    if as_csv:
        from qualcode.compare.figures import agreement_csv_rows

        columns, rows = agreement_csv_rows(comparisons)
        print_csv(rows, columns)
        return
    from qualcode.compare.figures import agreement_table

    for index, comparison in enumerate(comparisons):
        if index:
            click.echo()
        _draw_agreement(agreement_table(comparison), by_transcript)


def _draw_agreement(table: AgreementTable, by_transcript: bool) -> None:
    out = console()
    sections = [table.rows, table.overall]
    for grid in _fitted(table.title, table.headers, 1, table.counts, sections, out.width):
        out.print(grid, crop=False)
    if by_transcript and table.transcript_rows:
        for grid in _fitted(
            "Per transcript", table.transcript_headers, 2, table.transcript_counts, [table.transcript_rows], out.width
        ):
            out.print(grid, crop=False)
    _print_caption(table.caption)


def _fitted(
    title: str,
    headers: list[str],
    label_columns: int,
    count_columns: int,
    sections: list[list[list[str]]],
    width: int,
) -> list[_Wide]:
    """One table of counts and figures, or, when that is wider than the terminal, the figures
    first and the counts behind them as a second table, so that no row wraps."""
    # The whole table is tried with every name unbroken; only a split table folds long words.
    whole = _grid(title, headers, label_columns, sections, width=width, fold_allowed=not count_columns)
    if whole.width <= width or not count_columns:
        return [whole]
    labels = list(range(label_columns))
    counts = list(range(label_columns, label_columns + count_columns))
    figures = list(range(label_columns + count_columns, len(headers)))

    def pick(columns: list[int], section: list[list[str]], only_counted: bool = False) -> list[list[str]]:
        # The overall means have no counts, so the counts table leaves them out.
        rows = [row for row in section if any(row[i] for i in counts)] if only_counted else section
        return [[row[i] for i in columns] for row in rows]

    return [
        _grid(
            title,
            [headers[i] for i in labels + figures],
            label_columns,
            [pick(labels + figures, section) for section in sections],
            width=width,
        ),
        _grid(
            "Counts behind the figures",
            [headers[i] for i in labels + counts],
            label_columns,
            [pick(labels + counts, section, only_counted=True) for section in sections],
            width=width,
        ),
    ]


LABEL_WIDTH = 16  # labels wrap at this width, or down to NARROWEST_LABEL in a narrow terminal
NARROWEST_LABEL = 10


def _grid(
    title: str,
    headers: list[str],
    label_columns: int,
    sections: list[list[list[str]]],
    text_columns: tuple[int, ...] = (),
    width: int | None = None,
    fold_allowed: bool = True,
):
    """A table whose figures are never cut short: labels wrap, numbers keep their full width,
    and a table wider than the terminal is drawn at its own width instead of truncated.

    The first label_columns columns and those in text_columns are labels (left-aligned, wrapped);
    given the terminal's width, labels wrap narrower if that is what it takes to fit."""
    from rich.box import SIMPLE_HEAD
    from rich.table import Table
    from rich.text import Text

    grid = Table(
        title=title, title_justify="left", header_style="bold", box=SIMPLE_HEAD, collapse_padding=True, pad_edge=False
    )
    rows = [row for section in sections for row in section]
    widest = [max([len(header), *(len(row[index]) for row in rows)]) for index, header in enumerate(headers)]
    labels = [index for index in range(len(headers)) if index < label_columns or index in text_columns]
    fixed = sum(w for index, w in enumerate(widest) if index not in labels) + 2 * len(headers)
    label_width = LABEL_WIDTH
    if width is not None and labels and fixed + LABEL_WIDTH * len(labels) > width:
        label_width = max(NARROWEST_LABEL, (width - fixed) // len(labels))
    # A label column is as wide as its longest word, so that no name is cut short, unless that
    # makes the table too wide for the terminal: then long words fold onto the next line.
    longest_words = {
        index: max((len(word) for row in rows for word in row[index].split()), default=0) for index in labels
    }
    label_widths = {index: min(widest[index], max(label_width, longest_words[index])) for index in labels}
    fold = fold_allowed and width is not None and fixed + sum(label_widths.values()) > width
    if fold:
        label_widths = {index: min(widest[index], label_width) for index in labels}
    needed = fixed + sum(label_widths.values())
    for index, header in enumerate(headers):
        if index in labels:
            grid.add_column(header, min_width=label_widths[index], overflow="fold" if fold else "ellipsis")
        else:
            grid.add_column(header, justify="right", no_wrap=True, min_width=widest[index])
    for number, section in enumerate(sections):
        if number and section:
            grid.add_section()
        for row in section:
            grid.add_row(*(Text(cell) for cell in row))
    return _Wide(grid, needed)


class _Wide:
    """A renderable that asks for at least `width` columns, wider than the terminal if need be."""

    def __init__(self, renderable, width: int) -> None:
        self.renderable, self.width = renderable, width

    def __rich_console__(self, console, options):
        yield from console.render(self.renderable, options.update_width(max(options.max_width, self.width)))


def _print_caption(lines: list[str], style: str = "dim") -> None:
    """Lines of prose, wrapped between words at the terminal's width."""
    from rich.text import Text

    out = console()
    for line in lines:
        out.print(Text(line, style=style))


@compare.command("disagreements", short_help="Passages two analysts coded differently.")
@click.argument("first", shell_complete=complete_analysts)
@click.argument("second", shell_complete=complete_analysts)
@click.option(
    "--group-by",
    type=click.Choice(["transcript", "code"]),
    default="transcript",
    show_default=True,
    help="Group passages by transcript then code, or by code then transcript.",
)
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "md"]),
    default="text",
    show_default=True,
    help="Print to the terminal, or write a Markdown discussion sheet.",
)
@click.option(
    "--out", metavar="PATH", help="Where the sheet goes (default exports/disagreements-A-B.md; - for stdout)."
)
@selection_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) for scripts.")
@pass_settings
def disagreements(
    settings: Settings,
    first: str,
    second: str,
    group_by: str,
    form: str,
    out: str | None,
    codes: tuple[str, ...],
    transcripts: tuple[str, ...],
    all_transcripts: bool,
    as_json: bool,
) -> None:
    """The passages one analyst coded and the other did not, or coded with other boundaries.

    Each passage comes with its text, lines, turn and speaker, and what each analyst did, so a
    team can walk through them in a meeting; --format md writes a sheet with a checkbox and
    room for the decision on each.

    \b
    Examples:
        qualcode compare disagreements Maya Tom
        qualcode compare disagreements Maya Tom --code Rupture --group-by code
        qualcode compare disagreements Maya Tom --format md --out meeting/2024-05-02.md
    """
    if out is not None and form != "md":
        raise click.UsageError("--out goes with --format md")
    from qualcode.compare.disagreements import find_disagreements

    project = settings.project()
    report = find_disagreements(
        project,
        first,
        second,
        codes=codes,
        transcripts=transcripts,
        group_by=group_by,
        all_transcripts=all_transcripts,
    )
    if as_json:
        print_json(report.to_dict())
        return
    if form == "md":
        from qualcode.compare.sheet import disagreement_sheet

        sheet = disagreement_sheet(report, project.path.stem)
        if out == "-":
            for piece in sheet:
                click.echo(piece, nl=False)
            return
        names = report.corpus.names
        default = Path("exports") / f"disagreements-{_file_part(names[0])}-{_file_part(names[1])}.md"
        path = Path(out) if out else default
        from qualcode.files import write_atomically

        write_atomically(path, lambda temporary: temporary.write_text("".join(sheet), encoding="utf-8"))
        echo_path(path)
        return
    _print_disagreements(report)


def _file_part(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-") or "analyst"


def _print_disagreements(report: Disagreements) -> None:
    from rich.padding import Padding
    from rich.text import Text

    from qualcode.compare.figures import left_out_lines
    from qualcode.compare.sheet import what_each_did, where

    out = console()
    first, second = report.corpus.names
    styles = {first: "bold magenta", second: "bold cyan"}
    outer, inner = ("transcript", "code") if report.group_by == "transcript" else ("code", "transcript")
    current: tuple[str | None, str | None] = (None, None)
    for item in report.items:
        heading = (getattr(item, outer), getattr(item, inner))
        # A blank line before every passage, so the items stay apart without colour too.
        if heading[0] != current[0]:
            out.print(Text(f"\n{heading[0]}", style="bold underline"))
        if heading != current:
            out.print(Text(f"\n{heading[1]}", style="bold"))
        else:
            out.print()
        current = heading
        label = Text(f"#{item.number} ", style="cyan")
        label.append(item.kind, style=styles.get(item.kind.removeprefix("only "), "bold yellow"))
        label.append(f" · {where(item)}", style="dim")
        out.print(label)
        passage = Text(item.text)
        # Characters only one analyst coded are coloured as that analyst.
        for name, spans in item.only.items():
            for start, end in spans:
                passage.stylize(styles[name].replace("bold ", ""), start - item.start, end - item.start)
        out.print(Padding(passage, (0, 0, 0, 2)))
        for sentence in what_each_did(item):
            out.print(Padding(Text(sentence, style="dim"), (0, 0, 0, 2)))
    summary = report.summary()
    kinds = [f"only {first}", f"only {second}", "boundaries differ"]
    totals = {kind: sum(row[kind] for row in summary) for kind in kinds}
    count = len(report.items)
    if count:
        transcripts = len({item.transcript for item in report.items})
        click.echo(
            f"\n{count} passage{'s' if count != 1 else ''} to discuss in {transcripts} transcript(s): "
            + ", ".join(f"{totals[kind]} {kind}" for kind in kinds)
        )
    else:
        click.echo(f"{first} and {second} coded the transcripts compared identically: nothing to discuss")
    _print_caption(left_out_lines(report.corpus.left_out), style="")


@compare.command("codes", short_help="Which of two analysts' codes correspond.")
@click.argument("first", shell_complete=complete_analysts)
@click.argument("second", shell_complete=complete_analysts)
@click.option(
    "--min",
    "minimum",
    type=float,
    default=0.1,
    show_default=True,
    help="Below this Jaccard index a code's best match is shown as 'no counterpart'.",
)
@click.option(
    "--transcript",
    "transcripts",
    multiple=True,
    shell_complete=complete_transcripts,
    metavar="NAME",
    help="Only this transcript (repeat for several).",
)
@click.option("--all-transcripts", is_flag=True, help="Also include transcripts that only one of them coded.")
@output_options
@pass_settings
def codes(
    settings: Settings,
    first: str,
    second: str,
    minimum: float,
    transcripts: tuple[str, ...],
    all_transcripts: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """How two analysts' codes correspond, by the overlap of the text they coded.

    For analysts who built their own codebooks: each code's best match in the other's codebook
    (Jaccard index on characters), in both directions, and the codes with no counterpart.

    \b
    Examples:
        qualcode compare codes Maya Tom
        qualcode compare codes Maya Tom --min 0.2 --csv > correspondence.csv
    """
    from qualcode.compare.correspondence import compare_codebooks

    result = compare_codebooks(
        settings.project(), first, second, minimum=minimum, transcripts=transcripts, all_transcripts=all_transcripts
    )
    names = result.corpus.names
    if as_json:
        print_json(result.to_dict())
        return
    directions = ((names[0], names[1], result.first), (names[1], names[0], result.second))
    if as_csv:
        flat = [
            {
                "analyst": mine,
                "code": m.code,
                "characters": m.characters,
                "other_analyst": theirs,
                "best_match": m.best if m.counterpart else "",
                "jaccard": f"{m.jaccard:.3f}",
                "shared": m.shared,
                "mutual": m.mutual,
                "nearest": m.best or "",
            }
            for mine, theirs, matches in directions
            for m in matches
        ]
        print_csv(flat)
        return
    from qualcode.compare.figures import left_out_lines

    out = console()
    for mine, theirs, matches in directions:
        rows = [
            [
                m.code,
                f"{m.characters:,}",
                _best_match_cell(m),
                f"{m.jaccard:.3f}",
                f"{m.shared:,}",
                "yes" if m.mutual and m.counterpart else "",
            ]
            for m in matches
        ]
        headers = [f"{mine}'s code", "characters", f"best match among {theirs}'s", "Jaccard", "shared", "mutual"]
        title = f"{mine}'s codes and their best match among {theirs}'s"
        # The best match is a code's name: it wraps like the code column.
        out.print(_grid(title, headers, 1, [rows], text_columns=(2,), width=out.width), crop=False)
    lonely = result.without_counterpart()
    compared = list(result.corpus.transcripts.values())
    lines = [
        (
            "Jaccard index = characters both codes cover / characters either covers, over the "
            f"{len(compared)} transcript(s) compared: {', '.join(compared)}."
        ),
        (
            f"'no counterpart': the best Jaccard index is below {minimum:g}; 'mutual': each code is the "
            "other's best match."
        ),
    ]
    for name, codes_without in zip(names, lonely):
        if codes_without:
            lines.append(f"{name}'s codes with no counterpart: {', '.join(codes_without)}.")
    lines += left_out_lines(result.corpus.left_out)
    lines.append(
        "Material for discussion: codes covering the same text may be two names for one idea, and a "
        "code with no counterpart may be a reading only one of you brought."
    )
    _print_caption(lines)


def _best_match_cell(match: CodeMatch) -> str:
    if match.best is None:
        return "no counterpart"
    return match.best if match.counterpart else f"no counterpart (nearest: {match.best})"


@compare.command("merge", short_help="Consensus codings from two analysts.")
@click.argument("first", shell_complete=complete_analysts)
@click.argument("second", shell_complete=complete_analysts)
@click.option("--into", required=True, metavar="NAME", help="The consensus analyst (created if needed).")
@click.option(
    "--rule",
    type=click.Choice(["union", "intersection", "prefer-A"], case_sensitive=False),
    default="union",
    show_default=True,
    help="union: text either coded; intersection: text both coded; prefer-A: FIRST's codings, "
    "and SECOND's for each transcript and code FIRST did not use there.",
)
@click.option("--replace", is_flag=True, help="Replace the consensus analyst's existing codings.")
@selection_options
@output_options
@pass_settings
def merge(
    settings: Settings,
    first: str,
    second: str,
    into: str,
    rule: str,
    replace: bool,
    codes: tuple[str, ...],
    transcripts: tuple[str, ...],
    all_transcripts: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Make a consensus analyst's codings from two analysts' codings, and record the decision.

    Nothing of FIRST's or SECOND's work changes; the consensus is a third analyst, and a
    decision memo records the rule and what it did per code.

    \b
    Examples:
        qualcode compare merge Maya Tom --into Consensus
        qualcode compare merge Maya Tom --into Consensus --rule prefer-A --replace
    """
    from qualcode.compare.consensus import merge_codings, rule_description

    report = merge_codings(
        settings.project(),
        settings.analyst(),
        first,
        second,
        into,
        rule=rule,
        codes=codes,
        transcripts=transcripts,
        all_transcripts=all_transcripts,
        replace=replace,
    )
    names = report.corpus.names
    if as_json:
        print_json(report.to_dict())
        return
    rows = [{"code": c.code, names[0]: c.first, names[1]: c.second, report.into: c.consensus} for c in report.codes]
    if as_csv:
        print_csv(rows)
        return
    from qualcode.cli.common import print_table
    from qualcode.compare.figures import left_out_lines

    print_table(rows, title=f"Codings per code: {names[0]}, {names[1]} and the consensus {report.into}")
    total = sum(c.consensus for c in report.codes)
    lines = [
        ("created analyst " if report.created else "updated analyst ") + f"{report.into} with {total} codings "
        f"on {len(report.corpus.transcripts)} transcript(s), rule {report.rule}: "
        f"{rule_description(report.rule, *names)}",
    ]
    if report.replaced:
        lines.append(f"replaced {report.replaced} earlier codings of {report.into} (undo restores them)")
    lines += left_out_lines(report.corpus.left_out)
    lines.append(
        f"decision memo {report.memo_id} records what was done; {names[0]}'s and {names[1]}'s codings are unchanged"
    )
    _print_caption(lines, style="")
