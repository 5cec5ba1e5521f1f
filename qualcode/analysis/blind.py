"""Turning blind coding on and off (the reveal), and marking consensus analysts: the writes
behind the rule that qualcode.analysis.visibility reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.analysis.memos import insert_memo
from qualcode.analysis.visibility import (
    BLIND,
    CONSENSUS,
    REVEAL_NOTE,
    SHARED_CODEBOOK,
    codebook_shared,
    coders,
    is_blind,
    setting,
)
from qualcode.errors import InvalidInput
from qualcode.store import Change, Project


@dataclass(frozen=True)
class BlindChange:
    blind: bool
    shared_codebook: bool
    changed: bool  # False when the project already was so
    memo_id: int | None  # the journal entry of a reveal


def _put(change: Change, key: str, value: str) -> None:
    row = change.db.execute("SELECT id FROM settings WHERE key = ?", [key]).fetchone()
    if row is None:
        change.insert("settings", {"key": key, "value": value})
    else:
        change.update("settings", row[0], {"value": value})


def start_blind(project: Project, analyst: str, shared_codebook: bool = False) -> BlindChange:
    """Turn blind coding on (and say whether the codebook is shared)."""
    independent = coders(project.db)
    if len(independent) < 2:
        who = f" ({independent[0]})" if independent else ""
        raise InvalidInput(
            f"blind coding keeps co-analysts' codings apart, and this project has one analyst{who}; "
            "add a co-analyst first with `qualcode analyst add NAME`"
        )
    shared = "on" if shared_codebook else "off"
    if is_blind(project.db) and setting(project.db, SHARED_CODEBOOK) == shared:
        return BlindChange(True, shared_codebook, False, None)
    with project.change(analyst, "analyst blind on") as change:
        _put(change, BLIND, "on")
        _put(change, SHARED_CODEBOOK, shared)
    return BlindChange(True, shared_codebook, True, None)


def reveal(project: Project, analyst: str, reason: str = "blind off") -> BlindChange:
    """End blind coding and write the moment in the journal (a decision memo)."""
    shared = codebook_shared(project.db)
    if not is_blind(project.db):
        return BlindChange(False, shared, False, None)
    with project.change(analyst, reason) as change:
        _put(change, BLIND, "off")
        memo_id = insert_memo(
            change,
            "decision",
            f"{REVEAL_NOTE.capitalize()} ({reason}, by {analyst}): blind coding ended, every analyst's "
            "codings and codes are visible to all.",
            project.current_phase(),
        )
    return BlindChange(False, shared, True, memo_id)


def mark_consensus(change: Change, analyst_guids: Sequence[str]) -> None:
    """Record analysts as consensus analysts, inside the change that made them (compare merge)."""
    known = json.loads(setting(change.db, CONSENSUS) or "[]")
    wanted = list(dict.fromkeys([*known, *analyst_guids]))
    if wanted != known:
        _put(change, CONSENSUS, json.dumps(wanted))
