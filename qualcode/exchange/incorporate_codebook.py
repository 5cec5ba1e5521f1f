"""Matching incoming codes and themes with those here, and what the themes hold (their codes,
links between themes, quotes). Codes and themes match by GUID, then by name; the same name with a
different description (or definition) is reported as a conflict, and the incoming codings then go
to the code already here, or, with a rename prefix, to a new code named PREFIX + name."""

from __future__ import annotations

import re
from typing import Any

from qualcode.analysis.themes import STATUSES
from qualcode.exchange.guids import normalise_guid
from qualcode.exchange.incorporate_plan import New, Planning, Ref, Tally, free_name, parents_first, squash
from qualcode.names import is_meaningful_name, name_fault

_HEX6 = re.compile(r"^#[0-9A-Fa-f]{6}$")
_HEX3 = re.compile(r"^#[0-9A-Fa-f]{3}$")


def plan_codes(planning: Planning) -> None:
    rows = planning.project.query(
        "SELECT id, name, guid, description, inclusion, exclusion, status, merged_into_id, codable FROM codes"
    )
    planning.categories.update({r["id"]: r["name"] for r in rows if not r["codable"]})
    by_id = {r["id"]: r for r in rows}
    by_guid = {r["guid"]: r for r in rows}
    by_name: dict[str, Any] = {r["name"].casefold(): r for r in rows}
    tally = planning.tallies["codes"]
    for code in parents_first(planning.incoming.codes, lambda c: c.parent_key):
        name = " ".join(code.name.split())
        if not is_meaningful_name(name):
            planning.notes.append(
                f"a code named '{code.name}' cannot be used ({name_fault(name)}); named 'Unnamed code'"
            )
            name = "Unnamed code"
        guid = normalise_guid(code.guid)
        resolved = _match(
            planning, code, name, guid, by_guid, by_name, "code", ("description", "inclusion", "exclusion")
        )
        if resolved is not None:
            planning.code_refs[code.key] = _active(resolved, by_id) if isinstance(resolved, dict) else resolved
            if isinstance(resolved, dict) and bool(resolved["codable"]) != code.codable:
                planning.notes.append(
                    f"code '{resolved['name']}' is {'a category' if code.codable is False else 'a code that is applied'}"
                    f" in {planning.incoming.label} and {'a category' if not resolved['codable'] else 'a code'} here;"
                    " kept this project's"
                )
            continue
        if name.casefold() in by_name:  # a clash kept apart by the rename prefix; its GUID is free
            name = f"{planning.rename_prefix}{name}"
        name = free_name(name, by_name)
        ref = New("code", code.key)
        row = {
            "name": name,
            "guid": planning.guid("codes", guid),
            "description": code.description or None,
            "inclusion": code.inclusion or None,
            "exclusion": code.exclusion or None,
            # A code the file gave no colour keeps none: an invented one would go out on the next export.
            "color": _colour(code.color),
            "created": code.created,
            "codable": 1 if code.codable else 0,
        }
        planning.plan.codes.append((ref, row, planning.code_refs.get(code.parent_key or "")))
        by_name[name.casefold()] = ref
        planning.code_refs[code.key] = ref
        if not code.codable:
            planning.categories[ref] = name
        tally.added += 1


def _match(
    planning: Planning,
    item: Any,
    name: str,
    guid: str | None,
    by_guid: dict[str, dict[str, Any]],
    by_name: dict[str, Any],
    kind: str,
    fields: tuple[str, ...],
) -> dict[str, Any] | New | None:
    """The code or theme here that `item` is (a row, or a planned New), or None to add it.

    By GUID it is the same item whatever its name or description; by name it is the same
    unless the descriptions (definitions) differ, which is reported. Fields empty here are
    filled from the incoming item.
    """
    tally = planning.tallies[f"{kind}s"]
    here = by_guid.get(guid) if guid else None
    if here is not None:
        if here["name"].casefold() != name.casefold():
            planning.notes.append(
                f"{kind} '{here['name']}' is called '{name}' in {planning.incoming.label}: matched by GUID"
            )
        for field_name in fields:
            ours, theirs = squash(here.get(field_name)), squash(getattr(item, field_name, None))
            if ours and theirs and ours != theirs:
                planning.notes.append(
                    f"{kind} '{here['name']}' has a different {field_name} in {planning.incoming.label}"
                    f" (matched by GUID); kept this project's: “{_clip(getattr(item, field_name))}”"
                )
    else:
        found = by_name.get(name.casefold())
        if found is None or isinstance(found, New):
            if found is not None:
                tally.matched += 1
            return found
        here, ours, theirs = found, squash(found[fields[0]]), squash(getattr(item, fields[0]))
        if ours and theirs and ours != theirs:
            tally.conflicts += 1
            if planning.rename_prefix:
                renamed = by_name.get(f"{planning.rename_prefix}{name}".casefold())
                if isinstance(renamed, dict) and squash(renamed[fields[0]]) in ("", theirs):
                    # Kept apart by an earlier run with the same prefix: that is the item, not a third one.
                    planning.conflicts.append(
                        f"{kind} '{here['name']}': same name, different {fields[0]} in {planning.incoming.label}; "
                        f"the incoming one is '{renamed['name']}' here already"
                    )
                    here = renamed
                    fills = {f: getattr(item, f) for f in fields if not here.get(f) and getattr(item, f, None)}
                    if fills:
                        planning.plan.updates.append((f"{kind}s", here["id"], fills))
                    return here
                outcome = f"kept both, the incoming one as '{free_name(planning.rename_prefix + name, by_name)}'"
            else:
                outcome = f"{'its codings go to' if kind == 'code' else 'merged into'} the {kind} here (use --rename-prefix to keep both)"
            planning.conflicts.append(
                f"{kind} '{here['name']}': same name, different {fields[0]} in {planning.incoming.label}; {outcome}"
            )
            return None if planning.rename_prefix else here
    fills = {f: getattr(item, f) for f in fields if not here.get(f) and getattr(item, f, None)}
    if fills:
        planning.plan.updates.append((f"{kind}s", here["id"], fills))
    tally.matched += 1
    return here


