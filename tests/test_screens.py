"""Every screen of the demo reads well at 80 and at 120 columns (issue 19): no line wider than the
terminal, no trailing spaces, no "(s)", and every code, theme and participant name the screen
lists shown whole (a name may wrap only at a space). Narrow terminals get one record per block,
and a 200-character code name wraps without breaking the table around it.

Each command runs in-process (CliRunner, COLUMNS set, no colour) on one copy of the session's demo.
"""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from helpers import squash
from rich.cells import cell_len

from qualcode.cli import cli
from qualcode.store import Project

# What a new user types after `qualcode demo` (its "Try next" and the README tour).
COMMANDS = [
    "participant list",
    "transcript list",
    "transcript show P6 --lines 1-20",
    "transcript show --uncoded --speaker Interviewer",
    "transcript search rupture",
    "code list",
    "code show Metacommunication",
    "extracts 'Withdrawal rupture'",
    "matrix",
    "matrix --by attribute:orientation",
    "cooccurrence",
    "memo list",
    "journal",
    "log",
    "theme list",
    "theme show 'Rupture as inevitable and generative'",
    "theme review",
    "compare agreement --analysts Maya,Tom",
    "compare codes Maya Tom",
    "compare disagreements Maya Tom",
    "status",
    "phase",
    "map history",
    "analyst list",
]

# Screens that cut text to the width on purpose (a memo's first line, a search hit's context,
# each with an ellipsis): a name there may be cut with the text around it, so for these only the
# names the screen lists in its own columns are checked.
CUT_TO_WIDTH = {"memo list", "transcript search rupture"}

WIDE = 400  # wide enough that nothing wraps: what the screen lists, to look for at 80 and 120


@pytest.fixture(scope="session")
def demo_copy(demo_study, tmp_path_factory):
    """A folder with a copy of the demo project, so no command here can touch the shared one."""
    folder, _ = demo_study
    copy = tmp_path_factory.mktemp("screens")
    (copy / "projects").mkdir()
    shutil.copy(folder / "projects" / "demo.qualcode", copy / "projects" / "demo.qualcode")
    return copy


@pytest.fixture(scope="session")
def demo_names(demo_copy) -> set[str]:
    project = Project.open(demo_copy / "projects" / "demo.qualcode")
    try:
        return {
            row["name"]
            for table in ("codes", "themes", "participants", "transcripts")
            for row in project.query(f"SELECT name FROM {table}")
        }
    finally:
        project.close()


_screens: dict[tuple[str, int], str] = {}


def screen(folder, command: str, columns: int) -> str:
    """What `qualcode -p demo COMMAND` prints at `columns` (cached: screens are only read)."""
    key = (command, columns)
    if key not in _screens:
        import shlex

        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(folder)
            result = CliRunner().invoke(
                cli, ["-p", "demo", *shlex.split(command)], env={"COLUMNS": str(columns), "NO_COLOR": None}
            )
        assert result.exit_code == 0, result.output
        _screens[key] = result.output
    return _screens[key]


def shown_whole(name: str, lines: list[str]) -> bool:
    """True if `name` is on one line, or wrapped at its spaces onto the lines below: each
    continuation in the same column (a table cell) or at the start of the next line's text."""
    words = name.split(" ")

    def continues(i: int, column: int, rest: list[str]) -> bool:
        line = lines[i]
        for k in range(len(rest), 0, -1):
            part = " ".join(rest[:k])
            if not line.startswith(part, column):
                continue
            if k == len(rest):
                return True
            after = line[column + len(part) :]
            if (after and not after.startswith(" ")) or i + 1 == len(lines):
                continue
            following = lines[i + 1]
            starts = {column, len(following) - len(following.lstrip())}
            if any(continues(i + 1, start, rest[k:]) for start in starts):
                return True
        return False

    for i, line in enumerate(lines):
        for match in re.finditer(re.escape(words[0]), line):
            if continues(i, match.start(), words):
                return True
    return False


def listed_names(names: set[str], text: str) -> set[str]:
    """The names a screen shows whole when nothing wraps (as words, not inside a longer word)."""
    return {n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)}


def test_shown_whole_accepts_wrapping_only_at_spaces():
    assert shown_whole("Withdrawal rupture", ["  Withdrawal rupture  10"])
    assert shown_whole("Withdrawal rupture", ["x  Withdrawal   10", "   rupture"])
    assert shown_whole("Withdrawal rupture", ["codes: A · Withdrawal", "      rupture · B"])
    assert not shown_whole("Withdrawal rupture", ["Withdrawal rup", "ture"])
    assert not shown_whole("relationship-building", ["relationship-buildin", "g"])
    assert not shown_whole("participant", ["partic…"])


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", COMMANDS)
def test_screen_fits_the_terminal_and_shows_names_whole(command, columns, demo_copy, demo_names):
    text = screen(demo_copy, command, columns)
    lines = text.splitlines()
    assert lines, f"{command} printed nothing"
    too_wide = [line for line in lines if cell_len(line) > columns]
    assert not too_wide, f"{command} at {columns}: lines wider than the terminal:\n" + "\n".join(too_wide)
    padded = [line for line in lines if line != line.rstrip()]
    assert not padded, f"{command} at {columns}: lines with trailing spaces:\n" + "\n".join(map(repr, padded))
    assert "(s)" not in text
    assert "\x1b" not in text  # no colour when the output is not a terminal
    expected = listed_names(demo_names, screen(demo_copy, command, WIDE) if command not in CUT_TO_WIDTH else "")
    missing = sorted(name for name in expected if not shown_whole(name, lines))
    assert not missing, f"{command} at {columns}: names not shown whole: {missing}\n{text}"


