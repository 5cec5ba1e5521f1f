"""Memos: familiarisation notes, reflexive, decision, code, theme, coding and phase memos.

Every memo records its analyst, when it was written and the phase the project was in, so the
reflexive journal can be read in order. A memo may be about one thing (a transcript, code, theme or
coding), stored as target_type + target_id so renaming that thing does not orphan the memo.
Memos belong to their author: editing or deleting someone else's needs `force`, and the audit log
names the command "(forced)" so the trail shows who overrode whom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.analysis.coding import get_code
from qualcode.errors import InvalidInput, NotFound
from qualcode.names import one_of, unknown_name_message
from qualcode.store import Change, Project, new_guid
from qualcode.text.corpus import transcript_id
from qualcode.text.normalise import normalise
from qualcode.wording import shell_command

MEMO_KINDS = ("familiarisation", "reflexive", "decision", "code", "theme", "phase", "coding")
TARGET_TYPES = ("transcript", "code", "theme", "coding")

# The kind a memo gets when none is given: a note on a transcript is usually written while
# reading it; a memo on a code, theme or coding is about that thing; anything else is reflexive.
DEFAULT_KIND = {
    "transcript": "familiarisation",
    "code": "code",
    "theme": "theme",
    "coding": "coding",
    None: "reflexive",
}


@dataclass(frozen=True)
class Target:
    type: str
    id: int
    name: str

    def __str__(self) -> str:
        return f"{self.type}:{self.name}"


def check_kind(kind: str) -> str:
    return one_of(kind, MEMO_KINDS, "memo kind", "kinds")


def check_body(body: str) -> str:
    """Memo text as stored: NFC, \\n line ends, no surrounding blank space; never empty."""
    text = normalise(body).strip()
    if not text:
        raise InvalidInput("the memo text is empty; write something, nothing was saved")
    return text


def _theme_names(project: Project) -> list[str]:
    return [r[0] for r in project.db.execute("SELECT name FROM themes ORDER BY name")]


def _theme_id(project: Project, name: str) -> int:
    row = project.db.execute("SELECT id FROM themes WHERE name = ?", [name.strip()]).fetchone()
    if row is None:
        raise NotFound(unknown_name_message("theme", name, _theme_names(project), shell_command("theme", "add", name)))
    return row[0]


def _coding_id(project: Project, value: str) -> int:
    if not value.strip().isdigit():
        raise InvalidInput(f"coding ids are numbers, as in --on coding:12 (not '{value}')")
    coding_id = int(value)
    if not project.db.execute("SELECT 1 FROM codings WHERE id = ?", [coding_id]).fetchone():
        raise NotFound(f"no coding {coding_id}; `qualcode code show CODE` lists coding ids")
    return coding_id


def _guess_type(project: Project, name: str) -> list[str]:
    """The target types under which `name` exists, to suggest a complete --on value."""
    found = []
    if project.db.execute("SELECT 1 FROM transcripts WHERE name = ?", [name]).fetchone():
        found.append("transcript")
    if project.db.execute("SELECT 1 FROM codes WHERE name = ?", [name]).fetchone():
        found.append("code")
    if project.db.execute("SELECT 1 FROM themes WHERE name = ?", [name]).fetchone():
        found.append("theme")
    return found


def resolve_target(project: Project, on: str) -> Target:
    """'transcript:P1', 'code:Rupture', 'theme:Anxiety as co-created' or 'coding:12'."""
    kind, sep, name = on.partition(":")
    kind, name = kind.strip().lower(), name.strip()
    if not sep:
        guesses = _guess_type(project, on.strip())
        hint = " or ".join(f"--on {g}:{on.strip()}" for g in guesses)
        raise InvalidInput(
            f"--on needs TYPE:NAME ({', '.join(TARGET_TYPES)}), "
            + (f"did you mean {hint}?" if guesses else "e.g. --on transcript:P1")
        )
    if kind not in TARGET_TYPES:
        raise InvalidInput(
            unknown_name_message("memo target type", kind, list(TARGET_TYPES)) + f" (types: {', '.join(TARGET_TYPES)})"
        )
    if not name:
        raise InvalidInput(
            f"--on {kind}: needs a name after the colon, e.g. --on {kind}:{'12' if kind == 'coding' else 'NAME'}"
        )
    if kind == "transcript":
        target_id = transcript_id(project, name)
        label = project.db.execute("SELECT name FROM transcripts WHERE id = ?", [target_id]).fetchone()[0]
    elif kind == "code":
        code = get_code(project, name)
        target_id, label = code.id, code.name
    elif kind == "theme":
        target_id = _theme_id(project, name)
        label = project.db.execute("SELECT name FROM themes WHERE id = ?", [target_id]).fetchone()[0]
    else:
        target_id = _coding_id(project, name)
        label = str(target_id)
    return Target(kind, target_id, label)


def insert_memo(change: Change, kind: str, body: str, phase: int, target: Target | None = None) -> int:
    """Write one memo inside an open change (used by add_memo and by phase changes)."""
    return change.insert(
        "memos",
        {
            "guid": new_guid(),
            "analyst_id": change.analyst_id,
            "kind": kind,
            "target_type": target.type if target else None,
            "target_id": target.id if target else None,
            "phase": phase,
            "body": body,
            "created": change.at,
            "updated": change.at,
        },
    )


def add_memo(project: Project, analyst: str, body: str, kind: str | None = None, on: str | None = None) -> int:
    """Save a memo written in the current phase; returns its id. Everything is checked first."""
    target = resolve_target(project, on) if on else None
    kind = check_kind(kind) if kind else DEFAULT_KIND[target.type if target else None]
    text = check_body(body)
    analyst_id = project.analyst_id(analyst)
    with project.change(analyst_id, "memo add") as change:
        return insert_memo(change, kind, text, project.current_phase(), target)


# The target as people type it, resolved to today's name; a target deleted since reads '#ID (deleted)'.
_MEMO_SELECT = """
    SELECT m.id, m.created, m.updated, a.name AS analyst, m.kind, m.phase,
           CASE m.target_type
               WHEN 'transcript' THEN 'transcript:' || coalesce(t.name, '#' || m.target_id || ' (deleted)')
               WHEN 'code' THEN 'code:' || coalesce(k.name, '#' || m.target_id || ' (deleted)')
               WHEN 'theme' THEN 'theme:' || coalesce(h.name, '#' || m.target_id || ' (deleted)')
               WHEN 'coding' THEN 'coding:' || m.target_id || coalesce(' (' || ck.name || ', ' || ct.name || ')', ' (deleted)')
           END AS target,
           m.target_type, m.target_id, m.body
    FROM memos m
    JOIN analysts a ON a.id = m.analyst_id
    LEFT JOIN transcripts t ON m.target_type = 'transcript' AND t.id = m.target_id
    LEFT JOIN codes k ON m.target_type = 'code' AND k.id = m.target_id
    LEFT JOIN themes h ON m.target_type = 'theme' AND h.id = m.target_id
    LEFT JOIN codings c ON m.target_type = 'coding' AND c.id = m.target_id
    LEFT JOIN codes ck ON ck.id = c.code_id
    LEFT JOIN transcripts ct ON ct.id = c.transcript_id
