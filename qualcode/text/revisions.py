"""Correcting what a transcript is called and whose it is, and taking one out of the project.

Counts, tables and attributions are read from the rows each time, so a renamed transcript or a
new participant shows everywhere at once. Deleting keeps the text (transcript_versions) and
audits every row it removes, so `undo` brings the transcript back with its codings, quotes and
memos.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.errors import InvalidInput, NotFound
from qualcode.names import is_meaningful_name, unknown_name_message
from qualcode.store import Project, new_guid
from qualcode.text.corpus import transcript_id
from qualcode.text.rewrite import keep_version
from qualcode.text.stored_turns import remove_turns
from qualcode.wording import counted, join_names, shell_command


def _stored_name(project: Project, tid: int) -> str:
    return project.db.execute("SELECT name FROM transcripts WHERE id = ?", [tid]).fetchone()[0]


def rename_transcript(project: Project, analyst: str, name: str, new_name: str) -> tuple[str, str]:
    """(old name, new name). Refuses a name another transcript has (names ignore case)."""
    tid = transcript_id(project, name)
    old = _stored_name(project, tid)
    new_name = new_name.strip()
    if not is_meaningful_name(new_name):
        raise InvalidInput(f"'{new_name}' is not a usable transcript name")
    other = project.db.execute("SELECT name FROM transcripts WHERE name = ? AND id != ?", [new_name, tid]).fetchone()
    if other:
        raise InvalidInput(f"a transcript named '{other[0]}' already exists; choose another name")
    with project.change(analyst, "transcript rename") as change:
        change.update("transcripts", tid, {"name": new_name})
    return old, new_name


@dataclass(frozen=True)
class Dependents:
    """What hangs on a transcript: its codings, the quotes chosen from them, the memos about it
    or about its codings."""

    codings: list[int]
    quotes: list[int]
    memos: list[int]

    def __bool__(self) -> bool:
        return bool(self.codings or self.quotes or self.memos)

    def describe(self) -> str:
        parts = [
            counted(len(self.codings), "coding"),
            counted(len(self.quotes), "chosen quote"),
            counted(len(self.memos), "memo"),
        ]
        return join_names([p for p in parts if not p.startswith("0 ")])


def dependents(project: Project, tid: int) -> Dependents:
    codings = [r[0] for r in project.db.execute("SELECT id FROM codings WHERE transcript_id = ? ORDER BY id", [tid])]
    quotes = [
        r[0]
        for r in project.db.execute(
            "SELECT q.id FROM theme_quotes q JOIN codings c ON c.id = q.coding_id WHERE c.transcript_id = ? ORDER BY q.id",
            [tid],
        )
    ]
    memos = [
        r[0]
        for r in project.db.execute(
            "SELECT id FROM memos WHERE (target_type = 'transcript' AND target_id = ?)"
            " OR (target_type = 'coding' AND target_id IN (SELECT id FROM codings WHERE transcript_id = ?)) ORDER BY id",
            [tid, tid],
        )
    ]
    return Dependents(codings, quotes, memos)


def delete_transcript(project: Project, analyst: str, name: str, *, force: bool = False) -> tuple[str, Dependents]:
    """Remove a transcript; refused while codings, quotes or memos hang on it unless force,
    which removes them too. Returns (name, what went with it)."""
    tid = transcript_id(project, name)
    stored = _stored_name(project, tid)
    hanging = dependents(project, tid)
    if hanging and not force:
        raise InvalidInput(
            f"'{stored}' has {hanging.describe()}; `{shell_command('transcript', 'delete', stored, '--force')}` removes them "
            "with it (`qualcode undo` brings them back)"
        )
    with project.change(analyst, "transcript delete") as change:
        for quote_id in hanging.quotes:
            change.delete("theme_quotes", quote_id)
        for memo_id in hanging.memos:
            change.delete("memos", memo_id)
        for coding_id in hanging.codings:
            change.delete("codings", coding_id)
        keep_version(change, tid)
        remove_turns(change, tid)
        change.delete("transcripts", tid)
    return stored, hanging


def set_transcript_participant(
    project: Project, analyst: str, name: str, participant: str | None, *, new: bool = False
) -> tuple[str, str | None, str | None]:
    """Give a transcript another participant (None: no participant). An unknown participant is
    refused with the nearest names unless new, which adds it. Returns (transcript, was, now)."""
    tid = transcript_id(project, name)
    stored = _stored_name(project, tid)
    was = project.db.execute(
        "SELECT p.name FROM transcripts t LEFT JOIN participants p ON p.id = t.participant_id WHERE t.id = ?", [tid]
    ).fetchone()[0]
    pid = None
    now = None
    if participant is not None:
        participant = participant.strip()
        row = project.db.execute("SELECT id, name FROM participants WHERE name = ?", [participant]).fetchone()
        if row is None and not new:
            known = [r[0] for r in project.db.execute("SELECT name FROM participants ORDER BY id")]
            raise NotFound(
                unknown_name_message("participant", participant, known)
                + f" (add it with `--participant {participant} --new`)"
            )
        if row is None and not is_meaningful_name(participant):
            raise InvalidInput(f"'{participant}' is not a usable participant name")
        pid, now = (row[0], row[1]) if row else (None, participant)
    with project.change(analyst, "transcript set") as change:
        if participant is not None and pid is None:
            pid = change.insert("participants", {"name": participant, "guid": new_guid(), "created": change.at})
        change.update("transcripts", tid, {"participant_id": pid})
    return stored, was, now
