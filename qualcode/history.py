"""The audit trail, and undo built on it.

Every command's row changes share a batch id in audit_log, with the full row before and after.
Undo reverts the newest batch of the acting analyst that is not yet undone, row by row in reverse,
refusing when a later change has touched the same rows (the trail would stop being true).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from qualcode.errors import InvalidInput, QualcodeError
from qualcode.store import BULKY_COLUMNS, Change, Project

UNDO_COMMAND = "undo"


def audit_trail(
    project: Project,
    *,
    limit: int | None = 50,
    analyst: str | None = None,
    entity: str | None = None,
) -> list[dict[str, Any]]:
    """One row per command (batch), newest first, with what it changed."""
    where, params = ["1 = 1"], []
    if analyst:
        where.append("l.analyst_id = ?")
        params.append(project.analyst_id(analyst))
    if entity:
        where.append("l.entity = ?")
        params.append(entity)
    rows = project.db.execute(
        f"""
        SELECT l.batch, min(l.id), l.at, a.name, l.command, group_concat(l.action || ' ' || l.entity, ', '),
               max(l.undone_by IS NOT NULL)
        FROM audit_log l LEFT JOIN analysts a ON a.id = l.analyst_id
        WHERE {' AND '.join(where)}
        GROUP BY l.batch ORDER BY min(l.id) DESC
        {'LIMIT ?' if limit else ''}
        """,
        params + ([limit] if limit else []),
    ).fetchall()
    return [
        {
            "id": first_id,
            "at": at[:16].replace("T", " "),
            "analyst": name,
            "command": command,
            "changes": _summarise(actions or ""),
            "undone": bool(undone),
            "batch": batch,
        }
        for batch, first_id, at, name, command, actions, undone in rows
    ]


def _summarise(actions: str) -> str:
    counts: dict[str, int] = {}
    for action in actions.split(", "):
        counts[action] = counts.get(action, 0) + 1
    return ", ".join(f"{action} ×{n}" if n > 1 else action for action, n in counts.items())


def batch_rows(project: Project, batch: str) -> list[dict[str, Any]]:
    return project.query("SELECT * FROM audit_log WHERE batch = ? ORDER BY id", [batch])


def last_undoable_batch(project: Project, analyst: str) -> str | None:
    row = project.db.execute(
        """
        SELECT batch FROM audit_log
        WHERE analyst_id = ? AND command != ? AND undone_by IS NULL AND entity != 'project'
        ORDER BY id DESC LIMIT 1
        """,
        [project.analyst_id(analyst), UNDO_COMMAND],
    ).fetchone()
    return row[0] if row else None


def undo(project: Project, analyst: str) -> dict[str, Any]:
    """Revert the newest change by `analyst`. Returns what was undone."""
    batch = last_undoable_batch(project, analyst)
    if batch is None:
        raise InvalidInput(f"nothing to undo: {analyst} has no changes left that can be undone")
    rows = batch_rows(project, batch)
    command = rows[0]["command"]
    try:
        with project.change(analyst, UNDO_COMMAND) as change:
            for row in reversed(rows):
                if row["entity"] != "project":
                    _revert(change, row)
            change.execute("UPDATE audit_log SET undone_by = ? WHERE batch = ?", [change.batch, batch])
    except sqlite3.IntegrityError:
        raise QualcodeError(
            f"cannot undo '{command}': later changes depend on it (undo those first, or use `qualcode log`)"
        ) from None
    return {"command": command, "at": rows[0]["at"], "rows": sum(1 for r in rows if r["entity"] != "project")}


def _revert(change: Change, row: dict[str, Any]) -> None:
    table, row_id = row["entity"], row["entity_id"]
    before = json.loads(row["before"]) if row["before"] else None
    after = json.loads(row["after"]) if row["after"] else None
    current = _current(change, table, row_id)
    if after is not None and not _same(current, after):
        raise QualcodeError(f"cannot undo '{row['command']}': {table} {row_id} has changed since; undo the later change first")
    if before is not None and any(k in BULKY_COLUMNS for k in before):
        raise QualcodeError(f"cannot undo '{row['command']}': the {table} text is not kept in the audit log")
    if row["action"] == "insert":
        if table == "transcripts":
            from qualcode.importing import remove_turns

            remove_turns(change, row_id)
        change.delete(table, row_id)
    elif row["action"] == "update":
        change.update(table, row_id, {k: v for k, v in before.items() if k != "id"})
    elif row["action"] == "delete":
        if current is not None:
            raise QualcodeError(f"cannot undo '{row['command']}': {table} {row_id} exists again")
        change.insert(table, before)


def _current(change: Change, table: str, row_id: int) -> dict[str, Any] | None:
    cursor = change.db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    values = cursor.fetchone()
    return None if values is None else dict(zip([d[0] for d in cursor.description], values))


def _same(current: dict[str, Any] | None, recorded: dict[str, Any]) -> bool:
    if current is None:
        return False
    return all(k in BULKY_COLUMNS or current.get(k) == v for k, v in recorded.items())
