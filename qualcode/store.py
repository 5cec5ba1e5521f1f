"""The project file: opening and creating it, its schema and migrations, transactions and the audit log.

One project is one SQLite file. Every change goes through `Project.change()`, which runs it in one
transaction and writes an audit_log row per changed row with the full before/after state, so the
trail can be cited in a methods section and `undo` can revert a command row by row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from qualcode.errors import NotFound, ProjectError
from qualcode.migrations import applied_migrations, apply_pending, known_migration_names, migration_status
from qualcode.names import spelled_as_stored, unknown_name_message
from qualcode.wording import shell_command, shell_word

PROJECT_SUFFIX = ".qualcode"
BUSY_TIMEOUT_SECONDS = 30
LOCK_NOTICE_SECONDS = 1.0
SQLITE_MAGIC = b"SQLite format 3\x00"

# Columns too large to copy into every audit row; the audit keeps their size instead.
BULKY_COLUMNS = {"text", "graph_json"}


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def new_guid() -> str:
    return str(uuid.uuid4())


def resolve_project_path(name_or_path: str, projects_dir: Path = Path("projects")) -> Path:
    """A bare name means projects/NAME.qualcode; anything with a slash or the suffix is a path."""
    if os.sep in name_or_path or "/" in name_or_path or name_or_path.endswith(PROJECT_SUFFIX):
        return Path(name_or_path)
    return projects_dir / f"{name_or_path}{PROJECT_SUFFIX}"


class Database:
    """The project's connection: plain sqlite3 for everyday queries, and sqlite-utils' table
    helpers on demand (importing sqlite-utils costs more than a quick command's whole budget)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executescript(self, sql: str) -> sqlite3.Cursor:
        return self.conn.executescript(sql)

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row))

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    @functools.cached_property
    def utils(self):
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def __getitem__(self, table: str):
        return self.utils[table]


def choose_project_path(option: str | None, projects_dir: Path = Path("projects")) -> Path:
    """The project a command means: the one named, else the only project in projects/.
    Raises ProjectError when there is none, or several to choose from."""
    if option:
        return resolve_project_path(option, projects_dir)
    found = sorted(projects_dir.glob(f"*{PROJECT_SUFFIX}"))
    if len(found) == 1:
        return found[0]
    if not found:
        raise ProjectError(
            "no project given: pass --project NAME (or set QUALCODE_PROJECT), or create one with `qualcode init NAME`"
        )
    names = ", ".join(p.stem for p in found)
    raise ProjectError(f"several projects in projects/ ({names}): choose one with --project NAME")


def _connect(path: Path) -> Database:
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a writer waits for the lock
    # (busy timeout) at the start of its transaction instead of failing half-way through.
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        # A project on a read-only disk or in a read-only folder (an archived study): SQLite
        # cannot make the -shm file WAL reading needs, so open it unchangeable; it can be read,
        # and a command that would change it says the project is read-only.
        immutable = "&immutable=1" if not os.access(path.parent, os.W_OK) else ""
        uri = f"{path.resolve().as_uri()}?mode=ro{immutable}"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn)


def _check_project_file(path: Path) -> None:
    """Refuse a missing file, or one that is not SQLite, before SQLite would create or misread it."""
    if not path.exists():
        name = path.stem if path == resolve_project_path(path.stem) else str(path)
        raise ProjectError(f"no project at {path}; create it with `{shell_command('init', name)}`")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise ProjectError(f"{path} is not a qualcode project (not an SQLite file)")


def _check_schema(path: Path, conn: sqlite3.Connection) -> None:
    """Refuse an SQLite file that is not a qualcode project, or one written by a newer qualcode."""
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise ProjectError(f"{path} cannot be read as a project: {error}") from None
    if "_sqlite_migrations" not in tables or "transcripts" not in tables:
        raise ProjectError(f"{path} is an SQLite file but not a qualcode project")
    applied = {name for name, _ in applied_migrations(conn)}
    known = known_migration_names()
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    if applied - set(known) or user_version > len(known):
        raise ProjectError(
            f"{path} was written by a newer qualcode (schema {max(len(applied), user_version)}, this one knows "
            f"{len(known)}); upgrade qualcode to open it"
        )


