"""How `qualcode compare` draws its results in the terminal: agreement tables that fit the width
without cutting a figure short, the passages to discuss, the code correspondence tables, the
consensus summary, and the captions that say how each figure was formed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from qualcode.cli.common import console, print_table
from qualcode.cli.screen import echo_paragraph, rich_table
from qualcode.wording import counted

if TYPE_CHECKING:
    from qualcode.compare.consensus import MergeReport
    from qualcode.compare.correspondence import CodeCorrespondence, CodeMatch
    from qualcode.compare.disagreements import Disagreements
    from qualcode.compare.figures import AgreementTable


def draw_agreement(table: AgreementTable, by_transcript: bool) -> None:
    out = console()
    sections = [table.rows, table.overall]
    # A blank line after each grid sets it apart from the next and from the notes below.
    for grid in _fitted(table.title, table.headers, 1, table.counts, sections, out.width):
        out.print(grid, crop=False)
        out.print()
    if by_transcript and table.transcript_rows:
        for grid in _fitted(
            "Per transcript", table.transcript_headers, 2, table.transcript_counts, [table.transcript_rows], out.width
        ):
            out.print(grid, crop=False)
            out.print()
    print_caption(table.caption)


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
    from rich.text import Text

    grid = rich_table(title=title, title_justify="left", collapse_padding=True)
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


def print_caption(lines: list[str], style: str = "dim") -> None:
    """Lines of prose, wrapped between words at the terminal's width."""
    from rich.text import Text

    out = console()
    for line in lines:
        out.print(Text(line, style=style))


def print_disagreements(report: Disagreements) -> None:
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
        echo_paragraph(
            f"\n{counted(count, 'passage')} to discuss in {counted(transcripts, 'transcript')}: "
            + ", ".join(f"{totals[kind]} {kind}" for kind in kinds)
        )
    else:
        click.echo(f"{first} and {second} coded the transcripts compared identically: nothing to discuss")
    print_caption(left_out_lines(report.corpus.left_out), style="")


def print_correspondence(result: CodeCorrespondence, minimum: float) -> None:
    """Each analyst's codes with their best match among the other's, and what the figures mean."""
    from qualcode.cli import screen
    from qualcode.compare.figures import left_out_lines

    names = result.corpus.names
    directions = ((names[0], names[1], result.first), (names[1], names[0], result.second))
    for number, (mine, theirs, matches) in enumerate(directions):
        rows = [
            {
                "code": m.code,
                "characters": m.characters,
                "best": _best_match_cell(m),
                "jaccard": f"{m.jaccard:.3f}",
                "shared": m.shared,
                "mutual": "yes" if m.mutual and m.counterpart else "",
            }
            for m in matches
        ]
        # Both code names wrap at spaces, the figures keep their width (qualcode/cli/screen.py).
        columns = [
            screen.Column("code", f"{mine}'s code", kind="name"),
            screen.Column("characters", kind="number"),
            screen.Column("best", f"best match among {theirs}'s", kind="name"),
            screen.Column("jaccard", "Jaccard", kind="number"),
            screen.Column("shared", "characters shared", kind="number"),
            # "yes" when each code is the other's best match; under the row when the table is too wide.
            screen.Column("mutual", kind="fixed", second_line=True),
        ]
        if number:
            click.echo()
        screen.print_table(rows, columns, title=f"{mine}'s codes and their best match among {theirs}'s")
    lonely = result.without_counterpart()
    compared = list(result.corpus.transcripts.values())
    lines = [
        (
            "Jaccard index = characters both codes cover / characters either covers, over the "
            f"{counted(len(compared), 'transcript')} compared: {', '.join(compared)}."
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
    print_caption(lines)


def _best_match_cell(match: CodeMatch) -> str:
    if match.best is None:
        return "no counterpart"
    return match.best if match.counterpart else f"no counterpart (nearest: {match.best})"


def print_consensus(report: MergeReport, rows: list[dict[str, Any]]) -> None:
    """The codings per code of the two analysts and the consensus, and what the merge did."""
    from qualcode.compare.consensus import rule_description
    from qualcode.compare.figures import left_out_lines

    names = report.corpus.names
    print_table(rows, title=f"Codings per code: {names[0]}, {names[1]} and the consensus {report.into}")
    total = sum(c.consensus for c in report.codes)
    lines = [
        ("created analyst " if report.created else "updated analyst ")
        + f"{report.into} with {counted(total, 'coding')} "
        f"on {counted(len(report.corpus.transcripts), 'transcript')}, rule {report.rule}: "
        f"{rule_description(report.rule, *names)}",
    ]
    if report.replaced:
        lines.append(f"replaced {report.replaced} earlier codings of {report.into} (undo restores them)")
    lines += left_out_lines(report.corpus.left_out)
    lines.append(
        f"decision memo {report.memo_id} records what was done; {names[0]}'s and {names[1]}'s codings are unchanged"
    )
    print_caption(lines, style="")
