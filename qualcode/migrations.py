"""Numbered schema migrations. Never edit an applied migration: add the next one.

The schema version of a project is the number of migrations applied to it. A file carrying a
migration this version does not know was written by a newer qualcode and is refused.

Migrations are applied with sqlite-utils' Migrations; the list of names is kept as plain
functions so that opening an up-to-date project does not pay for importing sqlite-utils.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

MIGRATION_SET = "qualcode"
MIGRATION_FUNCTIONS: list[Callable[[sqlite_utils.Database], None]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]) -> Callable[[sqlite_utils.Database], None]:
    MIGRATION_FUNCTIONS.append(fn)
    return fn


def known_migration_names() -> list[str]:
    return [fn.__name__ for fn in MIGRATION_FUNCTIONS]


def applied_migrations(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, applied_at) of the migrations recorded in a file, oldest first."""
    try:
        return conn.execute(
            "SELECT name, applied_at FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id", [MIGRATION_SET]
        ).fetchall()
    except sqlite3.OperationalError:
        return []


def migration_status(conn: sqlite3.Connection) -> list[tuple[str, str | None]]:
    """(name, applied_at) of every migration this version knows, in order; applied_at is None
    for one the file has not had yet."""
    applied = dict(applied_migrations(conn))
    return [(name, applied.get(name)) for name in known_migration_names()]


def apply_pending(conn: sqlite3.Connection) -> None:
    """Apply the migrations a file lacks, each in its own transaction.

    They run with foreign keys off: rebuilding a table drops the old one, and with them on that
    would delete every row that refers to it (ON DELETE CASCADE). SQLite ignores the pragma inside
    a transaction, so it is set around them, and restored after.
    """
    import sqlite_utils

    migrations = sqlite_utils.Migrations(MIGRATION_SET)
    for fn in MIGRATION_FUNCTIONS:
        migrations(name=fn.__name__)(fn)
    enforced = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        migrations.apply(sqlite_utils.Database(conn))
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if enforced else 'OFF'}")