@contextlib.contextmanager
def open_read_only(path: Path) -> Iterator[Database]:
    """A project file opened so that nothing can change it: no migrations are applied and any
    write fails. For what only looks and must leave the file as it was (`migrate --list`, shell
    completion); Project.open would bring an older file up to date first."""
    path = Path(path)
    _check_project_file(path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _check_schema(path, conn)
        yield Database(conn)
    finally:
        conn.close()


def list_migrations(path: Path) -> list[tuple[str, str | None]]:
    """(name, applied_at) of every migration this qualcode knows, applied_at None while one is
    pending, read without migrating the file."""
    with open_read_only(path) as db:
        return migration_status(db.conn)


class Change:
    """The audited writes of one command, inside one transaction."""

    def __init__(self, project: Project, analyst_id: int | None, command: str, batch: str):
        self.project = project
        self.db = project.db
        self.analyst_id = analyst_id
        self.command = command
        self.batch = batch
        self.at = project.clock()

    def _audit(self, action: str, table: str, row_id: int | None, before: dict | None, after: dict | None) -> None:
        self.db.execute(
            "INSERT INTO audit_log (batch, analyst_id, at, command, action, entity, entity_id, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.batch,
                self.analyst_id,
                self.at,
                self.command,
                action,
                table,
                row_id,
                _audit_json(before),
                _audit_json(after),
            ],
        )

    def note(self, action: str, details: dict[str, Any]) -> None:
        """Record a change that is not one row (e.g. an import summary) for the trail."""
        self._audit(action, "project", None, None, details)

    def insert(self, table: str, row: dict[str, Any], audit: bool = True) -> int:
        columns = list(row)
        cursor = self.db.execute(
            f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' for _ in columns)})",
            [row[c] for c in columns],
        )
        row_id = cursor.lastrowid
        assert row_id is not None  # sqlite3 sets it after every INSERT; None is only before one
        if audit:
            self._audit("insert", table, row_id, None, self._row(table, row_id))
        return row_id

    def next_id(self, table: str) -> int:
        """The id the next row of `table` would get: above every id the table ever gave, for a
        table whose ids are never reused (AUTOINCREMENT). Safe to use for explicit ids only inside
        a change, which holds the write lock, so no other writer can take it first."""
        largest = self.db.execute(f"SELECT coalesce(max(id), 0) FROM [{table}]").fetchone()[0]
        # sqlite_sequence exists once any table is AUTOINCREMENT (so not before migration 4).
        if self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
            given = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", [table]).fetchone()
            largest = max(largest, given[0] if given else 0)
        return largest + 1

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> list[int]:
        """Insert many rows of one shape, audited from the values given (not read back), for
        imports and merges of hundreds of thousands of codings. Ids are assigned here so both
        the rows and their audit entries go in as two batches. Columns left out take their
        defaults and are not in the audit row; undo needs only the id to revert an insert."""
        if not rows:
            return []
        columns = list(rows[0])
        audit_json = _row_json_writer(["id", *columns])
        first_id = self.next_id(table)
        ids = list(range(first_id, first_id + len(rows)))
        # The values go to SQLite as they are made, not as lists: for 200,000 codings the lists
        # of values and audit entries held 100 MB at once.
        self.db.conn.executemany(
            f"INSERT INTO [{table}] (id, {', '.join(f'[{c}]' for c in columns)})"
            f" VALUES (?, {', '.join('?' for _ in columns)})",
            ((row_id, *(row[c] for c in columns)) for row_id, row in zip(ids, rows)),
        )
        self.db.conn.executemany(
            "INSERT INTO audit_log (batch, analyst_id, at, command, action, entity, entity_id, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    self.batch,
                    self.analyst_id,
                    self.at,
                    self.command,
                    "insert",
                    table,
                    row_id,
                    None,
                    audit_json({"id": row_id, **row}),
                )
                for row_id, row in zip(ids, rows)
            ),
        )
        return ids

    def update(self, table: str, row_id: int, changes: dict[str, Any]) -> None:
        before = self._row(table, row_id)
        assignments = ", ".join(f"[{c}] = ?" for c in changes)
        self.db.execute(f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*changes.values(), row_id])
        self._audit("update", table, row_id, before, self._row(table, row_id))

    def update_many(
        self, table: str, changes: dict[int, dict[str, Any]], befores: dict[int, dict[str, Any]] | None = None
    ) -> None:
        """Update many rows, each with its own values, audited in batches: for moving the
        thousands of codings an edited or pseudonymised transcript carries. Every row must
        change the same columns; the audit rows hold the whole row before and after.
        `befores` (from rows_by_id, read earlier) is for callers that move rows in steps."""
        if not changes:
            return
        columns = list(next(iter(changes.values())))
        if befores is None:
            befores = self.rows_by_id(table, list(changes))
        assignments = ", ".join(f"[{c}] = ?" for c in columns)
        self.db.conn.executemany(
            f"UPDATE [{table}] SET {assignments} WHERE id = ?",
            [(*(values[c] for c in columns), row_id) for row_id, values in changes.items()],
        )
        self.db.conn.executemany(
            "INSERT INTO audit_log (batch, analyst_id, at, command, action, entity, entity_id, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    self.batch,
                    self.analyst_id,
                    self.at,
                    self.command,
                    "update",
                    table,
                    row_id,
                    _audit_json(befores[row_id]),
                    _audit_json({**befores[row_id], **values}),
                )
                for row_id, values in changes.items()
            ],
        )

    def rows_by_id(self, table: str, ids: list[int]) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            cursor = self.db.execute(f"SELECT * FROM [{table}] WHERE id IN ({', '.join('?' for _ in part)})", part)
            names = [d[0] for d in cursor.description]
            found.update({row[0]: dict(zip(names, row)) for row in cursor})
        return found

    def delete(self, table: str, row_id: int) -> None:
        before = self._row(table, row_id)
        self.db.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id])
        self._audit("delete", table, row_id, before, None)

    def execute(self, sql: str, params: list | tuple = ()) -> sqlite3.Cursor:
        """Unaudited SQL for derived data (indexes, link tables rebuilt from audited rows)."""
        return self.db.execute(sql, params)

    def _row(self, table: str, row_id: int) -> dict[str, Any]:
        cursor = self.db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
        names = [d[0] for d in cursor.description]
        values = cursor.fetchone()
        if values is None:
            raise NotFound(f"no row {row_id} in {table}")
        return dict(zip(names, values))


