"""Retrieving coded text: extracts of a code, the code tree with counts, matrices, co-occurrence."""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Any

from qualcode.analysis.coding import get_code
from qualcode.analysis.visibility import visible_to
from qualcode.errors import InvalidInput
from qualcode.names import natural_key, spelled_as_stored, unknown_name_message
from qualcode.store import Project
from qualcode.text.corpus import transcript_id
from qualcode.text.transcripts import LineIndex


def code_tree(project: Project, include_inactive: bool = False, viewer: str | None = None) -> list[dict[str, Any]]:
    """Codes in hierarchy order with depth and counts of codings, transcripts and participants
    (under blind coding, of the codes and codings `viewer` may see)."""
    seen = visible_to(project.db, viewer)
    coding_clause, coding_params = seen.codings_clause()
    code_clause, code_params = seen.codes_clause("id")
    counts = {
        row[0]: row[1:]
        for row in project.db.execute(
            f"""
            SELECT c.code_id, count(*), count(DISTINCT c.transcript_id), count(DISTINCT t.participant_id),
                   count(DISTINCT c.analyst_id)
            FROM codings c JOIN transcripts t ON t.id = c.transcript_id WHERE 1 = 1 {coding_clause}
            GROUP BY c.code_id
            """,
            coding_params,
        )
    }
    where = "WHERE 1 = 1" if include_inactive else "WHERE status = 'active'"
    codes = project.query(
        f"SELECT id, name, description, inclusion, exclusion, parent_id, color, status, codable FROM codes {where} {code_clause}",
        code_params,
    )
    children: dict[int | None, list[dict]] = defaultdict(list)
    ids = {c["id"] for c in codes}
    for code in codes:
        parent = code["parent_id"] if code["parent_id"] in ids else None
        children[parent].append(code)
    rows: list[dict[str, Any]] = []

    def walk(parent: int | None, depth: int, path: str) -> None:
        for code in sorted(children[parent], key=lambda c: natural_key(c["name"])):
            n = counts.get(code["id"], (0, 0, 0, 0))
            rows.append(
                {
                    "name": code["name"],
                    "parent": path or None,
                    "depth": depth,
                    "codings": n[0],
                    "transcripts": n[1],
                    "participants": n[2],
                    "analysts": n[3],
                    "color": code["color"],
                    "status": code["status"],
                    "category": not code["codable"],  # groups codes, is never applied itself
                    "description": code["description"],
                    "inclusion": code["inclusion"],
                    "exclusion": code["exclusion"],
                }
            )
            walk(code["id"], depth + 1, code["name"])

    walk(None, 0, "")
    return rows


def _attribute_filter(project: Project, attribute: str | None) -> tuple[str, list]:
    """The SQL that keeps a participant attribute's value; a key or value nobody has is refused
    with the nearest ones, since a typo would otherwise read as "no extracts"."""
    if not attribute:
        return "", []
    key, sep, value = attribute.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key:
        raise InvalidInput(f"--attribute takes KEY=VALUE, as in orientation=CBT (not '{attribute}')")
    keys = [r[0] for r in project.db.execute("SELECT DISTINCT key FROM participant_attributes ORDER BY key")]
    if key not in keys:
        raise InvalidInput(unknown_name_message("attribute", key, keys, "qualcode participant set NAME KEY=VALUE"))
    values = [
        r[0]
        for r in project.db.execute(
            "SELECT DISTINCT value FROM participant_attributes WHERE key = ? AND value != '' ORDER BY value", [key]
        )
    ]
    if value not in values:
        raise InvalidInput(f"no participant has {key}={value}; {key} is one of: {', '.join(values)}")
    return (
        " AND t.participant_id IN (SELECT participant_id FROM participant_attributes WHERE key = ? AND value = ?)",
        [key.strip(), value.strip()],
    )


def extracts(
    project: Project,
    code: str | None = None,
    *,
    analyst: str | None = None,
    participant: str | None = None,
    transcript: str | None = None,
    attribute: str | None = None,
    include_children: bool = False,
    viewer: str | None = None,
) -> list[dict[str, Any]]:
    """Every coded passage with its transcript, participant, speaker and location (under blind
    coding, only the passages `viewer` may see)."""
    where: list[str] = ["1 = 1"]
    params: list[int | str] = []
    seen_clause, seen_params = visible_to(project.db, viewer).codings_clause()
    if code is not None:
        found = get_code(project, code)
        ids = [found.id] + (_descendants(project, found.id) if include_children else [])
        where.append(f"c.code_id IN ({','.join('?' for _ in ids)})")
        params += ids
    if analyst:
        where.append("c.analyst_id = ?")
        params.append(project.analyst_id(analyst))
    if participant:
        known = sorted((r[0] for r in project.db.execute("SELECT name FROM participants")), key=natural_key)
        participant = spelled_as_stored(participant, known) or participant.strip()
        if not project.db.execute("SELECT 1 FROM participants WHERE name = ?", [participant]).fetchone():
            raise InvalidInput(unknown_name_message("participant", participant, known))
        where.append("p.name = ?")
        params.append(participant)
    if transcript:
        where.append("t.id = ?")
        params.append(transcript_id(project, transcript))
    clause, extra = _attribute_filter(project, attribute)
    rows = project.db.execute(
        f"""
        SELECT c.id, k.name, a.name, t.id, t.name, p.name, c.start, c.[end], c.created
        FROM codings c JOIN codes k ON k.id = c.code_id JOIN analysts a ON a.id = c.analyst_id
        JOIN transcripts t ON t.id = c.transcript_id LEFT JOIN participants p ON p.id = t.participant_id
        WHERE {" AND ".join(where)} {clause} {seen_clause}
        ORDER BY t.name, c.start, c.[end], k.name, a.name
        """,
        params + extra + seen_params,
    ).fetchall()
    # Transcripts as people read their names (P2 before P11); the sort keeps the order within each.
    keys = {name: natural_key(name) for name in {row[4] for row in rows}}
    rows.sort(key=lambda row: keys[row[4]])
    return with_text_and_location(project, rows)


