"""Shell completion offers commands and the names stored in the current project."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import write
from qualcode.cli import cli


def complete(words: str, shell: str = "bash") -> list[str]:
    parts = words.split(" ")
    result = CliRunner().invoke(
        cli,
        prog_name="qualcode",
        env={"_QUALCODE_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)},
    )
    return [line.split(",", 1)[1] for line in result.output.splitlines() if "," in line]


def test_commands_complete(run):
    assert complete("qualcode tr") == ["transcript"]
    assert "apply" in complete("qualcode code ")


def test_names_from_the_current_project_complete(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    run("analyst", "add", "Tom")
    write(tmp_path / "P6.txt", "Interviewer: Hello?\nP6: Hello there, it was a hard year.\n")
    run("transcript", "import", "P6.txt", "--name", "Interview six")
    run("code", "add", "Rupture")
    run("code", "add", "Repair")
    assert complete("qualcode code apply Rup") == ["Rupture"]
    assert complete("qualcode code show re") == ["Repair"]
    assert complete("qualcode code apply Rupture -t I") == ["Interview six"]
    assert complete("qualcode code apply Rupture -t P") == ["P6"]
    assert complete("qualcode -a T") == ["Tom"]


def test_completion_without_a_project_offers_nothing_and_does_not_fail(run):
    assert complete("qualcode code apply R") == []
