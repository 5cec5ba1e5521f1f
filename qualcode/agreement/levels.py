"""Intercoder agreement from coded spans: pure functions, no database, no I/O.

compare_spans() takes each analyst's spans (transcript, code, start, end) and the transcripts'
text lengths and reports agreement per code at one of four levels (agreement.md, section 1):

- "document": each (transcript, code) pair is a unit; the rating is whether the analyst used the
  code anywhere in the transcript (MAXQDA's "code existence in the document").
- "character": each character is a unit, per code (NVivo's coding comparison). Characters are
  counted per "which analysts coded it" pattern by a sweep over sorted span boundaries, so the
  work and memory grow with the number of spans, never with the length of the text.
- "segment": each coded segment is a unit; it agrees when another analyst has the same code on a
  segment whose intersection over union with it reaches the threshold (MAXQDA's segment
  agreement; MAXQDA leaves the overlap rule open, this module fixes it as IoU).
- "unitized": Krippendorff's binary |u-alpha per code (see qualcode.agreement.unitized).

Conventions: offsets are 0-based, end-exclusive, in Unicode code points (Python str indices).
Overlapping spans of one code by one analyst are merged first (the union convention); touching
spans [a, b) and [b, c) stay two segments and two units (at character level it makes no
difference). Zero-length spans are ignored. Only transcripts listed in `lengths` count.
Undefined coefficients carry a reason instead of a number, and every aggregate row says how it
was formed.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from qualcode.agreement.coefficients import (
    NO_VARIATION,
    Means,
    Pattern,
    Stat,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    free_marginal_kappa,
    gwet_ac1,
    jaccard,
    krippendorff_alpha,
    light_kappa,
    pairwise_cohen_kappa,
    percent_agreement,
    presence_coefficients,
    scott_pi,
    tally_units,
    undefined,
)
from qualcode.agreement.unitized import (
    ContinuumTally,
    as_fraction,
    binary_u_alpha,
    character_counts,
    coding_pattern_counts,
    count_matched_segments,
    coverage_by_mask,
    merge_intervals,
    segment_agreements,
)
from qualcode.errors import InvalidInput

__all__ = [
    "LEVELS",
    "AgreementError",
    "AgreementResult",
    "AgreementRow",
    "PairwiseStat",
    "Span",
    "Stat",
    "binary_u_alpha",
    "brennan_prediger",
    "character_counts",
    "coding_pattern_counts",
    "cohen_kappa",
    "collector_paused",
    "compare_spans",
    "count_matched_segments",
    "fleiss_kappa",
    "gwet_ac1",
    "jaccard",
    "krippendorff_alpha",
    "light_kappa",
    "merge_intervals",
    "pairwise_cohen_kappa",
    "percent_agreement",
    "presence_coefficients",
    "scott_pi",
    "tally_units",
]

LEVELS = ("document", "character", "segment", "unitized")

POOLED = "pooled over all codes and transcripts"
WEIGHTED_BY_LENGTH = "mean over codes and transcripts weighted by text length"
MEAN_OVER_CELLS = "unweighted mean over codes and transcripts"
MEAN_OVER_CODES = "unweighted mean over codes"
PER_CODE = "pooled over transcripts"
ONE_TRANSCRIPT = "one transcript"

UNUSED = undefined("undefined (no variation: no analyst used this code)")
NO_CODED_TEXT = undefined("undefined (no coded text: no analyst used this code)")
NO_UNITS = undefined("undefined (nothing to compare: no text, or no codes)")
PERCENT_NOTE = (
    "Percent agreement is the mean over units of the share of agreeing analyst pairs "
    "(Fleiss/Gwet), not the mean over analyst pairs."
)


class AgreementError(InvalidInput, ValueError):
    """Input that compare_spans cannot use: also a ValueError, for callers outside qualcode."""


@dataclass(frozen=True)
class Span:
    transcript: str  # transcript name
    code: str  # code name
    start: int  # 0-based, end-exclusive, Unicode code points
    end: int


@dataclass(frozen=True)
class PairwiseStat:
    analysts: tuple[str, str]
    cohen_kappa: Stat

    def to_dict(self) -> dict[str, Any]:
        return {"analysts": list(self.analysts), "cohen_kappa": self.cohen_kappa.to_dict()}


@dataclass(frozen=True)
class AgreementRow:
    """One line of a comparison: a code, a (code, transcript) cell, or an overall aggregate."""

    code: str | None  # None for overall rows
    transcript: str | None  # set only on per-transcript rows
    aggregation: str  # how the figures were formed
    counts: dict[str, float]  # the counts behind the figures
    coefficients: dict[str, Stat]
    pairwise: tuple[PairwiseStat, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "transcript": self.transcript,
            "aggregation": self.aggregation,
            "counts": dict(self.counts),
            "coefficients": {name: stat.to_dict() for name, stat in self.coefficients.items()},
            "pairwise": [pair.to_dict() for pair in self.pairwise],
        }


@dataclass(frozen=True)
class AgreementResult:
    level: str
    level_label: str
    analysts: list[str]
    rows: list[AgreementRow]  # one per code
    overall: list[AgreementRow]
    transcript_rows: list[AgreementRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "level_label": self.level_label,
            "analysts": list(self.analysts),
            "parameters": dict(self.parameters),
            "rows": [row.to_dict() for row in self.rows],
            "transcript_rows": [row.to_dict() for row in self.transcript_rows],
            "overall": [row.to_dict() for row in self.overall],
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------------------------------------
# Input checking and grouping

Cell = list[list[tuple[int, int]]]  # one list of (start, end) per analyst
Cells = dict[str, dict[str, Cell]]  # code -> transcript -> cell
Rows = list[AgreementRow]
LevelOutput = tuple[Rows, Rows, Rows, list[str]]  # code rows, transcript rows, overall, notes


def _check_arguments(
    spans: Mapping[str, Iterable[Span]],
    lengths: Mapping[str, int],
    level: str,
    threshold: float,
    codebook_size: int | None,
) -> list[str]:
    if level not in LEVELS:
        raise AgreementError(f"unknown level {level!r}; use one of: {', '.join(LEVELS)}")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise AgreementError(f"threshold must be a number in (0, 1]; got {threshold!r}")
    if not 0 < threshold <= 1:
        raise AgreementError(f"threshold must be in (0, 1] (intersection over union); got {threshold}")
    analysts = list(spans)
    if len(analysts) < 2:
        raise AgreementError(f"agreement needs at least two analysts; got {len(analysts)}")
    seen: dict[str, str] = {}
    for name in analysts:
        if not isinstance(name, str) or not name.strip():
            raise AgreementError(f"analyst names must be non-empty text; got {name!r}")
        key = name.strip().casefold()
        if key in seen:
            raise AgreementError(
                f"the same analyst appears twice ({seen[key]!r} and {name!r}); compare different analysts"
            )
        seen[key] = name
    for transcript, length in lengths.items():
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise AgreementError(f"text length of {transcript!r} must be a whole number >= 0; got {length!r}")
    if codebook_size is not None and (
        isinstance(codebook_size, bool) or not isinstance(codebook_size, int) or codebook_size < 1
    ):
        raise AgreementError(f"codebook_size must be a positive whole number; got {codebook_size!r}")
    return analysts


def _group(
    spans: Mapping[str, Iterable[Span]],
    analysts: list[str],
    lengths: Mapping[str, int],
    codes: list[str] | None,
    notes: list[str],
) -> Cells:
    """code -> transcript -> per-analyst intervals; checks every span on the way."""
    wanted = None if codes is None else set(codes)
    m = len(analysts)
    cells: Cells = {}
    outside = empty = 0
    # The hottest loop of a comparison (one pass per span): locals instead of attribute lookups.
    length_of, cells_of = lengths.get, cells.get
    for index, analyst in enumerate(analysts):
        for span in spans[analyst]:
            transcript = span.transcript
            length = length_of(transcript)
            if length is None:
                outside += 1
                continue
            start, end = span.start, span.end
            if start < 0 or end > length or end < start:
                raise AgreementError(
                    f"span {start}-{end} of code {span.code!r} by {analyst!r} in transcript "
                    f"{transcript!r} is not within [0, {length}] with start <= end"
                )
            if start == end:
                empty += 1
                continue
            code = span.code
            if wanted is not None and code not in wanted:
                continue
            by_transcript = cells_of(code)
            if by_transcript is None:
                by_transcript = cells[code] = {}
            cell = by_transcript.get(transcript)
            if cell is None:
                cell = by_transcript[transcript] = [[] for _ in range(m)]
            cell[index].append((start, end))
    # Per-transcript rows follow the caller's order of transcripts, not the order of the spans.
    position = {transcript: index for index, transcript in enumerate(lengths)}
    for code, by_transcript in cells.items():
        cells[code] = dict(sorted(by_transcript.items(), key=lambda item: position[item[0]]))
    if outside:
        notes.append(f"{outside} span(s) in transcripts without a text length were left out.")
    if empty:
        notes.append(f"{empty} zero-length span(s) were ignored.")
    return cells


def _merge_cell(cell: Cell) -> tuple[list[list[tuple[int, int]]], int]:
    """Merge each analyst's intervals; also return how many were merged away (for the notes)."""
    # Most cells hold at most one span per analyst, which is already merged (_group dropped
    # zero-length spans).
    merged = [intervals if len(intervals) < 2 else merge_intervals(intervals) for intervals in cell]
    return merged, sum(map(len, cell)) - sum(map(len, merged))