def _descendants(project: Project, code_id: int) -> list[int]:
    found, frontier = [], [code_id]
    while frontier:
        frontier = [
            r[0]
            for r in project.db.execute(
                f"SELECT id FROM codes WHERE parent_id IN ({','.join('?' for _ in frontier)})", frontier
            )
        ]
        found += frontier
    return found


def with_text_and_location(project: Project, rows: list[tuple]) -> list[dict[str, Any]]:
    """Attach text, lines, turn and speaker, reading each transcript's text and turns once. A
    passage over several turns also says its last turn and every speaker (last_turn, speakers)."""
    results: list[dict[str, Any]] = []
    # The transcript last read; cache_id None matches no row, so the first row reads its own.
    cache_id, text, turn_starts, turns = None, "", [], []
    lines = LineIndex(text)
    for coding_id, code, analyst, tid, name, participant, start, end, created in rows:
        if tid != cache_id:
            cache_id = tid
            text = project.db.execute("SELECT text FROM transcripts WHERE id = ?", [tid]).fetchone()[0]
            lines = LineIndex(text)
            turns = project.db.execute(
                "SELECT start, number, speaker FROM turns WHERE transcript_id = ? ORDER BY start", [tid]
            ).fetchall()
            turn_starts = [t[0] for t in turns]
        first, last = lines.lines_of(start, end)
        i = bisect.bisect_right(turn_starts, start) - 1
        j = max(i, bisect.bisect_right(turn_starts, end - 1) - 1)
        turn = turns[i] if i >= 0 else (None, None, None)
        covered = turns[max(i, 0) : j + 1] if j >= 0 else []
        results.append(
            {
                "coding_id": coding_id,
                "code": code,
                "analyst": analyst,
                "transcript": name,
                "participant": participant,
                "speaker": turn[2],
                "turn": turn[1],
                "last_turn": covered[-1][1] if covered else turn[1],
                "speakers": list(dict.fromkeys(t[2] for t in covered if t[2])),
                "lines": f"{first}-{last}" if last != first else str(first),
                "start": start,
                "end": end,
                "text": text[start:end],
                "created": created,
            }
        )
    return results