def _fingerprint(text: str) -> str:
    """Stands for a bulky value in the audit log: enough to tell whether it changed."""
    # Loaded here, not at the top: hashlib brings in OpenSSL (about 4 MB), which read-only
    # commands never need.
    import hashlib

    return f"<{len(text)} characters, sha256 {hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}>"


def _audit_json(row: dict | None) -> str | None:
    if row is None:
        return None
    if BULKY_COLUMNS.isdisjoint(row):
        return _AUDIT_ENCODER.encode(row)
    slim = {k: (_fingerprint(v) if k in BULKY_COLUMNS and isinstance(v, str) else v) for k, v in row.items()}
    return _AUDIT_ENCODER.encode(slim)


# What json.dumps(row, ensure_ascii=False, sort_keys=True) writes, without building an encoder
# for each of the hundreds of thousands of rows a large change audits.
_AUDIT_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _row_json_writer(columns: list[str]) -> Callable[[dict[str, Any]], str | None]:
    """_audit_json for many rows with these columns, a third of the time: the keys are sorted
    and quoted once, and whole numbers, text and nulls written directly, exactly as the encoder
    writes them (anything else, and bulky text, goes through _audit_json)."""
    if not BULKY_COLUMNS.isdisjoint(columns):
        return _audit_json
    keys = sorted(columns)
    quoted = [f"{json.encoder.encode_basestring(k)}: " for k in keys]
    quote = json.encoder.encode_basestring

    def write(row: dict[str, Any]) -> str | None:
        parts = []
        for key, label in zip(keys, quoted):
            value = row[key]
            kind = type(value)
            if kind is str:
                parts.append(label + quote(value))
            elif kind is int:
                parts.append(label + int.__repr__(value))
            elif value is None:
                parts.append(label + "null")
            else:
                return _audit_json(row)
        return "{" + ", ".join(parts) + "}"

    return write


def set_setting(project: Project, analyst: str, key: str, value: str | None) -> None:
    """Set a project setting (title, default analyst …), audited like any change."""
    with project.change(analyst, "setting") as change:
        row = change.db.execute("SELECT id FROM settings WHERE key = ?", [key]).fetchone()
        if row is None:
            change.insert("settings", {"key": key, "value": value})
        else:
            change.update("settings", row[0], {"value": value})