def _merge_note(merges: int) -> list[str]:
    if not merges:
        return []
    return [f"{merges} overlapping span(s) of the same code by the same analyst were merged first."]


# ---------------------------------------------------------------------------------------------
# Shared by the binary levels (document, character)


def _mean_row(means: Means, aggregation: str, unit: str, weighted: bool = False) -> AgreementRow:
    counts: dict[str, float] = {f"{unit}s": means.tables}
    counts.update({f"defined:{name}": n for name, n in means.defined().items()})
    return AgreementRow(None, None, aggregation, counts, means.means(weighted, unit))


class _BinaryLevel:
    """Coefficients for per-code presence ratings, from counts of units per coverage mask."""

    def __init__(self, analysts: list[str], everywhere: str) -> None:
        # everywhere: the reason to give when every analyst coded every unit
        self.analysts = analysts
        self.m = len(analysts)
        self.full = (1 << self.m) - 1
        self.everywhere = undefined(everywhere)
        self._patterns: dict[int, Pattern] = {}

    def pattern(self, mask: int) -> Pattern:
        pattern = self._patterns.get(mask)
        if pattern is None:
            pattern = self._patterns[mask] = tuple((mask >> i) & 1 for i in range(self.m))
        return pattern

    def stats(self, counts: Mapping[int, float]) -> tuple[dict[str, Stat], tuple[PairwiseStat, ...]]:
        known = self._patterns
        patterns = {known.get(mask) or self.pattern(mask): n for mask, n in counts.items() if n}
        stats, by_pair = presence_coefficients(patterns)
        if not patterns:  # no units at all: no text, or no codes
            return dict.fromkeys(stats, NO_UNITS), ()
        for (i, j), stat in by_pair.items():
            if stat.reason == NO_VARIATION:
                by_pair[(i, j)] = self._pair_without_variation(counts, i, j)
        # Say *why* there is no variation, in the words of the comparison.
        if len(patterns) == 1:
            if counts.get(0):
                stats = {k: UNUSED if v.reason == NO_VARIATION else v for k, v in stats.items()}
                stats["jaccard"] = NO_CODED_TEXT
            elif counts.get(self.full):
                stats = {k: self.everywhere if v.reason == NO_VARIATION else v for k, v in stats.items()}
        pairwise = tuple(PairwiseStat((self.analysts[i], self.analysts[j]), stat) for (i, j), stat in by_pair.items())
        return stats, pairwise

    @staticmethod
    def _pair_without_variation(counts: Mapping[int, float], i: int, j: int) -> Stat:
        pair = (1 << i) | (1 << j)
        if any(n and mask & pair for mask, n in counts.items()):
            return undefined("undefined (no variation: both analysts of this pair coded every unit)")
        return undefined("undefined (no variation: neither analyst of this pair used this code)")

    def counts(self, counts: Mapping[int, float], total: float) -> dict[str, float]:
        if self.m == 2:
            return {
                "a": counts.get(3, 0),
                "b": counts.get(1, 0),
                "c": counts.get(2, 0),
                "d": counts.get(0, 0),
                "n": total,
            }
        named: dict[str, float] = {}
        for mask in sorted(counts, reverse=True):
            if counts[mask]:
                who = [a for i, a in enumerate(self.analysts) if (mask >> i) & 1]
                named["+".join(who) or "none"] = counts[mask]
        named["n"] = total
        return named

    def row(
        self,
        code: str | None,
        transcript: str | None,
        aggregation: str,
        counts: Mapping[int, float],
        total: float,
    ) -> tuple[AgreementRow, dict[str, Stat]]:
        stats, pairwise = self.stats(counts)
        return AgreementRow(code, transcript, aggregation, self.counts(counts, total), stats, pairwise), stats


