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

This module is the front door: it checks the level and runs it. The result types are in
qualcode.agreement.results, checking, grouping and merging the spans in .span_arrays (whole
arrays at once; .grouping holds the span-by-span form and the checks of the arguments), and the
levels in .presence_levels (document, character), .segment_level and .unitized_level.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from qualcode.agreement.coefficients import (
    Stat,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    jaccard,
    krippendorff_alpha,
    light_kappa,
    pairwise_cohen_kappa,
    percent_agreement,
    presence_coefficients,
    scott_pi,
    tally_units,
)
from qualcode.agreement.grouping import Cells, check_arguments
from qualcode.agreement.presence_levels import character_level, document_level, two_analyst_character_level
from qualcode.agreement.results import AgreementError, AgreementResult, AgreementRow, PairwiseStat, Span
from qualcode.agreement.segment_level import segment_level
from qualcode.agreement.span_arrays import Arranged, arrange
from qualcode.agreement.unitized import (
    Overlaps,
    binary_u_alpha,
    character_counts,
    coding_pattern_counts,
    count_matched_segments,
    merge_intervals,
)
from qualcode.agreement.unitized_level import unitized_level

# The agreement package's surface for callers outside qualcode: compare_spans, what it returns,
# and the coefficients and span arithmetic it is built from.
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
    "compare_levels",
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
        prepared = _prepare(spans, lengths, [level], codes, threshold, codebook_size)
        result = _run(prepared, level, threshold, codebook_size, by_transcript)
        del prepared  # freed while the collector is paused: see collector_paused
    return result


def compare_levels(
    spans: Mapping[str, Iterable[Span]],
    lengths: Mapping[str, int],
    levels: Sequence[str] = LEVELS,
    codes: list[str] | None = None,
    threshold: float = 0.9,
    codebook_size: int | None = None,
    by_transcript: bool = False,
) -> dict[str, AgreementResult]:
    """compare_spans at several levels at once: the spans are checked, grouped and merged once.

    Each result is the one compare_spans gives for its level, except that codebook_size (q for
    Brennan-Prediger) goes to the segment level only, the one level that uses it.
    """
    with collector_paused():
        prepared = _prepare(spans, lengths, levels, codes, threshold, codebook_size)
        # The character level first: it works from the arranged spans alone, so its arrays are
        # gone before the other levels build the cells (the peak memory is the larger of the two,
        # not their sum). The results keep the order asked for.
        done = {
            level: _run(prepared, level, threshold, codebook_size if level == "segment" else None, by_transcript)
            for level in sorted(levels, key=lambda level: level != "character")
        }
        results = {level: done[level] for level in levels}
        del prepared  # freed while the collector is paused: see collector_paused
    return results


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of a comparison.

    A comparison allocates hundreds of thousands of small lists and tuples and creates no
    reference cycles, so every collection it triggers scans all live objects (the caller's spans
    included) and frees nothing: on a large study that was a quarter of the run time. The
    working data must be freed before the collector resumes: everything allocated while it was
    paused waits in its youngest generation, and the first collection afterwards would scan it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Prepared:
    """The checked input of a comparison: analysts, codes, the arranged (merged) spans and the
    notes so far; the cells and two analysts' overlaps are built on first use and shared by
    the levels that use them."""

    arranged: Arranged
    lengths: Mapping[str, int]
    notes: list[str]
    _overlaps: Overlaps | None = None

    @property
    def analysts(self) -> list[str]:
        return self.arranged.analysts

    @property
    def codes(self) -> list[str]:
        return self.arranged.codes

    @property
    def merges(self) -> int:
        return self.arranged.merges

    @property
    def cells(self) -> Cells:
        return self.arranged.cells()

    @property
    def overlaps(self) -> Overlaps:
        if self._overlaps is None:
            self._overlaps = Overlaps(self.cells, self.lengths)
        return self._overlaps


def _prepare(
    spans: Mapping[str, Iterable[Span]],
    lengths: Mapping[str, int],
    levels: Sequence[str],
    codes: list[str] | None,
    threshold: float,
    codebook_size: int | None,
) -> _Prepared:
    for level in levels:
        if level not in LEVELS:
            raise AgreementError(f"unknown level {level!r}; use one of: {', '.join(LEVELS)}")
    analysts = check_arguments(spans, lengths, threshold, codebook_size)
    if codes is not None:
        codes = list(dict.fromkeys(codes))
    notes: list[str] = []
    arranged = arrange(spans, analysts, lengths, codes, notes)
    if codebook_size is not None and codebook_size < len(arranged.codes):
        raise AgreementError(
            f"codebook_size ({codebook_size}) is smaller than the number of codes compared ({len(arranged.codes)})"
        )
    return _Prepared(arranged, lengths, notes)


def _run(
    prepared: _Prepared, level: str, threshold: float, codebook_size: int | None, by_transcript: bool
) -> AgreementResult:
    codes, analysts, lengths, merges = prepared.codes, prepared.analysts, prepared.lengths, prepared.merges
    parameters: dict[str, Any] = {}
    if level == "document":
        rows, transcript_rows, overall, level_notes = document_level(
            prepared.cells, codes, analysts, lengths, by_transcript, codebook_size
        )
    elif level == "character" and len(analysts) == 2:
        rows, transcript_rows, overall, level_notes = two_analyst_character_level(
            prepared.arranged, lengths, by_transcript, codebook_size
        )
    elif level == "character":
        rows, transcript_rows, overall, level_notes = character_level(
            prepared.cells, codes, analysts, lengths, by_transcript, codebook_size, merges
        )
    elif level == "segment":
        rows, transcript_rows, overall, level_notes, parameters = segment_level(
            prepared.cells, codes, analysts, by_transcript, codebook_size, threshold, merges, prepared.overlaps.of
        )
    else:
        rows, transcript_rows, overall, level_notes = unitized_level(
            prepared.cells, codes, analysts, lengths, by_transcript, merges, prepared.overlaps.of
        )
    return AgreementResult(
        level=level,
        level_label=LEVEL_LABELS[level].format(threshold=threshold),
        analysts=analysts,
        rows=rows,
        overall=overall,
        transcript_rows=transcript_rows,
        notes=prepared.notes + level_notes,
        parameters=parameters,
    )
