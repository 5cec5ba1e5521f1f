"""Reviewing themes against the data (phases 4 and 5), as plain data for the CLI and the report.

For each theme: how many extracts and participants carry it, which transcripts contribute
nothing, which codes it shares with other themes, how much of its text other themes also cover,
and whether it has a definition and a final name; for the project: codes in no theme, themes that
rest on one participant, themes drawn mostly from one transcript. A few extracts per theme are
included for re-reading against the data. Flags are advice for the analysts' discussion, never a
gate: nothing here stops a theme from being used.

Counting follows qualcode.analysis.theme_extracts: an extract is a distinct coded passage (transcript, start, end)
of the theme or its subthemes. Two themes *overlap* on an extract of one of them when an extract
of the other shares at least one character of text with it (the same passage coded into both
counts too). A theme is not compared with its own subthemes or parents: they share text by design.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from qualcode.analysis.theme_extracts import (
    participant_of_transcripts,
    passage_counts,
    sample_extracts,
    summarise_counts,
)
from qualcode.analysis.themes import all_themes, get_theme, with_subthemes
from qualcode.names import natural_key
from qualcode.store import Project

# Advice thresholds: a theme is "mostly one transcript" when more than half of its extracts come
# from one transcript (and it has enough extracts for a share to mean something), and two themes
# "overlap heavily" when half of one theme's extracts share text with the other.
DOMINANT_SHARE = 0.5
DOMINANT_MIN_EXTRACTS = 5
HEAVY_OVERLAP = 0.5


def review_themes(
    project: Project, theme: str | None = None, coded_by: str | None = None, extracts_per_theme: int = 3
) -> dict[str, Any]:
    """The review report. With `theme`, only that theme and its subthemes (compared with all
    others) and no project section; discarded themes are reviewed only when named."""
    themes = {t["id"]: t for t in all_themes(project)}
    live = [t for t in themes.values() if t["status"] != "discarded" and not _under_discarded(t, themes)]
    if theme is not None:
        chosen = get_theme(project, theme)
        reviewed_ids = with_subthemes(project, chosen.id)
        compared = {t["id"] for t in live} | set(reviewed_ids)
    else:
        reviewed_ids = _display_order(live)
        compared = {t["id"] for t in live}
    counts = passage_counts(project, coded_by)
    participant_of = participant_of_transcripts(project)
    transcript_names = dict(project.db.execute("SELECT id, name FROM transcripts").fetchall())
    closure = _closure_codes(project, themes)
    related = _relatives(themes)
    code_names = dict(project.db.execute("SELECT id, name FROM codes").fetchall())
    overlaps = theme_overlaps(project, sorted(compared), closure, coded_by)
    total_participants = len(set(participant_of.values()))

    reviewed = []
    for theme_id in reviewed_ids:
        row = themes[theme_id]
        per_transcript = counts.get(theme_id, {})
        summary = summarise_counts(per_transcript, participant_of)
        others = [o for o in compared if o != theme_id and o not in related[theme_id]]
        shared = []
        for code_id in sorted(closure[theme_id], key=lambda c: code_names[c].lower()):
            with_code = [themes[o]["name"] for o in others if code_id in closure[o]]
            if with_code:
                shared.append({"code": code_names[code_id], "themes": sorted(with_code, key=str.lower)})
        overlap_rows = sorted(
            (
                {
                    "theme": themes[o]["name"],
                    "extracts": overlaps.get((theme_id, o), 0),
                    "share": round(overlaps.get((theme_id, o), 0) / summary["extracts"], 3)
                    if summary["extracts"]
                    else 0.0,
                }
                for o in others
                if overlaps.get((theme_id, o), 0)
            ),
            key=lambda r: (-r["extracts"], r["theme"].lower()),
        )
        top = max(per_transcript.items(), key=lambda item: (item[1][0], -item[0]), default=None)
        top_transcript = (
            {
                "name": transcript_names[top[0]],
                "extracts": top[1][0],
                "share": round(top[1][0] / summary["extracts"], 3),
            }
            if top
            else None
        )
        participants = sorted({participant_of[t] for t in per_transcript}, key=natural_key)
        entry = {
            "name": row["name"],
            "parent": themes[row["parent_id"]]["name"] if row["parent_id"] else None,
            "depth": _depth(row, themes),
            "status": row["status"],
            **summary,
            "participants_total": total_participants,
            "transcripts_total": len(transcript_names),
            "participant_names": participants,
            "transcripts_without": sorted(
                (name for tid, name in transcript_names.items() if tid not in per_transcript), key=natural_key
            ),
            "top_transcript": top_transcript,
            "shared_codes": shared,
            "overlaps": overlap_rows,
            "has_definition": bool(row["definition"]),
            "has_concept": bool(row["concept"]),
            "final_name": row["status"] == "final",
        }
        entry["flags"] = _flags(entry)
        entry["sample"] = sample_extracts(project, theme_id, extracts_per_theme, coded_by, per_transcript)
        reviewed.append(entry)

    report: dict[str, Any] = {
        "analyst": coded_by,
        "participants_total": total_participants,
        "transcripts_total": len(transcript_names),
        "themes": reviewed,
        "project": None,
    }
    if theme is None:
        report["project"] = _project_section(project, reviewed, {t["id"] for t in live}, coded_by)
    return report


def _flags(entry: dict[str, Any]) -> list[str]:
    flags = []
    if not entry["extracts"]:
        flags.append("no extracts yet: assign codes that have codings")
        return flags
    if entry["participants"] == 1:
        flags.append(f"rests on one participant ({entry['participant_names'][0]})")
    top = entry["top_transcript"]
    if entry["transcripts"] > 1 and entry["extracts"] >= DOMINANT_MIN_EXTRACTS and top["share"] > DOMINANT_SHARE:
        flags.append(f"{top['share']:.0%} of its extracts come from one transcript ({top['name']})")
    for overlap in entry["overlaps"]:
        if overlap["share"] >= HEAVY_OVERLAP:
            flags.append(f"{overlap['share']:.0%} of its extracts share text with '{overlap['theme']}'")
    return flags


def _project_section(
    project: Project, reviewed: list[dict[str, Any]], live_ids: set[int], coded_by: str | None
) -> dict[str, Any]:
    params: list[Any] = []
    analyst_clause = ""
    if coded_by is not None:
        analyst_clause = "AND c.analyst_id = ?"
        params.append(project.analyst_id(coded_by))
    marks = ",".join("?" for _ in live_ids) or "NULL"
    unthemed = project.query(
        f"""
        SELECT k.name AS code, count(c.id) AS codings
        FROM codes k LEFT JOIN codings c ON c.code_id = k.id {analyst_clause}
        WHERE k.status = 'active'
          AND k.id NOT IN (SELECT code_id FROM theme_codes WHERE theme_id IN ({marks}))
        GROUP BY k.id ORDER BY codings DESC, k.name COLLATE NOCASE
        """,
        [*params, *live_ids],
    )
    return {
        "codes_in_no_theme": unthemed,
        "themes_on_one_participant": [
            {"theme": t["name"], "participant": t["participant_names"][0]} for t in reviewed if t["participants"] == 1
        ],
        "themes_mostly_one_transcript": [
            {"theme": t["name"], "transcript": t["top_transcript"]["name"], "share": t["top_transcript"]["share"]}
            for t in reviewed
            if t["transcripts"] > 1
            and t["extracts"] >= DOMINANT_MIN_EXTRACTS
            and t["top_transcript"]["share"] > DOMINANT_SHARE
        ],
        "themes_without_definition": [t["name"] for t in reviewed if not t["has_definition"]],
    }


def theme_overlaps(
    project: Project, theme_ids: list[int], closure: dict[int, set[int]], coded_by: str | None = None
) -> dict[tuple[int, int], int]:
    """(a, b) -> how many of theme a's extracts share at least one character with an extract of
    theme b. Vectorised over all coded passages at once: every transcript is laid end to end on one
    number line, the line is cut at every passage boundary, and for each theme a prefix count of the
    pieces it covers tells in O(1) whether a passage touches that theme."""
    import numpy as np  # comes with matplotlib, a dependency; loaded only for the review

    if not theme_ids:
        return {}
    params: list[Any] = []
    clause = ""
    if coded_by is not None:
        clause = "AND analyst_id = ?"
        params.append(project.analyst_id(coded_by))
    # Rows repeat when two analysts coded the same passage; grouping by passage below folds them.
    rows = np.array(
        project.db.execute(
            f"SELECT transcript_id, start, [end], code_id FROM codings"
            f" WHERE code_id IN (SELECT code_id FROM theme_codes) {clause}",
            params,
        ).fetchall(),
        dtype=np.int64,
    ).reshape(-1, 4)
    if not len(rows):
        return {}
    column = {theme_id: i for i, theme_id in enumerate(theme_ids)}
    code_ids = np.unique(rows[:, 3])
    code_themes = np.zeros((len(code_ids), len(theme_ids)), dtype=bool)
    code_row = {int(code_id): i for i, code_id in enumerate(code_ids)}
    for theme_id in theme_ids:
        for code_id in closure[theme_id]:
            if code_id in code_row:
                code_themes[code_row[code_id], column[theme_id]] = True

    _, transcript_rank = np.unique(rows[:, 0], return_inverse=True)
    span = int(rows[:, 2].max()) + 1
    starts = transcript_rank.reshape(-1) * span + rows[:, 1]
    ends = transcript_rank.reshape(-1) * span + rows[:, 2]
    # Sort the rows by passage; a passage belongs to every theme of any code it was coded with.
    order = np.lexsort((ends, starts))
    starts, ends = starts[order], ends[order]
    firsts = np.flatnonzero(np.r_[True, (np.diff(starts) != 0) | (np.diff(ends) != 0)])
    member = np.logical_or.reduceat(code_themes[np.searchsorted(code_ids, rows[order, 3])], firsts, axis=0)
    p_start, p_end = starts[firsts], ends[firsts]

    cuts = np.unique(np.r_[p_start, p_end])
    first_piece = np.searchsorted(cuts, p_start)
    end_piece = np.searchsorted(cuts, p_end)
    touches = np.zeros(member.shape, dtype=np.float32)
    for j in range(len(theme_ids)):
        mine = member[:, j]
        if not mine.any():
            continue
        opened = np.bincount(first_piece[mine], minlength=len(cuts) + 1)
        closed = np.bincount(end_piece[mine], minlength=len(cuts) + 1)
        covered = np.cumsum(opened - closed)[: len(cuts)] > 0
        prefix = np.r_[0, np.cumsum(covered)]
        touches[:, j] = (prefix[end_piece] - prefix[first_piece]) > 0
    counts = member.astype(np.float32).T @ touches
    return {
        (a, b): int(counts[column[a], column[b]])
        for a in theme_ids
        for b in theme_ids
        if a != b and counts[column[a], column[b]]
    }


def _closure_codes(project: Project, themes: dict[int, dict[str, Any]]) -> dict[int, set[int]]:
    """Each theme's codes together with its subthemes' codes."""
    direct: dict[int, set[int]] = defaultdict(set)
    for theme_id, code_id in project.db.execute("SELECT theme_id, code_id FROM theme_codes"):
        direct[theme_id].add(code_id)
    closure: dict[int, set[int]] = defaultdict(set)
    for theme_id in themes:
        current: int | None = theme_id
        while current is not None:
            closure[current] |= direct[theme_id]
            current = themes[current]["parent_id"]
    return closure


def _relatives(themes: dict[int, dict[str, Any]]) -> dict[int, set[int]]:
    """Each theme's ancestors and descendants."""
    related: dict[int, set[int]] = defaultdict(set)
    for theme_id in themes:
        parent = themes[theme_id]["parent_id"]
        while parent is not None:
            related[theme_id].add(parent)
            related[parent].add(theme_id)
            parent = themes[parent]["parent_id"]
    return related


def _under_discarded(theme: dict[str, Any], themes: dict[int, dict[str, Any]]) -> bool:
    parent = theme["parent_id"]
    while parent is not None:
        if themes[parent]["status"] == "discarded":
            return True
        parent = themes[parent]["parent_id"]
    return False


def _depth(theme: dict[str, Any], themes: dict[int, dict[str, Any]]) -> int:
    depth, parent = 0, theme["parent_id"]
    while parent is not None:
        depth, parent = depth + 1, themes[parent]["parent_id"]
    return depth


def _display_order(rows: list[dict[str, Any]]) -> list[int]:
    """Theme ids depth-first, each level in the analysts' order (rows come sorted by position)."""
    ids = {r["id"] for r in rows}
    children: dict[int | None, list[int]] = defaultdict(list)
    for row in rows:
        children[row["parent_id"] if row["parent_id"] in ids else None].append(row["id"])
    ordered: list[int] = []

    def walk(parent: int | None) -> None:
        for child in children[parent]:
            ordered.append(child)
            walk(child)

    walk(None)
    return ordered