def _binary_notes(m: int, codebook_size: int | None, units: str) -> list[str]:
    """units: what a, b, c and d count, e.g. "characters" or "transcripts"."""
    notes = [PERCENT_NOTE]
    if m == 2:
        notes.append(
            f"Counts: a = {units} both analysts coded with the code, b = the first analyst only, "
            "c = the second analyst only, d = neither"
            + ("; Cohen's kappa on them is NVivo's kappa." if units == "characters" else ".")
        )
    else:
        notes.append(
            "With three or more analysts Cohen's kappa is reported per pair, with Light's kappa "
            "(their mean) and Fleiss' kappa."
        )
    notes.append("Brennan-Prediger and Gwet's AC1 use q = 2 (coded or not coded).")
    if codebook_size is not None:
        notes.append("codebook_size does not apply to presence ratings and was not used.")
    return notes


# ---------------------------------------------------------------------------------------------
# The four levels


def _document_level(
    cells: Cells,
    codes: list[str],
    analysts: list[str],
    lengths: Mapping[str, int],
    by_transcript: bool,
    codebook_size: int | None,
) -> LevelOutput:
    level = _BinaryLevel(analysts, "undefined (no variation: every analyst used this code in every transcript)")
    transcripts = len(lengths)
    rows, transcript_rows = [], []
    pooled: dict[int, int] = defaultdict(int)
    per_code = Means()
    for code in codes:
        counts: dict[int, int] = defaultdict(int)
        for transcript, cell in cells.get(code, {}).items():
            mask = sum(1 << i for i, intervals in enumerate(cell) if intervals)
            counts[mask] += 1
            if by_transcript:
                presence: dict[str, float] = {a: (mask >> i) & 1 for i, a in enumerate(analysts)}
                share = percent_agreement({level.pattern(mask): 1})
                transcript_rows.append(
                    AgreementRow(code, transcript, ONE_TRANSCRIPT, presence, {"percent_agreement": share})
                )
        counts[0] += transcripts - len(cells.get(code, {}))
        row, stats = level.row(code, None, PER_CODE, counts, transcripts)
        rows.append(row)
        per_code.add(stats)
        for mask, n in counts.items():
            pooled[mask] += n
    overall = [
        level.row(None, None, POOLED, pooled, transcripts * len(codes))[0],
        _mean_row(per_code, MEAN_OVER_CODES, "code"),
    ]
    notes = _binary_notes(len(analysts), codebook_size, "transcripts")
    if by_transcript:
        notes.append("Per-transcript rows list only transcripts where at least one analyst used the code.")
    return rows, transcript_rows, overall, notes


