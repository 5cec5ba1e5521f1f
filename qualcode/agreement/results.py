"""What a comparison of analysts' spans returns: rows of coefficients per code, per (code,
transcript) and overall, each saying how it was formed; and the input type Span."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from qualcode.agreement.coefficients import Means, Stat
from qualcode.errors import InvalidInput

# How a row's figures were formed: said on every row, so no aggregate is mistaken for another.
POOLED = "pooled over all codes and transcripts"
WEIGHTED_BY_LENGTH = "mean over codes and transcripts weighted by text length"
MEAN_OVER_CELLS = "unweighted mean over codes and transcripts"
MEAN_OVER_CODES = "unweighted mean over codes"
PER_CODE = "pooled over transcripts"
ONE_TRANSCRIPT = "one transcript"


class AgreementError(InvalidInput, ValueError):
    """Input that compare_spans cannot use: also a ValueError, for callers outside qualcode."""


class Span(NamedTuple):
    """One coded span of one analyst. A named tuple rather than a dataclass: a large comparison
    makes a few hundred thousand, and a frozen dataclass takes three times as long to make."""

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


Rows = list[AgreementRow]
LevelOutput = tuple[Rows, Rows, Rows, list[str]]  # code rows, transcript rows, overall, notes


def mean_row(means: Means, aggregation: str, unit: str, weighted: bool = False) -> AgreementRow:
    """An overall row of the coefficients' means over codes or cells, with how many were defined."""
    counts: dict[str, float] = {f"{unit}s": means.tables}
    counts.update({f"defined:{name}": n for name, n in means.defined().items()})
    return AgreementRow(None, None, aggregation, counts, means.means(weighted, unit))
