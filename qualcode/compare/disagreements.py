"""The passages two analysts coded differently, laid out for the team to walk through together.

For each transcript and code, each analyst's spans are merged (the union convention of
qualcode.agreement.levels) and the text either of them coded is cut into passages: stretches where
their spans overlap one another. A passage is a disagreement when only one analyst coded it, or
when both did with different boundaries; passages both coded identically are left out. For a
passage only one analyst coded, the sheet also says which codes the other analyst put on that
text instead, because "coded differently" is often the more interesting conversation.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from qualcode.agreement.levels import merge_intervals
from qualcode.compare.codings import (
    Corpus,
    Intervals,
    check_codes,
    choose_analysts,
    coded_cells,
    natural_key,
    require_used,
    select_transcripts,
)
from qualcode.errors import InvalidInput
from qualcode.store import Project
from qualcode.text.corpus import StoredTranscript, load_transcript_by_id
from qualcode.text.transcripts import LineIndex

GROUPINGS = ("transcript", "code")
BOUNDARIES = "boundaries differ"


@dataclass(frozen=True)
class Disagreement:
    number: int  # 1-based, in the order shown, so a team can say "item 7"
    transcript: str
    code: str
    kind: str  # "only <analyst>" or BOUNDARIES
    start: int  # the passage: everything either analyst coded here
    end: int
    text: str
    lines: str
    turns: str
    speakers: tuple[str, ...]
    spans: dict[str, Intervals]  # each analyst's (merged) spans of the code in this passage
    only: dict[str, Intervals]  # characters one analyst coded and the other did not
    instead: dict[str, list[str]]  # for the analyst who did not code it: their codes on this text

    def excerpt(self, start: int, end: int) -> str:
        return self.text[start - self.start : end - self.start]

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "transcript": self.transcript,
            "code": self.code,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "lines": self.lines,
            "turns": self.turns,
            "speakers": list(self.speakers),
            "spans": {name: [list(span) for span in spans] for name, spans in self.spans.items()},
            "only": {name: [list(span) for span in spans] for name, spans in self.only.items()},
            "instead": self.instead,
        }


@dataclass(frozen=True)
class Disagreements:
    corpus: Corpus
    group_by: str
    items: list[Disagreement]

    def summary(self) -> list[dict[str, Any]]:
        """Per code: how many passages only one analyst coded, and how many differ in boundaries."""
        first, second = self.corpus.names
        counts: dict[str, Counter] = {}
        for item in self.items:
            counts.setdefault(item.code, Counter())[item.kind] += 1
        return [
            {
                "code": code,
                f"only {first}": c[f"only {first}"],
                f"only {second}": c[f"only {second}"],
                BOUNDARIES: c[BOUNDARIES],
            }
            for code, c in sorted(counts.items(), key=lambda pair: pair[0].casefold())
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "analysts": self.corpus.names,
            "group_by": self.group_by,
            **self.corpus.transcripts_dict(),
            "summary": self.summary(),
            "disagreements": [item.to_dict() for item in self.items],
        }


def find_disagreements(
    project: Project,
    first: str,
    second: str,
    *,
    codes: Sequence[str] | None = None,
    transcripts: Sequence[str] | None = None,
    group_by: str = "transcript",
    all_transcripts: bool = False,
) -> Disagreements:
    """Passages `first` and `second` coded differently, grouped by transcript then code (or by
    code then transcript), on the transcripts both coded unless all_transcripts."""
    if group_by not in GROUPINGS:
        raise InvalidInput(f"group by one of: {', '.join(GROUPINGS)}; not '{group_by}'")
    analysts = choose_analysts(project, [first, second])
    wanted = check_codes(project, codes)
    corpus = select_transcripts(project, analysts, transcripts, all_transcripts=all_transcripts)
    # Every code of both analysts is read, not only those asked for: "instead" needs them all.
    cells = coded_cells(project, corpus)
    require_used(wanted, {code for by_code in cells.values() for code in by_code}, corpus)
    found: list[Disagreement] = []
    for tid in corpus.transcripts:
        by_code = cells.get(tid, {})
        merged = {code: [merge_intervals(spans) for spans in cell] for code, cell in by_code.items()}
        stored: StoredTranscript | None = None
        for code, (firsts, seconds) in merged.items():
            if (wanted is not None and code not in wanted) or firsts == seconds:
                continue
            for start, end in merge_intervals(firsts + seconds):
                a, b = _within(firsts, start, end), _within(seconds, start, end)
                if a == b:
                    continue
                if stored is None:
                    stored = load_transcript_by_id(project, tid)
                    lines = LineIndex(stored.text)
                found.append(_disagreement(corpus, stored, lines, merged, code, start, end, a, b))
    if group_by == "transcript":
        found.sort(key=lambda item: (natural_key(item.transcript), item.code.casefold(), item.start))
    else:
        found.sort(key=lambda item: (item.code.casefold(), natural_key(item.transcript), item.start))
    items = [replace(item, number=number) for number, item in enumerate(found, start=1)]
    return Disagreements(corpus, group_by, items)


def _within(intervals: Intervals, start: int, end: int) -> Intervals:
    """The intervals (sorted, merged) that lie inside [start, end)."""
    first = bisect.bisect_left(intervals, (start, start))
    last = bisect.bisect_left(intervals, (end, end))
    return [span for span in intervals[first:last] if span[1] <= end]


def _subtract(spans: Intervals, others: Intervals) -> Intervals:
    """The parts of `spans` not covered by `others` (both sorted and merged)."""
    result: Intervals = []
    j = 0
    for start, end in spans:
        position = start
        while j < len(others) and others[j][1] <= position:
            j += 1
        k = j
        while k < len(others) and others[k][0] < end:
            if others[k][0] > position:
                result.append((position, others[k][0]))
            position = max(position, others[k][1])
            k += 1
        if position < end:
            result.append((position, end))
    return result


def _overlaps(intervals: Intervals, start: int, end: int) -> bool:
    """Whether any of the intervals (sorted, merged) overlaps [start, end)."""
    # Of the intervals starting before `end`, the last one reaches furthest (they do not overlap).
    index = bisect.bisect_left(intervals, (end, end))
    return index > 0 and intervals[index - 1][1] > start


def _disagreement(
    corpus: Corpus,
    stored: StoredTranscript,
    lines: LineIndex,
    merged: dict[str, list[Intervals]],
    code: str,
    start: int,
    end: int,
    a: Intervals,
    b: Intervals,
) -> Disagreement:
    first, second = corpus.names
    if not b:
        kind = f"only {first}"
    elif not a:
        kind = f"only {second}"
    else:
        kind = BOUNDARIES
    instead: dict[str, list[str]] = {}
    for index, (name, own) in enumerate(((first, a), (second, b))):
        if not own:
            instead[name] = sorted(
                (other for other, cell in merged.items() if other != code and _overlaps(cell[index], start, end)),
                key=str.casefold,
            )
    first_line, last_line = lines.lines_of(start, end)
    turns = [turn for turn in stored.turns if turn.start < end and turn.end > start]
    return Disagreement(
        number=0,
        transcript=stored.name,
        code=code,
        kind=kind,
        start=start,
        end=end,
        text=stored.text[start:end],
        lines=_range(first_line, last_line),
        turns=_range(turns[0].number, turns[-1].number) if turns else "",
        speakers=tuple(dict.fromkeys(turn.speaker for turn in turns if turn.speaker)),
        spans={first: a, second: b},
        only={first: _subtract(a, b), second: _subtract(b, a)},
        instead=instead,
    )


def _range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"