def _character_level(
    cells: Cells,
    codes: list[str],
    analysts: list[str],
    lengths: Mapping[str, int],
    by_transcript: bool,
    codebook_size: int | None,
) -> LevelOutput:
    level = _BinaryLevel(analysts, "undefined (no variation: every analyst coded all of the text)")
    total_length = sum(lengths.values())
    with_text = sum(1 for n in lengths.values() if n > 0)
    without_text = len(lengths) - with_text
    uncoded_stats = level.stats({0: 1})[0]
    rows, transcript_rows = [], []
    pooled: dict[int, int] = defaultdict(int)
    per_cell, per_code = Means(), Means()
    merges = 0
    for code in codes:
        counts: dict[int, int] = defaultdict(int)
        coded_cells = cells.get(code, {})
        length_of_coded_cells = 0
        for transcript, cell in coded_cells.items():
            length = lengths[transcript]
            merged, merged_away = _merge_cell(cell)
            merges += merged_away
            coverage = coverage_by_mask(merged, length)
            for mask, n in coverage.items():
                counts[mask] += n
            length_of_coded_cells += length
            if by_transcript:
                row, stats = level.row(code, transcript, ONE_TRANSCRIPT, coverage, length)
                transcript_rows.append(row)
            else:
                stats = level.stats(coverage)[0]
            per_cell.add(stats, 1, length)
        # Transcripts where nobody used the code: all "neither", the same figures for each.
        uncoded_length = total_length - length_of_coded_cells
        counts[0] += uncoded_length
        per_cell.add(uncoded_stats, with_text - len(coded_cells), uncoded_length)
        per_cell.add({}, without_text)  # empty texts: cells with nothing to compare
        row, stats = level.row(code, None, PER_CODE, counts, total_length)
        rows.append(row)
        per_code.add(stats)
        for mask, n in counts.items():
            pooled[mask] += n
    overall = [
        level.row(None, None, POOLED, pooled, total_length * len(codes))[0],
        _mean_row(per_cell, WEIGHTED_BY_LENGTH, "cell", weighted=True),
        _mean_row(per_cell, MEAN_OVER_CELLS, "cell"),
        _mean_row(per_code, MEAN_OVER_CODES, "code"),
    ]
    notes = _binary_notes(len(analysts), codebook_size, "characters") + _merge_note(merges)
    notes.append("A cell is one code in one transcript; means skip cells where a coefficient is undefined.")
    if by_transcript:
        notes.append("Per-transcript rows list only transcripts where at least one analyst used the code.")
    return rows, transcript_rows, overall, notes


