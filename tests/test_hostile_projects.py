"""Failures one line, never a traceback (deep nesting, a full disk or closed pipe), and projects
kept safe from versions, locks, read-only places and foreign files; interrupted writes cleaned up."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from helpers import error_line, files_snapshot, project_dump, project_files, unchanged_after, write

from qualcode.errors import ProjectError
from qualcode.files import STALE_SECONDS, write_atomically
from qualcode.migrations import known_migration_names
from qualcode.store import Project


def test_codes_nested_thousands_deep_are_one_line(run, tmp_path, project):
    depth = 3000
    opening = "".join(f'<Code guid="{uuid.uuid4()}" name="level {i}" isCodable="true">' for i in range(depth))
    path = write(
        tmp_path / "deep.qdc",
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        f"<Codes>{opening}{'</Code>' * depth}</Codes></CodeBook>",
    )
    result = unchanged_after(run, tmp_path, project.path, "-p", project.path, "import", "qdc", path)
    assert result.exit_code == 1
    assert error_line(result) == (
        "Error: codes nest more than 200 levels deep, far deeper than a codebook; the file is damaged or not a codebook"
    )


def qualcode(*args: str, cwd: Path, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qualcode", *args], cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_a_full_disk_is_one_line(tmp_path, project):
    before = project_dump(project.path)
    with open("/dev/full", "w") as full:
        result = qualcode("-p", str(project.path), "status", cwd=tmp_path, stdout=full)
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the output: No space left on device\n"
    assert project_dump(project.path) == before


def test_stdout_closed_early_is_quiet(tmp_path, project):
    for number in range(3000):
        project.db.execute(
            "INSERT INTO codes (name, guid, created) VALUES (?, ?, '2026-01-01')", [f"code {number}", str(uuid.uuid4())]
        )
    reader = subprocess.Popen(
        [sys.executable, "-m", "qualcode", "-p", str(project.path), "code", "list"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None
    reader.stdout.readline()
    reader.stdout.close()  # like `| head -1`
    reader.wait(timeout=60)
    assert reader.stderr is not None
    assert reader.stderr.read() == b""  # no traceback, no complaint: the reader chose to stop


def test_a_newer_user_version_is_refused(run, tmp_path, project):
    project.db.execute(f"PRAGMA user_version = {len(known_migration_names()) + 1}")
    project.close()
    result = unchanged_after(run, tmp_path, project.path, "-p", project.path, "status")
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: {project.path} was written by a newer qualcode (schema {len(known_migration_names()) + 1}, "
        f"this one knows {len(known_migration_names())}); upgrade qualcode to open it"
    )


def test_a_foreign_sqlite_file_is_not_switched_to_wal(run, tmp_path):
    foreign = tmp_path / "survey.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE answers (question TEXT)")
    conn.close()
    before = files_snapshot(tmp_path)
    result = run("-p", foreign, "status")
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {foreign} is an SQLite file but not a qualcode project"
    assert files_snapshot(tmp_path) == before
    with sqlite3.connect(foreign) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_project_in_a_folder_that_cannot_be_written_is_read(tmp_path, monkeypatch):
    folder = tmp_path / "archive"
    project = Project.create(folder / "study.qualcode", "Maya")
    project.close()
    # Root may write anywhere, so the read-only folder is what os.access reports, as for a user.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    for leftover in project_files(folder / "study.qualcode")[1:]:
        leftover.unlink(missing_ok=True)
    opened = Project.open(folder / "study.qualcode")
    try:
        assert opened.analyst_names() == ["Maya"]
        with pytest.raises(sqlite3.OperationalError, match="readonly"), opened.change("Maya", "setting") as change:
            change.insert("settings", {"key": "x", "value": "y"})
    finally:
        opened.close()
    assert sorted(p.name for p in folder.iterdir()) == ["study.qualcode"]


def test_a_waiting_writer_says_so_after_a_second(tmp_path, project):
    said: list[tuple[float, str]] = []
    other = Project.open(project.path)
    other.on_wait = lambda message: said.append((time.perf_counter(), message))
    locker = sqlite3.connect(project.path, isolation_level=None, check_same_thread=False)
    started = time.perf_counter()
    locker.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(1.6, lambda: locker.execute("COMMIT"))
    releaser.start()
    try:
        with other.change("Maya", "setting") as change:
            change.insert("settings", {"key": "title", "value": "Alliance"})
    finally:
        releaser.join()
        other.close()
        locker.close()
    assert len(said) == 1
    assert said[0][1] == "waiting for another command that is writing to study.qualcode (up to 30 s)…"
    assert 0.9 <= said[0][0] - started < 1.6
    assert project.setting("title") == "Alliance"


def test_a_busy_project_is_one_line(run, tmp_path, project, monkeypatch):
    monkeypatch.setattr("qualcode.store.BUSY_TIMEOUT_SECONDS", 1)
    monkeypatch.setattr("qualcode.store.LOCK_NOTICE_SECONDS", 0.2)
    project.db.execute("BEGIN IMMEDIATE")
    try:
        result = run("-p", project.path, "code", "add", "Rupture")
    finally:
        project.db.execute("ROLLBACK")
    assert result.exit_code == 1
    assert "waiting for another command that is writing to study.qualcode (up to 1 s)…" in result.output
    assert error_line(result) == (
        "Error: the project file is still busy (another command has been writing to it all the while); "
        "try again in a moment"
    )
    assert not project.query("SELECT id FROM codes")


def test_leftover_part_files_are_removed_on_the_next_write(tmp_path):
    out = tmp_path / "themes.csv"
    stale = write(tmp_path / ".themes.csv.abc123.part", "half a tab")
    fresh = write(tmp_path / ".themes.csv.def456.part", "being written now")
    other = write(tmp_path / ".notes.txt.xyz.part", "someone else's")
    old = time.time() - STALE_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_atomically(out, lambda temporary: temporary.write_text("Theme\n", encoding="utf-8"))
    assert out.read_text(encoding="utf-8") == "Theme\n"
    assert not stale.exists()
    assert fresh.exists() and other.exists()


def test_a_version_check_happens_before_anything_is_written(tmp_path):
    path = tmp_path / "study.qualcode"
    project = Project.create(path, "Maya")
    project.db.execute("PRAGMA user_version = 999")
    project.close()
    before = project_dump(path)
    with pytest.raises(ProjectError, match="newer qualcode"):
        Project.open(path)
    assert project_dump(path) == before
