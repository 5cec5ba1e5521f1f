"""The audit trail, and undo built on it.

Every command's row changes share a batch id in audit_log, with the full row before and after.
Undo reverts the newest batch of the acting analyst that is not yet undone, row by row in reverse.
It refuses, naming the later command, when later work has changed those rows or builds on them
(a coding quoted in a theme, a code with subcodes or memos): reverting anyway would quietly take
other work with it, since the schema deletes theme quotes and assignments along with their rows.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from qualcode.errors import InvalidInput, QualcodeError
from qualcode.names import unknown_name_message
from qualcode.store import BULKY_COLUMNS, Change, Project
from qualcode.text.rewrite import kept_version
from qualcode.text.stored_turns import insert_turns, remove_turns

UNDO_COMMAND = "undo"
# Creating the project is the ground everything else stands on: it is never undone.
NEVER_UNDONE = (UNDO_COMMAND, "init")
# Commands whose very point is that what they replaced is kept nowhere: why undo refuses them.
IRREVERSIBLE = {
    "transcript pseudonymise": "pseudonymisation is not undone; the words it replaced are kept nowhere in the project"
}

# How the trail names each kind of row: singular, plural.
NOUNS = {
    "analysts": ("analyst", "analysts"),
    "codes": ("code", "codes"),
    "codings": ("coding", "codings"),
    "map_snapshots": ("map snapshot", "map snapshots"),
    "memos": ("memo", "memos"),
    "participant_attributes": ("attribute", "attributes"),
    "participants": ("participant", "participants"),
    "phase_log": ("phase log entry", "phase log entries"),
    "settings": ("setting", "settings"),
    "theme_codes": ("theme assignment", "theme assignments"),
    "theme_links": ("theme link", "theme links"),
    "theme_quotes": ("chosen quote", "chosen quotes"),
    "themes": ("theme", "themes"),
    "transcripts": ("transcript", "transcripts"),
}
VERBS = {"insert": "added", "update": "changed", "delete": "removed"}
# Rows people know by name, and rows they know by number (`memo show 12`, `code remove 7`).
NAMED = ("analysts", "codes", "participants", "themes", "transcripts")
NUMBERED = ("codings", "memos")
NAMES_SHOWN = 2
# Memos point at what they are about by type and id, not by a foreign key.
MEMO_TARGETS = {"transcripts": "transcript", "codes": "code", "themes": "theme", "codings": "coding"}
# Rows derived from their parent and removed with it by undo itself (an import's turns), and
# the trail itself: neither is later work that an undo must protect.
NOT_DEPENDENTS = ("audit_log", "turns")


# -- the trail ------------------------------------------------------------------------------


def audit_trail(
    project: Project,
    *,
    limit: int | None = 50,
    analyst: str | None = None,
    entity: str | None = None,
    batch: str | None = None,
) -> list[dict[str, Any]]:
    """One row per command (batch), newest first: id (its first audit row, as `log` shows it),
    at (UTC, to the minute), timestamp (ISO), analyst, command, changes (what it did, in words),
    undone, undid (for an undo: the id of the command it reverted) and batch."""
    where: list[str] = ["1 = 1"]
    params: list[int | str] = []
    if analyst:
        where.append("analyst_id = ?")
        params.append(project.analyst_id(analyst))
    if entity:
        where.append("batch IN (SELECT batch FROM audit_log WHERE entity = ?)")
        params.append(_entity(project, entity))
    if batch:
        where.append("batch = ?")
        params.append(batch)
    groups = project.db.execute(
        f"""
        WITH chosen AS (
            SELECT batch, min(id) AS first FROM audit_log WHERE {" AND ".join(where)}
            GROUP BY batch ORDER BY first DESC {"LIMIT ?" if limit else ""}
        )
        SELECT l.batch, chosen.first, min(l.at), a.name, l.command, l.action, l.entity, count(*), min(l.entity_id),
               max(l.undone_by IS NOT NULL),
               group_concat(CASE WHEN l.entity IN ({", ".join("?" for _ in NAMED)})
                            THEN coalesce(json_extract(l.before, '$.name'), '') END, char(31)),
               group_concat(CASE WHEN l.entity IN ({", ".join("?" for _ in NAMED)})
                            THEN coalesce(json_extract(l.after, '$.name'), '') END, char(31)),
               CASE WHEN count(*) = 1 AND l.action = 'update' THEN max(l.before) END,
               CASE WHEN count(*) = 1 AND l.action = 'update' THEN max(l.after) END
        FROM audit_log l JOIN chosen ON chosen.batch = l.batch LEFT JOIN analysts a ON a.id = l.analyst_id
        GROUP BY l.batch, l.action, l.entity
        ORDER BY chosen.first DESC, min(l.id)
        """,
        params + ([limit] if limit else []) + list(NAMED) * 2,
    ).fetchall()
    trail: dict[str, dict[str, Any]] = {}
    parts: dict[str, list[Part]] = {}
    for (
        key,
        first,
        at,
        name,
        command,
        action,
        table,
        count,
        some_id,
        undone,
        before,
        after,
        row_before,
        row_after,
    ) in groups:
        if key not in trail:
            trail[key] = {
                "id": first,
                "at": at[:16].replace("T", " "),
                "timestamp": at,
                "analyst": name,
                "command": command,
                "changes": "",
                "undone": False,
                "undid": None,
                "batch": key,
            }
            parts[key] = []
        trail[key]["undone"] |= bool(undone)
        if table != "project":  # a note only summarises what the command's own name says
            fields = _changed_fields(row_before, row_after) if row_before and row_after else []
            parts[key].append((action, table, count, some_id, _split(before), _split(after), fields))
    for key, row in trail.items():
        row["changes"] = describe_changes(parts[key])
    undo_batches = [b for b, row in trail.items() if row["command"] == UNDO_COMMAND]
    if undo_batches:
        for undone_by, first in project.db.execute(
            f"SELECT undone_by, min(id) FROM audit_log WHERE undone_by IN ({', '.join('?' for _ in undo_batches)})"
            " GROUP BY undone_by",
            undo_batches,
        ):
            trail[undone_by]["undid"] = first
    return list(trail.values())


def _entity(project: Project, entity: str) -> str:
    """A kind of row as the audit log names it ("codes"), from that or its singular ("code")."""
    singulars = {singular: table for table, (singular, _) in NOUNS.items()}
    found = singulars.get(entity.strip().lower(), entity.strip().lower())
    known = [
        r[0] for r in project.db.execute("SELECT DISTINCT entity FROM audit_log WHERE entity != 'project' ORDER BY 1")
    ]
    if found not in known and found not in NOUNS:
        raise InvalidInput(unknown_name_message("kind of change", entity, known) + f" (kinds: {', '.join(known)})")
    return found


def _split(names: str | None) -> list[str]:
    return names.split("\x1f") if names else []


def _changed_fields(before: str, after: str) -> list[str]:
    """The columns one update changed, as words ("status", "parent"), leaving out the name (a
    rename shows both names) and the time of the change."""
    old, new = json.loads(before), json.loads(after)
    changed = [k for k in new if old.get(k) != new[k] and k not in ("name", "updated")]
    return [k.removesuffix("_id").replace("_", " ") for k in changed]


# (action, table, row count, one row id, names before, names after, fields one update changed)
Part = tuple[str, str, int, int | None, list[str], list[str], list[str]]


def describe_changes(parts: list[Part]) -> str:
    """What a command changed, in words: "added code 'Hope', 2 codings; changed memo 12 (body)"."""
    by_verb: dict[str, list[str]] = {}
    for action, table, count, some_id, before, after, fields in parts:
        singular, plural = NOUNS.get(table, (table.replace("_", " "), table.replace("_", " ")))
        names = after if action == "insert" else before
        if table in NAMED and count <= NAMES_SHOWN and names:
            quoted = [f"'{n}'" for n in names]
            if action == "update":  # a rename shows both names
                quoted = [f"'{b}'" if b == a else f"'{b}' → '{a}'" for b, a in zip(before, after)]
            phrase = f"{singular if count == 1 else plural} " + ", ".join(quoted)
        elif table in NUMBERED and count == 1:
            phrase = f"{singular} {some_id}"
        elif count == 1:
            phrase = f"{'an' if singular[0] in 'aeiou' else 'a'} {singular}"
        else:
            phrase = f"{count} {plural}"
        if fields:
            phrase += f" ({', '.join(fields)})"
        by_verb.setdefault(VERBS.get(action, action), []).append(phrase)
    return "; ".join(f"{verb} {', '.join(phrases)}" for verb, phrases in by_verb.items())


def batch_rows(project: Project, batch: str) -> list[dict[str, Any]]:
    return project.query("SELECT * FROM audit_log WHERE batch = ? ORDER BY id", [batch])


def last_undoable_batch(project: Project, analyst: str) -> str | None:
    row = project.db.execute(
        f"""
        SELECT batch FROM audit_log
        WHERE analyst_id = ? AND command NOT IN ({", ".join("?" for _ in NEVER_UNDONE)})
          AND undone_by IS NULL AND entity != 'project'
        ORDER BY id DESC LIMIT 1
        """,
        [project.analyst_id(analyst), *NEVER_UNDONE],
    ).fetchone()
    return row[0] if row else None


# -- undo ------------------------------------------------------------------------------------


def undo(project: Project, analyst: str) -> dict[str, Any]:
    """Revert the newest change by `analyst`. Returns the command undone as `audit_trail`
    describes it (id, at, command, changes …), with `rows`, the number of rows restored."""
    batch = last_undoable_batch(project, analyst)
    if batch is None:
        raise InvalidInput(f"nothing to undo: {analyst} has no changes left that can be undone")
    rows = [row for row in batch_rows(project, batch) if row["entity"] != "project"]
    described = audit_trail(project, batch=batch)[0]
    label = f"cannot undo #{described['id']} '{described['command']}'"
    if described["command"] in IRREVERSIBLE:
        raise QualcodeError(f"{label}: {IRREVERSIBLE[described['command']]}")
    references = _references(project.db.conn)
    with project.change(analyst, UNDO_COMMAND) as change:
        for row in reversed(rows):
            _revert(change, row, label, references)
        change.execute("UPDATE audit_log SET undone_by = ? WHERE batch = ?", [change.batch, batch])
    return {**described, "rows": len(rows)}


def _revert(change: Change, row: dict[str, Any], label: str, references: dict[str, list[tuple[str, str]]]) -> None:
    table, row_id = row["entity"], row["entity_id"]
    before = json.loads(row["before"]) if row["before"] else None
    after = json.loads(row["after"]) if row["after"] else None
    current = _current(change, table, row_id)
    if after is not None and not _same(current, after):
        what = _label(table, after)
        if current is None:
            raise QualcodeError(f"{label}: {what} was removed since{_by_later(change, table, row_id, row['id'])}")
        raise QualcodeError(f"{label}: {what} was changed since{_by_later(change, table, row_id, row['id'])}")
    # A replaced or deleted transcript's text is kept apart from the trail, found by its hash.
    restored = (
        kept_version(change, row_id, before["text_sha256"])
        if table == "transcripts" and before is not None and before.get("text_sha256")
        else None
    )
    if (
        before is not None
        and restored is None
        and any(
            after is None or before[k] != after.get(k) or _hash_changed(before, after)
            for k in before
            if k in BULKY_COLUMNS
        )
    ):
        hint = " (import the earlier file again with --replace)" if table == "transcripts" else ""
        raise QualcodeError(
            f"{label}: the text {_label(table, before or {})} had before is not kept in the audit log{hint}"
        )
    try:
        if row["action"] == "insert":
            _refuse_if_used(
                change, references.get(table, []), table, row_id, label, _label(table, after or {"id": row_id})
            )
            if table == "transcripts":
                remove_turns(change, row_id)
            change.delete(table, row_id)
        elif row["action"] == "update":
            earlier = _earlier_state(before, table, row_id, label)
            # The text itself is not in the trail: it stays as it is, or comes back from its kept version.
            values = {k: v for k, v in earlier.items() if k != "id" and k not in BULKY_COLUMNS}
            if restored is not None and restored.text != (current or {}).get("text"):
                remove_turns(change, row_id)
                change.update(table, row_id, {**values, "text": restored.text})
                insert_turns(change, row_id, restored)
            else:
                change.update(table, row_id, values)
            if table == "transcripts" and "interviewer" in earlier:
                # Turns carry a flag derived from the transcript's interviewer, kept unaudited.
                change.execute(
                    "UPDATE turns SET is_interviewer = (speaker IS ?) WHERE transcript_id = ?",
                    [earlier["interviewer"], row_id],
                )
        elif row["action"] == "delete":
            earlier = _earlier_state(before, table, row_id, label)
            if current is not None:
                raise QualcodeError(f"{label}: {_label(table, earlier)} exists again")
            if restored is not None:
                change.insert(table, {**earlier, "text": restored.text})
                insert_turns(change, row_id, restored)
            else:
                change.insert(table, earlier)
    except sqlite3.IntegrityError as error:
        what = _label(table, before or after or {"id": row_id})
        if "UNIQUE" in str(error):
            raise QualcodeError(
                f"{label}: another {what.split(' ', 1)[0]} with the same name was added since"
            ) from None
        raise QualcodeError(
            f"{label}: {what} refers to something changed or removed since (see `qualcode log`)"
        ) from None


def _hash_changed(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Bulky text is kept in the trail as its length only: equal lengths prove nothing when the
    row also has the text's hash and that changed."""
    return any(k.endswith("sha256") and before.get(k) != after.get(k) for k in before)