def _segment_level(
    cells: Cells,
    codes: list[str],
    analysts: list[str],
    by_transcript: bool,
    codebook_size: int | None,
    threshold: float,
) -> tuple[Rows, Rows, Rows, list[str], dict[str, Any]]:
    m = len(analysts)
    limit = as_fraction(threshold)
    q = codebook_size if codebook_size is not None else len(codes)
    rows, transcript_rows = [], []
    pooled_agreements = pooled_segments = 0
    per_code = Means()
    merges = 0

    def figures(agreements: int, segments: int) -> dict[str, Stat]:
        if not segments:
            return {
                "percent_agreement": undefined("undefined (no segments: no analyst used this code)"),
                "brennan_prediger": undefined("undefined (no segments: no analyst used this code)"),
            }
        share = agreements / segments
        return {"percent_agreement": Stat(share), "brennan_prediger": free_marginal_kappa(share, q)}

    def counted(agreements: list[int], segments: list[int]) -> dict[str, float]:
        counts: dict[str, float] = {"agreements": sum(agreements), "segments": sum(segments)}
        for i, analyst in enumerate(analysts):
            counts[f"agreements[{analyst}]"] = agreements[i]
            counts[f"segments[{analyst}]"] = segments[i]
        return counts

    for code in codes:
        code_agreements, code_segments = [0] * m, [0] * m
        for transcript, cell in cells.get(code, {}).items():
            merged, merged_away = _merge_cell(cell)
            merges += merged_away
            agreements, segments = segment_agreements(merged, limit)
            for x in range(m):
                code_agreements[x] += agreements[x]
                code_segments[x] += segments[x]
            if by_transcript:
                transcript_rows.append(
                    AgreementRow(
                        code,
                        transcript,
                        ONE_TRANSCRIPT,
                        counted(agreements, segments),
                        figures(sum(agreements), sum(segments)),
                    )
                )
        stats = figures(sum(code_agreements), sum(code_segments))
        rows.append(AgreementRow(code, None, PER_CODE, counted(code_agreements, code_segments), stats))
        per_code.add(stats)
        pooled_agreements += sum(code_agreements)
        pooled_segments += sum(code_segments)
    overall = [
        AgreementRow(
            None,
            None,
            POOLED,
            {"agreements": pooled_agreements, "segments": pooled_segments},
            figures(pooled_agreements, pooled_segments),
        ),
        _mean_row(per_code, MEAN_OVER_CODES, "code"),
    ]
    if codebook_size is None:
        q_source = "the number of codes in the table, as in MAXQDA"
    elif q == len(codes):
        q_source = "the size of the codebook, here also the number of codes in the table (MAXQDA's q)"
    else:
        # MAXQDA divides by the codes in its table; agreement.md asks for the possible categories.
        q_source = f"the size of the codebook (MAXQDA would take the {len(codes)} codes in the table)"
    notes = [
        (
            "A segment agrees when another analyst has the same code on a segment whose "
            f"intersection over union with it is at least {threshold:g}."
        ),
        (
            f"Brennan-Prediger's kappa uses chance agreement 1/q with q = {q}, {q_source}; "
            "it treats the codes as competing categories, not as independent judgements."
        ),
        "The pooled row is MAXQDA's figure: all agreements over all segments.",
    ]
    if m > 2:
        notes.append(
            "With three or more analysts each segment is checked against every other analyst in "
            "turn; agreements and segments are summed over those pairs."
        )
    notes += _merge_note(merges)
    return rows, transcript_rows, overall, notes, {"threshold": threshold, "q": q}


