"""Merging another copy of a project into this one (`qualcode merge OTHER.qualcode`).

Co-analysts code on their own laptops; merging brings the other copy's transcripts, participants,
codes, codings, memos and themes in, under the rules of qualcode.exchange.incorporate (transcripts by
content hash, codes and themes by name, analysts by name, everything by GUID first). Codings keep
their analyst, so `compare` works straight after. The other file is opened read-only and never
changed, not even migrated.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from qualcode.errors import InvalidInput, ProjectError
from qualcode.exchange import bundle as b
from qualcode.exchange.bulk import collector_paused
from qualcode.exchange.incorporate import Options, Outcome, incorporate
from qualcode.migrations import applied_migrations, known_migration_names
from qualcode.store import SQLITE_MAGIC, Project
from qualcode.text.transcripts import Turn
from qualcode.wording import shell_command


def _open_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise ProjectError(f"no project at {path}")
    with open(path, "rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise ProjectError(f"{path} is not a qualcode project (not an SQLite file)")
    connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "_sqlite_migrations" not in tables or "transcripts" not in tables:
            raise ProjectError(f"{path} is an SQLite file but not a qualcode project")
        applied = {name for name, _ in applied_migrations(connection)}
    except sqlite3.DatabaseError as error:
        connection.close()
        raise ProjectError(f"{path} cannot be read as a project: {error}") from None
    except ProjectError:
        connection.close()
        raise
    known = set(known_migration_names())
    if applied - known:
        connection.close()
        raise ProjectError(f"{path} was written by a newer qualcode; upgrade qualcode to merge it")
    if known - applied:
        connection.close()
        raise ProjectError(
            f"{path} has an older schema; open it once ({shell_command('-p', str(path), 'status')}) to upgrade it,"
            " then merge"
        )
    return connection


def read_project_copy(path: Path, history: bool = False) -> b.Bundle:
    """Another qualcode project as a Bundle, keyed by its GUIDs; with `history`, also its retired
    and merged codes and its phase log (the folder form keeps the whole project)."""
    connection = _open_read_only(Path(path))
    try:
        with collector_paused():
            return _read(connection, Path(path).name, history)
    finally:
        connection.close()


def _read(db: sqlite3.Connection, label: str, history: bool = False) -> b.Bundle:
    def rows(sql: str) -> list[sqlite3.Row]:
        return db.execute(sql).fetchall()

    out = b.Bundle(label)
    analyst_key = {r["id"]: r["guid"] for r in rows("SELECT id, guid FROM analysts")}
    out.analysts = [
        b.Analyst(r["guid"], r["name"], r["guid"], r["created"])
        for r in rows("SELECT name, guid, created FROM analysts ORDER BY id")
    ]
    participant_key = {}
    for r in rows("SELECT id, name, guid FROM participants ORDER BY id"):
        participant_key[r["id"]] = r["guid"]
        out.participants.append(b.Participant(r["guid"], r["name"], r["guid"]))
    by_key = {p.key: p for p in out.participants}
    for r in rows("SELECT participant_id, key, value FROM participant_attributes ORDER BY id"):
        if r["value"] not in (None, ""):
            by_key[participant_key[r["participant_id"]]].attributes[r["key"]] = r["value"]
    turns: dict[int, list[Turn]] = {}
    for r in rows(
        "SELECT transcript_id, number, speaker, start, body_start, [end], timestamp, is_interviewer FROM turns ORDER BY transcript_id, number"
    ):
        turns.setdefault(r["transcript_id"], []).append(
            Turn(
                r["number"],
                r["speaker"],
                r["start"],
                r["body_start"],
                r["end"],
                r["timestamp"],
                bool(r["is_interviewer"]),
            )
        )
    transcript_key = {}
    for r in rows("SELECT * FROM transcripts ORDER BY id"):
        transcript_key[r["id"]] = r["guid"]
        out.transcripts.append(
            b.Transcript(
                r["guid"],
                r["name"],
                r["text"],
                r["guid"],
                participant_key.get(r["participant_id"]),
                r["source_name"],
                r["format"],
                r["encoding"],
                r["interviewer"],
                r["preamble"],
                r["source_sha256"],
                turns.get(r["id"], []),
                created=r["imported_at"],
                imported_by_key=analyst_key.get(r["imported_by"]),
            )
        )
    coded = {r[0] for r in rows("SELECT DISTINCT code_id FROM codings")}
    codes = rows(
        "SELECT id, name, guid, description, inclusion, exclusion, parent_id, color, status, merged_into_id, created,"
        " codable FROM codes ORDER BY id"
    )
    code_key = {r["id"]: r["guid"] for r in codes}
    # Merged and retired codes are the other copy's history, not its codebook.
    for r in codes:
        if r["status"] == "active" or r["id"] in coded or history:
            out.codes.append(
                b.Code(
                    r["guid"],
                    r["name"],
                    r["guid"],
                    r["description"],
                    r["inclusion"],
                    r["exclusion"],
                    r["color"],
                    code_key.get(r["parent_id"]),
                    created=r["created"],
                    status=r["status"] if history else "active",
                    merged_into_key=code_key.get(r["merged_into_id"]) if history else None,
                    codable=bool(r["codable"]),
                )
            )
    coding_key = {}
    for r in rows(
        "SELECT id, guid, transcript_id, code_id, analyst_id, start, [end], created FROM codings ORDER BY id"
    ):
        coding_key[r["id"]] = r["guid"]
        out.codings.append(
            b.Coding(
                r["guid"],
                transcript_key[r["transcript_id"]],
                code_key[r["code_id"]],
                analyst_key[r["analyst_id"]],
                r["start"],
                r["end"],
                r["created"],
                r["guid"],
            )
        )
    theme_key = {r["id"]: r["guid"] for r in rows("SELECT id, guid FROM themes")}
    members: dict[int, list[str]] = {}
    for r in rows("SELECT theme_id, code_id FROM theme_codes ORDER BY id"):
        members.setdefault(r["theme_id"], []).append(code_key[r["code_id"]])
    for r in rows("SELECT * FROM themes ORDER BY position, id"):
        out.themes.append(
            b.Theme(
                r["guid"],
                r["name"],
                r["guid"],
                r["definition"],
                r["concept"],
                theme_key.get(r["parent_id"]),
                r["status"],
                r["position"],
                members.get(r["id"], []),
            )
        )
    out.theme_links = [
        b.ThemeLink(theme_key[r["source_id"]], theme_key[r["target_id"]], r["label"])
        for r in rows("SELECT source_id, target_id, label FROM theme_links ORDER BY id")
    ]
    out.quotes = [
        b.Quote(theme_key[r["theme_id"]], coding_key[r["coding_id"]])
        for r in rows("SELECT theme_id, coding_id FROM theme_quotes ORDER BY theme_id, position, id")
    ]
    targets = {"transcript": transcript_key, "code": code_key, "theme": theme_key, "coding": coding_key}
    for r in rows("SELECT * FROM memos ORDER BY id"):
        target_type = r["target_type"] if r["target_id"] in targets.get(r["target_type"], {}) else None
        out.memos.append(
            b.Memo(
                r["guid"],
                r["body"],
                analyst_key[r["analyst_id"]],
                r["kind"],
                target_type,
                targets[target_type][r["target_id"]] if target_type else None,
                r["phase"],
                r["created"],
                r["updated"],
                r["guid"],
            )
        )
    if history:
        out.phase_log = [
            b.PhaseMove(r["phase"], analyst_key.get(r["analyst_id"]), r["at"], r["note"])
            for r in rows("SELECT phase, analyst_id, at, note FROM phase_log ORDER BY id")
        ]
    return out


def merge_project(
    project: Project,
    other: Path,
    analyst: str,
    *,
    only_analysts: list[str] | None = None,
    rename_prefix: str | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Bring `other`'s work into `project`: dry_run only reports what would be added, matched and conflicting."""
    other = Path(other)
    if other.exists() and os.path.samefile(other, project.path):
        raise InvalidInput(f"{other} is this project itself; name another copy to merge")
    bundle = read_project_copy(other)
    options = Options(rename_prefix=rename_prefix, only_analysts=only_analysts)
    return incorporate(project, bundle, analyst, "merge", options, dry_run=dry_run)
