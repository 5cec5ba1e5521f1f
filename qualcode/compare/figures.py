"""Agreement figures as people read them: table cells, footnotes, a caption, and flat CSV rows.

Everything here is text, so the command line only has to draw it. The wording follows the
project's stance (DESIGN.md): agreement figures are material for the co-analysts' discussion,
not a quality gate, so the caption says what a figure means and Krippendorff's guideline bands
appear as information only. An undefined coefficient reads "undefined" with its reason in a
footnote, never 0 or 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.agreement.coefficients import Stat
from qualcode.agreement.results import (
    MEAN_OVER_CELLS,
    MEAN_OVER_CODES,
    POOLED,
    WEIGHTED_BY_LENGTH,
    AgreementResult,
    AgreementRow,
)
from qualcode.compare.codings import AgreementComparison
from qualcode.wording import join_names, shell_command

STAT_HEADERS = {
    "percent_agreement": "agreement",
    "cohen_kappa": "Cohen κ",
    "scott_pi": "Scott π",
    "fleiss_kappa": "Fleiss κ",
    "conger_kappa": "Conger κ",
    "light_kappa": "Light κ",
    "brennan_prediger": "B-P κ",
    "gwet_ac1": "AC1",
    "krippendorff_alpha": "α",
    "jaccard": "Jaccard",
    "krippendorff_binary_u_alpha": "|uα",
}

# Short labels keep the table narrow; the caption spells out what each overall row is.
OVERALL_LABELS = {
    POOLED: "all codes pooled",
    MEAN_OVER_CODES: "mean over codes",
    MEAN_OVER_CELLS: "mean over cells",
    WEIGHTED_BY_LENGTH: "cells by length",
}

GUIDELINE = (
    "For information, not as a pass mark: Krippendorff (2004) suggests relying on α ≥ .800 and "
    "drawing only tentative conclusions from .667 ≤ α < .800."
)
LISTED_LEFT_OUT = 10  # the rest are counted; --json lists them all


@dataclass
class Footnotes:
    """Numbers each distinct reason for an undefined value once, in order of appearance."""

    reasons: list[str] = field(default_factory=list)

    def mark(self, reason: str) -> int:
        if reason not in self.reasons:
            self.reasons.append(reason)
        return self.reasons.index(reason) + 1

    def lines(self) -> list[str]:
        return [f"{superscript(n)} {_plain_reason(reason)}" for n, reason in enumerate(self.reasons, start=1)]


def superscript(number: int) -> str:
    # Superscript marks keep "undefined¹" narrow enough for a table of figures.
    return str(number).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _plain_reason(reason: str) -> str:
    """'undefined (no variation: ...)' -> 'undefined: no variation: ...' for a footnote."""
    if reason.startswith("undefined (") and reason.endswith(")"):
        return "undefined: " + reason[len("undefined (") : -1]
    return reason


def format_number(value: float) -> str:
    """Coefficients to three decimals (with no '-0.000'); counts as whole numbers."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value + 0.0:.3f}"
    return f"{int(value):,}"


def format_stat(stat: Stat, footnotes: Footnotes) -> str:
    if stat.value is None:
        return "undefined" + superscript(footnotes.mark(stat.reason or "undefined"))
    return f"{stat.value + 0.0:.3f}"


@dataclass(frozen=True)
class AgreementTable:
    """One level's comparison, ready to draw: headers, rows of text, and the caption under it."""

    title: str
    headers: list[str]  # the first column names the row (a code, or an overall aggregate)
    rows: list[list[str]]
    overall: list[list[str]]
    transcript_headers: list[str]  # code, transcript, then the figures
    transcript_rows: list[list[str]]
    caption: list[str]
    # How many count columns follow the label columns, before the coefficients: a narrow
    # terminal gets the counts as a table of their own.
    counts: int = 0
    transcript_counts: int = 0


def _count_columns(comparison: AgreementComparison) -> list[tuple[str, str]]:
    """(key into AgreementRow.counts, header) for the counts shown beside the figures."""
    level, names = comparison.result.level, comparison.corpus.names
    if level in ("document", "character"):
        if len(names) == 2:
            return [("a", "a (both)"), ("b", f"b ({names[0]})"), ("c", f"c ({names[1]})"), ("d", "d (none)")]
        return [("+".join(names), "by all"), ("some", "by some"), ("none", "by none")]
    if level == "segment":
        return [("agreements", "agreements"), ("segments", "segments")]
    return [("units", "units"), ("coded_length", "coded chars"), ("text_length", "text chars")]