class Project:
    """An open project file."""

    def __init__(self, path: Path, db: Database):
        self.path = path
        self.db = db
        # Where change times come from; a replayed study (the demo) sets its own calendar.
        self.clock: Callable[[], str] = now
        # Told when a change has to wait for another writer (the CLI prints it on stderr).
        self.on_wait: Callable[[str], None] | None = None

    # -- opening and creating -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, analyst: str, clock: Callable[[], str] | None = None) -> Project:
        path = Path(path)
        if path.exists():
            raise ProjectError(
                f"{path} already exists; open it with --project {shell_word(str(path))} or choose another name"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        # Create the file ourselves so it is owner-only from the first byte; SQLite gives the
        # -wal and -shm files the same permissions as the database file.
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        try:
            db = _connect(path)
            db.execute("PRAGMA journal_mode = WAL")
            apply_pending(db.conn)
            project = cls(path, db)
            project.clock = clock or now
            project._set_user_version()
            with project.change(None, "init") as change:
                analyst_id = change.insert(
                    "analysts", {"name": analyst.strip(), "guid": new_guid(), "created": change.at}
                )
                change.analyst_id = analyst_id
                # The first analyst exists only once inserted: credit that insert to them too.
                change.execute("UPDATE audit_log SET analyst_id = ? WHERE batch = ?", [analyst_id, change.batch])
                change.insert("settings", {"key": "default_analyst", "value": analyst.strip()})
                change.insert(
                    "phase_log", {"phase": 1, "analyst_id": analyst_id, "at": change.at, "note": "project created"}
                )
            return project
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    @classmethod
    def open(cls, path: Path) -> Project:
        """Open a project file for work, applying any migrations it is missing."""
        path = Path(path)
        _check_project_file(path)
        db = _connect(path)
        _check_schema(path, db.conn)
        project = cls(path, db)
        if any(applied_at is None for _, applied_at in migration_status(db.conn)):
            db.execute("PRAGMA journal_mode = WAL")
            apply_pending(db.conn)
            project._set_user_version()
        return project

    def close(self) -> None:
        self.db.conn.close()

    def _set_user_version(self) -> None:
        self.db.execute(f"PRAGMA user_version = {self.schema_version}")

    @property
    def schema_version(self) -> int:
        return len(applied_migrations(self.db.conn))

    def migrations(self) -> list[tuple[str, str | None]]:
        """(name, applied_at) of every migration this qualcode knows: an open project has them all."""
        return migration_status(self.db.conn)

    # -- transactions ---------------------------------------------------------------------

    @contextlib.contextmanager
    def change(self, analyst: str | int | None, command: str) -> Iterator[Change]:
        """One command's writes: all or nothing, each row change audited under one batch id."""
        analyst_id = analyst if isinstance(analyst, int) or analyst is None else self.analyst_id(analyst)
        conn = self.db.conn
        if conn.in_transaction:
            raise RuntimeError("changes do not nest: one command, one transaction")
        self._begin_writing(conn)
        try:
            yield Change(self, analyst_id, command, new_guid())
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def _begin_writing(self, conn: sqlite3.Connection) -> None:
        """Take the write lock. If another command holds it, wait a second quietly, then say
        so (through `on_wait`) and wait up to BUSY_TIMEOUT_SECONDS in all."""
        conn.execute(f"PRAGMA busy_timeout = {int(LOCK_NOTICE_SECONDS * 1000)}")
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        if self.on_wait is not None:
            self.on_wait(
                f"waiting for another command that is writing to {self.path.name} (up to {BUSY_TIMEOUT_SECONDS} s)…"
            )
        conn.execute("BEGIN IMMEDIATE")

    # -- small shared lookups -------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def analyst_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM analysts ORDER BY id")]

    def analyst_id(self, name: str) -> int:
        row = self.db.execute("SELECT id FROM analysts WHERE name = ? COLLATE NOCASE", [name]).fetchone()
        if row is None:
            stored = spelled_as_stored(name, self.analyst_names())  # "O'Brien" for "O’Brien"
            if stored:
                return self.analyst_id(stored)
            raise NotFound(
                unknown_name_message(
                    "analyst", name, self.analyst_names(), shell_command("analyst", "add", name.strip())
                )
            )
        return row[0]

    def analyst_name(self, name: str) -> str:
        """The analyst as stored (names match ignoring case); unknown names raise with suggestions."""
        analyst_id = self.analyst_id(name)
        return self.db.execute("SELECT name FROM analysts WHERE id = ?", [analyst_id]).fetchone()[0]

    def default_analyst(self) -> str:
        return self.setting("default_analyst") or self.analyst_names()[0]

    def current_phase(self) -> int:
        row = self.db.execute("SELECT phase FROM phase_log ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else 1

    def query(self, sql: str, params: list | tuple | dict = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))