def _unitized_level(
    cells: Cells,
    codes: list[str],
    analysts: list[str],
    lengths: Mapping[str, int],
    by_transcript: bool,
) -> LevelOutput:
    m = len(analysts)
    total_length = sum(lengths.values())
    rows, transcript_rows = [], []
    pooled = ContinuumTally(m)
    per_code = Means()
    merges = 0

    def row(
        code: str | None, transcript: str | None, aggregation: str, tally: ContinuumTally, units: int
    ) -> AgreementRow:
        counts: dict[str, float] = {
            "text_length": tally.length,
            "units": units,
            "coded_length": tally.coded_length,
        }
        counts.update(tally.coincidences())
        return AgreementRow(
            code, transcript, aggregation, counts, {"krippendorff_binary_u_alpha": binary_u_alpha(tally)}
        )

    all_units = 0
    for code in codes:
        coded_cells = cells.get(code, {})
        code_tally = ContinuumTally(m)
        code_tally.add_text(total_length - sum(lengths[t] for t in coded_cells), (), {})
        code_units = 0
        for transcript, cell in coded_cells.items():
            length = lengths[transcript]
            merged, merged_away = _merge_cell(cell)
            merges += merged_away
            coded_by: dict[int, int] = defaultdict(int)
            for mask, n in coverage_by_mask(merged, length).items():
                coded_by[mask.bit_count()] += n
            units = sum(map(len, merged))
            code_units += units
            if by_transcript:
                tally = ContinuumTally(m)
                tally.add_text(length, chain.from_iterable(merged), coded_by)
                code_tally.add(tally)
                transcript_rows.append(row(code, transcript, ONE_TRANSCRIPT, tally, units))
            else:
                code_tally.add_text(length, chain.from_iterable(merged), coded_by)
        code_row = row(code, None, PER_CODE, code_tally, code_units)
        rows.append(code_row)
        per_code.add(code_row.coefficients)
        pooled.add(code_tally)
        all_units += code_units
    overall = [row(None, None, POOLED, pooled, all_units), _mean_row(per_code, MEAN_OVER_CODES, "code")]
    notes = [
        (
            "Each analyst's text is split into units (their merged spans of the code) and gaps; "
            "transcripts are joined into one continuum per code, and the pooled row joins the "
            "codes' continua."
        ),
        (
            "Coded characters (coded_length) are summed over analysts; the observed coincidences "
            "l_ck between units and gaps are the counts unit_unit, unit_gap, gap_unit and gap_gap."
        ),
        *_merge_note(merges),
    ]
    return rows, transcript_rows, overall, notes


