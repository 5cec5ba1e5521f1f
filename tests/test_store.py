"""The project file: creation, permissions, migrations, transactions, the audit log."""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
import time

import pytest

from qualcode.errors import ProjectError
from qualcode.migrations import MIGRATION_FUNCTIONS, migration
from qualcode.store import Project


def test_new_project_is_owner_only_wal_with_foreign_keys(tmp_path, project):
    mode = stat.S_IMODE(project.path.stat().st_mode)
    assert mode == 0o600
    assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert project.db.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    assert project.db.execute("PRAGMA user_version").fetchone()[0] == project.schema_version == len(MIGRATION_FUNCTIONS)
    assert project.default_analyst() == "Maya"
    assert project.current_phase() == 1


def test_create_refuses_existing_file(project):
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(project.path, "Tom")


def test_open_refuses_missing_and_non_sqlite_files(tmp_path):
    with pytest.raises(ProjectError, match="no project at"):
        Project.open(tmp_path / "nope.qualcode")
    text_file = tmp_path / "notes.qualcode"
    text_file.write_text("just some notes")
    with pytest.raises(ProjectError, match="not an SQLite file"):
        Project.open(text_file)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ProjectError, match="not a qualcode project"):
        Project.open(other)


def test_open_refuses_a_file_from_a_newer_version(project):
    project.db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('qualcode', 'm900_future', 'x')"
    )
    path = project.path
    project.close()
    with pytest.raises(ProjectError, match="newer qualcode"):
        Project.open(path)


def test_open_applies_pending_migrations(project):
    path = project.path
    project.close()

    @migration
    def m999_test_only_column(db):
        db.execute("ALTER TABLE codes ADD COLUMN test_only TEXT")

    try:
        upgraded = Project.open(path)
        assert "test_only" in upgraded.db["codes"].columns_dict
        assert upgraded.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATION_FUNCTIONS)
        upgraded.close()
    finally:
        MIGRATION_FUNCTIONS.pop()


def test_failed_change_leaves_project_as_it_was(project):
    before = project.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(RuntimeError), project.change("Maya", "test") as change:
        change.insert("participants", {"name": "P1", "guid": "g1", "created": change.at})
        raise RuntimeError("boom")
    assert project.db.execute("SELECT count(*) FROM participants").fetchone()[0] == 0
    assert project.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_every_row_change_is_audited_with_before_and_after(project):
    with project.change("Maya", "participant set") as change:
        pid = change.insert("participants", {"name": "P1", "guid": "g1", "created": change.at})
        change.update("participants", pid, {"name": "P01"})
        change.delete("participants", pid)
    rows = project.query("SELECT * FROM audit_log WHERE command = 'participant set' ORDER BY id")
    assert [r["action"] for r in rows] == ["insert", "update", "delete"]
    assert len({r["batch"] for r in rows}) == 1
    assert json.loads(rows[1]["before"])["name"] == "P1"
    assert json.loads(rows[1]["after"])["name"] == "P01"
    assert rows[2]["after"] is None
    assert all(r["analyst_id"] == project.analyst_id("Maya") for r in rows)


def test_a_second_writer_waits_for_the_first(project):
    """Two analysts' commands on one file: the second waits (busy timeout) instead of failing."""
    started = threading.Event()

    def hold_lock():
        other = Project.open(project.path)
        with other.change("Maya", "slow") as change:
            change.insert("participants", {"name": "P1", "guid": "g1", "created": change.at})
            started.set()
            time.sleep(0.5)
        other.close()

    thread = threading.Thread(target=hold_lock)
    thread.start()
    assert started.wait(timeout=10)
    with project.change("Maya", "fast") as change:
        change.insert("participants", {"name": "P2", "guid": "g2", "created": change.at})
    thread.join()
    names = [r[0] for r in project.db.execute("SELECT name FROM participants ORDER BY id")]
    assert names == ["P1", "P2"]


def test_the_first_changes_are_credited_to_an_analyst(project):
    from qualcode.analysis.analysts import add_analyst

    add_analyst(project, "Maya", "Tom")
    missing = project.db.execute("SELECT count(*) FROM audit_log WHERE analyst_id IS NULL").fetchone()[0]
    assert missing == 0
    who = project.db.execute(
        "SELECT a.name FROM audit_log l JOIN analysts a ON a.id = l.analyst_id WHERE l.command = 'analyst add'"
    ).fetchone()[0]
    assert who == "Maya"


def test_insert_many_audits_each_row_and_can_be_undone(project):
    from qualcode.history import undo

    with project.change("Maya", "participant import") as change:
        ids = change.insert_many(
            "participants", [{"name": f"P{i}", "guid": f"g{i}", "created": change.at} for i in range(1, 4)]
        )
    audit = project.query("SELECT entity_id, after FROM audit_log WHERE command = 'participant import' ORDER BY id")
    assert [r["entity_id"] for r in audit] == ids
    assert json.loads(audit[2]["after"])["name"] == "P3"
    undo(project, "Maya")
    assert project.db.execute("SELECT count(*) FROM participants").fetchone()[0] == 0