def _refuse_if_used(
    change: Change, references: list[tuple[str, str]], table: str, row_id: int, label: str, what: str
) -> None:
    """Refuse to take back a row that later work points at: deleting it would delete that
    work too (theme quotes and assignments go with their coding or code) or leave it dangling.
    `references` are the (table, column) pairs whose foreign keys point at `table`."""
    for child, column in references:
        found = change.db.execute(f"SELECT id FROM [{child}] WHERE [{column}] = ? LIMIT 1", [row_id]).fetchone()
        if found:
            raise QualcodeError(f"{label}: {what} is used by later work{_by_later(change, child, found[0])}")
    if (
        table == "analysts"
        and change.db.execute("SELECT 1 FROM audit_log WHERE analyst_id = ? LIMIT 1", [row_id]).fetchone()
    ):
        raise QualcodeError(f"{label}: {what} has made changes since (see `qualcode log`)")
    if table in MEMO_TARGETS:
        memo = change.db.execute(
            "SELECT id FROM memos WHERE target_type = ? AND target_id = ? LIMIT 1", [MEMO_TARGETS[table], row_id]
        ).fetchone()
        if memo:
            raise QualcodeError(f"{label}: memo {memo[0]} is about {what}{_by_later(change, 'memos', memo[0])}")


def _references(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    """For each table, the (table, column) pairs whose foreign keys point at it."""
    found: dict[str, list[tuple[str, str]]] = {}
    for (child,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        if child in NOT_DEPENDENTS or child.startswith("turns_fts"):
            continue
        for key in conn.execute(f"PRAGMA foreign_key_list([{child}])").fetchall():
            found.setdefault(key[2], []).append((child, key[3]))
    return found


def _by_later(change: Change, table: str, row_id: int, after_audit_id: int = 0) -> str:
    """ ": Tom's 'theme quote' (#412) has to be undone first", naming the newest command still in
    force that touched the row."""
    later = change.db.execute(
        """
        SELECT l.batch, l.command, a.name FROM audit_log l LEFT JOIN analysts a ON a.id = l.analyst_id
        WHERE l.entity = ? AND l.entity_id = ? AND l.id > ? AND l.undone_by IS NULL AND l.batch != ?
        ORDER BY l.id DESC LIMIT 1
        """,
        [table, row_id, after_audit_id, change.batch],
    ).fetchone()
    if later is None:
        return " (see `qualcode log`)"
    batch, command, who = later
    first = change.db.execute("SELECT min(id) FROM audit_log WHERE batch = ?", [batch]).fetchone()[0]
    return f": {who or 'another analyst'}'s '{command}' (#{first}) has to be undone first"


def _earlier_state(before: dict[str, Any] | None, table: str, row_id: int, label: str) -> dict[str, Any]:
    """The row as an update or delete found it. Change records it for both, so only an audit
    log damaged from outside lacks it, and then there is nothing to restore."""
    if before is None:
        raise QualcodeError(f"{label}: the audit log keeps no earlier state of {_label(table, {'id': row_id})}")
    return before


def _label(table: str, row: dict[str, Any]) -> str:
    singular = NOUNS.get(table, (table, table))[0]
    if table in NAMED and row.get("name"):
        return f"{singular} '{row['name']}'"
    return f"{singular} {row.get('id', '')}".strip()


def _current(change: Change, table: str, row_id: int) -> dict[str, Any] | None:
    cursor = change.db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    values = cursor.fetchone()
    return None if values is None else dict(zip([d[0] for d in cursor.description], values))


def _same(current: dict[str, Any] | None, recorded: dict[str, Any]) -> bool:
    if current is None:
        return False
    return all(k in BULKY_COLUMNS or current.get(k) == v for k, v in recorded.items())