def _clip(text: str, limit: int = 80) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def _active(row: dict[str, Any], by_id: dict[int, Any]) -> int:
    """A code merged into another stands for the one that absorbed it."""
    seen = set()
    while row["status"] == "merged" and row["merged_into_id"] in by_id and row["id"] not in seen:
        seen.add(row["id"])
        row = by_id[row["merged_into_id"]]
    return row["id"]


def plan_themes(planning: Planning) -> None:
    rows = planning.project.query("SELECT id, name, guid, definition, concept FROM themes")
    by_guid = {r["guid"]: r for r in rows}
    by_name: dict[str, Any] = {r["name"].casefold(): r for r in rows}
    # A theme's position orders it among its siblings (themes.py): count on per parent.
    last_position: dict[Ref | None, int] = {
        parent: position or 0
        for parent, position in planning.project.db.execute(
            "SELECT parent_id, max(position) FROM themes GROUP BY parent_id"
        )
    }
    tally = planning.tallies["themes"]
    ordered = sorted(planning.incoming.themes, key=lambda t: t.position if t.position is not None else 1 << 30)
    for theme in parents_first(ordered, lambda t: t.parent_key):
        name = " ".join(theme.name.split())
        if not is_meaningful_name(name):
            planning.warnings.append(f"skipped theme '{theme.name}': the name has no letter or digit")
            tally.skipped += 1
            continue
        guid = normalise_guid(theme.guid)
        resolved = _match(planning, theme, name, guid, by_guid, by_name, "theme", ("definition", "concept"))
        if resolved is not None:
            planning.theme_refs[theme.key] = resolved["id"] if isinstance(resolved, dict) else resolved
            continue
        if name.casefold() in by_name:
            name = f"{planning.rename_prefix}{name}"
        name = free_name(name, by_name)
        ref = New("theme", theme.key)
        parent = planning.theme_refs.get(theme.parent_key or "")
        last_position[parent] = last_position.get(parent, 0) + 1
        row = {
            "name": name,
            "guid": planning.guid("themes", guid),
            "definition": theme.definition or None,
            "concept": theme.concept or None,
            "status": theme.status if theme.status in STATUSES else "candidate",
            # A project just created takes a full copy's order as it is; others append.
            "position": theme.position
            if planning.take_history and theme.position is not None
            else last_position[parent],
        }
        planning.plan.themes.append((ref, row, parent))
        by_name[name.casefold()] = ref
        planning.theme_refs[theme.key] = ref
        tally.added += 1


def plan_theme_members(planning: Planning) -> None:
    db = planning.project.db
    pairs = set(db.execute("SELECT theme_id, code_id FROM theme_codes"))
    links = set(db.execute("SELECT source_id, target_id FROM theme_links"))
    quotes = set(db.execute("SELECT theme_id, coding_id FROM theme_quotes"))
    for theme in planning.incoming.themes:
        theme_ref = planning.theme_refs.get(theme.key)
        for code_key in theme.code_keys:
            code_ref = planning.code_refs.get(code_key)
            pair = _member(planning.tallies["theme codes"], pairs, theme_ref, code_ref)
            if pair:
                planning.plan.theme_codes.append(pair)
    for link in planning.incoming.theme_links:
        source, target = planning.theme_refs.get(link.source_key), planning.theme_refs.get(link.target_key)
        if source is not None and source == target:
            continue
        pair = _member(planning.tallies["theme links"], links, source, target)
        if pair:
            planning.plan.theme_links.append((*pair, link.label))
    for quote in planning.incoming.quotes:
        theme_ref, coding_ref = planning.theme_refs.get(quote.theme_key), planning.coding_refs.get(quote.coding_key)
        pair = _member(planning.tallies["quotes"], quotes, theme_ref, coding_ref)
        if pair:
            planning.plan.quotes.append(pair)


def _member(
    tally: Tally, present: set[tuple[Ref, Ref]], first: Ref | None, second: Ref | None
) -> tuple[Ref, Ref] | None:
    """The pair when it is new (counted as added), else None: it is here already, or one of the
    two was not brought in."""
    if first is None or second is None:
        tally.skipped += 1
        return None
    if (first, second) in present:
        tally.matched += 1
        return None
    present.add((first, second))
    tally.added += 1
    return first, second


def _colour(value: str | None) -> str | None:
    if value and _HEX6.match(value):
        return value.upper()
    if value and _HEX3.match(value):
        return "#" + "".join(c * 2 for c in value[1:]).upper()
    return None
