"""The schema a new project gets, written out in full: it documents the data model and fails when
a migration changes it without this file changing too.

Each table is read back from SQLite itself (PRAGMA table_info, index_list, index_xinfo,
foreign_key_list; CHECK constraints from the table's CREATE statement) and written as:
- columns: "name TYPE [PRIMARY KEY] [NOT NULL] [DEFAULT value]", in table order;
- unique: the UNIQUE constraints, each "(column, …)" with any collation other than BINARY;
- checks: the CHECK constraints as written;
- indexes: the named indexes, "(column, …)" or "UNIQUE (column, …)";
- foreign_keys: column -> "table.column", with " ON DELETE …" unless it is NO ACTION.
FTS5 tables are kept apart with their shadow tables (whose layout is SQLite's business); triggers
and views are listed by name with their SQL; tables whose ids are never reused (AUTOINCREMENT) by
name.
"""

from __future__ import annotations

import re
import sqlite3

from qualcode.migrations import applied_migrations, apply_pending, known_migration_names

EXPECTED = {
    "tables": {
        # sqlite-utils' record of the migrations applied: the schema version is their count.
        "_sqlite_migrations": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "migration_set TEXT",
                "name TEXT",
                "applied_at TEXT",
            ],
            "unique": [],
            "checks": [],
            "indexes": {"idx__sqlite_migrations_migration_set_name": "UNIQUE (migration_set, name)"},
            "foreign_keys": {},
        },
        "settings": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "key TEXT NOT NULL",
                "value TEXT",
            ],
            "unique": ["(key)"],
            "checks": [],
            "indexes": {},
            "foreign_keys": {},
        },
        "analysts": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "name TEXT NOT NULL",
                "guid TEXT NOT NULL",
                "created TEXT NOT NULL",
            ],
            "unique": ["(guid)", "(name COLLATE NOCASE)"],
            "checks": [],
            "indexes": {},
            "foreign_keys": {},
        },
        "participants": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "name TEXT NOT NULL",
                "guid TEXT NOT NULL",
                "created TEXT NOT NULL",
            ],
            "unique": ["(guid)", "(name COLLATE NOCASE)"],
            "checks": [],
            "indexes": {},
            "foreign_keys": {},
        },
        "participant_attributes": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "participant_id INTEGER NOT NULL",
                "key TEXT NOT NULL",
                "value TEXT",
            ],
            "unique": ["(participant_id, key)"],
            "checks": [],
            "indexes": {},
            "foreign_keys": {"participant_id": "participants.id ON DELETE CASCADE"},
        },
        # Text stored once (NFC, \n line ends); the sha256 finds a re-import of the same text.
        "transcripts": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "name TEXT NOT NULL",
                "guid TEXT NOT NULL",
                "participant_id INTEGER",
                "source_name TEXT",
                "source_sha256 TEXT",
                "format TEXT",
                "encoding TEXT",
                "interviewer TEXT",
                "preamble TEXT",
                "text TEXT NOT NULL",
                "text_sha256 TEXT NOT NULL",
                "char_count INTEGER NOT NULL",
                "word_count INTEGER NOT NULL",
                "line_count INTEGER NOT NULL",
                "turn_count INTEGER NOT NULL",
                "imported_at TEXT NOT NULL",
                "imported_by INTEGER",
            ],
            "unique": ["(guid)", "(name COLLATE NOCASE)"],
            "checks": [],
            "indexes": {"transcripts_text_sha256": "(text_sha256)", "transcripts_participant": "(participant_id)"},
            "foreign_keys": {"imported_by": "analysts.id", "participant_id": "participants.id"},
        },
        # Offsets into transcripts.text; body_start skips the speaker label.
        "turns": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "transcript_id INTEGER NOT NULL",
                "number INTEGER NOT NULL",
                "speaker TEXT",
                "is_interviewer INTEGER NOT NULL DEFAULT 0",
                "start INTEGER NOT NULL",
                "body_start INTEGER NOT NULL",
                "end INTEGER NOT NULL",
                "timestamp REAL",
            ],
            "unique": ["(transcript_id, number)"],
            "checks": [],
            "indexes": {},
            "foreign_keys": {"transcript_id": "transcripts.id ON DELETE CASCADE"},
        },
        "codes": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "name TEXT NOT NULL",
                "guid TEXT NOT NULL",
                "description TEXT",
                "inclusion TEXT",
                "exclusion TEXT",
                "parent_id INTEGER",
                "color TEXT",
                "status TEXT NOT NULL DEFAULT 'active'",
                "merged_into_id INTEGER",
                "created TEXT NOT NULL",
                "created_by INTEGER",
                # 0: a category, which groups codes and is never applied itself (m007).
                "codable INTEGER NOT NULL DEFAULT 1",
            ],
            "unique": ["(guid)", "(name COLLATE NOCASE)"],
            "checks": ["status IN ('active', 'merged', 'retired')"],
            "indexes": {"codes_parent": "(parent_id)", "codes_merged_into": "(merged_into_id)"},
            "foreign_keys": {"created_by": "analysts.id", "merged_into_id": "codes.id", "parent_id": "codes.id"},
        },
        # 0-based, end-exclusive offsets in code points of transcripts.text. No cascade: a
        # transcript, code or analyst with codings cannot be deleted from under them.
        "codings": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "guid TEXT NOT NULL",
                "transcript_id INTEGER NOT NULL",
                "code_id INTEGER NOT NULL",
                "analyst_id INTEGER NOT NULL",
                "start INTEGER NOT NULL",
                "end INTEGER NOT NULL",
                "created TEXT NOT NULL",
            ],
            "unique": ["(guid)", "(transcript_id, code_id, analyst_id, start, end)"],
            "checks": ["[end] > start"],
            "indexes": {"codings_transcript": "(transcript_id, start)", "codings_code": "(code_id, analyst_id)"},
            "foreign_keys": {"analyst_id": "analysts.id", "code_id": "codes.id", "transcript_id": "transcripts.id"},
        },
        # Who has a coding session open (m008): a note, with no keys to block an undo or delete.
        "coding_sessions": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "analyst_id INTEGER NOT NULL",
                "transcript_id INTEGER",
                "started TEXT NOT NULL",
                "ended TEXT",
                "host TEXT NOT NULL",
                "pid INTEGER NOT NULL",
            ],
            "unique": [],
            "checks": [],
            "indexes": {},
            "foreign_keys": {},
        },
        "themes": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "name TEXT NOT NULL",
                "guid TEXT NOT NULL",
                "definition TEXT",
                "concept TEXT",
                "parent_id INTEGER",
                "status TEXT NOT NULL DEFAULT 'candidate'",
                "position INTEGER NOT NULL DEFAULT 0",
                "created TEXT NOT NULL",
                "created_by INTEGER",
                "narrative TEXT",
            ],
            "unique": ["(guid)", "(name COLLATE NOCASE)"],
            "checks": ["status IN ('candidate', 'reviewed', 'final', 'discarded')"],
            "indexes": {"themes_parent": "(parent_id)"},
            "foreign_keys": {"created_by": "analysts.id", "parent_id": "themes.id"},
        },
        "theme_codes": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "theme_id INTEGER NOT NULL",
                "code_id INTEGER NOT NULL",
            ],
            "unique": ["(theme_id, code_id)"],
            "checks": [],
            "indexes": {"theme_codes_code": "(code_id)"},
            "foreign_keys": {"code_id": "codes.id ON DELETE CASCADE", "theme_id": "themes.id ON DELETE CASCADE"},
        },
        "theme_links": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "source_id INTEGER NOT NULL",
                "target_id INTEGER NOT NULL",
                "label TEXT",
            ],
            "unique": ["(source_id, target_id)"],
            "checks": ["source_id != target_id"],
            "indexes": {"theme_links_target": "(target_id)"},
            "foreign_keys": {"target_id": "themes.id ON DELETE CASCADE", "source_id": "themes.id ON DELETE CASCADE"},
        },
        "theme_quotes": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "theme_id INTEGER NOT NULL",
                "coding_id INTEGER NOT NULL",
                "position INTEGER NOT NULL DEFAULT 0",
            ],
            "unique": ["(theme_id, coding_id)"],
            "checks": [],
            "indexes": {"theme_quotes_coding": "(coding_id)"},
            "foreign_keys": {"coding_id": "codings.id ON DELETE CASCADE", "theme_id": "themes.id ON DELETE CASCADE"},
        },
        # target_id points into the table target_type names, so it has no foreign key; kinds are
        # checked by the library (names.one_of), not by the schema.
        "memos": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "guid TEXT NOT NULL",
                "analyst_id INTEGER NOT NULL",
                "kind TEXT NOT NULL",
                "target_type TEXT",
                "target_id INTEGER",
                "phase INTEGER NOT NULL",
                "body TEXT NOT NULL",
                "created TEXT NOT NULL",
                "updated TEXT NOT NULL",
            ],
            "unique": ["(guid)"],
            "checks": ["target_type IN ('transcript', 'code', 'theme', 'coding')"],
            "indexes": {"memos_target": "(target_type, target_id)"},
            "foreign_keys": {"analyst_id": "analysts.id"},
        },
        "phase_log": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "phase INTEGER NOT NULL",
                "analyst_id INTEGER",
                "at TEXT NOT NULL",
                "note TEXT",
            ],
            "unique": [],
            "checks": ["phase BETWEEN 1 AND 6"],
            "indexes": {},
            "foreign_keys": {"analyst_id": "analysts.id"},
        },
        "map_snapshots": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "at TEXT NOT NULL",
                "analyst_id INTEGER",
                "phase INTEGER NOT NULL",
                "note TEXT",
                "graph_json TEXT NOT NULL",
            ],
            "unique": [],
            "checks": [],
            "indexes": {},
            "foreign_keys": {"analyst_id": "analysts.id"},
        },
        # One row per changed row; a batch is one command, undone together.
        "audit_log": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "batch TEXT NOT NULL",
                "analyst_id INTEGER",
                "at TEXT NOT NULL",
                "command TEXT NOT NULL",
                "action TEXT NOT NULL",
                "entity TEXT NOT NULL",
                "entity_id INTEGER",
                "before TEXT",
                "after TEXT",
                "undone_by TEXT",
            ],
            "unique": [],
            "checks": [],
            "indexes": {"audit_log_analyst": "(analyst_id, id)", "audit_log_batch": "(batch)"},
            "foreign_keys": {"analyst_id": "analysts.id"},
        },
        # Earlier texts of transcripts (and their turns), found by fingerprint when undo brings a
        # replaced or deleted transcript back; no foreign key, so a deleted transcript's text stays.
        "transcript_versions": {
            "columns": [
                "id INTEGER PRIMARY KEY",
                "transcript_id INTEGER NOT NULL",
                "text_sha256 TEXT NOT NULL",
                "text TEXT NOT NULL",
                "turns_json TEXT NOT NULL",
                "kept_at TEXT NOT NULL",
            ],
            "unique": ["(transcript_id, text_sha256)"],
            "checks": [],
            "indexes": {},
            "foreign_keys": {},
        },
        # SQLite's own: the largest id each AUTOINCREMENT table has given (see "autoincrement").
        "sqlite_sequence": {"columns": ["name", "seq"], "unique": [], "checks": [], "indexes": {}, "foreign_keys": {}},
    },
    # Search: an FTS5 index of turn bodies (rowid = turns.id) with English stems, written by the
    # importer as turns are stored and removed. It keeps no copy of the text: highlight() reads a
    # turn's words from the stored text through the view turn_bodies. There are no triggers.
    "full_text": {
        "turns_fts": {
            "sql": "CREATE VIRTUAL TABLE turns_fts USING fts5(body, content='turn_bodies', content_rowid='id',"
            " tokenize='porter unicode61 remove_diacritics 2')",
            "shadow_tables": ["turns_fts_config", "turns_fts_data", "turns_fts_docsize", "turns_fts_idx"],
        },
    },
    "triggers": {},
    "views": {
        "turn_bodies": "CREATE VIEW turn_bodies AS\n"
        "SELECT u.id AS id, substr(t.text, u.body_start + 1, u.[end] - u.body_start) AS body\n"
        "FROM turns u JOIN transcripts t ON t.id = u.transcript_id",
    },
    # Ids never reused (AUTOINCREMENT): every table whose rows the audit log records.
    "autoincrement": [
        "analysts",
        "codes",
        "codings",
        "map_snapshots",
        "memos",
        "participant_attributes",
        "participants",
        "phase_log",
        "settings",
        "theme_codes",
        "theme_links",
        "theme_quotes",
        "themes",
        "transcripts",
    ],
}


