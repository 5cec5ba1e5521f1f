"""The `qualcode` command itself: its version and how it loads its command groups."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version

import click
import pytest
from click.testing import CliRunner

import qualcode
from qualcode.cli import COMMANDS, cli
from qualcode.cli.export import EXPORTS
from qualcode.cli.lazy import missing_dependency


def test_version_comes_from_the_package_metadata(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"qualcode, version {version('qualcode')}\n"
    assert qualcode.__version__ == version("qualcode")


# -- command groups load their commands lazily --------------------------------------------


def commands_in_help(output: str) -> list[str]:
    """The command names a --help lists (continuation lines of a wrapped summary indent further)."""
    return re.findall(r"^  (\S+)", output.split("\nCommands:\n", 1)[1], re.MULTILINE)


def groups(group: click.Group, path: tuple[str, ...] = ()):
    yield path, group
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from groups(command, (*path, name))


def test_every_group_lists_its_commands(run):
    found = dict(groups(cli))
    assert {(), ("code",), ("export",)} <= set(found)
    for path, group in found.items():
        result = run(*path, "--help")
        assert result.exit_code == 0
        assert commands_in_help(result.output) == group.list_commands(click.Context(group)), path
    assert commands_in_help(run("--help").output) == list(COMMANDS)
    assert commands_in_help(run("export", "--help").output) == list(EXPORTS)
    code_commands = commands_in_help(run("code", "--help").output)
    assert "session" in code_commands and "apply" in code_commands
    assert code_commands == sorted(code_commands)


def test_help_lists_commands_without_importing_them():
    # What keeps `qualcode --help` quick: the table's summaries, not the command modules.
    script = (
        "import sys\n"
        "from qualcode.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(*sorted(name for name in sys.modules if name.startswith('qualcode')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "Commands:" in result.stdout
    loaded = set(result.stdout.splitlines()[-1].split())
    assert "qualcode.cli" in loaded
    assert not loaded & {module for module, _, _ in COMMANDS.values()}
    assert "qualcode.store" not in loaded


@pytest.fixture
def needs_a_missing_library(tmp_path, monkeypatch):
    """A command module that imports matplotlib, on a system where matplotlib is not installed."""
    (tmp_path / "figures_command.py").write_text(
        "import click\nimport matplotlib\n\n\n@click.command()\ndef figures():\n    'Draw figures.'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what Python does for a missing module
    return ("figures_command", "figures")


MISSING_MATPLOTLIB = "needs matplotlib, which is not installed; install it with `pip install matplotlib`"


def test_a_missing_library_is_named_with_how_to_install_it(needs_a_missing_library, monkeypatch):
    monkeypatch.setitem(COMMANDS, "figures", (*needs_a_missing_library, "Draw figures."))
    monkeypatch.setitem(EXPORTS, "figures", needs_a_missing_library)
    runner = CliRunner()
    result = runner.invoke(cli, ["figures"], prog_name="qualcode")
    assert result.exit_code == 1
    assert result.output == f"Error: `qualcode figures` {MISSING_MATPLOTLIB}\n"
    result = runner.invoke(cli, ["export", "figures", "--out", "-"], prog_name="qualcode")
    assert result.exit_code == 1
    assert result.output == f"Error: `qualcode export figures` {MISSING_MATPLOTLIB}\n"
    # The group's help still lists the others, and says what the missing one needs.
    result = runner.invoke(cli, ["export", "--help"], prog_name="qualcode")
    assert result.exit_code == 0
    assert commands_in_help(result.output) == list(EXPORTS)
    assert "(unavailable: `qualcode export figures` needs" in result.output


def test_a_library_missing_when_a_command_runs_is_named_too(run, monkeypatch):
    run("init", "study")
    run("code", "add", "Rupture")
    run("theme", "add", "Ruptures", "--code", "Rupture")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = CliRunner().invoke(cli, ["map", "--out", "map.png"], prog_name="qualcode")
    assert result.exit_code == 1
    assert result.output == f"Error: `qualcode map` {MISSING_MATPLOTLIB}\n"


def test_completion_stays_quiet_about_a_command_that_cannot_load(needs_a_missing_library, monkeypatch):
    monkeypatch.setitem(COMMANDS, "figures", (*needs_a_missing_library, "Draw figures."))
    result = CliRunner().invoke(
        cli,
        prog_name="qualcode",
        env={"_QUALCODE_COMPLETE": "bash_complete", "COMP_WORDS": "qualcode figures --", "COMP_CWORD": "2"},
    )
    # No message in the middle of the user's command line: at most the global options, as
    # click offers after a word it does not know.
    assert result.exit_code == 0 and result.exception is None
    assert set(result.output.splitlines()) <= {"plain,--version", "plain,--project", "plain,--analyst", "plain,--help"}


def test_a_module_of_qualcode_itself_missing_is_not_blamed_on_setup():
    assert missing_dependency(ModuleNotFoundError("gone", name="qualcode.cli.gone"), "qualcode gone") is None
    problem = missing_dependency(ModuleNotFoundError("no docx", name="docx"), "qualcode report")
    assert problem is not None and "`pip install python-docx`" in problem.message
