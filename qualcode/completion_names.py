"""The names a project holds, for shell completion: codes, transcripts, analysts, themes …

Completion runs on every <TAB>, so a look-up opens the project read-only (it never migrates or
writes), and any trouble (no project, several to choose from, a damaged or foreign file) gives
an empty list: a shell prompt is no place for an error message.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

from qualcode.analysis.visibility import Visibility, completion_viewer, visible_to
from qualcode.errors import QualcodeError
from qualcode.store import Database, choose_project_path, open_read_only

NameKind = Literal[
    "codes",
    "transcripts",
    "participants",
    "analysts",
    "themes",
    "speakers",
    "audit_entities",
    "attribute_values",
    "matrix_columns",
    "memo_targets",
    "coding_ids",
]

_QUERIES: dict[NameKind, str] = {
    # Merged and retired codes are kept for the record but are not offered for new work.
    "codes": "SELECT name FROM codes WHERE status = 'active' ORDER BY name",
    # A transcript is named by its own name or by its participant's.
    "transcripts": (
        "SELECT name FROM transcripts"
        " UNION SELECT p.name FROM participants p JOIN transcripts t ON t.participant_id = p.id ORDER BY 1"
    ),
    "participants": "SELECT name FROM participants ORDER BY name",
    "analysts": "SELECT name FROM analysts ORDER BY name",
    "themes": "SELECT name FROM themes ORDER BY name",
    "speakers": "SELECT DISTINCT speaker FROM turns WHERE speaker IS NOT NULL ORDER BY 1",
    "audit_entities": "SELECT DISTINCT entity FROM audit_log WHERE entity != 'project' ORDER BY 1",
    # KEY=VALUE, as `--where` and `participant set` take them.
    "attribute_values": (
        "SELECT DISTINCT key || '=' || value FROM participant_attributes WHERE value != '' ORDER BY 1"
    ),
    # What `matrix --by` takes: participant, transcript, or attribute:KEY.
    "matrix_columns": (
        "SELECT 'participant' UNION ALL SELECT 'transcript'"
        " UNION ALL SELECT * FROM (SELECT DISTINCT 'attribute:' || key FROM participant_attributes ORDER BY 1)"
    ),
    # What `memo --on` takes: TYPE:NAME; codings go by id (see coding_ids).
    "memo_targets": (
        "SELECT 'transcript:' || name FROM transcripts"
        " UNION ALL SELECT 'code:' || name FROM codes WHERE status = 'active'"
        " UNION ALL SELECT 'theme:' || name FROM themes ORDER BY 1"
    ),
    "coding_ids": "SELECT 'coding:' || id FROM codings ORDER BY id",
}


# Under blind coding these offer only what the analyst may see (qualcode.analysis.visibility).
_HIDDEN_CODES = {"codes", "memo_targets"}
_HIDDEN_CODINGS = {"coding_ids"}


def stored_names(project: str | None, kind: NameKind, analyst: str | None = None) -> list[str]:
    """The names of one kind in a project (a name or path as --project takes it; None for the
    only project in projects/), sorted; [] when there is no project or it cannot be read.
    analyst: who is asking (--analyst), else QUALCODE_ANALYST or the default analyst."""
    try:
        with open_read_only(choose_project_path(project)) as db:
            names = [str(row[0]) for row in db.execute(_QUERIES[kind])]
            if kind in _HIDDEN_CODES or kind in _HIDDEN_CODINGS:
                seen = visible_to(db, completion_viewer(db, analyst), codes=kind in _HIDDEN_CODES)
                if seen.filtered:
                    names = _visible_names(db, kind, names, seen)
            return names
    except (QualcodeError, sqlite3.Error, OSError):
        return []


def _visible_names(db: Database, kind: NameKind, names: list[str], seen: Visibility) -> list[str]:
    if kind == "coding_ids":
        clause, params = seen.codings_clause("analyst_id")
        keep = {f"coding:{r[0]}" for r in db.execute(f"SELECT id FROM codings WHERE 1 = 1 {clause}", params)}
        return [name for name in names if name in keep]
    hidden_names = {name for code_id, name in db.execute("SELECT id, name FROM codes") if not seen.sees_code(code_id)}
    if kind == "codes":
        return [name for name in names if name not in hidden_names]
    return [name for name in names if not (name.startswith("code:") and name[5:] in hidden_names)]