def column_spec(name: str, kind: str, notnull: int, default: str | None, pk: int) -> str:
    parts = [name, kind, "PRIMARY KEY" if pk else "", "NOT NULL" if notnull else ""]
    parts.append(f"DEFAULT {default}" if default is not None else "")
    return " ".join(part for part in parts if part)


def checks_of(create_sql: str) -> list[str]:
    """The body of each CHECK (…) in a CREATE TABLE statement, whitespace collapsed."""
    found = []
    for match in re.finditer(r"\bCHECK\s*\(", create_sql, re.IGNORECASE):
        depth = 0
        for end in range(match.end() - 1, len(create_sql)):
            depth += {"(": 1, ")": -1}.get(create_sql[end], 0)
            if depth == 0:
                break
        found.append(" ".join(create_sql[match.end() : end].split()))
    return found


def schema_of(conn: sqlite3.Connection) -> dict:
    objects = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY rowid").fetchall()
    virtual = {name: sql for kind, name, sql in objects if kind == "table" and sql.startswith("CREATE VIRTUAL TABLE")}
    shadow = {name: owner for _, name, _ in objects for owner in virtual if name.startswith(f"{owner}_")}
    tables = {}
    for kind, name, sql in objects:
        if kind != "table" or name in virtual or name in shadow:
            continue
        unique, indexes = [], {}
        for _, index, is_unique, origin, _ in conn.execute(f"PRAGMA index_list([{name}])"):
            keys = ", ".join(
                column if collation == "BINARY" else f"{column} COLLATE {collation}"
                for _, _, column, _, collation, key in conn.execute(f"PRAGMA index_xinfo([{index}])")
                if key
            )
            if origin == "u":
                unique.append(f"({keys})")
            else:
                indexes[index] = f"UNIQUE ({keys})" if is_unique else f"({keys})"
        tables[name] = {
            "columns": [column_spec(*row[1:]) for row in conn.execute(f"PRAGMA table_info([{name}])")],
            "unique": sorted(unique),
            "checks": checks_of(sql),
            "indexes": indexes,
            "foreign_keys": {
                column: f"{other}.{other_column}" + ("" if on_delete == "NO ACTION" else f" ON DELETE {on_delete}")
                for _, _, other, column, other_column, _, on_delete, _ in conn.execute(
                    f"PRAGMA foreign_key_list([{name}])"
                )
            },
        }
    return {
        "tables": tables,
        "full_text": {
            name: {"sql": sql, "shadow_tables": sorted(s for s, owner in shadow.items() if owner == name)}
            for name, sql in virtual.items()
        },
        "triggers": {name: sql for kind, name, sql in objects if kind == "trigger"},
        "views": {name: sql for kind, name, sql in objects if kind == "view"},
        "autoincrement": sorted(
            name for kind, name, sql in objects if kind == "table" and "AUTOINCREMENT" in (sql or "").upper()
        ),
    }


def test_migrating_a_blank_database_gives_the_documented_schema():
    conn = sqlite3.connect(":memory:")
    apply_pending(conn)
    assert schema_of(conn) == EXPECTED
    assert [name for name, _ in applied_migrations(conn)] == known_migration_names()
    assert known_migration_names() == [
        "m001_initial_schema",
        "m002_transcript_versions",
        "m003_theme_narratives",
        "m004_ids_never_reused",
        "m005_search_word_forms",
        "m006_foreign_key_indexes",
        "m007_code_categories",
        "m008_coding_sessions",
    ]


def test_migrating_again_changes_nothing():
    conn = sqlite3.connect(":memory:")
    apply_pending(conn)
    applied = applied_migrations(conn)
    apply_pending(conn)
    assert schema_of(conn) == EXPECTED
    assert applied_migrations(conn) == applied


def test_a_new_project_file_has_the_documented_schema(project):
    assert schema_of(project.db.conn) == EXPECTED
    assert project.schema_version == len(known_migration_names())