@pytest.mark.parametrize(
    "command, names",
    [
        ("participant list", ["P1", "P14", "integrative", "relational"]),
        ("code list", ["Beginning as relationship-building", "Therapist identity in the room"]),
        ("matrix", ["Moment-by-moment responsiveness", "P13"]),
        ("theme list", ["Therapists' transformation through the therapeutic relationship"]),
        ("compare codes Maya Tom", ["Beginning as relationship-building"]),
        ("memo list", ["Rupture as turning point"]),
    ],
)
def test_the_names_a_listing_is_about_are_whole_at_80_columns(command, names, demo_copy):
    lines = screen(demo_copy, command, 80).splitlines()
    assert [name for name in names if not shown_whole(name, lines)] == []


def test_participant_list_fits_its_columns_to_their_content(demo_copy):
    lines = screen(demo_copy, "participant list", 120).splitlines()
    header = next(line for line in lines if line.startswith("participant"))
    assert "…" not in header
    # One line per participant: nothing wraps at 120 columns.
    rows = [line for line in lines if re.match(r"P\d+\b", line)]
    assert len(rows) == 14 and len(lines) <= 14 + 4


def test_matrix_names_its_columns_when_they_fit_and_letters_them_only_when_not(demo_copy):
    wide = screen(demo_copy, "matrix", 160)
    assert "key:" not in wide and "Withdrawal rupture" in wide
    named = screen(demo_copy, "matrix --by attribute:orientation", 120)
    assert "key:" not in named and "integrative" in named.splitlines()[0]
    lettered = screen(demo_copy, "matrix --by attribute:orientation", 80)
    assert "key:" in lettered and "integrative" not in lettered.splitlines()[0]


def test_memo_list_aligns_its_columns_and_names_what_a_memo_is_on(demo_copy):
    text = screen(demo_copy, "memo list", 120)
    assert "theme on theme:" not in text and "code on code:" not in text
    rows = [line for line in text.splitlines() if re.match(r" *\d+  ", line)]
    # The date column starts at the same place on every row.
    assert len({re.search(r"\d{4}-\d\d-\d\d", row).start() for row in rows}) == 1


def test_theme_review_explains_its_figures_in_parentheses(demo_copy):
    text = screen(demo_copy, "theme review", 120)
    if re.search(r"\(\d+, \d+%\)", text):
        # Said once, where the figures first appear: what the two numbers are.
        assert squash(text).count("(n, %): how many of this theme's extracts") == 1, text


def test_search_hits_keep_their_location_on_one_line(demo_copy):
    text = screen(demo_copy, "transcript search rupture", 80)
    assert re.search(r"--chars \d+-\d+", text)
    assert not re.search(r"--chars\s*$", text, re.M)
    assert not re.search(r"(^|\n)\s*\d+-\d+\s*$", text)


NARROW = 30


@pytest.mark.parametrize("command", ["participant list", "transcript list", "code list", "analyst list", "memo list"])
def test_a_narrow_terminal_gets_one_record_per_block(command, demo_copy):
    text = screen(demo_copy, command, NARROW)
    lines = text.splitlines()
    assert all(cell_len(line) <= NARROW for line in lines), text
    assert all(line == line.rstrip() for line in lines)
    assert not any(set(line.strip()) <= set("─━│┃┏┓┗┛┡┩") and line.strip() for line in lines), text


def test_participants_at_30_columns_are_blocks_of_labelled_values(demo_copy):
    lines = screen(demo_copy, "participant list", NARROW).splitlines()
    first = lines.index("P1")
    assert lines[first + 1].startswith("  ") and ": " in lines[first + 1]
    assert any(line.strip() == "orientation: integrative" for line in lines[first : first + 8])


LONG_NAME = " ".join(["Therapists describing how the alliance"] * 6)[:200].strip()


@pytest.fixture
def long_named(run, tmp_path):
    from helpers import write

    write(
        tmp_path / "P1.txt", "Interviewer: How was it?\nP1: It went very quiet and polite, then we talked about it.\n"
    )
    run("init", "study", "--analyst", "Maya")
    run("-p", "study", "transcript", "import", str(tmp_path / "P1.txt"))
    run("-p", "study", "code", "apply", LONG_NAME, "-t", "P1", "--match", "very quiet and polite", "--new")
    run("-p", "study", "code", "apply", "Short", "-t", "P1", "--match", "we talked", "--new")
    return run


@pytest.mark.parametrize("command", [["code", "list"], ["matrix"], ["extracts", LONG_NAME], ["theme", "review"]])
def test_a_200_character_name_wraps_without_breaking_the_layout(command, long_named):
    assert len(LONG_NAME) >= 190
    result = long_named("-p", "study", *command, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), result.output
    assert all(line == line.rstrip() for line in lines), result.output
    if command[0] != "theme":
        assert shown_whole(LONG_NAME, lines), result.output
    if command == ["code", "list"]:
        # The short code's row is intact: its name and counts on one line.
        assert any(re.match(r"\W*Short\s+1\s+1\b", line) for line in lines), result.output


def test_code_apply_wraps_its_preview_under_its_label(demo_copy, tmp_path):
    shutil.copytree(demo_copy / "projects", tmp_path / "projects")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        result = CliRunner().invoke(
            cli,
            ["-p", "demo", "code", "apply", "Metacommunication", "-t", "P6", "--lines", "4"],
            env={"COLUMNS": "80"},
        )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(cell_len(line) <= 80 and line == line.rstrip() for line in lines), result.output
    assert "line 4" in result.output and "lines 4" not in result.output
    assert "(s)" not in result.output
    quoted = [line for line in lines if line.startswith("    ")]
    assert len(quoted) >= 2, result.output  # the preview wraps, indented under its label
