"""Themes and subthemes: building them from codes, defining and naming them, choosing quotes.

A subtheme is a theme with a parent; a code may belong to several themes. The *extracts* of a
theme are the passages coded with a code assigned to the theme or to any of its subthemes, by
every analyst unless one is named. A passage is one distinct span of text (transcript, start, end):
the same words coded with two of the theme's codes, or by two analysts, count once, while
`codings` counts every coding. Participants are counted by pseudonym; a transcript without a
participant stands for a participant of its own.

Every change is one audited transaction, validated before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.analysis.coding import get_active_code, get_code
from qualcode.analysis.retrieval import with_text_and_location
from qualcode.errors import InvalidInput, NotFound
from qualcode.names import is_meaningful_name, one_of, unknown_name_message
from qualcode.store import Change, Project, new_guid

STATUSES = ("candidate", "reviewed", "final", "discarded")


@dataclass(frozen=True)
class Theme:
    id: int
    name: str
    definition: str | None
    concept: str | None
    parent_id: int | None
    status: str
    position: int


# -- looking themes up --------------------------------------------------------------------


def theme_names(project: Project, include_discarded: bool = True) -> list[str]:
    where = "" if include_discarded else "WHERE status != 'discarded'"
    return [r[0] for r in project.db.execute(f"SELECT name FROM themes {where} ORDER BY name")]


def get_theme(project: Project, name: str) -> Theme:
    row = project.db.execute(
        "SELECT id, name, definition, concept, parent_id, status, position FROM themes WHERE name = ?",
        [" ".join(name.split())],
    ).fetchone()
    if row is None:
        raise NotFound(unknown_name_message("theme", name, theme_names(project), f'qualcode theme add "{name}"'))
    return Theme(*row)


def _theme_name(project: Project, theme_id: int) -> str:
    return project.db.execute("SELECT name FROM themes WHERE id = ?", [theme_id]).fetchone()[0]


def _parents(project: Project) -> dict[int, int | None]:
    return dict(project.db.execute("SELECT id, parent_id FROM themes").fetchall())


def ancestors(project: Project, theme_id: int) -> list[int]:
    """The theme's parent, grandparent … up to its top-level theme."""
    parents, chain = _parents(project), []
    current = parents.get(theme_id)
    while current is not None:
        chain.append(current)
        current = parents.get(current)
    return chain


