"""The codebook and codings: add, describe, rename, move, merge, split, delete; apply and remove.

Codes are shared by all analysts of a project; every coding records its analyst. A merged code
is kept with status 'merged' and a pointer to the code that absorbed it, so history stays readable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from qualcode.analysis.visibility import Visibility, visible_to
from qualcode.errors import InvalidInput, NotFound
from qualcode.names import is_meaningful_name, name_fault, spelled_as_stored, unknown_name_message
from qualcode.store import Change, Project, new_guid
from qualcode.text.corpus import StoredTranscript, load_transcript
from qualcode.text.transcripts import Location
from qualcode.text.units import check_unit, unit_span
from qualcode.wording import counted, shell_command

if TYPE_CHECKING:
    from qualcode.text.search import Hit

# A colour-blind-safe palette (Okabe-Ito, then Tol's muted) for codes created without a colour.
PALETTE = [
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
]
COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Code:
    id: int
    name: str
    description: str | None
    inclusion: str | None
    exclusion: str | None
    parent_id: int | None
    color: str | None
    status: str
    merged_into_id: int | None
    codable: bool = True  # False: a category, which groups codes and is never applied itself


def code_names(
    project: Project, include_inactive: bool = False, viewer: str | None = None, seen: Visibility | None = None
) -> list[str]:
    """The codebook's names; under blind coding, those of the codes `viewer` may see (or that
    `seen`, worked out already, allows)."""
    where = "WHERE 1 = 1" if include_inactive else "WHERE status = 'active'"
    seen = seen or visible_to(project.db, viewer)
    # Filtered here rather than by an IN list of every visible code's id: Tab completion and the
    # coding session ask for the names often, and SQLite parses a long IN list each time.
    rows = project.db.execute(f"SELECT id, name FROM codes {where} ORDER BY name")
    return [name for code_id, name in rows if seen.sees_code(code_id)]


def code_named(project: Project, name: str) -> tuple[int, str] | None:
    """(id, name) of the code a typed name means: one named so (names match ignoring case; the
    name as typed), or else one that differs only by the kind of quote ("Client's anger" for
    "Client’s anger", as an import from a word processor writes it; the name as stored). None
    when there is no such code."""
    typed = name.strip()
    row = project.db.execute("SELECT id FROM codes WHERE name = ?", [typed]).fetchone()
    if row:
        return row[0], typed
    stored = spelled_as_stored(typed, (r[0] for r in project.db.execute("SELECT name FROM codes")))
    row = project.db.execute("SELECT id FROM codes WHERE name = ?", [stored]).fetchone() if stored else None
    return (row[0], stored) if row and stored else None


def get_code(project: Project, name: str) -> Code:
    found = code_named(project, name)
    if found is None:
        raise NotFound(unknown_name_message("code", name, code_names(project), shell_command("code", "add", name)))
    row = project.db.execute(
        "SELECT id, name, description, inclusion, exclusion, parent_id, color, status, merged_into_id, codable"
        " FROM codes WHERE id = ?",
        [found[0]],
    ).fetchone()
    code_id, code_name, description, inclusion, exclusion, parent_id, color, status, merged_into, codable = row
    return Code(
        code_id, code_name, description, inclusion, exclusion, parent_id, color, status, merged_into, bool(codable)
    )


def get_codable_code(project: Project, name: str) -> Code:
    """An active code that can be applied: a category groups codes and holds no codings."""
    code = get_active_code(project, name)
    if not code.codable:
        raise InvalidInput(
            f"'{code.name}' is a category, which groups codes and is not applied itself: apply one of its codes,"
            f" or make it a code with {shell_command('code', 'describe', code.name, '--codable')}"
        )
    return code


def get_active_code(project: Project, name: str) -> Code:
    code = get_code(project, name)
    if code.status == "merged":
        target = project.db.execute("SELECT name FROM codes WHERE id = ?", [code.merged_into_id]).fetchone()[0]
        raise InvalidInput(f"code '{code.name}' was merged into '{target}'; use '{target}'")
    if code.status == "retired":
        raise InvalidInput(f"code '{code.name}' is retired")
    return code


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not is_meaningful_name(name):
        raise InvalidInput(f"'{name}' is not a usable code name: {name_fault(name)}")
    return name


def _check_color(color: str | None) -> str | None:
    if color is not None and not COLOR.match(color):
        raise InvalidInput(f"colour '{color}' is not a hex colour like #1f77b4")
    return color


def _next_color(project: Project) -> str:
    used = project.db.execute("SELECT count(*) FROM codes").fetchone()[0]
    return PALETTE[used % len(PALETTE)]


def insert_code(
    change: Change,
    name: str,
    *,
    description: str | None = None,
    parent: str | None = None,
    color: str | None = None,
    inclusion: str | None = None,
    exclusion: str | None = None,
    category: bool = False,
) -> int:
    project = change.project
    name = _check_name(name)
    existing = code_named(project, name)
    if existing:
        raise InvalidInput(f"a code named '{existing[1]}' already exists")
    parent_id = get_active_code(project, parent).id if parent else None
    return change.insert(
        "codes",
        {
            "name": name,
            "guid": new_guid(),
            "description": description,
            "inclusion": inclusion,
            "exclusion": exclusion,
            "parent_id": parent_id,
            "color": _check_color(color) or _next_color(project),
            "status": "active",
            "created": change.at,
            "created_by": change.analyst_id,
            **({"codable": 0} if category else {}),  # a code can be applied unless it is a category
        },
    )


def add_code(project: Project, analyst: str, name: str, **fields: Any) -> Code:
    with project.change(analyst, "code add") as change:
        insert_code(change, name, **fields)
    return get_code(project, _check_name(name))


def describe_code(project: Project, analyst: str, name: str, codable: bool | None = None, **fields: str | None) -> None:
    """Change a code's description, inclusion, exclusion or colour; `codable` False makes it a
    category (refused while codings apply it), True an ordinary code again."""
    code = get_code(project, name)
    changes: dict[str, str | int | None] = {
        k: v for k, v in fields.items() if v is not None and k in ("description", "inclusion", "exclusion")
    }
    if fields.get("color"):
        changes["color"] = _check_color(fields["color"])
    if codable is not None and codable != code.codable:
        if not codable:
            (applied,) = project.db.execute("SELECT count(*) FROM codings WHERE code_id = ?", [code.id]).fetchone()
            if applied:
                raise InvalidInput(
                    f"'{code.name}' has {counted(applied, 'coding')}, and a category holds none: move them to another code"
                    f" first ({shell_command('code', 'split', code.name, 'NEW', '--coding', 'ID')}) or keep it a code"
                )
        changes["codable"] = 1 if codable else 0
    if not changes and codable is None:
        raise InvalidInput(
            "nothing to change: give a description, --inclusion, --exclusion, --color, --category or --codable"
        )
    if not changes:
        return
    with project.change(analyst, "code describe") as change:
        change.update("codes", code.id, changes)


def rename_code(project: Project, analyst: str, old: str, new: str) -> None:
    code = get_code(project, old)
    new = _check_name(new)
    clash = code_named(project, new)
    if clash and clash[0] != code.id:
        raise InvalidInput(f"a code named '{clash[1]}' already exists")
    with project.change(analyst, "code rename") as change:
        change.update("codes", code.id, {"name": new})


def _ancestors(project: Project, code_id: int | None) -> list[int]:
    chain = []
    while code_id is not None:
        chain.append(code_id)
        code_id = project.db.execute("SELECT parent_id FROM codes WHERE id = ?", [code_id]).fetchone()[0]
    return chain


def move_code(project: Project, analyst: str, name: str, parent: str | None) -> None:
    code = get_code(project, name)
    parent_id = get_active_code(project, parent).id if parent else None
    if parent_id is not None and code.id in _ancestors(project, parent_id):
        raise InvalidInput(f"'{name}' cannot move under '{parent}': a code cannot be its own ancestor")
    with project.change(analyst, "code move") as change:
        change.update("codes", code.id, {"parent_id": parent_id})


class Merged(NamedTuple):
    moved: int  # codings now coded with the target
    folded: int  # codings dropped because the same analyst had already coded the span with the target


def merge_codes(project: Project, analyst: str, source: str, target: str) -> Merged:
    """Move every coding of `source` to `target`; `source` stays as 'merged into target'.
    A coding identical to one the same analyst made with `target` is folded into it."""
    a, b = get_active_code(project, source), get_active_code(project, target)
    if a.id == b.id:
        raise InvalidInput(f"cannot merge '{a.name}' into itself")
    if a.id in _ancestors(project, b.parent_id):
        raise InvalidInput(f"cannot merge '{a.name}' into its own child '{b.name}'; move '{b.name}' out first")
    if not b.codable and project.db.execute("SELECT 1 FROM codings WHERE code_id = ?", [a.id]).fetchone():
        get_codable_code(project, target)  # its codings would land on a category: refused
    moved = folded = 0
    with project.change(analyst, "code merge") as change:
        for coding_id, transcript_id, analyst_id, start, end in project.db.execute(
            "SELECT id, transcript_id, analyst_id, start, [end] FROM codings WHERE code_id = ?", [a.id]
        ).fetchall():
            twin = project.db.execute(
                "SELECT id FROM codings WHERE code_id = ? AND transcript_id = ? AND analyst_id = ? AND start = ? AND [end] = ?",
                [b.id, transcript_id, analyst_id, start, end],
            ).fetchone()
            if twin:
                _move_quotes(change, coding_id, twin[0])
                change.delete("codings", coding_id)
                folded += 1
            else:
                change.update("codings", coding_id, {"code_id": b.id})
                moved += 1
        for (child_id,) in project.db.execute("SELECT id FROM codes WHERE parent_id = ?", [a.id]).fetchall():
            change.update("codes", child_id, {"parent_id": b.id})
        # Themes that held the merged code now hold its successor, so they keep their extracts.
        for link_id, theme_id in project.db.execute(
            "SELECT id, theme_id FROM theme_codes WHERE code_id = ?", [a.id]
        ).fetchall():
            held = project.db.execute(
                "SELECT 1 FROM theme_codes WHERE theme_id = ? AND code_id = ?", [theme_id, b.id]
            ).fetchone()
            if held:
                change.delete("theme_codes", link_id)
            else:
                change.update("theme_codes", link_id, {"code_id": b.id})
        change.update("codes", a.id, {"status": "merged", "merged_into_id": b.id})
    return Merged(moved, folded)


def _move_quotes(change: Change, from_coding: int, to_coding: int) -> None:
    """A coding folded into its identical twin hands its theme quotes over (or drops a quote the
    theme already has), each audited: the schema would otherwise delete them unrecorded."""
    for quote_id, theme_id in change.db.execute(
        "SELECT id, theme_id FROM theme_quotes WHERE coding_id = ?", [from_coding]
    ).fetchall():
        held = change.db.execute(
            "SELECT 1 FROM theme_quotes WHERE theme_id = ? AND coding_id = ?", [theme_id, to_coding]
        ).fetchone()
        if held:
            change.delete("theme_quotes", quote_id)
        else:
            change.update("theme_quotes", quote_id, {"coding_id": to_coding})


def _delete_quotes(change: Change, coding_id: int) -> None:
    """Quotes chosen from a coding go with it, audited, so undo can bring them back."""
    for (quote_id,) in change.db.execute("SELECT id FROM theme_quotes WHERE coding_id = ?", [coding_id]).fetchall():
        change.delete("theme_quotes", quote_id)


def split_code(
    project: Project, analyst: str, source: str, new_name: str, coding_ids: Sequence[int], **fields: Any
) -> int:
    """Move the chosen codings of `source` to a new code (created under the same parent by default)."""
    code = get_active_code(project, source)
    if not coding_ids:
        raise InvalidInput("choose the codings to move with --coding ID (see `qualcode code show`)")
    with project.change(analyst, "code split") as change:
        parent = fields.pop("parent", None)
        if parent is None and code.parent_id is not None:
            parent = project.db.execute("SELECT name FROM codes WHERE id = ?", [code.parent_id]).fetchone()[0]
        new_id = insert_code(change, new_name, parent=parent, **fields)
        for coding_id in coding_ids:
            row = project.db.execute("SELECT code_id FROM codings WHERE id = ?", [coding_id]).fetchone()
            if row is None or row[0] != code.id:
                raise InvalidInput(f"coding {coding_id} is not a coding of '{code.name}'")
            change.update("codings", coding_id, {"code_id": new_id})
    return len(coding_ids)


def delete_code(project: Project, analyst: str, name: str, force: bool = False) -> int:
    """Delete a code; refuses while it has codings unless forced. Returns codings removed."""
    code = get_code(project, name)
    count = project.db.execute("SELECT count(*) FROM codings WHERE code_id = ?", [code.id]).fetchone()[0]
    if count and not force:
        raise InvalidInput(
            f"code '{code.name}' has {count} coding{'' if count == 1 else 's'}; use --force to delete it with"
            f" {'it' if count == 1 else 'them'} (undo brings them back)"
        )
    children = project.db.execute("SELECT count(*) FROM codes WHERE parent_id = ?", [code.id]).fetchone()[0]
    with project.change(analyst, "code delete") as change:
        for (coding_id,) in project.db.execute("SELECT id FROM codings WHERE code_id = ?", [code.id]).fetchall():
            _delete_quotes(change, coding_id)
            change.delete("codings", coding_id)
        for (link_id,) in project.db.execute("SELECT id FROM theme_codes WHERE code_id = ?", [code.id]).fetchall():
            change.delete("theme_codes", link_id)
        if children:
            for (child_id,) in project.db.execute("SELECT id FROM codes WHERE parent_id = ?", [code.id]).fetchall():
                change.update("codes", child_id, {"parent_id": code.parent_id})
        for (merged_id,) in project.db.execute("SELECT id FROM codes WHERE merged_into_id = ?", [code.id]).fetchall():
            change.update("codes", merged_id, {"merged_into_id": None, "status": "retired"})
        change.delete("codes", code.id)
    return count


# -- codings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    coding_id: int
    code: str
    transcript: str
    start: int
    end: int
    text: str


def insert_coding(
    change: Change, transcript_id: int, code_id: int, analyst_id: int, start: int, end: int
) -> int | None:
    """Insert one coding; None when this analyst already has the same code on the same span."""
    exists = change.db.execute(
        "SELECT 1 FROM codings WHERE transcript_id = ? AND code_id = ? AND analyst_id = ? AND start = ? AND [end] = ?",
        [transcript_id, code_id, analyst_id, start, end],
    ).fetchone()
    if exists:
        return None
    return change.insert(
        "codings",
        {
            "guid": new_guid(),
            "transcript_id": transcript_id,
            "code_id": code_id,
            "analyst_id": analyst_id,
            "start": start,
            "end": end,
            "created": change.at,
        },
    )


def check_codes(project: Project, codes: Sequence[str], create: bool = False, viewer: str | None = None) -> None:
    """Refuse, before anything is written or asked, codes that cannot be applied: unknown ones
    (unless `create`), merged or retired ones, and names that are blank or only punctuation.
    Under blind coding a code hidden from `viewer` is refused exactly as one that does not exist,
    so typing its name tells them nothing (with `create` they take it up, as code session does)."""
    if not codes:
        raise InvalidInput("name at least one code to apply")
    seen = visible_to(project.db, viewer)
    for name in codes:
        row = code_named(project, name)
        if row and (create or seen.sees_code(row[0])):
            get_codable_code(project, name)
        elif create:
            _check_name(name)
        else:
            raise NotFound(
                unknown_name_message("code", name, code_names(project, seen=seen), shell_command("code", "add", name))
                + " (or create it as you apply it with --new)"
            )


def apply_codes(
    project: Project,
    analyst: str,
    codes: Sequence[str],
    transcript: str | StoredTranscript,
    locations: Sequence[Location] | None = None,
    spans: Sequence[tuple[int, int]] | None = None,
    create: bool = False,
) -> list[Applied]:
    """Code passages of one transcript with one or more codes. Locations are resolved before
    anything is written, so a bad location or an unknown code changes nothing."""
    stored = transcript if isinstance(transcript, StoredTranscript) else load_transcript(project, transcript)
    resolved = [stored.resolve(location) for location in (locations or [])] + list(spans or [])
    if not resolved:
        raise InvalidInput("give a location: --lines, --turns, --chars or --match")
    return apply_to_passages(project, analyst, codes, {stored.name: resolved}, create=create)[0]


@dataclass(frozen=True)
class HitPassage:
    """The passage a coding from search makes: one or more hits' sentence, turn, or the hit."""

    transcript: str
    start: int
    end: int
    text: str
    lines: str
    turn: int | None
    hits: tuple[Hit, ...]