def _stat_columns(comparison: AgreementComparison) -> list[str]:
    level, m = comparison.result.level, len(comparison.corpus.analysts)
    if level == "segment":
        return ["percent_agreement", "brennan_prediger"]
    if level == "unitized":
        return ["krippendorff_binary_u_alpha"]
    kappas = ["cohen_kappa"] if m == 2 else ["fleiss_kappa", "conger_kappa", "light_kappa"]
    return ["percent_agreement", *kappas, "krippendorff_alpha", "gwet_ac1", "jaccard"]


def _count_cell(counts: Mapping[str, float], key: str, names: Sequence[str]) -> str:
    if key == "some" and "n" in counts:  # units coded by some but not all analysts (3 or more)
        return format_number(counts["n"] - counts.get("+".join(names), 0) - counts.get("none", 0))
    value = counts.get(key)
    if value is None:
        # A pattern nobody showed is absent from a code row's counts (zero units); overall mean
        # rows carry no unit counts at all and stay blank.
        return "0" if "n" in counts or "segments" in counts or "units" in counts else ""
    return format_number(value)


def agreement_table(comparison: AgreementComparison) -> AgreementTable:
    result, corpus = comparison.result, comparison.corpus
    counts = _count_columns(comparison)
    stats = _stat_columns(comparison)
    footnotes = Footnotes()

    def figures(row: AgreementRow) -> list[str]:
        return [_count_cell(row.counts, key, corpus.names) for key, _ in counts] + [
            format_stat(row.coefficients[name], footnotes) if name in row.coefficients else "" for name in stats
        ]

    headers = ["code", *(header for _, header in counts), *(STAT_HEADERS[name] for name in stats)]
    rows = [[row.code or "", *figures(row)] for row in result.rows]
    overall = [[_overall_label(row), *figures(row)] for row in result.overall]
    transcript_counts = len(counts)
    if result.level == "document":
        transcript_counts = 0  # used / not used per analyst: narrow already
        # One transcript: each analyst either used the code in it or did not.
        transcript_headers = ["code", "transcript", *corpus.names, STAT_HEADERS["percent_agreement"]]
        transcript_rows = [
            [
                row.code or "",
                row.transcript or "",
                *("used" if row.counts.get(name) else "-" for name in corpus.names),
                format_stat(row.coefficients["percent_agreement"], footnotes),
            ]
            for row in result.transcript_rows
        ]
    else:
        transcript_headers = ["code", "transcript", *headers[1:]]
        transcript_rows = [[row.code or "", row.transcript or "", *figures(row)] for row in result.transcript_rows]
    return AgreementTable(
        title=f"Agreement at {result.level} level: {join_names(corpus.names)}",
        headers=headers,
        rows=rows,
        overall=overall,
        transcript_headers=transcript_headers,
        transcript_rows=transcript_rows,
        caption=_caption(comparison, footnotes, stats, "krippendorff_alpha" in stats or result.level == "unitized"),
        counts=len(counts),
        transcript_counts=transcript_counts,
    )


def _overall_label(row: AgreementRow) -> str:
    return OVERALL_LABELS.get(row.aggregation, row.aggregation)


def plural(count: float, noun: str) -> str:
    return f"{format_number(count)} {noun}{'' if count == 1 else 's'}"


def _skipped(row: AgreementRow, total: float, stats: Sequence[str]) -> str:
    """'Cohen κ and α over the 16 where defined': which means cover fewer tables than all."""
    fewer: dict[int, list[str]] = {}
    for name in stats:
        defined = row.counts.get(f"defined:{name}")
        if defined is not None and defined < total:
            fewer.setdefault(int(defined), []).append(STAT_HEADERS[name])
    return "; ".join(f"{join_names(names)} over the {n} where defined" for n, names in fewer.items())


def _overall_caption(result: AgreementResult, stats: Sequence[str]) -> str:
    """What each overall row is, with the number of codes or cells behind each mean."""
    parts = []
    for row in result.overall:
        if row.aggregation == POOLED:
            parts.append("all codes pooled = every code's units in one table")
        elif row.aggregation == MEAN_OVER_CODES:
            codes = row.counts["codes"]
            skipped = _skipped(row, codes, stats)
            parts.append(
                f"mean over codes = unweighted mean of the {plural(codes, 'code row')}"
                + (f" ({skipped})" if skipped else "")
            )
        elif row.aggregation == MEAN_OVER_CELLS:
            cells = row.counts["cells"]
            skipped = _skipped(row, cells, stats)
            parts.append(
                f"mean over cells = unweighted mean over {plural(cells, 'cell')} "
                f"(a cell is one code in one transcript{f'; {skipped}' if skipped else ''})"
            )
        elif row.aggregation == WEIGHTED_BY_LENGTH:
            parts.append("cells by length = the mean over cells weighted by text length")
    return (
        "Each code row pools that code over the transcripts compared. Overall rows: "
        + "; ".join(parts)
        + ". Means skip undefined values."
    )