def with_subthemes(project: Project, theme_id: int) -> list[int]:
    """The theme and every subtheme below it, at any depth."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for child, parent in _parents(project).items():
        children[parent].append(child)
    found, stack = [], [theme_id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children[current])
    return found


def _code_ids_of(project: Project, theme_ids: Sequence[int]) -> set[int]:
    marks = ",".join("?" for _ in theme_ids)
    return {
        r[0]
        for r in project.db.execute(f"SELECT code_id FROM theme_codes WHERE theme_id IN ({marks})", list(theme_ids))
    }


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not is_meaningful_name(name):
        raise InvalidInput(f"'{name}' is not a usable theme name: it needs a letter or a digit")
    return name


def _check_unique(project: Project, name: str, except_id: int | None = None) -> None:
    clash = project.db.execute("SELECT id, name FROM themes WHERE name = ?", [name]).fetchone()
    if clash and clash[0] != except_id:
        raise InvalidInput(f"a theme named '{clash[1]}' already exists (theme names ignore case)")


def check_status(status: str) -> str:
    return one_of(status, STATUSES, "theme status", "statuses")


def _next_position(project: Project, parent_id: int | None) -> int:
    row = project.db.execute("SELECT max(position) FROM themes WHERE parent_id IS ?", [parent_id]).fetchone()
    return (row[0] or 0) + 1


def _optional_text(text: str | None) -> str | None:
    """Blank text is stored as no text."""
    if text is None:
        return None
    return text.strip() or None


# -- building themes ----------------------------------------------------------------------


def add_theme(
    project: Project,
    analyst: str,
    name: str,
    *,
    parent: str | None = None,
    definition: str | None = None,
    concept: str | None = None,
    codes: Sequence[str] = (),
) -> Theme:
    """A new candidate theme (a subtheme when it has a parent), optionally with codes."""
    name = _check_name(name)
    _check_unique(project, name)
    parent_id = get_theme(project, parent).id if parent else None
    code_ids = [get_active_code(project, code).id for code in codes]
    with project.change(analyst, "theme add") as change:
        theme_id = change.insert(
            "themes",
            {
                "name": name,
                "guid": new_guid(),
                "definition": _optional_text(definition),
                "concept": _optional_text(concept),
                "parent_id": parent_id,
                "status": "candidate",
                "position": _next_position(project, parent_id),
                "created": change.at,
                "created_by": change.analyst_id,
            },
        )
        for code_id in dict.fromkeys(code_ids):
            change.insert("theme_codes", {"theme_id": theme_id, "code_id": code_id})
    return get_theme(project, name)


def assign_codes(project: Project, analyst: str, codes: Sequence[str], theme: str) -> list[str]:
    """Put codes into a theme. Returns the names newly assigned (codes already there are skipped)."""
    if not codes:
        raise InvalidInput("name at least one code to assign")
    target = get_theme(project, theme)
    found = [get_active_code(project, code) for code in codes]
    present = _code_ids_of(project, [target.id])
    added: list[str] = []
    with project.change(analyst, "theme assign") as change:
        for code in found:
            if code.id not in present:
                change.insert("theme_codes", {"theme_id": target.id, "code_id": code.id})
                present.add(code.id)
                added.append(code.name)
    return added


def unassign_codes(project: Project, analyst: str, codes: Sequence[str], theme: str) -> list[str]:
    """Take codes out of a theme; a code that is not in it is an error, and nothing changes."""
    if not codes:
        raise InvalidInput("name at least one code to unassign")
    target = get_theme(project, theme)
    links = []
    for name in codes:
        code = get_code(project, name)
        row = project.db.execute(
            "SELECT id FROM theme_codes WHERE theme_id = ? AND code_id = ?", [target.id, code.id]
        ).fetchone()
        if row is None:
            raise InvalidInput(f"code '{code.name}' is not in theme '{target.name}'")
        links.append((row[0], code.name))
    with project.change(analyst, "theme unassign") as change:
        for link_id in dict(links):
            change.delete("theme_codes", link_id)
    return list(dict.fromkeys(name for _, name in links))


def rename_theme(project: Project, analyst: str, old: str, new: str) -> Theme:
    theme = get_theme(project, old)
    new = _check_name(new)
    _check_unique(project, new, except_id=theme.id)
    with project.change(analyst, "theme rename") as change:
        change.update("themes", theme.id, {"name": new})
    return get_theme(project, new)


def move_theme(project: Project, analyst: str, name: str, parent: str | None) -> None:
    """Make a theme a subtheme of `parent`, or a top-level theme when parent is None."""
    theme = get_theme(project, name)
    parent_id = get_theme(project, parent).id if parent else None
    if parent_id is not None and (parent_id == theme.id or theme.id in ancestors(project, parent_id)):
        raise InvalidInput(f"'{theme.name}' cannot move under '{parent}': a theme cannot become its own ancestor")
    if parent_id == theme.parent_id:
        raise InvalidInput(f"'{theme.name}' is already " + (f"under '{parent}'" if parent else "a top-level theme"))
    with project.change(analyst, "theme move") as change:
        change.update("themes", theme.id, {"parent_id": parent_id, "position": _next_position(project, parent_id)})


def define_theme(
    project: Project, analyst: str, name: str, definition: str | None = None, concept: str | None = None
) -> None:
    """Set the definition and/or the central organising concept (what holds the theme together)."""
    theme = get_theme(project, name)
    changes = {k: v.strip() for k, v in (("definition", definition), ("concept", concept)) if v is not None}
    if not changes:
        raise InvalidInput("nothing to change: give a definition, a concept, or both")
    if any(not v for v in changes.values()):
        raise InvalidInput("the definition or concept is empty; nothing changed")
    with project.change(analyst, "theme define") as change:
        change.update("themes", theme.id, changes)


def set_theme_status(project: Project, analyst: str, name: str, status: str) -> None:
    theme = get_theme(project, name)
    status = check_status(status)
    if status == theme.status:
        raise InvalidInput(f"theme '{theme.name}' is already {status}")
    with project.change(analyst, "theme status") as change:
        change.update("themes", theme.id, {"status": status})


def link_themes(project: Project, analyst: str, source: str, target: str, label: str | None = None) -> None:
    """A labelled relation from one theme to another, drawn on the map; relabels an existing one."""
    a, b = get_theme(project, source), get_theme(project, target)
    if a.id == b.id:
        raise InvalidInput(f"a theme cannot be linked to itself ('{a.name}')")
    label = _optional_text(label)
    existing = project.db.execute(
        "SELECT id FROM theme_links WHERE source_id = ? AND target_id = ?", [a.id, b.id]
    ).fetchone()
    with project.change(analyst, "theme link") as change:
        if existing:
            change.update("theme_links", existing[0], {"label": label})
        else:
            change.insert("theme_links", {"source_id": a.id, "target_id": b.id, "label": label})


def unlink_themes(project: Project, analyst: str, source: str, target: str) -> None:
    a, b = get_theme(project, source), get_theme(project, target)
    existing = project.db.execute(
        "SELECT id FROM theme_links WHERE source_id = ? AND target_id = ?", [a.id, b.id]
    ).fetchone()
    if existing is None:
        raise NotFound(f"no link from '{a.name}' to '{b.name}'")
    with project.change(analyst, "theme unlink") as change:
        change.delete("theme_links", existing[0])


def order_themes(project: Project, analyst: str, names: Sequence[str]) -> None:
    """Put the named themes first among their siblings, in the order given; the other siblings
    follow in their current order. Themes under different parents are ordered within each parent."""
    themes = [get_theme(project, name) for name in names]
    if not themes:
        raise InvalidInput("name the themes in the order you want them")
    seen: set[int] = set()
    for theme in themes:
        if theme.id in seen:
            raise InvalidInput(f"'{theme.name}' is named twice")
        seen.add(theme.id)
    updates: list[tuple[int, int]] = []
    for parent_id in dict.fromkeys(t.parent_id for t in themes):
        named = [t.id for t in themes if t.parent_id == parent_id]
        siblings = project.db.execute(
            "SELECT id, position FROM themes WHERE parent_id IS ? ORDER BY position, name", [parent_id]
        ).fetchall()
        current = dict(siblings)
        ordered = named + [tid for tid, _ in siblings if tid not in seen]
        updates += [(tid, i) for i, tid in enumerate(ordered, start=1) if current[tid] != i]
    with project.change(analyst, "theme order") as change:
        for theme_id, position in updates:
            change.update("themes", theme_id, {"position": position})


def merge_themes(project: Project, analyst: str, source: str, target: str) -> dict[str, int]:
    """Fold `source` into `target`: its codes, subthemes, links, quotes and memos move to
    `target`, and `source` is removed. Returns how many of each moved."""
    a, b = get_theme(project, source), get_theme(project, target)
    if a.id == b.id:
        raise InvalidInput(f"cannot merge '{a.name}' into itself")
    if a.id in ancestors(project, b.id):
        raise InvalidInput(f"cannot merge '{a.name}' into its own subtheme '{b.name}'; move '{b.name}' out first")
    moved = {"codes": 0, "subthemes": 0, "links": 0, "quotes": 0, "memos": 0}
    db = project.db
    with project.change(analyst, "theme merge") as change:
        target_codes = _code_ids_of(project, [b.id])
        for link_id, code_id in db.execute("SELECT id, code_id FROM theme_codes WHERE theme_id = ?", [a.id]).fetchall():
            if code_id in target_codes:
                change.delete("theme_codes", link_id)
            else:
                change.update("theme_codes", link_id, {"theme_id": b.id})
                moved["codes"] += 1
        position = _next_position(project, b.id)
        for (child_id,) in db.execute("SELECT id FROM themes WHERE parent_id = ? ORDER BY position", [a.id]).fetchall():
            change.update("themes", child_id, {"parent_id": b.id, "position": position})
            position += 1
            moved["subthemes"] += 1
        moved["links"] = _move_links(change, a.id, b.id)
        moved["quotes"] = _move_quotes(change, a.id, b.id)
        for (memo_id,) in db.execute(
            "SELECT id FROM memos WHERE target_type = 'theme' AND target_id = ?", [a.id]
        ).fetchall():
            change.update("memos", memo_id, {"target_id": b.id})
            moved["memos"] += 1
        change.delete("themes", a.id)
        change.note("theme merge", {"from": a.name, "into": b.name, **moved})
    return moved


def _move_links(change: Change, source_id: int, target_id: int) -> int:
    """Re-point the links of a merged theme; a link between the two merged themes, or one the
    target already has, is dropped."""
    moved = 0
    rows = change.db.execute(
        "SELECT id, source_id, target_id FROM theme_links WHERE source_id = ? OR target_id = ?", [source_id, source_id]
    ).fetchall()
    for link_id, start, end in rows:
        start = target_id if start == source_id else start
        end = target_id if end == source_id else end
        duplicate = change.db.execute(
            "SELECT 1 FROM theme_links WHERE source_id = ? AND target_id = ? AND id != ?", [start, end, link_id]
        ).fetchone()
        if start == end or duplicate:
            change.delete("theme_links", link_id)
        else:
            change.update("theme_links", link_id, {"source_id": start, "target_id": end})
            moved += 1
    return moved


def _move_quotes(change: Change, source_id: int, target_id: int) -> int:
    moved = 0
    chosen = {r[0] for r in change.db.execute("SELECT coding_id FROM theme_quotes WHERE theme_id = ?", [target_id])}
    position = _next_quote_position(change.project, target_id)
    for quote_id, coding_id in change.db.execute(
        "SELECT id, coding_id FROM theme_quotes WHERE theme_id = ? ORDER BY position", [source_id]
    ).fetchall():
        if coding_id in chosen:
            change.delete("theme_quotes", quote_id)
        else:
            change.update("theme_quotes", quote_id, {"theme_id": target_id, "position": position})
            position += 1
            moved += 1
    return moved


# -- quotes: the extracts chosen to illustrate a theme in the report ----------------------


def _next_quote_position(project: Project, theme_id: int) -> int:
    row = project.db.execute("SELECT max(position) FROM theme_quotes WHERE theme_id = ?", [theme_id]).fetchone()
    return (row[0] or 0) + 1


def choose_quote(project: Project, analyst: str, theme: str, coding_id: int) -> dict[str, Any]:
    """Choose a coded extract to illustrate a theme. Its code must be in the theme or one of its
    subthemes, so every quote in the report is evidence for the theme it stands under."""
    target = get_theme(project, theme)
    row = project.db.execute(
        "SELECT c.code_id, k.name FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.id = ?", [coding_id]
    ).fetchone()
    if row is None:
        raise NotFound(f'no coding {coding_id}; `qualcode theme show "{target.name}"` lists extracts with their ids')
    code_id, code_name = row
    if code_id not in _code_ids_of(project, with_subthemes(project, target.id)):
        raise InvalidInput(
            f"coding {coding_id} is coded '{code_name}', which is not in theme '{target.name}' or its subthemes;"
            f' assign it first with `qualcode theme assign "{code_name}" --to "{target.name}"`'
        )
    if project.db.execute(
        "SELECT 1 FROM theme_quotes WHERE theme_id = ? AND coding_id = ?", [target.id, coding_id]
    ).fetchone():
        raise InvalidInput(f"coding {coding_id} is already a chosen quote of '{target.name}'")
    with project.change(analyst, "theme quote") as change:
        change.insert(
            "theme_quotes",
            {"theme_id": target.id, "coding_id": coding_id, "position": _next_quote_position(project, target.id)},
        )
    return next(q for q in theme_quotes(project, target.name) if q["coding_id"] == coding_id)


def remove_quote(project: Project, analyst: str, theme: str, coding_id: int) -> None:
    target = get_theme(project, theme)
    row = project.db.execute(
        "SELECT id FROM theme_quotes WHERE theme_id = ? AND coding_id = ?", [target.id, coding_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"coding {coding_id} is not a chosen quote of '{target.name}'")
    with project.change(analyst, "theme quote remove") as change:
        change.delete("theme_quotes", row[0])


def theme_quotes(project: Project, theme: str) -> list[dict[str, Any]]:
    """The chosen quotes of a theme in order: coding id, text, transcript, participant, speaker,
    code, analyst, lines and turn."""
    target = get_theme(project, theme)
    ids = [
        r[0]
        for r in project.db.execute(
            "SELECT coding_id FROM theme_quotes WHERE theme_id = ? ORDER BY position, id", [target.id]
        )
    ]
    return passages_by_coding_id(project, ids)


def passages_by_coding_id(project: Project, coding_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Codings with their text and location, in the order of `coding_ids`."""

    if not coding_ids:
        return []
    marks = ",".join("?" for _ in coding_ids)
    rows = project.db.execute(
        f"""
        SELECT c.id, k.name, a.name, t.id, t.name, p.name, c.start, c.[end], c.created
        FROM codings c JOIN codes k ON k.id = c.code_id JOIN analysts a ON a.id = c.analyst_id
        JOIN transcripts t ON t.id = c.transcript_id LEFT JOIN participants p ON p.id = t.participant_id
        WHERE c.id IN ({marks}) ORDER BY t.id, c.start
        """,
        list(coding_ids),
    ).fetchall()
    by_id = {row["coding_id"]: row for row in with_text_and_location(project, rows)}
    return [by_id[i] for i in coding_ids if i in by_id]