@migration
def m001_initial_schema(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            value TEXT
        );
        CREATE TABLE analysts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            guid TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            guid TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL
        );
        CREATE TABLE participant_attributes (
            id INTEGER PRIMARY KEY,
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT,
            UNIQUE (participant_id, key)
        );
        CREATE TABLE transcripts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            guid TEXT NOT NULL UNIQUE,
            participant_id INTEGER REFERENCES participants(id),
            source_name TEXT,
            source_sha256 TEXT,
            format TEXT,
            encoding TEXT,
            interviewer TEXT,
            preamble TEXT,
            text TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            char_count INTEGER NOT NULL,
            word_count INTEGER NOT NULL,
            line_count INTEGER NOT NULL,
            turn_count INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            imported_by INTEGER REFERENCES analysts(id)
        );
        CREATE INDEX transcripts_text_sha256 ON transcripts(text_sha256);
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            speaker TEXT,
            is_interviewer INTEGER NOT NULL DEFAULT 0,
            start INTEGER NOT NULL,
            body_start INTEGER NOT NULL,
            [end] INTEGER NOT NULL,
            timestamp REAL,
            UNIQUE (transcript_id, number)
        );
        CREATE VIRTUAL TABLE turns_fts USING fts5(body, content='', tokenize='unicode61 remove_diacritics 2');
        CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            guid TEXT NOT NULL UNIQUE,
            description TEXT,
            inclusion TEXT,
            exclusion TEXT,
            parent_id INTEGER REFERENCES codes(id),
            color TEXT,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'retired')),
            merged_into_id INTEGER REFERENCES codes(id),
            created TEXT NOT NULL,
            created_by INTEGER REFERENCES analysts(id)
        );
        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
            code_id INTEGER NOT NULL REFERENCES codes(id),
            analyst_id INTEGER NOT NULL REFERENCES analysts(id),
            start INTEGER NOT NULL,
            [end] INTEGER NOT NULL CHECK ([end] > start),
            created TEXT NOT NULL,
            UNIQUE (transcript_id, code_id, analyst_id, start, [end])
        );
        CREATE INDEX codings_code ON codings(code_id, analyst_id);
        CREATE INDEX codings_transcript ON codings(transcript_id, start);
        CREATE TABLE themes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            guid TEXT NOT NULL UNIQUE,
            definition TEXT,
            concept TEXT,
            parent_id INTEGER REFERENCES themes(id),
            status TEXT NOT NULL DEFAULT 'candidate'
                CHECK (status IN ('candidate', 'reviewed', 'final', 'discarded')),
            position INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            created_by INTEGER REFERENCES analysts(id)
        );
        CREATE TABLE theme_codes (
            id INTEGER PRIMARY KEY,
            theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
            UNIQUE (theme_id, code_id)
        );
        CREATE TABLE theme_links (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
            target_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
            label TEXT,
            CHECK (source_id != target_id),
            UNIQUE (source_id, target_id)
        );
        CREATE TABLE theme_quotes (
            id INTEGER PRIMARY KEY,
            theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
            coding_id INTEGER NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            UNIQUE (theme_id, coding_id)
        );
        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            analyst_id INTEGER NOT NULL REFERENCES analysts(id),
            kind TEXT NOT NULL,
            target_type TEXT CHECK (target_type IN ('transcript', 'code', 'theme', 'coding')),
            target_id INTEGER,
            phase INTEGER NOT NULL,
            body TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX memos_target ON memos(target_type, target_id);
        CREATE TABLE phase_log (
            id INTEGER PRIMARY KEY,
            phase INTEGER NOT NULL CHECK (phase BETWEEN 1 AND 6),
            analyst_id INTEGER REFERENCES analysts(id),
            at TEXT NOT NULL,
            note TEXT
        );
        CREATE TABLE map_snapshots (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            analyst_id INTEGER REFERENCES analysts(id),
            phase INTEGER NOT NULL,
            note TEXT,
            graph_json TEXT NOT NULL
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            batch TEXT NOT NULL,
            analyst_id INTEGER REFERENCES analysts(id),
            at TEXT NOT NULL,
            command TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id INTEGER,
            before TEXT,
            after TEXT,
            undone_by TEXT
        );
        CREATE INDEX audit_log_batch ON audit_log(batch);
        CREATE INDEX audit_log_analyst ON audit_log(analyst_id, id);
        """
    )


@migration
def m002_transcript_versions(db: sqlite_utils.Database) -> None:
    """Earlier texts of transcripts, kept so `undo` can bring back a replaced or deleted text.

    The audit log holds a transcript's text only as its size and fingerprint; this is where undo
    finds the text (and the turns laid out on it) by that fingerprint. Pseudonymisation clears
    the versions that hold a replaced name. No foreign key: a deleted transcript's text stays."""
    db.executescript(
        """
        CREATE TABLE transcript_versions (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL,
            text_sha256 TEXT NOT NULL,
            text TEXT NOT NULL,
            turns_json TEXT NOT NULL,
            kept_at TEXT NOT NULL,
            UNIQUE (transcript_id, text_sha256)
        );
        """
    )


@migration
def m003_theme_narratives(db: sqlite_utils.Database) -> None:
    """The analytic narrative of a theme or subtheme: the Markdown an author writes for the
    results section, with extracts placed by coding id (qualcode.analysis.theme_narrative)."""
    db.execute("ALTER TABLE themes ADD COLUMN narrative TEXT")


# Every table whose rows the audit log records, and so whose ids people and undo refer to.
IDS_NEVER_REUSED = (
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
)


@migration
def m004_ids_never_reused(db: sqlite_utils.Database) -> None:
    """An id, once given, never names another row: SQLite reuses the largest id after a delete
    unless the key is AUTOINCREMENT, so a removed coding's id went to the next one applied, undo
    of the removal then failed, and a memo citing "coding 216" pointed at another passage.

    Each table is rebuilt with the same columns, constraints, rows and indexes, and its sequence
    starts above the largest id it ever had: the largest now in it, or in the audit log for rows
    deleted since.
    """
    conn = db.conn
    for table in IDS_NEVER_REUSED:
        _rebuild_with_autoincrement(conn, table)
        largest = conn.execute(
            f"SELECT max((SELECT coalesce(max(id), 0) FROM [{table}]),"
            " (SELECT coalesce(max(entity_id), 0) FROM audit_log WHERE entity = ?))",
            [table],
        ).fetchone()[0]
        conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", [table])
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [table, largest])