"""


def list_memos(
    project: Project,
    on: str | None = None,
    kinds: Sequence[str] | None = None,
    analyst: str | None = None,
) -> list[dict[str, Any]]:
    """Memos in the order they were written, optionally about one thing, of some kinds, by one analyst."""
    where, params = [], []
    if on:
        target = resolve_target(project, on)
        where.append("m.target_type = ? AND m.target_id = ?")
        params += [target.type, target.id]
    if kinds:
        checked = [check_kind(k) for k in kinds]
        where.append(f"m.kind IN ({', '.join('?' for _ in checked)})")
        params += checked
    if analyst:
        where.append("m.analyst_id = ?")
        params.append(project.analyst_id(analyst))
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return project.query(f"{_MEMO_SELECT} {clause} ORDER BY m.created, m.id", params)


def get_memo(project: Project, memo_id: int) -> dict[str, Any]:
    rows = project.query(f"{_MEMO_SELECT} WHERE m.id = ?", [memo_id])
    if not rows:
        raise NotFound(f"no memo {memo_id}; `qualcode memo list` shows memo ids")
    return rows[0]


def _overrides_author(project: Project, memo: dict[str, Any], analyst_id: int, action: str, force: bool) -> bool:
    """True when the acting analyst is overriding another analyst's memo (allowed only with force)."""
    if project.analyst_id(memo["analyst"]) == analyst_id:
        return False
    if not force:
        raise InvalidInput(
            f"memo {memo['id']} is {memo['analyst']}'s; use --force to {action} another analyst's memo (the audit log records it)"
        )
    return True


def check_may_change(project: Project, analyst: str, memo_id: int, action: str = "edit", force: bool = False) -> None:
    """Refuse early (before an editor opens) when the memo is missing or another analyst's."""
    _overrides_author(project, get_memo(project, memo_id), project.analyst_id(analyst), action, force)


def edit_memo(
    project: Project,
    analyst: str,
    memo_id: int,
    body: str | None = None,
    kind: str | None = None,
    on: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Change a memo's text, kind or target; returns the memo as it now reads.
    Nothing is written when nothing differs."""
    memo = get_memo(project, memo_id)
    if body is None and kind is None and on is None:
        raise InvalidInput("nothing to change: give the new text, --kind or --on")
    changes: dict[str, Any] = {}
    if body is not None:
        changes["body"] = check_body(body)
    if kind is not None:
        changes["kind"] = check_kind(kind)
    if on is not None:
        target = resolve_target(project, on)
        changes.update(target_type=target.type, target_id=target.id)
    analyst_id = project.analyst_id(analyst)
    forced = _overrides_author(project, memo, analyst_id, "edit", force)
    changes = {k: v for k, v in changes.items() if memo[k] != v}
    if not changes:
        return memo
    with project.change(analyst_id, "memo edit (forced)" if forced else "memo edit") as change:
        change.update("memos", memo_id, {**changes, "updated": change.at})
        if forced:
            change.note("forced edit", {"memo": memo_id, "author": memo["analyst"], "edited_by": analyst})
    return get_memo(project, memo_id)


def delete_memo(project: Project, analyst: str, memo_id: int, force: bool = False) -> dict[str, Any]:
    """Delete a memo (the audit log keeps its text); returns the memo as it was."""
    memo = get_memo(project, memo_id)
    analyst_id = project.analyst_id(analyst)
    forced = _overrides_author(project, memo, analyst_id, "delete", force)
    with project.change(analyst_id, "memo delete (forced)" if forced else "memo delete") as change:
        change.delete("memos", memo_id)
        if forced:
            change.note("forced delete", {"memo": memo_id, "author": memo["analyst"], "deleted_by": analyst})
    return memo
