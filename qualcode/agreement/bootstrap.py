"""Bootstrap confidence intervals for alpha and kappa, resampling transcripts.

Characters of one transcript are not independent draws (a coded passage is hundreds of them), so
resampling characters, or the pairable values of the coincidence matrix as Hayes & Krippendorff
(2007) do for predefined units, would give intervals far too narrow for coded text. The resampled
unit here is the transcript: each resample draws as many transcripts as were compared, with
replacement, and recomputes every figure from the drawn transcripts' counts (a cluster
bootstrap). At document level a transcript is exactly the level's unit for each code.

The interval is the percentile interval: the (1 - c) / 2 and (1 + c) / 2 quantiles (linear
interpolation) of the resampled values, undefined resamples (no variation) left out and counted.
The generator is Python's random.Random(seed), so a run with the same seed repeats exactly.

Coefficients: at document and character level Cohen's kappa (two analysts) or Fleiss' and Conger's
kappa (three or more) and Krippendorff's alpha; at unitized level |u-alpha. All their counts add up
over transcripts, so each resample is a weighted sum of per-transcript counts.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.agreement.coefficients import (
    Stat,
    conger_kappa_of,
    fleiss_kappa_of,
    krippendorff_alpha_of,
    summarise,
    two_analyst_values,
)
from qualcode.agreement.results import AgreementError
from qualcode.agreement.unitized import ContinuumTally, binary_u_alpha, coverage_by_mask

BOOTSTRAP_LEVELS = ("document", "character", "unitized")
POOLED_ROW = "all codes pooled"

# What each coefficient is, in the output: its level's unit and what is resampled.
UNIT_OF_LEVEL = {
    "document": "unit: (transcript, code) pair",
    "character": "unit: character, per code",
    "unitized": "unit: the character continuum, per code",
}


@dataclass(frozen=True)
class Interval:
    row: str  # a code, or "all codes pooled"
    coefficient: str
    level: str
    value: float | None  # on the data as compared
    lower: float | None
    upper: float | None
    confidence: float
    resamples: int
    defined: int  # resamples where the coefficient was defined

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "coefficient": self.coefficient,
            "level": self.level,
            "unit": UNIT_OF_LEVEL[self.level],
            "resampled": "transcripts",
            "value": self.value,
            "lower": self.lower,
            "upper": self.upper,
            "confidence": self.confidence,
            "resamples": self.resamples,
            "defined_resamples": self.defined,
        }


def check_confidence(confidence: float, resamples: int, transcripts: int) -> None:
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        hint = f"; for {confidence:g} % write {confidence / 100:g}" if 1 < confidence < 100 else ""
        raise AgreementError(f"--ci must be between 0 and 1, e.g. 0.95; got {confidence:g}{hint}")
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 2:
        raise AgreementError(f"--resamples must be a whole number of at least 2; got {resamples!r}")
    if transcripts < 2:
        raise AgreementError(
            f"a bootstrap interval resamples transcripts and needs at least 2 units; {transcripts} transcript "
            "is compared (add transcripts, or leave out --ci)"
        )


def resample_weights(units: int, resamples: int, seed: int) -> list[list[int]]:
    """Per resample, how many times each unit was drawn."""
    rng = random.Random(seed)
    population = range(units)
    weights = []
    for _ in range(resamples):
        drawn = Counter(rng.choices(population, k=units))
        weights.append([drawn.get(i, 0) for i in population])
    return weights


def percentile_interval(values: Sequence[float], confidence: float) -> tuple[float | None, float | None]:
    ordered = sorted(values)
    if not ordered:
        return None, None

    def quantile(q: float) -> float:
        position = q * (len(ordered) - 1)
        below = int(position)
        above = min(below + 1, len(ordered) - 1)
        return ordered[below] + (ordered[above] - ordered[below]) * (position - below)

    return quantile((1 - confidence) / 2), quantile((1 + confidence) / 2)


def level_intervals(
    cells: Mapping[str, Mapping[str, list[list[tuple[int, int]]]]],
    codes: Sequence[str],
    analysts: Sequence[str],
    lengths: Mapping[str, int],
    level: str,
    confidence: float,
    resamples: int,
    seed: int,
) -> list[Interval]:
    """Intervals per code and for all codes pooled; cells: code -> transcript -> merged
    intervals per analyst (qualcode.agreement.grouping)."""
    transcripts = list(lengths)
    check_confidence(confidence, resamples, len(transcripts))
    index = {t: i for i, t in enumerate(transcripts)}
    m = len(analysts)
    # Per transcript, the level's number of units per code: 1 at document level, its length else.
    scale = [1 if level == "document" else lengths[t] for t in transcripts]
    weights = resample_weights(len(transcripts), resamples, seed)
    everything = [1] * len(transcripts)
    pooled: dict[int, list[int]] = {}
    rows: list[tuple[str, dict[int, list[int]], int]] = []
    for code in codes:
        counts = {index[t]: _cell_counts(cell, lengths[t], level, m) for t, cell in cells.get(code, {}).items()}
        rows.append((code, counts, 1))
        for t, vector in counts.items():
            total = pooled.setdefault(t, [0] * len(vector))
            for i, n in enumerate(vector):
                total[i] += n
    rows.append((POOLED_ROW, pooled, len(codes)))
    intervals = []
    for name, counts, codes_in_row in rows:
        point = _figures(counts, everything, scale, codes_in_row, level, m)
        drawn: dict[str, list[float]] = {coefficient: [] for coefficient in point}
        for weight in weights:
            for coefficient, stat in _figures(counts, weight, scale, codes_in_row, level, m).items():
                if stat.value is not None:
                    drawn[coefficient].append(stat.value)
        for coefficient, stat in point.items():
            lower, upper = percentile_interval(drawn[coefficient], confidence)
            intervals.append(
                Interval(
                    name, coefficient, level, stat.value, lower, upper, confidence, resamples, len(drawn[coefficient])
                )
            )
    return intervals


def _cell_counts(cell: list[list[tuple[int, int]]], length: int, level: str, m: int) -> list[int]:
    """What one (code, transcript) cell adds: characters (or, at document level, 1) per coding
    pattern mask 1 .. 2^m - 1, then (unitized) the sum of squared unit lengths."""
    if level == "document":
        mask = sum(1 << i for i, intervals in enumerate(cell) if intervals)
        vector = [0] * (1 << m)
        vector[mask] = 1
        return vector[1:]
    by_mask = coverage_by_mask(cell, length)
    vector = [by_mask.get(mask, 0) for mask in range(1, 1 << m)]
    if level == "unitized":
        vector.append(sum((end - start) ** 2 for intervals in cell for start, end in intervals))
    return vector


def _figures(
    counts: Mapping[int, list[int]], weight: Sequence[int], scale: Sequence[int], codes: int, level: str, m: int
) -> dict[str, Stat]:
    size = len(next(iter(counts.values()))) if counts else (1 << m) - 1 + (level == "unitized")
    totals = [0] * size
    for t, vector in counts.items():
        w = weight[t]
        if w:
            for i, n in enumerate(vector):
                totals[i] += w * n
    units = codes * sum(w * s for w, s in zip(weight, scale))
    masks = totals[: (1 << m) - 1]
    if level == "unitized":
        tally = ContinuumTally(m, units)
        tally.coded_length = sum(n * (mask + 1).bit_count() for mask, n in enumerate(masks))
        tally.coded_length_squares = totals[-1]
        tally.split_pairs = sum(
            n * (mask + 1).bit_count() * (m - (mask + 1).bit_count()) for mask, n in enumerate(masks)
        )
        if not units:
            return {"krippendorff_binary_u_alpha": Stat(None, "undefined (no text)")}
        return {"krippendorff_binary_u_alpha": binary_u_alpha(tally)}
    neither = units - sum(masks)
    if not units:
        return {}
    if m == 2:
        first, second, both = masks  # masks 1 (first only), 2 (second only), 3 (both)
        values = two_analyst_values(both, first, second, neither)
        return {
            "cohen_kappa": _stat(values[1]),
            "krippendorff_alpha": _stat(values[5]),
        }
    patterns: dict[Any, float] = {tuple(0 for _ in range(m)): neither}
    for mask, n in enumerate(masks, start=1):
        if n:
            patterns[tuple((mask >> i) & 1 for i in range(m))] = n
    s = summarise(patterns)
    return {
        "fleiss_kappa": fleiss_kappa_of(s),
        "conger_kappa": conger_kappa_of(s),
        "krippendorff_alpha": krippendorff_alpha_of(s),
    }


def _stat(value: float | None) -> Stat:
    return Stat(value) if value is not None else Stat(None, "undefined (no variation)")


def intervals_by_row(intervals: Iterable[Interval]) -> dict[tuple[str, str], Interval]:
    return {(i.row, i.coefficient): i for i in intervals}
