"""Reading a transcript with its codes: which characters of each shown line are coded, and by
which codes (and analysts), for `transcript show --codes`; and the turns nobody has coded, for
the whole-data-set pass of phase 4 (`--uncoded`). Drawing it is the CLI's job.

Whose codings are read follows blind coding (qualcode.analysis.visibility): by default the
viewer's own; "all" or a list of analysts when coding is open; under blind coding asking for
another analyst's is refused."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.analysis.visibility import consensus_names, is_blind, visible_to
from qualcode.errors import InvalidInput
from qualcode.names import unknown_name_message
from qualcode.store import Project
from qualcode.text.corpus import StoredTranscript
from qualcode.text.transcripts import LineIndex, Turn

BLIND_REFUSAL = (
    "coding is blind: you see only your own codings, not {whose} (`qualcode analyst blind off` reveals them)"
)


@dataclass(frozen=True)
class ShownCoding:
    """One coding as a reader sees it: its code, whose it is, and the characters it covers."""

    code: str
    color: str | None
    analyst: str
    start: int
    end: int
    label: str  # "Trust", or "Trust (Tom)" when several analysts' codings are shown


@dataclass(frozen=True)
class LineCoding:
    """A coding on one line: where on the line it starts (0 when it began on an earlier line)."""

    coding: ShownCoding
    starts_at: int


@dataclass(frozen=True)
class MarkedLine:
    line: dict[str, Any]  # as qualcode.text.reading.select_lines gives it
    coded: tuple[tuple[int, int], ...]  # the coded runs of the line's text, merged, 0-based, end-exclusive
    codings: tuple[LineCoding, ...]  # in the order they start on the line


def whose_codings(project: Project, viewer: str, analysts: str | None) -> list[str]:
    """The analysts whose codings to read: `analysts` is None (the viewer's own), "all", or
    names separated by commas. Under blind coding only the viewer and consensus analysts."""
    known = project.analyst_names()
    by_key = {name.casefold(): name for name in known}
    viewer_name = by_key.get(viewer.casefold(), viewer)
    blind = is_blind(project.db)
    consensus = {name.casefold() for name in consensus_names(project.db)}
    if analysts is None:
        return [viewer_name]
    if analysts.strip().casefold() == "all":
        if blind:
            raise InvalidInput(BLIND_REFUSAL.format(whose="every analyst's"))
        # Every analyst who has coded: one added but not yet coding is not named in the heading.
        sql = "SELECT name FROM analysts WHERE id IN (SELECT analyst_id FROM codings) ORDER BY id"
        return [r[0] for r in project.db.execute(sql)] or known
    wanted = [part.strip() for part in analysts.split(",") if part.strip()]
    if not wanted:
        raise InvalidInput('name the analysts, comma-separated, or all: --analysts "Maya,Tom"')
    names = []
    for name in wanted:
        if name.casefold() not in by_key:
            raise InvalidInput(unknown_name_message("analyst", name, known, f"qualcode analyst add {name}"))
        if blind and name.casefold() not in (viewer.casefold(), *consensus):
            raise InvalidInput(BLIND_REFUSAL.format(whose=f"{by_key[name.casefold()]}'s"))
        names.append(by_key[name.casefold()])
    return list(dict.fromkeys(names))


def transcript_codings(project: Project, stored: StoredTranscript, analysts: Sequence[str]) -> list[ShownCoding]:
    """The codings of these analysts on a transcript, in text order (longer first where two start
    together)."""
    if not analysts:
        return []
    marks = ",".join("?" for _ in analysts)
    rows = project.db.execute(
        f"""
        SELECT k.name, k.color, a.name, c.start, c.[end]
        FROM codings c JOIN codes k ON k.id = c.code_id JOIN analysts a ON a.id = c.analyst_id
        WHERE c.transcript_id = ? AND a.name IN ({marks})
        ORDER BY c.start, c.[end] DESC, k.name, a.id
        """,
        [stored.id, *analysts],
    ).fetchall()
    several = len({row[2] for row in rows}) > 1
    return [
        ShownCoding(code, color, analyst, start, end, f"{code} ({analyst})" if several else code)
        for code, color, analyst, start, end in rows
    ]


def mark_lines(selected: Sequence[dict[str, Any]], codings: Sequence[ShownCoding]) -> list[MarkedLine]:
    """Each selected line with the coded runs of its text and the codings that cover it."""
    marked = []
    # Codings are in start order: a line need only look at those that start before it ends.
    ordered = sorted(codings, key=lambda c: c.start)
    for line in selected:
        start, end = line["start"], line["end"]
        on_line = [c for c in ordered if c.start < max(end, start + 1) and c.end > start]
        runs: list[list[int]] = []
        for coding in sorted(on_line, key=lambda c: c.start):
            first, last = max(coding.start, start) - start, min(coding.end, end) - start
            if last <= first:
                continue
            if runs and first <= runs[-1][1]:
                runs[-1][1] = max(runs[-1][1], last)
            else:
                runs.append([first, last])
        marked.append(
            MarkedLine(
                line,
                tuple((a, b) for a, b in runs),
                tuple(LineCoding(c, max(c.start, start) - start) for c in on_line),
            )
        )
    return marked


def uncoded_turns(project: Project, stored: StoredTranscript, viewer: str, analysts: str | None) -> list[Turn]:
    """The turns of a transcript no one has coded: no one at all when coding is open (or the
    analysts named), under blind coding no one whose codings the viewer sees."""
    if analysts is None:
        seen = visible_to(project.db, viewer, codes=False)
        clause, params = seen.codings_clause()
        spans = project.db.execute(
            f"SELECT c.start, c.[end] FROM codings c WHERE c.transcript_id = ? {clause}", [stored.id, *params]
        ).fetchall()
    else:
        spans = [
            (c.start, c.end) for c in transcript_codings(project, stored, whose_codings(project, viewer, analysts))
        ]
    spans.sort()
    starts = [s for s, _ in spans]
    # furthest[i]: the furthest end of the first i codings (in start order).
    furthest = [0]
    for _, end in spans:
        furthest.append(max(furthest[-1], end))
    # A turn is touched when a coding that starts before the turn ends reaches past its start.
    return [turn for turn in stored.turns if furthest[bisect.bisect_left(starts, turn.end)] <= turn.start]


def turn_lines(stored: StoredTranscript, turn: Turn) -> str:
    first, last = LineIndex(stored.text).lines_of(turn.start, turn.end)
    return f"{first}-{last}" if last != first else str(first)
