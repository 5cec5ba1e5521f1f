"""Participants (the pseudonyms transcripts belong to) and their attributes."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from qualcode.errors import InvalidInput, NotFound
from qualcode.names import is_meaningful_name, name_fault, natural_key, unknown_name_message
from qualcode.store import Change, Project, new_guid
from qualcode.text.importers.encoding import decode_bytes
from qualcode.wording import shell_command


def participant_names(project: Project) -> list[str]:
    return [r[0] for r in project.db.execute("SELECT name FROM participants ORDER BY id")]


def participant_id(project: Project, name: str) -> int:
    row = project.db.execute("SELECT id FROM participants WHERE name = ?", [name]).fetchone()
    if row is None:
        raise NotFound(unknown_name_message("participant", name, participant_names(project)))
    return row[0]


def _ensure(change: Change, name: str) -> int:
    row = change.db.execute("SELECT id FROM participants WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    if not is_meaningful_name(name):
        raise InvalidInput(f"'{name}' is not a usable participant name: {name_fault(name)}")
    return change.insert("participants", {"name": name, "guid": new_guid(), "created": change.at})


def _set_attribute(change: Change, pid: int, key: str, value: str | None) -> None:
    row = change.db.execute(
        "SELECT id, value FROM participant_attributes WHERE participant_id = ? AND key = ?", [pid, key]
    ).fetchone()
    if row is None:
        if value not in (None, ""):
            change.insert("participant_attributes", {"participant_id": pid, "key": key, "value": value})
    elif value in (None, ""):
        change.delete("participant_attributes", row[0])
    elif row[1] != value:
        change.update("participant_attributes", row[0], {"value": value})


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """['years=12', 'orientation=integrative'] -> dict; an empty value removes the attribute."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"'{pair}' is not KEY=VALUE (for example years=12)")
        values[key.strip()] = value.strip()
    return values


def set_attributes(
    project: Project, analyst: str, participant: str, values: dict[str, str], *, new: bool = True
) -> None:
    """Set attributes of a participant; with new=False an unknown participant is refused with
    the nearest names (a mistyped pseudonym must not become a new participant)."""
    if not new:
        known = participant_names(project)
        if not project.db.execute("SELECT 1 FROM participants WHERE name = ?", [participant]).fetchone():
            raise NotFound(
                unknown_name_message("participant", participant, known)
                + f" (add a new participant with `{shell_command('participant', 'set', participant, '--new')} …`)"
            )
    with project.change(analyst, "participant set") as change:
        pid = _ensure(change, participant)
        for key, value in values.items():
            _set_attribute(change, pid, key, value)


def import_attributes(project: Project, analyst: str, path: Path) -> tuple[int, list[str]]:
    """One row per participant; the first column (or one named participant/id/pseudonym) names them.
    Returns (rows imported, attribute keys)."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")

    text, _ = decode_bytes(path.read_bytes(), str(path))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if len(rows) < 2:
        raise InvalidInput(f"{path}: needs a header row and at least one participant row")
    header = [h.strip() for h in rows[0]]
    key_column = next(
        (i for i, h in enumerate(header) if h.lower() in {"participant", "pseudonym", "id", "case", "name"}), 0
    )
    with project.change(analyst, "participant import") as change:
        for number, row in enumerate(rows[1:], start=2):
            if len(row) != len(header):
                raise InvalidInput(f"{path}, row {number}: {len(row)} cells where the header has {len(header)}")
            pid = _ensure(change, row[key_column].strip())
            for i, key in enumerate(header):
                if i != key_column:
                    _set_attribute(change, pid, key, row[i].strip())
    return len(rows) - 1, [h for i, h in enumerate(header) if i != key_column]


def participant_table(project: Project) -> tuple[list[str], list[dict[str, Any]]]:
    """Rows like a paper's participant table: pseudonym, attributes in first-seen order, transcripts."""
    keys = [r[0] for r in project.db.execute("SELECT key FROM participant_attributes GROUP BY key ORDER BY min(id)")]
    rows = []
    for pid, name in project.db.execute("SELECT id, name FROM participants ORDER BY id").fetchall():
        attributes = dict(
            project.db.execute(
                "SELECT key, value FROM participant_attributes WHERE participant_id = ?", [pid]
            ).fetchall()
        )
        transcripts = sorted(
            (r[0] for r in project.db.execute("SELECT name FROM transcripts WHERE participant_id = ?", [pid])),
            key=natural_key,
        )
        rows.append({"participant": name, **{k: attributes.get(k) for k in keys}, "transcripts": transcripts})
    rows.sort(key=lambda r: natural_key(r["participant"]))
    return keys, rows
