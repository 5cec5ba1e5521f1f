"""Correcting the participant list: renaming a pseudonym, removing one, merging two.

Attributions ("(P6)"), tables and reports read the participant's name from its row each time,
so a rename shows everywhere at once.
"""

from __future__ import annotations

from qualcode.analysis.participants import participant_id
from qualcode.errors import InvalidInput
from qualcode.names import is_meaningful_name
from qualcode.store import Project
from qualcode.wording import join_names, shell_command


def _transcripts_of(project: Project, pid: int) -> list[str]:
    return [
        r[0] for r in project.db.execute("SELECT name FROM transcripts WHERE participant_id = ? ORDER BY name", [pid])
    ]


def _stored(project: Project, pid: int) -> str:
    return project.db.execute("SELECT name FROM participants WHERE id = ?", [pid]).fetchone()[0]


def rename_participant(project: Project, analyst: str, old: str, new: str) -> tuple[str, str]:
    """(old name, new name). Refuses a name another participant has: merge them instead."""
    pid = participant_id(project, old)
    stored = _stored(project, pid)
    new = new.strip()
    if not is_meaningful_name(new):
        raise InvalidInput(f"'{new}' is not a usable participant name")
    other = project.db.execute("SELECT name FROM participants WHERE name = ? AND id != ?", [new, pid]).fetchone()
    if other:
        raise InvalidInput(
            f"a participant named '{other[0]}' already exists; `{shell_command('participant', 'merge', stored, other[0])}` "
            "makes them one"
        )
    with project.change(analyst, "participant rename") as change:
        change.update("participants", pid, {"name": new})
    return stored, new


def delete_participant(project: Project, analyst: str, name: str) -> str:
    """Remove a participant and their attributes; refused while transcripts name them."""
    pid = participant_id(project, name)
    stored = _stored(project, pid)
    transcripts = _transcripts_of(project, pid)
    if transcripts:
        raise InvalidInput(
            f"'{stored}' is the participant of {'transcript' if len(transcripts) == 1 else 'transcripts'} "
            f"{join_names(transcripts)}; give {'it' if len(transcripts) == 1 else 'them'} another with "
            f"`{shell_command('transcript', 'set', transcripts[0], '--participant', 'P')}` (or merge with `participant merge`) first"
        )
    with project.change(analyst, "participant delete") as change:
        for (attribute_id,) in change.db.execute(
            "SELECT id FROM participant_attributes WHERE participant_id = ?", [pid]
        ).fetchall():
            change.delete("participant_attributes", attribute_id)
        change.delete("participants", pid)
    return stored


def merge_participants(project: Project, analyst: str, source: str, target: str) -> tuple[str, str, list[str]]:
    """Make `source` part of `target`: its transcripts and the attributes `target` lacks move
    over, and `source` goes. Refused when both have an attribute with different values.
    Returns (source, target, transcripts moved)."""
    source_id, target_id = participant_id(project, source), participant_id(project, target)
    source_name, target_name = _stored(project, source_id), _stored(project, target_id)
    if source_id == target_id:
        raise InvalidInput(f"'{source_name}' and '{target_name}' are the same participant")
    theirs = dict(
        project.db.execute(
            "SELECT key, value FROM participant_attributes WHERE participant_id = ?", [target_id]
        ).fetchall()
    )
    attributes = project.db.execute(
        "SELECT id, key, value FROM participant_attributes WHERE participant_id = ? ORDER BY id", [source_id]
    ).fetchall()
    clashes = [f"{key} ({value} and {theirs[key]})" for _, key, value in attributes if theirs.get(key, value) != value]
    if clashes:
        raise InvalidInput(
            f"'{source_name}' and '{target_name}' differ in {join_names(clashes)}; make them agree with "
            "`qualcode participant set` first"
        )
    moved = _transcripts_of(project, source_id)
    with project.change(analyst, "participant merge") as change:
        for (tid,) in change.db.execute("SELECT id FROM transcripts WHERE participant_id = ?", [source_id]).fetchall():
            change.update("transcripts", tid, {"participant_id": target_id})
        for attribute_id, key, _ in attributes:
            if key in theirs:
                change.delete("participant_attributes", attribute_id)
            else:
                change.update("participant_attributes", attribute_id, {"participant_id": target_id})
        change.delete("participants", source_id)
    return source_name, target_name, moved