LEVEL_LABELS = {
    "document": "Document level (MAXQDA convention, code existence): each transcript is a unit, "
    "per code; an analyst's rating is whether they used the code anywhere in it",
    "character": "Character level (NVivo convention): each character of each transcript is a unit, per code",
    "segment": "Segment level (MAXQDA convention): each coded segment is a unit; it agrees when "
    "another analyst has the same code on a segment overlapping it by at least {threshold:g} "
    "(intersection over union)",
    "unitized": "Unitized (Krippendorff's binary |u-alpha, 2016/2019): each transcript is a "
    "continuum of coded units and gaps, per code",
}


def compare_spans(
    spans: Mapping[str, Iterable[Span]],
    lengths: Mapping[str, int],
    level: str,
    codes: list[str] | None = None,
    threshold: float = 0.9,
    codebook_size: int | None = None,
    by_transcript: bool = False,
) -> AgreementResult:
    """Agreement between analysts' codings at one level, per code and overall.

    spans: analyst name -> that analyst's spans; lengths: transcript name -> text length (only
    these transcripts count); codes: the codes to report, default every code any analyst used;
    threshold: the segment level's intersection-over-union threshold, in (0, 1]; codebook_size:
    q for Brennan-Prediger at segment level (default: the number of codes compared);
    by_transcript: also return one row per (code, transcript) where the code was used.
    Raises AgreementError (a ValueError) for input it cannot use.
    """
    with collector_paused():
        return _compare(spans, lengths, level, codes, threshold, codebook_size, by_transcript)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of a comparison.

    A comparison allocates hundreds of thousands of small lists and tuples and creates no
    reference cycles, so every collection it triggers scans all live objects (the caller's spans
    included) and frees nothing: on a large study that was a quarter of the run time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _compare(
    spans: Mapping[str, Iterable[Span]],
    lengths: Mapping[str, int],
    level: str,
    codes: list[str] | None,
    threshold: float,
    codebook_size: int | None,
    by_transcript: bool,
) -> AgreementResult:
    analysts = _check_arguments(spans, lengths, level, threshold, codebook_size)
    if codes is not None:
        codes = list(dict.fromkeys(codes))
    notes: list[str] = []
    cells = _group(spans, analysts, lengths, codes, notes)
    if codes is None:
        codes = sorted(cells)
    if codebook_size is not None and codebook_size < len(codes):
        raise AgreementError(
            f"codebook_size ({codebook_size}) is smaller than the number of codes compared ({len(codes)})"
        )
    parameters: dict[str, Any] = {}
    if level == "document":
        rows, transcript_rows, overall, level_notes = _document_level(
            cells, codes, analysts, lengths, by_transcript, codebook_size
        )
    elif level == "character":
        rows, transcript_rows, overall, level_notes = _character_level(
            cells, codes, analysts, lengths, by_transcript, codebook_size
        )
    elif level == "segment":
        rows, transcript_rows, overall, level_notes, parameters = _segment_level(
            cells, codes, analysts, by_transcript, codebook_size, threshold
        )
    else:
        rows, transcript_rows, overall, level_notes = _unitized_level(cells, codes, analysts, lengths, by_transcript)
    return AgreementResult(
        level=level,
        level_label=LEVEL_LABELS[level].format(threshold=threshold),
        analysts=analysts,
        rows=rows,
        overall=overall,
        transcript_rows=transcript_rows,
        notes=notes + level_notes,
        parameters=parameters,
    )
