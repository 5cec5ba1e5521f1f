"""--out and --project-file never destroy what is not ours: projects, databases, special files,
files of another kind (without --force), and an empty --out is an error."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from helpers import error_line, files_snapshot, project_files, unchanged_after

from qualcode.analysis.coding import add_code
from qualcode.analysis.themes import add_theme


@pytest.fixture
def study(project):
    add_theme(project, "Maya", "Holding the frame")
    add_code(project, "Maya", "Rupture")
    return project


@pytest.mark.parametrize(
    "args",
    [
        ("export", "themes", "--format", "csv"),
        ("export", "codebook", "--format", "md"),
        ("export", "qdpx"),
        ("export", "qdc"),
        ("map", "--format", "mermaid"),
    ],
)
def test_out_naming_the_open_project_is_refused(run, tmp_path, study, args):
    path = study.path
    result = unchanged_after(run, tmp_path, path, "-p", path, *args, "--out", path)
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: refusing to write {path}: it is an SQLite database (perhaps a project); choose another --out"
    )


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_out_naming_the_project_wal_or_shm_is_refused(run, tmp_path, study, suffix):
    target = Path(f"{study.path}{suffix}")
    result = unchanged_after(
        run, tmp_path, study.path, "-p", study.path, "export", "themes", "--format", "csv", "--out", target
    )
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: refusing to write {target}: it belongs to the SQLite database study.qualcode (choose another --out)"
    )


def test_out_naming_any_sqlite_database_is_refused(run, tmp_path, study):
    other = tmp_path / "survey.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE answers (q TEXT)")
    conn.close()
    result = unchanged_after(
        run, tmp_path, study.path, "-p", study.path, "export", "themes", "--format", "csv", "--out", other, "--force"
    )
    assert result.exit_code == 1
    assert "it is an SQLite database" in error_line(result)


def test_out_naming_a_fifo_is_refused(run, tmp_path, study):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = unchanged_after(run, tmp_path, study.path, "-p", study.path, "export", "themes", "--out", fifo)
    assert result.exit_code == 1
    assert (
        error_line(result)
        == f"Error: refusing to write {fifo}: it is a named pipe (FIFO), not a file (choose another --out)"
    )
    assert fifo.exists() and not fifo.is_file()


def test_out_naming_a_device_is_refused(run, tmp_path, study):
    result = unchanged_after(
        run,
        tmp_path,
        study.path,
        "-p",
        study.path,
        "export",
        "themes",
        "--format",
        "csv",
        "--out",
        "/dev/null",
        "--force",
    )
    assert result.exit_code == 1
    assert error_line(result) == (
        "Error: refusing to write /dev/null: it is a character device, not a file (choose another --out)"
    )


def test_a_file_of_another_kind_is_replaced_only_with_force(run, tmp_path, study):
    chapter = tmp_path / "chapter.docx"
    run("-p", study.path, "export", "codebook", "--format", "docx", "--out", chapter)
    word = chapter.read_bytes()
    result = unchanged_after(
        run, tmp_path, study.path, "-p", study.path, "export", "themes", "--format", "csv", "--out", chapter
    )
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: refusing to replace {chapter}: it holds a Word document, not text like this export "
        "(add --force to replace it, or choose another --out)"
    )
    assert chapter.read_bytes() == word
    assert not list(tmp_path.glob(".chapter.docx.*.part"))

    forced = run("-p", study.path, "export", "themes", "--format", "csv", "--out", chapter, "--force")
    assert forced.exit_code == 0, forced.output
    assert chapter.read_text(encoding="utf-8").startswith("Theme,")


def test_an_export_of_the_same_kind_is_replaced_as_before(run, tmp_path, study):
    out = tmp_path / "themes.csv"
    out.write_text("Theme\nold\n", encoding="utf-8")
    result = run("-p", study.path, "export", "themes", "--out", out)
    assert result.exit_code == 0, result.output
    assert "Holding the frame" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [("export", "themes"), ("export", "qdpx"), ("map",), ("report",)])
def test_an_empty_out_is_an_error_not_the_default_path(run, tmp_path, study, args):
    result = unchanged_after(run, tmp_path, study.path, "-p", study.path, *args, "--out", "")
    assert result.exit_code == 2
    assert "Invalid value for '--out': needs a file name; leave --out out for the default path" in result.output
    assert not (tmp_path / "exports").exists()


def test_demo_refuses_to_replace_a_real_project(run, tmp_path, study):
    path = study.path
    wal_files = {p: p.read_bytes() for p in project_files(path)[1:] if p.exists()}
    result = unchanged_after(run, tmp_path, path, "demo", "--project-file", path, "--out", tmp_path / "demo-out")
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: refusing to replace {path}: it is a qualcode project of its own, not an earlier demo "
        "(choose another --project-file)"
    )
    assert all(p.exists() for p in wal_files)


def test_demo_refuses_to_turn_a_text_file_into_a_project(run, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my field notes\n", encoding="utf-8")
    before = files_snapshot(tmp_path)
    result = run("demo", "--project-file", notes)
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: refusing to replace {notes}: it is text, not an earlier demo (choose another --project-file)"
    )
    assert files_snapshot(tmp_path) == before
