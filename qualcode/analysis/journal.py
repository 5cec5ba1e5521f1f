"""The reflexive journal: reflexive, decision and phase memos and the phase changes, in time order.

A phase change made with a note also wrote a 'phase' memo in the same transaction (same time,
same analyst); the journal shows that memo and leaves out its phase_log row, so each move
appears once. Moves without a note (and the project's start) come from phase_log alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from qualcode.analysis.memos import check_kind, list_memos
from qualcode.analysis.phases import PHASES, phase_log
from qualcode.store import Project

JOURNAL_KINDS = ("reflexive", "decision", "phase")


def display_time(iso: str) -> str:
    """A stored UTC timestamp as the reader's local date and minute."""
    return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")


def journal_entries(
    project: Project, analyst: str | None = None, kinds: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Entries with keys at, phase, phase_name, analyst, kind, target, text, memo_id (None for a
    phase change without a memo) and edited (when the memo was last changed, or None)."""
    kinds = [check_kind(k) for k in kinds] if kinds else list(JOURNAL_KINDS)
    memos = list_memos(project, kinds=kinds, analyst=analyst)
    # (table, row id) -> entry, so the write order can break ties between entries of the same second.
    rows: list[tuple[tuple[str, int], dict[str, Any]]] = [
        (
            ("memos", memo["id"]),
            {
                "at": memo["created"],
                "phase": memo["phase"],
                "phase_name": PHASES[memo["phase"]],
                "analyst": memo["analyst"],
                "kind": memo["kind"],
                "target": memo["target"],
                "text": memo["body"],
                "memo_id": memo["id"],
                "edited": memo["updated"] if memo["updated"] != memo["created"] else None,
            },
        )
        for memo in memos
    ]
    if "phase" in kinds:
        phase_memo_ids = {m["id"] for m in memos if m["kind"] == "phase"}
        memo_of_move = _memos_written_with_moves(project)
        for move in phase_log(project):
            if memo_of_move.get(move["id"]) in phase_memo_ids:
                continue  # the move's own phase memo already tells it
            if analyst and (move["analyst"] or "").lower() != analyst.lower():
                continue
            entry = {
                "at": move["at"],
                "phase": move["phase"],
                "phase_name": move["phase_name"],
                "analyst": move["analyst"],
                "kind": "phase",
                "target": None,
                "text": move["move"] + (f"\n\n{move['note']}" if move["note"] else ""),
                "memo_id": None,
                "edited": None,
            }
            rows.append((("phase_log", move["id"]), entry))
    written_order = _write_order(project)
    rows.sort(key=lambda row: (row[1]["at"], written_order.get(row[0], 0)))
    return [entry for _, entry in rows]


def _memos_written_with_moves(project: Project) -> dict[int, int]:
    """phase_log id -> the memo inserted by the same command (a move with a note), read from the
    audit log's batches rather than matched by time, which has one-second resolution."""
    return dict(
        project.db.execute(
            """
            SELECT m.entity_id, n.entity_id FROM audit_log m
            JOIN audit_log n ON n.batch = m.batch AND n.entity = 'memos' AND n.action = 'insert'
            WHERE m.entity = 'phase_log' AND m.action = 'insert'
            """
        )
    )


def _write_order(project: Project) -> dict[tuple[str, int], int]:
    """Timestamps have one-second resolution; within a second the audit log knows the write order."""
    return {
        (entity, entity_id): audit_id
        for entity, entity_id, audit_id in project.db.execute(
            "SELECT entity, entity_id, min(id) FROM audit_log WHERE action = 'insert' AND entity IN ('memos', 'phase_log')"
            " GROUP BY entity, entity_id"
        )
    }


def journal_markdown(entries: Sequence[dict[str, Any]], title: str = "Reflexive journal") -> str:
    lines = [f"# {title}", ""]
    for entry in entries:
        lines.append(f"## {display_time(entry['at'])} · {entry['analyst'] or 'unknown analyst'} · {entry['kind']}")
        lines.append("")
        about = f"Phase {entry['phase']} ({entry['phase_name']})"
        if entry["target"]:
            about += f" · on {entry['target']}"
        if entry["edited"]:
            about += f" · edited {display_time(entry['edited'])}"
        lines += [f"*{about}*", "", entry["text"], ""]
    return "\n".join(lines)