# -- counting extracts --------------------------------------------------------------------


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


# -- reading themes -----------------------------------------------------------------------


def all_themes(project: Project) -> list[dict[str, Any]]:
    """Every theme row in the analysts' order (position, then name)."""
    return project.query(
        "SELECT id, name, definition, concept, parent_id, status, position FROM themes ORDER BY position, name COLLATE NOCASE"
    )


def theme_tree(project: Project, include_discarded: bool = False, coded_by: str | None = None) -> list[dict[str, Any]]:
    """Top-level themes, each with name, definition, concept, status, parent, position, its own
    codes, counts of extracts, codings, transcripts and participants (with its subthemes), and
    its subthemes nested the same way. Discarded themes, and everything under them, are left out
    unless asked for."""
    themes = all_themes(project)
    counts = passage_counts(project, coded_by)
    participant_of = participant_of_transcripts(project)
    codes: dict[int, list[str]] = defaultdict(list)
    for theme_id, name in project.db.execute(
        "SELECT tc.theme_id, k.name FROM theme_codes tc JOIN codes k ON k.id = tc.code_id ORDER BY k.name COLLATE NOCASE"
    ):
        codes[theme_id].append(name)
    children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for theme in themes:
        children[theme["parent_id"]].append(theme)

    def build(theme: dict[str, Any], parent: str | None) -> dict[str, Any]:
        return {
            "name": theme["name"],
            "status": theme["status"],
            "parent": parent,
            "position": theme["position"],
            "definition": theme["definition"],
            "concept": theme["concept"],
            "codes": codes[theme["id"]],
            **summarise_counts(counts.get(theme["id"], {}), participant_of),
            "subthemes": [
                build(child, theme["name"])
                for child in children[theme["id"]]
                if include_discarded or child["status"] != "discarded"
            ],
        }

    return [build(t, None) for t in children[None] if include_discarded or t["status"] != "discarded"]