def _rebuild_with_autoincrement(conn: sqlite3.Connection, table: str) -> None:
    """SQLite's way to change a table's definition: create the new one, copy, drop, rename."""
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()
    if "AUTOINCREMENT" in sql.upper():
        return
    new_sql, keys = re.subn(
        r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b", "id INTEGER PRIMARY KEY AUTOINCREMENT", sql, count=1, flags=re.I
    )
    if keys != 1:
        raise RuntimeError(f"table {table} has no 'id INTEGER PRIMARY KEY' to make AUTOINCREMENT")
    new_sql = re.sub(
        r"^CREATE\s+TABLE\s+(\"[^\"]+\"|\[[^\]]+\]|\S+)", f"CREATE TABLE [_new_{table}]", new_sql, flags=re.I
    )
    indexes = [
        r[0]
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table]
        )
    ]
    columns = ", ".join(f"[{r[1]}]" for r in conn.execute(f"PRAGMA table_info([{table}])"))
    conn.execute(new_sql)
    conn.execute(f"INSERT INTO [_new_{table}] ({columns}) SELECT {columns} FROM [{table}]")
    conn.execute(f"DROP TABLE [{table}]")
    conn.execute(f"ALTER TABLE [_new_{table}] RENAME TO [{table}]")
    for index in indexes:
        conn.execute(index)


# The search index reads each turn's words from the stored text through this view.
TURN_BODIES_VIEW = """
CREATE VIEW turn_bodies AS
SELECT u.id AS id, substr(t.text, u.body_start + 1, u.[end] - u.body_start) AS body
FROM turns u JOIN transcripts t ON t.id = u.transcript_id
"""
SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE turns_fts USING fts5(body, content='turn_bodies', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')"
)


@migration
def m005_search_word_forms(db: sqlite_utils.Database) -> None:
    """Search finds word forms ("rupture" finds "ruptures" and "ruptured"): the index of turns is
    rebuilt with the Porter stemmer over unicode61 with accents folded. It now reads the words
    from the stored text (through a view) when it shows where a hit is, still keeping no copy."""
    conn = db.conn
    conn.execute("DROP TABLE turns_fts")
    conn.execute(TURN_BODIES_VIEW)
    conn.execute(SEARCH_INDEX)
    for transcript_id, text in conn.execute("SELECT id, text FROM transcripts ORDER BY id").fetchall():
        turns = conn.execute("SELECT id, body_start, [end] FROM turns WHERE transcript_id = ?", [transcript_id])
        conn.executemany(
            "INSERT INTO turns_fts (rowid, body) VALUES (?, ?)",
            [(turn_id, text[start:end]) for turn_id, start, end in turns.fetchall()],
        )


# Foreign-key columns that other rows are looked up by. Without an index SQLite scans the whole
# child table for every parent row it deletes or checks, so undoing an import of 10,000 codes
# took 48 s (100,000: hours); with them it takes well under a second.
FOREIGN_KEY_INDEXES = {
    "codes_parent": ("codes", "parent_id"),
    "codes_merged_into": ("codes", "merged_into_id"),
    "themes_parent": ("themes", "parent_id"),
    "theme_codes_code": ("theme_codes", "code_id"),
    "theme_links_target": ("theme_links", "target_id"),
    "theme_quotes_coding": ("theme_quotes", "coding_id"),
    "transcripts_participant": ("transcripts", "participant_id"),
}


@migration
def m006_foreign_key_indexes(db: sqlite_utils.Database) -> None:
    """Indexes on the foreign-key columns undo, delete and merge look rows up by."""
    for name, (table, column) in FOREIGN_KEY_INDEXES.items():
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON [{table}]([{column}])")


@migration
def m007_code_categories(db: sqlite_utils.Database) -> None:
    """Categories: codes that group others and are never applied themselves (REFI-QDA's
    isCodable="false", QualCoder's code_cat). Every code so far could be applied. (A file that has
    the column already, as the upgrade tests make old files with today's code, keeps it.)"""
    if "codable" not in {r[1] for r in db.conn.execute("PRAGMA table_info(codes)")}:
        db.execute("ALTER TABLE codes ADD COLUMN codable INTEGER NOT NULL DEFAULT 1")


@migration
def m008_coding_sessions(db: sqlite_utils.Database) -> None:
    """The coding sessions started and ended, so a reveal can name a co-analyst still coding blind.

    No foreign keys: a session record is a note about who is at work, never a reason to refuse an
    undo or a delete (a record whose analyst is gone is simply not shown)."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS coding_sessions (
            id INTEGER PRIMARY KEY,
            analyst_id INTEGER NOT NULL,
            transcript_id INTEGER,
            started TEXT NOT NULL,
            ended TEXT,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL
        )
        """
    )
