"""Shared fixtures: projects in tmp_path, and a CLI runner that works in a tmp_path folder.

Plain helpers the tests import (writing files, reading results, the small study) are in helpers.py."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from helpers import DEMO_COLUMNS

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


@pytest.fixture(scope="session")
def demo_study(tmp_path_factory):
    """The demo study, built once per session as `qualcode demo` builds it, in a folder of its own:
    (folder, the click Result of `qualcode demo`). Tests only read it."""
    folder = tmp_path_factory.mktemp("demo")
    previous = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(
            cli,
            ["demo"],
            env={"QUALCODE_PROJECT": None, "QUALCODE_ANALYST": None, "COLUMNS": DEMO_COLUMNS},
            catch_exceptions=False,
        )
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    return folder, result
