"""Shell completion offers commands and the names stored in the current project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from helpers import write

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


# -- names with spaces, commas and colons, in the shells themselves --------------------------


@pytest.fixture
def named_study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    write(tmp_path / "P6.txt", "Interviewer: Hello?\nP6: Hello there, it was a hard year.\n")
    run("transcript", "import", "P6.txt")
    run("code", "add", "Rupture: withdrawal")
    run("code", "add", "Repair")
    run("theme", "add", "Technique as scaffolding, not script")
    run("theme", "add", "Anxiety made between two people")
    run("participant", "set", "P6", "orientation=CBT")
    return tmp_path


def complete_line(line: str, cur: str | None = None) -> list[str]:
    """What qualcode answers bash's completion function for `line` (cursor at its end); `cur`
    is the part of the word bash will replace ($2: split at ':' and '=', opening quote dropped)."""
    if cur is None:
        cur = line.split(" ")[-1].lstrip("\"'")
    result = CliRunner().invoke(
        cli, prog_name="qualcode", env={"_QUALCODE_COMPLETE": "bash_complete", "COMP_LINE": line, "COMP_CUR": cur}
    )
    return [line.split(",", 1)[1] for line in result.output.splitlines() if "," in line]


def test_bash_gets_names_with_spaces_escaped_unless_a_quote_is_open(named_study):
    assert complete_line("qualcode theme show Tech") == [r"Technique\ as\ scaffolding,\ not\ script"]
    assert complete_line('qualcode theme show "Tech') == ["Technique as scaffolding, not script"]
    assert complete_line(r"qualcode theme show Anxiety\ m", cur=r"Anxiety\ m") == [
        r"Anxiety\ made\ between\ two\ people"
    ]
    assert complete_line("qualcode theme assign Repair --to Anx") == [r"Anxiety\ made\ between\ two\ people"]


def test_bash_completes_memo_targets_after_the_colon_it_splits_at(named_study):
    # bash splits "code:Rup" into "code", ":" and "Rup": the answer replaces "Rup" only.
    assert complete_line("qualcode memo add --on code:Rup", cur="Rup") == [r"Rupture:\ withdrawal"]
    assert complete_line("qualcode memo add --on=theme:Tech", cur="Tech") == [
        r"Technique\ as\ scaffolding,\ not\ script"
    ]
    assert complete_line("qualcode memo list --on co") == [r"code:Repair", r"code:Rupture:\ withdrawal"]
    assert complete_line("qualcode memo add --on tr") == ["transcript:P6"]


def test_options_that_take_names_complete(named_study):
    assert complete("qualcode memo add --kind fam") == ["familiarisation"]
    assert complete("qualcode memo list --analyst M") == ["Maya"]
    assert complete("qualcode extracts --participant P") == ["P6"]
    assert complete("qualcode extracts --attribute orient") == ["orientation=CBT"]
    assert complete("qualcode matrix --by a") == ["attribute:orientation"]
    assert complete("qualcode code session P6 --speaker P") == ["P6"]
    assert complete("qualcode log --entity cod") == ["codes"]


BASH_DRIVER = """
source <(_QUALCODE_COMPLETE=bash_source qualcode)
COMP_LINE="$1"; COMP_POINT=${#1}; COMP_WORDS=(); COMP_CWORD=0
_qualcode_completion qualcode "$2"
printf '%s\\n' "${COMPREPLY[@]}"
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_bash_script_hands_bash_whole_values(named_study, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "qualcode"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m qualcode "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}

    def replies(line: str, cur: str) -> list[str]:
        done = subprocess.run(
            ["bash", "-c", BASH_DRIVER, "driver", line, cur],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.splitlines()

    assert replies("qualcode theme show 'Tech", "Tech") == ["Technique as scaffolding, not script"]
    assert replies("qualcode memo add --on code:Rup", "Rup") == [r"Rupture:\ withdrawal"]


def test_the_fish_script_keeps_commas_in_names():
    source = CliRunner().invoke(cli, prog_name="qualcode", env={"_QUALCODE_COMPLETE": "fish_source"}).output
    assert 'string split -m 1 "," $completion' in source