def passages_for_hits(project: Project, hits: Sequence[Hit], unit: str) -> list[HitPassage]:
    """The passages `unit` (match, sentence or turn) makes of search hits, in the hits' order;
    hits in one passage (two in a sentence) make it once."""
    unit = check_unit(unit)
    stored: dict[str, StoredTranscript] = {}
    found: dict[tuple[str, int, int], list[Hit]] = {}
    for hit in hits:
        if hit.transcript not in stored:
            stored[hit.transcript] = load_transcript(project, hit.transcript)
        transcript = stored[hit.transcript]
        start, end = unit_span(transcript.text, transcript.turns[hit.turn - 1], hit.start, hit.end, unit)
        found.setdefault((hit.transcript, start, end), []).append(hit)
    passages = []
    for (name, start, end), held in found.items():
        where = stored[name].locate(start, end)
        passages.append(
            HitPassage(name, start, end, stored[name].text[start:end], where["lines"], where["turn"], tuple(held))
        )
    return passages


def apply_to_passages(
    project: Project,
    analyst: str,
    codes: Sequence[str],
    passages: Mapping[str, Sequence[tuple[int, int]]],
    *,
    create: bool = False,
    skip_existing: bool = False,
) -> tuple[list[Applied], int]:
    """Code spans in several transcripts in one transaction. An existing identical coding by the
    same analyst is refused, or skipped and counted with `skip_existing`.
    Returns (codings made, duplicates skipped)."""
    check_codes(project, codes, create=create, viewer=analyst)
    stored = {name: load_transcript(project, name) for name in passages}
    for name, spans in passages.items():
        for start, end in spans:
            if not 0 <= start < end <= len(stored[name].text):
                raise InvalidInput(
                    f"--chars {start}-{end} is outside {name}, which has {len(stored[name].text)} characters"
                )
    analyst_id = project.analyst_id(analyst)
    applied: list[Applied] = []
    skipped = 0
    with project.change(analyst_id, "code apply") as change:
        for code_name in codes:
            if create and not project.db.execute("SELECT 1 FROM codes WHERE name = ?", [code_name.strip()]).fetchone():
                code_id = insert_code(change, code_name)
                code_name = _check_name(code_name)
            else:
                code = get_codable_code(project, code_name)
                code_id, code_name = code.id, code.name
            for name, spans in passages.items():
                transcript = stored[name]
                for start, end in spans:
                    coding_id = insert_coding(change, transcript.id, code_id, analyst_id, start, end)
                    if coding_id is None:
                        if skip_existing:
                            skipped += 1
                            continue
                        raise InvalidInput(
                            f"{analyst} already coded this passage ({transcript.name}, chars {start}-{end})"
                            f" with '{code_name}'"
                        )
                    applied.append(
                        Applied(coding_id, code_name, transcript.name, start, end, transcript.text[start:end])
                    )
    return applied, skipped


def remove_coding(project: Project, analyst: str, coding_id: int, force: bool = False) -> dict[str, Any]:
    row = project.query(
        "SELECT c.id, c.analyst_id, a.name AS analyst, k.name AS code, t.name AS transcript, c.start, c.[end]"
        " FROM codings c JOIN analysts a ON a.id = c.analyst_id JOIN codes k ON k.id = c.code_id"
        " JOIN transcripts t ON t.id = c.transcript_id WHERE c.id = ?",
        [coding_id],
    )
    if not row:
        raise NotFound(f"no coding {coding_id}; `qualcode code show CODE` lists coding ids")
    coding = row[0]
    if coding["analyst"].lower() != analyst.lower() and not force:
        raise InvalidInput(
            f"coding {coding_id} is {coding['analyst']}'s; use --force to remove another analyst's coding"
        )
    with project.change(analyst, "code remove") as change:
        _delete_quotes(change, coding_id)
        change.delete("codings", coding_id)
    return coding
