"""Shared fixtures: projects in tmp_path, and a CLI runner that works in a tmp_path folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.store import Project


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch, tmp_path):
    """No test sees the developer's project or analyst, or writes outside tmp_path."""
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)
    monkeypatch.delenv("QUALCODE_ANALYST", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def project(tmp_path) -> Project:
    opened = Project.create(tmp_path / "projects" / "study.qualcode", "Maya")
    yield opened
    opened.close()


@pytest.fixture
def run(tmp_path):
    """Invoke qualcode as a user would, in tmp_path; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict | None = None):
        return runner.invoke(cli, [str(a) for a in args], input=input, env=env, catch_exceptions=False)

    return invoke


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


def squash(text: str) -> str:
    """Collapse runs of spaces so assertions do not depend on table column widths."""
    return re.sub(r"[ \t]+", " ", text)


def coded(project) -> list[tuple[str, str, str, str]]:
    """(analyst, code, transcript, coded words) for every coding, sorted: what a reader would
    check after an import, independent of row ids."""
    rows = project.query(
        "SELECT a.name analyst, k.name code, t.name transcript, substr(t.text, c.start + 1, c.[end] - c.start) words"
        " FROM codings c JOIN analysts a ON a.id = c.analyst_id JOIN codes k ON k.id = c.code_id"
        " JOIN transcripts t ON t.id = c.transcript_id"
    )
    return sorted(tuple(r.values()) for r in rows)
