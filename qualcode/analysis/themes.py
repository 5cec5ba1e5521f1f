"""Themes and subthemes: looking them up, building them from codes, naming, defining, ordering,
linking and merging them.

A subtheme is a theme with a parent; a code may belong to several themes. Every change is one
audited transaction, validated before anything is written. Chosen quotes are in theme_quotes,
counting and sampling a theme's extracts in theme_extracts, and the tree and details that
`theme list` and `theme show` print in theme_overview.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.analysis.coding import get_active_code, get_code
from qualcode.errors import InvalidInput, NotFound
from qualcode.names import is_meaningful_name, name_fault, one_of, spelled_as_stored, unknown_name_message
from qualcode.store import Change, Project, new_guid
from qualcode.wording import shell_command

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
    def named(spelling: str):
        return project.db.execute(
            "SELECT id, name, definition, concept, parent_id, status, position FROM themes WHERE name = ?", [spelling]
        ).fetchone()

    row = named(" ".join(name.split()))
    if row is None:  # "Clients' space" for "Clients’ space"
        stored = spelled_as_stored(name, theme_names(project))
        row = named(stored) if stored else None
    if row is None:
        raise NotFound(unknown_name_message("theme", name, theme_names(project), shell_command("theme", "add", name)))
    return Theme(*row)


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


def code_ids_of(project: Project, theme_ids: Sequence[int]) -> set[int]:
    marks = ",".join("?" for _ in theme_ids)
    return {
        r[0]
        for r in project.db.execute(f"SELECT code_id FROM theme_codes WHERE theme_id IN ({marks})", list(theme_ids))
    }


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not is_meaningful_name(name):
        raise InvalidInput(f"'{name}' is not a usable theme name: {name_fault(name)}")
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


def next_quote_position(project: Project, theme_id: int) -> int:
    """Where a quote added to the theme goes: after its others (choosing one, or merging themes)."""
    row = project.db.execute("SELECT max(position) FROM theme_quotes WHERE theme_id = ?", [theme_id]).fetchone()
    return (row[0] or 0) + 1


def all_themes(project: Project) -> list[dict[str, Any]]:
    """Every theme row in the analysts' order (position, then name)."""
    return project.query(
        "SELECT id, name, definition, concept, parent_id, status, position FROM themes ORDER BY position, name COLLATE NOCASE"
    )


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
    present = code_ids_of(project, [target.id])
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
        target_codes = code_ids_of(project, [b.id])
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
    position = next_quote_position(change.project, target_id)
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
