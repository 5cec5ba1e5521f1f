"""Counting and sampling a theme's extracts.

The *extracts* of a theme are the passages coded with a code assigned to the theme or to any of
its subthemes, by every analyst unless one is named. A passage is one distinct span of text
(transcript, start, end): the same words coded with two of the theme's codes, or by two analysts,
count once, while `codings` counts every coding. Participants are counted by pseudonym; a
transcript without a participant stands for a participant of its own.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from qualcode.analysis.theme_quotes import passages_by_coding_id
from qualcode.analysis.themes import code_ids_of, with_subthemes
from qualcode.store import Project


def _analyst_filter(project: Project, coded_by: str | None) -> tuple[str, list[Any]]:
    if coded_by is None:
        return "", []
    return " AND c.analyst_id = ?", [project.analyst_id(coded_by)]


def passage_counts(project: Project, coded_by: str | None = None) -> dict[int, dict[int, tuple[int, int]]]:
    """theme id -> transcript id -> (passages, codings), each theme counted with its subthemes'
    codes. The one place extracts are counted, so the list, review and map agree."""
    clause, params = _analyst_filter(project, coded_by)
    rows = project.db.execute(
        f"""
        WITH RECURSIVE tree(root, id) AS (
            SELECT id, id FROM themes
            UNION ALL SELECT tree.root, t.id FROM themes t JOIN tree ON t.parent_id = tree.id
        ),
        theme_code AS (
            SELECT DISTINCT tree.root AS theme_id, tc.code_id FROM tree JOIN theme_codes tc ON tc.theme_id = tree.id
        ),
        passage AS (
            SELECT tc.theme_id, c.transcript_id, count(*) AS codings
            FROM theme_code tc JOIN codings c ON c.code_id = tc.code_id
            WHERE 1 = 1 {clause}
            GROUP BY tc.theme_id, c.transcript_id, c.start, c.[end]
        )
        SELECT theme_id, transcript_id, count(*), sum(codings) FROM passage GROUP BY theme_id, transcript_id
        """,
        params,
    ).fetchall()
    counts: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for theme_id, transcript_id, passages, codings in rows:
        counts[theme_id][transcript_id] = (passages, codings)
    return counts


def participant_of_transcripts(project: Project) -> dict[int, str]:
    """transcript id -> participant pseudonym (the transcript's own name when it has none)."""
    return dict(
        project.db.execute(
            "SELECT t.id, coalesce(p.name, t.name) FROM transcripts t LEFT JOIN participants p ON p.id = t.participant_id"
        ).fetchall()
    )


def summarise_counts(per_transcript: dict[int, tuple[int, int]], participant_of: dict[int, str]) -> dict[str, int]:
    return {
        "extracts": sum(p for p, _ in per_transcript.values()),
        "codings": sum(c for _, c in per_transcript.values()),
        "transcripts": len(per_transcript),
        "participants": len({participant_of[t] for t in per_transcript}),
    }


def code_passage_counts(project: Project, coded_by: str | None = None) -> dict[int, tuple[int, int]]:
    """code id -> (passages, participants) over the codes that are in some theme."""
    clause, params = _analyst_filter(project, coded_by)
    return {
        row[0]: (row[1], row[2])
        for row in project.db.execute(
            f"""
            SELECT code_id, count(*), count(DISTINCT participant) FROM (
                SELECT c.code_id, c.transcript_id, c.start, c.[end],
                       coalesce(t.participant_id, -t.id) AS participant
                FROM codings c JOIN transcripts t ON t.id = c.transcript_id
                WHERE c.code_id IN (SELECT code_id FROM theme_codes) {clause}
                GROUP BY c.code_id, c.transcript_id, c.start, c.[end]
            ) GROUP BY code_id
            """,
            params,
        )
    }


def sample_extracts(
    project: Project,
    theme_id: int,
    count: int,
    coded_by: str | None = None,
    per_transcript: dict[int, tuple[int, int]] | None = None,
) -> list[dict[str, Any]]:
    """A few extracts of a theme for re-reading, spread over participants: the participants who
    contribute most come first, one extract each (the middle one of their transcript), before any
    participant is sampled twice. Deterministic, so a re-run shows the same extracts."""
    if count <= 0:
        return []
    if per_transcript is None:
        per_transcript = passage_counts(project, coded_by).get(theme_id, {})
    if not per_transcript:
        return []
    participant_of = participant_of_transcripts(project)
    by_participant: dict[str, list[int]] = defaultdict(list)
    for tid in sorted(per_transcript, key=lambda t: -per_transcript[t][0]):
        by_participant[participant_of[tid]].append(tid)
    ranked = sorted(by_participant.values(), key=lambda tids: -sum(per_transcript[t][0] for t in tids))
    # Each participant's main transcript first, then their other transcripts; then round-robin.
    order = [tids[0] for tids in ranked] + [tid for tids in ranked for tid in tids[1:]]
    picks: dict[int, int] = defaultdict(int)
    while sum(picks.values()) < min(count, sum(p for p, _ in per_transcript.values())):
        for tid in order:
            if picks[tid] < per_transcript[tid][0] and sum(picks.values()) < count:
                picks[tid] += 1
    code_ids = sorted(code_ids_of(project, with_subthemes(project, theme_id)))
    clause, params = _analyst_filter(project, coded_by)
    marks = ",".join("?" for _ in code_ids)
    chosen: list[int] = []
    for tid in order:
        if not picks[tid]:
            continue
        passages = per_transcript[tid][0]
        for k in range(picks[tid]):
            offset = (2 * k + 1) * passages // (2 * picks[tid])
            row = project.db.execute(
                f"SELECT min(c.id) FROM codings c WHERE c.transcript_id = ? AND c.code_id IN ({marks}) {clause}"
                " GROUP BY c.start, c.[end] ORDER BY c.start, c.[end] LIMIT 1 OFFSET ?",
                [tid, *code_ids, *params, offset],
            ).fetchone()
            if row:
                chosen.append(row[0])
    return passages_by_coding_id(project, chosen)
