"""Every command explains itself: a one-line summary and an example in its --help."""

from __future__ import annotations

import click
import pytest

from qualcode.cli import COMMANDS, cli


def all_commands():
    context = click.Context(cli)
    found = []

    def walk(group, path):
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            if isinstance(command, click.Group):
                walk(command, [*path, name])
            else:
                found.append((" ".join([*path, name]), command))

    walk(cli, [])
    return found


def test_every_registered_command_is_available():
    assert set(cli.list_commands(click.Context(cli))) == set(COMMANDS)


@pytest.mark.parametrize("name, command", all_commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_has_a_summary_and_an_example(name, command, run):
    help_text = command.help or ""
    assert help_text.strip(), f"{name} has no help"
    assert "Example" in help_text, f"{name} --help shows no example"
    result = run(*name.split(), "--help")
    assert result.exit_code == 0 and f"{name.split()[-1]} [OPTIONS]" in result.output
