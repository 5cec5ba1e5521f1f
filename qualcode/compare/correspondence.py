"""How two analysts' own codebooks correspond, by the text they coded.

The "code comparison" of investigator triangulation: when each analyst built a codebook of
their own, which of A's codes covers the same text as which of B's? For every pair the
Jaccard index on characters (characters both coded / characters either coded, pooled over the
transcripts both analysts coded) measures the overlap; each code's best match in the other
codebook, in both directions, and the codes with no counterpart are material for the team's
discussion, not a verdict on whose code is right.

Each analyst's spans of one code are merged first, and all pairs are found in one sweep over
each transcript's span boundaries, so the work follows the number of codings, not the number of
code pairs times the text length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.agreement.levels import merge_intervals
from qualcode.compare.codings import (
    Corpus,
    Intervals,
    choose_analysts,
    coded_cells,
    select_transcripts,
)
from qualcode.errors import InvalidInput
from qualcode.store import Project


@dataclass(frozen=True)
class CodeMatch:
    code: str
    characters: int  # characters this analyst coded with the code (merged), over the transcripts compared
    best: str | None  # the other analyst's code with the highest Jaccard index; None if none overlaps
    jaccard: float  # with `best` (0.0 when nothing overlaps)
    shared: int  # characters both codes cover
    counterpart: bool  # jaccard reaches the minimum
    mutual: bool  # `best` has this code as its own best match

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "characters": self.characters,
            "best": self.best,
            "jaccard": self.jaccard,
            "shared": self.shared,
            "counterpart": self.counterpart,
            "mutual": self.mutual,
        }


@dataclass(frozen=True)
class Overlap:
    first: str  # a code of the first analyst
    second: str  # a code of the second analyst
    shared: int
    jaccard: float

    def to_dict(self) -> dict[str, Any]:
        return {"first": self.first, "second": self.second, "shared": self.shared, "jaccard": self.jaccard}


@dataclass(frozen=True)
class CodeCorrespondence:
    corpus: Corpus
    minimum: float
    first: list[CodeMatch]  # each of the first analyst's codes, best match among the second's
    second: list[CodeMatch]  # and the other way round
    overlaps: list[Overlap]  # every pair of codes that share any text, highest Jaccard first

    def without_counterpart(self) -> tuple[list[str], list[str]]:
        return (
            [match.code for match in self.first if not match.counterpart],
            [match.code for match in self.second if not match.counterpart],
        )

    def to_dict(self) -> dict[str, Any]:
        first, second = self.corpus.names
        lonely_first, lonely_second = self.without_counterpart()
        return {
            "analysts": [first, second],
            "minimum": self.minimum,
            **self.corpus.transcripts_dict(),
            "first": [match.to_dict() for match in self.first],
            "second": [match.to_dict() for match in self.second],
            "no_counterpart": {first: lonely_first, second: lonely_second},
            "overlaps": [overlap.to_dict() for overlap in self.overlaps],
        }


def compare_codebooks(
    project: Project,
    first: str,
    second: str,
    *,
    minimum: float = 0.1,
    transcripts: Sequence[str] | None = None,
    all_transcripts: bool = False,
) -> CodeCorrespondence:
    """Every code of `first` against every code of `second` by the text they coded."""
    if not 0 < minimum <= 1:
        raise InvalidInput(f"--min must be above 0 and at most 1 (a Jaccard index); got {minimum:g}")
    analysts = choose_analysts(project, [first, second])
    corpus = select_transcripts(project, analysts, transcripts, all_transcripts=all_transcripts)
    characters: tuple[dict[str, int], dict[str, int]] = (defaultdict(int), defaultdict(int))
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for by_code in coded_cells(project, corpus).values():
        _sweep(by_code, characters, shared)
    overlaps = sorted(
        (Overlap(a, b, n, n / (characters[0][a] + characters[1][b] - n)) for (a, b), n in shared.items()),
        key=lambda o: (-o.jaccard, -o.shared, o.first.casefold(), o.second.casefold()),
    )
    best_first, best_second = _best(overlaps, characters[0], 0), _best(overlaps, characters[1], 1)
    return CodeCorrespondence(
        corpus,
        minimum,
        _matches(best_first, best_second, characters[0], minimum, side=0),
        _matches(best_second, best_first, characters[1], minimum, side=1),
        overlaps,
    )


def _sweep(
    by_code: dict[str, list[Intervals]],
    characters: tuple[dict[str, int], dict[str, int]],
    shared: dict[tuple[str, str], int],
) -> None:
    """Add one transcript's coded characters per code and shared characters per pair of codes."""
    events: list[tuple[int, int, int, str]] = []  # (position, +1 opens / -1 closes, analyst, code)
    for code, cell in by_code.items():
        for index in (0, 1):
            for start, end in merge_intervals(cell[index]):
                characters[index][code] += end - start
                events.append((start, 1, index, code))
                events.append((end, -1, index, code))
    # Closings sort before openings at the same position, so touching spans never count as one.
    events.sort(key=lambda event: (event[0], event[1]))
    active: tuple[set[str], set[str]] = (set(), set())
    previous = 0
    for position, change, index, code in events:
        if position > previous and active[0] and active[1]:
            for a in active[0]:
                for b in active[1]:
                    shared[(a, b)] += position - previous
        previous = position
        if change > 0:
            active[index].add(code)
        else:
            active[index].discard(code)


def _best(overlaps: list[Overlap], codes: dict[str, int], side: int) -> dict[str, Overlap | None]:
    """Each code's highest overlap (overlaps come sorted best first); side 0 keys the first
    analyst's codes, side 1 the second's."""
    best: dict[str, Overlap | None] = dict.fromkeys(codes)
    for overlap in overlaps:
        mine = overlap.first if side == 0 else overlap.second
        if best[mine] is None:
            best[mine] = overlap
    return best


def _matches(
    best: dict[str, Overlap | None],
    reverse: dict[str, Overlap | None],
    characters: dict[str, int],
    minimum: float,
    side: int,
) -> list[CodeMatch]:
    matches = []
    for code in sorted(best, key=str.casefold):
        overlap = best[code]
        if overlap is None:
            matches.append(CodeMatch(code, characters[code], None, 0.0, 0, False, False))
            continue
        other = overlap.second if side == 0 else overlap.first
        matches.append(
            CodeMatch(
                code,
                characters[code],
                other,
                overlap.jaccard,
                overlap.shared,
                overlap.jaccard >= minimum,
                mutual=reverse[other] is overlap,
            )
        )
    return matches