def _caption(
    comparison: AgreementComparison, footnotes: Footnotes, stats: Sequence[str], shows_alpha: bool
) -> list[str]:
    result, corpus = comparison.result, comparison.corpus
    count = len(corpus.transcripts)
    lines = [
        result.level_label + ".",
        f"Transcripts compared ({count}): {', '.join(corpus.transcripts.values())}.",
    ]
    lines += left_out_lines(corpus.left_out)
    if comparison.used_by_neither:
        neither = "neither analyst" if len(corpus.names) == 2 else "none of the analysts"
        lines.append(
            f"Codes used by {neither} on these transcripts ({len(comparison.used_by_neither)}), "
            f"with nothing to agree on and so no figures: {', '.join(comparison.used_by_neither)}."
        )
    lines.append(_overall_caption(result, stats))
    pooled = result.overall[0] if result.overall else None
    if pooled is not None and pooled.pairwise:
        pairs = "; ".join(
            f"{' and '.join(pair.analysts)} {format_stat(pair.cohen_kappa, footnotes)}" for pair in pooled.pairwise
        )
        lines.append(f"Cohen κ per pair of analysts, all codes pooled: {pairs}.")
    lines += footnotes.lines()
    lines += result.notes
    if shows_alpha:
        lines.append(GUIDELINE)
    first, second = corpus.names[0], corpus.names[1]
    lines.append(
        "These figures are prompts for discussion, not a quality gate: "
        f"`{shell_command('compare', 'disagreements', first, second)}` lists the passages behind them."
    )
    return lines


def left_out_lines(left_out: Sequence[Any]) -> list[str]:
    """'Left out (2): P7 (not coded by Ben), P8 (not coded by either analyst).'"""
    if not left_out:
        return []
    shown = ", ".join(f"{item.transcript} ({item.reason})" for item in left_out[:LISTED_LEFT_OUT])
    hidden = len(left_out) - LISTED_LEFT_OUT
    more = f", and {hidden} more (--json lists them all)" if hidden > 0 else ""
    return [f"Left out ({len(left_out)}): {shown}{more}."]


def _interval_cells(intervals: Sequence[Any]) -> dict[str, Any]:
    """One row's bootstrap intervals as CSV cells (three decimals, as the coefficients)."""
    cells: dict[str, Any] = {}
    for interval in intervals:
        cells["ci_confidence"] = interval.confidence
        cells["ci_resamples"] = interval.resamples
        for bound in ("lower", "upper"):
            value = getattr(interval, bound)
            cells[f"{interval.coefficient}_{bound}"] = "undefined" if value is None else f"{value + 0.0:.3f}"
        cells[f"{interval.coefficient}_defined_resamples"] = interval.defined
    return cells


def agreement_csv_rows(comparisons: Sequence[AgreementComparison]) -> tuple[list[str], list[dict[str, Any]]]:
    """One flat row per code, per code and transcript, and per overall aggregate, for every level.

    Counts are raw numbers; coefficients have three decimals or read "undefined", with the
    reasons in the last column. With --ci, a code's row and the pooled row carry each bootstrap
    interval beside its coefficient: NAME_lower, NAME_upper and NAME_defined_resamples, with
    ci_confidence and ci_resamples once per row.
    """
    from qualcode.agreement.bootstrap import POOLED_ROW

    columns: dict[str, None] = dict.fromkeys(["level", "row", "code", "transcript", "aggregation"])
    rows: list[dict[str, Any]] = []
    for comparison in comparisons:
        result = comparison.result
        by_row: dict[str, list[Any]] = {}
        for interval in comparison.intervals:
            by_row.setdefault(interval.row, []).append(interval)
        groups = (("code", result.rows), ("transcript", result.transcript_rows), ("overall", result.overall))
        for kind, group in groups:
            for row in group:
                flat: dict[str, Any] = {
                    "level": result.level,
                    "row": kind,
                    "code": row.code,
                    "transcript": row.transcript,
                    "aggregation": row.aggregation,
                }
                flat.update(result.parameters)  # the segment level's threshold and q
                flat.update(row.counts)
                reasons = []
                for name, stat in row.coefficients.items():
                    flat[name] = "undefined" if stat.value is None else f"{stat.value + 0.0:.3f}"
                    if stat.value is None:
                        reasons.append(f"{name}: {_plain_reason(stat.reason or '')}")
                if kind == "code" or row.aggregation == POOLED:
                    flat.update(_interval_cells(by_row.get(row.code or POOLED_ROW, [])))
                flat["undefined_because"] = "; ".join(reasons)
                columns.update(dict.fromkeys(flat))
                rows.append(flat)
    ordered = [c for c in columns if c != "undefined_because"] + ["undefined_because"]
    return ordered, rows
