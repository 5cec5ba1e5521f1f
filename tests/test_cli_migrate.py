"""`qualcode migrate`: listing a project's migrations changes nothing; migrating applies them."""

from __future__ import annotations

import re
import sqlite3

import pytest

from qualcode.errors import ProjectError
from qualcode.migrations import MIGRATION_FUNCTIONS, migration
from qualcode.store import list_migrations

SHIPPED = [
    "m001_initial_schema",
    "m002_transcript_versions",
    "m003_theme_narratives",
    "m004_ids_never_reused",
    "m005_search_word_forms",
    "m006_foreign_key_indexes",
    "m007_code_categories",
    "m008_coding_sessions",
]


@pytest.fixture
def older_file(project):
    """The project as a file from before the newest migration: one more is registered, as the
    next qualcode would ship it (the upgrade test in test_store.py does the same)."""
    path = project.path
    project.close()

    @migration
    def m999_test_only_column(db):
        db.execute("ALTER TABLE codes ADD COLUMN test_only TEXT")

    yield path
    MIGRATION_FUNCTIONS.pop()


def recorded_migrations(path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        connection.close()


def test_listing_shows_a_pending_migration_and_leaves_the_file_as_it_was(older_file):
    before = older_file.read_bytes()
    listed = list_migrations(older_file)
    assert [name for name, _ in listed] == [*SHIPPED, "m999_test_only_column"]
    assert all(at is not None for _, at in listed[:-1]) and listed[-1][1] is None
    assert older_file.read_bytes() == before


def test_migrate_list_does_not_migrate(run, older_file):
    before = older_file.read_bytes()
    result = run("-p", older_file, "migrate", "--list")
    assert result.exit_code == 0
    applied = "".join(rf"{name}  applied \S+ \S+\n" for name in SHIPPED)
    assert re.fullmatch(applied + r"m999_test_only_column  pending\n", result.output)
    assert older_file.read_bytes() == before
    assert recorded_migrations(older_file) == SHIPPED


def test_migrate_applies_what_is_pending(run, older_file):
    result = run("-p", older_file, "migrate")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[-2].startswith("m999_test_only_column  applied ")
    assert lines[-1] == f"schema version {len(SHIPPED) + 1}: up to date"
    assert recorded_migrations(older_file) == [*SHIPPED, "m999_test_only_column"]
    assert run("-p", older_file, "migrate", "--list").output.count("pending") == 0


def test_listing_refuses_what_is_not_a_project(run, tmp_path):
    with pytest.raises(ProjectError, match="no project at"):
        list_migrations(tmp_path / "missing.qualcode")
    notes = tmp_path / "notes.qualcode"
    notes.write_text("just some notes")
    result = run("-p", notes, "migrate", "--list")
    assert result.exit_code == 1
    assert result.output == f"Error: {notes} is not a qualcode project (not an SQLite file)\n"
