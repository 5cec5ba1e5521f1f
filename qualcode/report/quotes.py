"""Choosing illustrative extracts for a theme when its authors have not chosen any.

A paper's extracts should show that a theme runs across the data set, not through one talkative
participant, and should be quotable: the participant's own words, long enough to carry meaning
and short enough to read. So: one passage per participant in turn (round-robin), each
participant's best passage first, where "best" prefers a passage within one turn and 15-80
words. A passage that starts in an interviewer's turn is never picked: attributed "(P6)", the
interviewer's words would misquote the participant. The same passage coded by two analysts (or
with two codes) is one passage, and a passage already quoted elsewhere in the report is not
quoted again. Everything is deterministic, so re-running the report gives the same extracts.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.names import natural_key

SHORTEST_QUOTABLE = 15  # words
LONGEST_QUOTABLE = 80
IDEAL_LENGTH = 40


@dataclass(frozen=True)
class Candidate:
    coding_id: int
    transcript: str
    participant: str | None
    start: int
    end: int
    text: str
    code: str = ""
    by_interviewer: bool = False
    turns_spanned: int = 1

    @property
    def source(self) -> str:
        """Who the extract is attributed to: the pseudonym, else the transcript."""
        return self.participant or self.transcript

    @property
    def words(self) -> int:
        return len(self.text.split())


def _length_band(words: int) -> int:
    if SHORTEST_QUOTABLE <= words <= LONGEST_QUOTABLE:
        return 0
    if SHORTEST_QUOTABLE // 2 <= words <= LONGEST_QUOTABLE * 3 // 2:
        return 1
    return 2


def quotability(candidate: Candidate) -> tuple:
    """Sort key, best first: one turn, medium length, near the ideal length (in steps of ten
    words, so small differences do not outrank the text's order)."""
    words = candidate.words
    return (
        candidate.turns_spanned > 1,
        _length_band(words),
        abs(words - IDEAL_LENGTH) // 10,
        natural_key(candidate.transcript),
        candidate.start,
        candidate.coding_id,
    )


@dataclass
class QuotedPassages:
    """Spans already quoted in the report, so no passage appears twice."""

    spans: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))

    def overlaps(self, transcript: str, start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in self.spans[transcript])

    def add(self, transcript: str, start: int, end: int) -> None:
        self.spans[transcript].append((start, end))


def distinct_passages(candidates: Iterable[Candidate], already: QuotedPassages | None = None) -> list[Candidate]:
    """The best-placed candidate of each group of overlapping ones (the same passage coded by
    several analysts or codes), leaving out anything overlapping an already quoted passage."""
    kept: list[Candidate] = []
    taken = QuotedPassages()
    for candidate in sorted(candidates, key=quotability):
        if taken.overlaps(candidate.transcript, candidate.start, candidate.end):
            continue
        if already is not None and already.overlaps(candidate.transcript, candidate.start, candidate.end):
            continue
        taken.add(candidate.transcript, candidate.start, candidate.end)
        kept.append(candidate)
    return kept


def spread_over_participants(
    candidates: Sequence[Candidate], count: int, already: QuotedPassages | None = None
) -> list[Candidate]:
    """Up to `count` passages, taking each participant's best in turn before anyone's second.
    Participants whose best passage is most quotable go first; ties in pseudonym order."""
    if count <= 0:
        return []
    by_source: dict[str, list[Candidate]] = defaultdict(list)
    participants_words = [c for c in candidates if not c.by_interviewer]
    for candidate in distinct_passages(participants_words, already):  # best first
        by_source[candidate.source].append(candidate)
    queues = sorted(by_source.values(), key=lambda queue: (quotability(queue[0])[:3], natural_key(queue[0].source)))
    chosen: list[Candidate] = []
    depth = 0
    while len(chosen) < count and any(depth < len(queue) for queue in queues):
        for queue in queues:
            if depth < len(queue) and len(chosen) < count:
                chosen.append(queue[depth])
        depth += 1
    return chosen


def candidate_from_extract(
    extract: dict[str, Any], interviewer_turns: set[tuple[str, int]], turn_starts: dict[str, list[int]]
) -> Candidate:
    """A Candidate from a row of qualcode.analysis.retrieval.extracts (coding_id, code, transcript,
    participant, turn, start, end, text)."""
    starts = turn_starts.get(extract["transcript"], [])  # sorted
    spanned = 1 + bisect.bisect_left(starts, extract["end"]) - bisect.bisect_right(starts, extract["start"])
    return Candidate(
        coding_id=extract["coding_id"],
        transcript=extract["transcript"],
        participant=extract["participant"],
        start=extract["start"],
        end=extract["end"],
        text=extract["text"],
        code=extract["code"],
        by_interviewer=(extract["transcript"], extract["turn"]) in interviewer_turns,
        turns_spanned=spanned,
    )
