"""-p/--project and -a/--analyst on any command, before or after the subcommand, and in each
command's --help; a mistyped top-level command gets the nearest names."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner
from helpers import write

from qualcode.cli import cli

P1 = "Interviewer: How was it?\nP1: Well, a rupture happened, and then we repaired it.\n"


@pytest.fixture
def study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    run("-p", "study", "analyst", "add", "Tom")
    write(tmp_path / "P1.txt", P1)
    run("-p", "study", "transcript", "import", "P1.txt")
    run("-p", "study", "code", "add", "Rupture")
    # A second project, so that a command without -p would not know which one is meant.
    run("init", "other", "--analyst", "Zoë")
    return tmp_path


def coded_by(run) -> list[tuple[str, str]]:
    return [(r["text"], r["analyst"]) for r in json.loads(run("-p", "study", "extracts", "--json").output)]


def test_options_after_the_subcommand_work_like_options_before_it(run, study):
    after = run("code", "apply", "Rupture", "-t", "P1", "--lines", "2", "-a", "Tom", "-p", "study")
    assert after.exit_code == 0, after.output
    before = run("-a", "Tom", "-p", "study", "code", "apply", "Rupture", "-t", "P1", "--match", "we repaired it")
    assert before.exit_code == 0, before.output
    assert coded_by(run) == [("Well, a rupture happened, and then we repaired it.", "Tom"), ("we repaired it", "Tom")]


def test_long_forms_and_the_last_one_given_wins(run, study):
    result = run("-p", "other", "code", "add", "Hope", "--project", "study", "--analyst", "Tom")
    assert result.exit_code == 0, result.output
    trail = json.loads(run("-p", "study", "log", "--json").output)
    assert (trail[0]["command"], trail[0]["analyst"]) == ("code add", "Tom")


def test_an_unknown_analyst_after_the_subcommand_is_refused(run, study):
    result = run("code", "add", "Hope", "-p", "study", "-a", "Tome")
    assert result.exit_code == 1
    assert result.output == "Error: unknown analyst 'Tome'; did you mean 'Tom'?\n"


def test_init_takes_its_first_analyst_as_a_after_the_name(run, tmp_path):
    assert run("init", "third", "-a", "Maya").output.startswith(
        "created projects/third.qualcode (default analyst: Maya)"
    )


def test_on_a_listing_with_its_own_analyst_option_a_names_whose_work_is_shown(run, study):
    run("-p", "study", "code", "apply", "Rupture", "-t", "P1", "--match", "a rupture", "-a", "Tom")
    assert [r["analyst"] for r in json.loads(run("extracts", "-p", "study", "-a", "Tom", "--json").output)] == ["Tom"]
    assert json.loads(run("extracts", "-p", "study", "-a", "Maya", "--json").output) == []


def leaf_commands(group: click.Group, path: tuple[str, ...] = ()):
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*path, name))
        elif command is not None:
            yield (*path, name)


def test_every_command_shows_both_options_in_its_help(run):
    paths = list(leaf_commands(cli))
    assert ("code", "apply") in paths and ("theme", "show") in paths and ("export", "themes") in paths
    for path in paths:
        shown = run(*path, "--help").output
        assert "-p, --project NAME|PATH" in shown, path
        assert "-a, --analyst" in shown, path


def test_a_mistyped_top_level_command_gets_did_you_mean(run):
    result = run("trnscript", "list")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: No such command 'trnscript'. Did you mean 'transcript'?"
    assert run("xyzzy").output.splitlines()[-1] == "Error: No such command 'xyzzy'."
    assert run("code", "aply").output.splitlines()[-1] == "Error: No such command 'aply'. Did you mean 'apply'?"


def test_completion_reads_the_project_given_after_the_subcommand(run, study):
    words = "qualcode code apply Rupture -p study -t P"
    result = CliRunner().invoke(
        cli,
        prog_name="qualcode",
        env={"_QUALCODE_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)},
    )
    assert [line.split(",", 1)[1] for line in result.output.splitlines()] == ["P1"]