def matrix(
    project: Project, by: str = "participant", analyst: str | None = None, viewer: str | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Codes (rows) by participants, or by the values of a participant attribute (columns):
    the number of codings in each cell. `by` is 'participant', 'transcript' or 'attribute:KEY'.
    Under blind coding only the codings `viewer` may see count."""
    analyst_clause, seen_params = visible_to(project.db, viewer).codings_clause()
    params: list[Any] = list(seen_params)
    if analyst:
        analyst_clause += " AND c.analyst_id = ?"
        params.append(project.analyst_id(analyst))
    if by == "participant":
        column_sql = "coalesce(p.name, '(none)')"
        join = "LEFT JOIN participants p ON p.id = t.participant_id"
    elif by == "transcript":
        column_sql, join = "t.name", ""
    elif by.startswith("attribute:"):
        key = by.split(":", 1)[1]
        known = [r[0] for r in project.db.execute("SELECT DISTINCT key FROM participant_attributes")]
        if key not in known:
            raise InvalidInput(unknown_name_message("attribute", key, known))
        column_sql = "coalesce(pa.value, '(not set)')"
        join = "LEFT JOIN participant_attributes pa ON pa.participant_id = t.participant_id AND pa.key = ?"
        params.insert(0, key)
    else:
        raise InvalidInput(f"--by takes participant, transcript or attribute:KEY, not '{by}'")
    cells = project.db.execute(
        f"""
        SELECT k.name, {column_sql} AS col, count(*)
        FROM codings c JOIN codes k ON k.id = c.code_id JOIN transcripts t ON t.id = c.transcript_id {join}
        WHERE 1 = 1 {analyst_clause}
        GROUP BY k.id, col
        """,
        params,
    ).fetchall()
    columns = sorted({c[1] for c in cells}, key=natural_key)
    table: dict[str, dict[str, Any]] = {}
    for code, column, count in cells:
        table.setdefault(code, {"code": code})[column] = count
    rows = []
    for code in sorted(table, key=str.lower):
        row = {"code": code, **{c: table[code].get(c, 0) for c in columns}}
        row["total"] = sum(row[c] for c in columns)
        rows.append(row)
    return columns, rows


def cooccurrence(
    project: Project, mode: str = "overlap", analyst: str | None = None, viewer: str | None = None
) -> list[dict[str, Any]]:
    """Pairs of codes that one analyst applied together: to overlapping passages (mode 'overlap':
    the count is the number of such pairs of codings) or within one speaker turn (mode 'turn': the
    count is the number of turns). One analyst's code never pairs with another's: two readings of
    the same passage are a matter for `compare`, not codes that occur together. Under blind
    coding only the codings `viewer` may see pair."""
    if mode not in ("overlap", "turn"):
        raise InvalidInput(f"--by takes overlap or turn, not '{mode}'")
    analyst_clause, seen_params = visible_to(project.db, viewer).codings_clause()
    params: list[Any] = list(seen_params)
    analyst_clause = "WHERE 1 = 1" + analyst_clause
    if analyst:
        analyst_clause += " AND c.analyst_id = ?"
        params.append(project.analyst_id(analyst))
    rows = project.db.execute(
        f"""
        SELECT c.transcript_id, c.analyst_id, c.start, c.[end], k.name
        FROM codings c JOIN codes k ON k.id = c.code_id {analyst_clause}
        ORDER BY c.transcript_id, c.analyst_id, c.start
        """,
        params,
    ).fetchall()
    by_transcript: dict[int, dict[int, list[tuple[int, int, str]]]] = defaultdict(lambda: defaultdict(list))
    for tid, coder, start, end, name in rows:
        by_transcript[tid][coder].append((start, end, name))
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for tid, by_analyst in by_transcript.items():
        if mode == "turn":
            turn_starts = [
                r[0]
                for r in project.db.execute("SELECT start FROM turns WHERE transcript_id = ? ORDER BY start", [tid])
            ]
            together: set[tuple[int, str, str]] = set()  # (turn, code, code): a turn counts once
            for spans in by_analyst.values():
                per_turn: dict[int, set[str]] = defaultdict(set)
                for start, end, name in spans:
                    first = bisect.bisect_right(turn_starts, start) - 1
                    last = bisect.bisect_right(turn_starts, end - 1) - 1
                    for turn in range(first, last + 1):
                        per_turn[turn].add(name)
                for turn, names in per_turn.items():
                    ordered = sorted(names, key=str.lower)
                    together.update((turn, a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
            for _, a, b in together:
                pairs[(a, b)] += 1
        else:
            for spans in by_analyst.values():
                active: list[tuple[int, int, str]] = []
                for start, end, name in spans:  # sorted by start: a sweep keeps the spans still open
                    active = [s for s in active if s[1] > start]
                    for _, _, other in active:
                        if other != name:
                            a, b = sorted((name, other), key=str.lower)
                            pairs[(a, b)] += 1
                    active.append((start, end, name))
    return [
        {"code_a": a, "code_b": b, "count": n}
        for (a, b), n in sorted(pairs.items(), key=lambda item: (-item[1], item[0][0].lower(), item[0][1].lower()))
    ]


def code_details(project: Project, name: str, analyst: str | None = None, viewer: str | None = None) -> dict[str, Any]:
    """Everything about one code: definition, place in the hierarchy, memos and every extract
    (under blind coding, of a code `viewer` may see, with the extracts they may see)."""
    code = get_code(project, name)
    if not visible_to(project.db, viewer).sees_code(code.id):
        raise InvalidInput(f"no code '{name}' among yours (other analysts' codes are hidden while coding is blind)")
    parent = (
        project.db.execute("SELECT name FROM codes WHERE id = ?", [code.parent_id]).fetchone()
        if code.parent_id
        else None
    )
    merged_into = (
        project.db.execute("SELECT name FROM codes WHERE id = ?", [code.merged_into_id]).fetchone()
        if code.merged_into_id
        else None
    )
    memos = project.query(
        "SELECT m.id, a.name AS analyst, m.kind, m.created, m.body FROM memos m JOIN analysts a ON a.id = m.analyst_id"
        " WHERE m.target_type = 'code' AND m.target_id = ? ORDER BY m.created, m.id",
        [code.id],
    )
    return {
        "name": code.name,
        "status": code.status,
        "merged_into": merged_into[0] if merged_into else None,
        "parent": parent[0] if parent else None,
        "children": sorted(
            (r[0] for r in project.db.execute("SELECT name FROM codes WHERE parent_id = ?", [code.id])), key=natural_key
        ),
        "color": code.color,
        "description": code.description,
        "inclusion": code.inclusion,
        "exclusion": code.exclusion,
        "memos": memos,
        "extracts": extracts(project, code.name, analyst=analyst, viewer=viewer),
    }
