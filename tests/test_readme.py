"""The README's examples are real: each `$ qualcode …` it shows is run on the demo study, and the
output it shows must be what the command prints, so the README cannot drift from the program.

How README output is compared with what a command prints (both with trailing spaces removed):
- A line that is only `…` (indented or not) stands for any number of lines left out, none included.
- A `…` with a space before it and a space or the line's end after it stands for text left out
  within that line (a long table row); any other `…` is an ellipsis the program prints.
- Every other line must match one printed line, in order, with nothing between consecutive lines;
  the block runs from the first printed line to the last unless it starts or ends with `…`.
- A command shown with no output must print nothing.
- Only what genuinely varies between runs is normalised: the seconds in "done in 2.0 s".
Commands run in the folder where the session's demo was built (so `-p demo` and the paths it prints
are as in the README), at the fixed width of DEMO_COLUMNS, with no colour.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import DEMO_COLUMNS

from qualcode.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
ELIDED_LINE = "…"
ELIDED_TEXT = re.compile(r" …(?= |$) ?")


def readme_examples(text: str) -> list[tuple[str, list[str]]]:
    """(command, output lines) for each `$ qualcode …` in the README's indented code blocks."""
    examples: list[tuple[str, list[str]]] = []
    output: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("    $ "):
            output = []
            examples.append((line[len("    $ ") :], output))
        elif output is not None and (line.startswith("    ") or not line.strip()):
            output.append(line[4:].rstrip())
        else:
            output = None
    for _, lines in examples:
        while lines and not lines[-1]:
            lines.pop()
    return examples


def normalise(line: str) -> str:
    return re.sub(r"\bdone in \d+\.\d s\b", "done in N s", line.rstrip())


def line_pattern(shown: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(piece) for piece in ELIDED_TEXT.split(normalise(shown))))


def differences(shown: list[str], printed: list[str]) -> str | None:
    """None if `shown` describes `printed` by the rules above, else what does not match."""
    printed = [normalise(line) for line in printed]
    while printed and not printed[-1]:
        printed.pop()
    if not shown:
        return None if not printed else "the README shows no output, but the command prints:\n" + "\n".join(printed)
    # Runs of shown lines separated by `…` lines; each run must match consecutive printed lines.
    runs: list[list[str]] = [[]]
    for line in shown:
        if line.strip() == ELIDED_LINE:
            runs.append([])
        else:
            runs[-1].append(line)
    anchored_start, anchored_end = shown[0].strip() != ELIDED_LINE, shown[-1].strip() != ELIDED_LINE
    position = 0
    for number, run in enumerate(runs):
        if not run:
            continue
        patterns = [line_pattern(line) for line in run]
        last = number == len(runs) - 1 and anchored_end
        starts = [position] if number == 0 and anchored_start else range(position, len(printed) - len(run) + 1)
        if last:
            starts = [s for s in starts if s == len(printed) - len(run)]
        found = next(
            (s for s in starts if all(p.fullmatch(printed[s + i]) for i, p in enumerate(patterns))),
            None,
        )
        if found is None:
            return "\n".join(
                [f"these lines are not printed as shown (from line {position + 1} on):", *run, "--- printed:", *printed]
            )
        position = found + len(run)
    return None


EXAMPLES = readme_examples(README.read_text(encoding="utf-8"))


def test_the_readme_shows_examples_of_the_demo():
    commands = [command for command, _ in EXAMPLES]
    assert commands[0] == "qualcode demo" and len(commands) >= 4
    assert all(command.startswith("qualcode ") for command in commands)


@pytest.mark.parametrize("command, shown", EXAMPLES, ids=[command for command, _ in EXAMPLES])
def test_readme_example_prints_what_the_readme_shows(command, shown, demo_study, monkeypatch):
    folder, demo_result = demo_study
    if command == "qualcode demo":
        printed = demo_result.output
    else:
        monkeypatch.chdir(folder)
        result = CliRunner().invoke(cli, shlex.split(command)[1:], env={"COLUMNS": DEMO_COLUMNS})
        assert result.exit_code == 0, result.output
        printed = result.output
    mismatch = differences(shown, printed.splitlines())
    assert mismatch is None, mismatch


@pytest.mark.parametrize(
    "shown, printed, matches",
    [
        ([], [], True),
        ([], ["a"], False),
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "b", "c"], False),  # a line left out needs a `…`
        (["a", "…"], ["a", "b", "c"], True),
        (["a", "c"], ["a", "b", "c"], False),
        (["a", "…", "c"], ["a", "b", "b", "c"], True),
        (["a", "…", "c"], ["a", "c"], True),
        (["…", "c"], ["a", "b", "c", ""], True),
        (["b"], ["a", "b"], False),
        (["a long … row"], ["a long table row"], True),
        (["a long … row"], ["a long table row", "more"], False),
        (["phases)…"], ["phases)…"], True),
        (["phases)…"], ["phases) and more"], False),  # not between spaces: a literal ellipsis
        (["done in 2.0 s"], ["done in 13.4 s"], True),
        (["done in 2.0 s"], ["done in 2.0 minutes"], False),
    ],
)
def test_how_readme_output_is_compared(shown, printed, matches):
    assert (differences(shown, printed) is None) is matches
