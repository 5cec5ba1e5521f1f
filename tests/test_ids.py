"""Ids are never reused: a coding, memo, theme or code id, once given, never names another row,
in new projects and in projects upgraded from before ids were kept."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from helpers import write

from qualcode import migrations
from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes, delete_code, remove_coding
from qualcode.analysis.memos import add_memo
from qualcode.analysis.theme_quotes import choose_quote
from qualcode.analysis.themes import add_theme, assign_codes
from qualcode.history import undo
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

P6 = "Interviewer: Tell me about a rupture.\nP6: She went quiet for weeks. Then she said I never listened.\n"


@pytest.fixture
def study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    run("analyst", "add", "Tom")
    write(tmp_path / "P6.txt", P6)
    run("transcript", "import", "P6.txt")
    run("code", "add", "Rupture")
    return tmp_path


def coding_id(output: str) -> int:
    return int(re.search(r"coding (\d+)$", output.splitlines()[0]).group(1))


def test_a_removed_codings_id_is_not_given_to_the_next_one_and_undo_brings_it_back(run, study):
    first = coding_id(run("code", "apply", "Rupture", "-t", "P6", "--match", "went quiet").output)
    run("code", "remove", first)
    second = coding_id(run("-a", "Tom", "code", "apply", "Rupture", "-t", "P6", "--match", "never listened").output)
    assert second == first + 1
    assert "undid 'code remove' by Maya" in run("undo").output
    rows = json.loads(run("extracts", "--json").output)
    assert [(r["coding_id"], r["text"], r["analyst"]) for r in rows] == [
        (first, "went quiet", "Maya"),
        (second, "never listened", "Tom"),
    ]


def test_an_undone_codings_id_is_not_given_again(run, study):
    first = coding_id(run("code", "apply", "Rupture", "-t", "P6", "--match", "went quiet").output)
    run("undo")
    again = coding_id(run("code", "apply", "Rupture", "-t", "P6", "--match", "went quiet").output)
    assert again == first + 1


def test_memo_theme_and_code_ids_are_not_reused(run, study):
    memo = int(re.search(r"saved memo (\d+)", run("memo", "add", "First thoughts").output).group(1))
    run("memo", "delete", memo, "--yes")
    later = int(re.search(r"saved memo (\d+)", run("memo", "add", "Second thoughts").output).group(1))
    assert later == memo + 1
    project = Project.open(study / "projects" / "study.qualcode")
    try:
        theme = add_theme(project, "Maya", "Quiet withdrawal").id
        undo(project, "Maya")
        assert add_theme(project, "Maya", "Being unheard").id == theme + 1
        code = add_code(project, "Maya", "Silence").id
        delete_code(project, "Maya", "Silence")
        assert add_code(project, "Maya", "Silence").id == code + 1
    finally:
        project.close()


def _old_project(path, tmp_path, monkeypatch) -> Project:
    """A project as qualcode wrote it before ids were kept: the migrations before that one."""
    before = migrations.known_migration_names().index("m004_ids_never_reused")
    monkeypatch.setattr(migrations, "MIGRATION_FUNCTIONS", migrations.MIGRATION_FUNCTIONS[:before])
    project = Project.create(path, "Maya")
    # Today's code reads whether a code is a category (m007), so the old file has that column early.
    project.db.execute("ALTER TABLE codes ADD COLUMN codable INTEGER NOT NULL DEFAULT 1")
    add_analyst(project, "Maya", "Tom")
    import_transcripts(project, [write(tmp_path / "P6.txt", P6)], "Maya")
    add_code(project, "Maya", "Rupture")
    add_code(project, "Maya", "Silence")
    kept = apply_codes(project, "Maya", ["Rupture"], "P6", [Location(match="went quiet for weeks")])[0]
    gone = apply_codes(project, "Maya", ["Silence"], "P6", [Location(match="never listened")])[0]
    add_theme(project, "Maya", "Withdrawal")
    assign_codes(project, "Maya", ["Rupture"], "Withdrawal")
    choose_quote(project, "Maya", "Withdrawal", kept.coding_id)
    add_memo(project, "Maya", f"coding {gone.coding_id} is where she names it", on=f"coding:{kept.coding_id}")
    remove_coding(project, "Maya", gone.coding_id)
    monkeypatch.undo()
    return project


def dump(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {
            t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr)
            for t in tables
            if not t.startswith(("sqlite_", "turns_fts", "_sqlite_migrations"))
        }
    finally:
        conn.close()


def schema(path) -> dict[str, tuple]:
    """Each table's columns, foreign keys and indexes: what a rebuild must keep."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            t: (
                conn.execute(f"PRAGMA table_info([{t}])").fetchall(),
                conn.execute(f"PRAGMA foreign_key_list([{t}])").fetchall(),
                sorted(
                    (i[1], i[2], conn.execute(f"PRAGMA index_info([{i[1]}])").fetchall())
                    for i in conn.execute(f"PRAGMA index_list([{t}])")
                ),
            )
            for t in tables
            if not t.startswith(("sqlite_", "turns_fts"))
        }
    finally:
        conn.close()


def test_an_upgraded_project_keeps_its_rows_keys_and_indexes_and_never_reuses_an_id(tmp_path, monkeypatch):
    path = tmp_path / "projects" / "old.qualcode"
    old = _old_project(path, tmp_path, monkeypatch)
    gone_id = old.db.execute("SELECT max(entity_id) FROM audit_log WHERE entity = 'codings'").fetchone()[0]
    assert old.db.execute("SELECT max(id) FROM codings").fetchone()[0] == gone_id - 1
    old.close()
    rows_before, schema_before = dump(path), schema(path)

    # Upgraded by the migration under test; later ones (indexes, search) change the schema on purpose.
    upto = migrations.known_migration_names().index("m004_ids_never_reused") + 1
    monkeypatch.setattr(migrations, "MIGRATION_FUNCTIONS", migrations.MIGRATION_FUNCTIONS[:upto])
    project = Project.open(path)
    try:
        assert dump(path) == rows_before
        assert schema(path) == schema_before
        assert project.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        for table in ("codes", "codings", "memos", "themes"):
            sql = project.db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
            assert "id INTEGER PRIMARY KEY AUTOINCREMENT" in sql
    finally:
        project.close()
    monkeypatch.undo()  # the later migrations too, as the project is used from now on
    project = Project.open(path)
    try:
        # the memo's "coding 2" still means the removed passage: the next coding is 3
        applied = apply_codes(project, "Maya", ["Rupture"], "P6", [Location(match="never listened")])[0]
        assert applied.coding_id == gone_id + 1
        assert project.query("SELECT coding_id FROM theme_quotes") == [{"coding_id": 1}]
    finally:
        project.close()