def flatten_tree(tree: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    """The tree as rows in display order, each with its depth and without nested subthemes."""
    rows: list[dict[str, Any]] = []
    for theme in tree:
        rows.append({**{k: v for k, v in theme.items() if k != "subthemes"}, "depth": depth})
        rows += flatten_tree(theme["subthemes"], depth + 1)
    return rows


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
    code_ids = sorted(_code_ids_of(project, with_subthemes(project, theme_id)))
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


def theme_links(project: Project) -> list[dict[str, Any]]:
    return project.query(
        """
        SELECT a.name AS source, b.name AS target, l.label, a.status AS source_status, b.status AS target_status
        FROM theme_links l JOIN themes a ON a.id = l.source_id JOIN themes b ON b.id = l.target_id
        ORDER BY a.position, a.name, b.position, b.name
        """
    )


def theme_details(project: Project, name: str, coded_by: str | None = None, sample: int = 5) -> dict[str, Any]:
    """Everything `theme show` prints: definition, concept, subthemes, codes, links, memos,
    chosen quotes and a sample of extracts."""
    theme = get_theme(project, name)
    counts = passage_counts(project, coded_by)
    participant_of = participant_of_transcripts(project)
    family = with_subthemes(project, theme.id)
    parent = _theme_name(project, theme.parent_id) if theme.parent_id else None
    subthemes = [
        {"name": row["name"], "status": row["status"], **summarise_counts(counts.get(row["id"], {}), participant_of)}
        for row in project.query(
            "SELECT id, name, status FROM themes WHERE parent_id = ? ORDER BY position, name", [theme.id]
        )
    ]
    code_counts = code_passage_counts(project, coded_by)
    marks = ",".join("?" for _ in family)
    codes = [
        {
            "name": row["name"],
            "color": row["color"],
            "via": None if row["theme_id"] == theme.id else row["theme"],
            "extracts": code_counts.get(row["id"], (0, 0))[0],
            "participants": code_counts.get(row["id"], (0, 0))[1],
        }
        for row in project.query(
            f"""
            SELECT k.id, k.name, k.color, tc.theme_id, h.name AS theme
            FROM theme_codes tc JOIN codes k ON k.id = tc.code_id JOIN themes h ON h.id = tc.theme_id
            WHERE tc.theme_id IN ({marks}) ORDER BY tc.theme_id != ?, h.position, k.name COLLATE NOCASE
            """,
            [*family, theme.id],
        )
    ]
    links = [
        {"direction": "to", "theme": link["target"], "label": link["label"]}
        for link in theme_links(project)
        if link["source"] == theme.name
    ] + [
        {"direction": "from", "theme": link["source"], "label": link["label"]}
        for link in theme_links(project)
        if link["target"] == theme.name
    ]
    memos = project.query(
        "SELECT m.id, a.name AS analyst, m.kind, m.phase, m.created, m.body FROM memos m"
        " JOIN analysts a ON a.id = m.analyst_id WHERE m.target_type = 'theme' AND m.target_id = ?"
        " ORDER BY m.created, m.id",
        [theme.id],
    )
    own = counts.get(theme.id, {})
    return {
        "name": theme.name,
        "status": theme.status,
        "parent": parent,
        "definition": theme.definition,
        "concept": theme.concept,
        **summarise_counts(own, participant_of),
        "participants_total": len(set(participant_of.values())),
        "subthemes": subthemes,
        "codes": codes,
        "links": links,
        "memos": memos,
        "quotes": theme_quotes(project, theme.name),
        "sample": sample_extracts(project, theme.id, sample, coded_by, own),
    }
