"""Passages over several speaker turns say so: their turns and every speaker, in `code apply`,
`extracts`, `code show` and JSON, and a --match that crosses from one speaker to another warns."""

from __future__ import annotations

import json

import pytest
from helpers import squash, write

P21 = (
    "Interviewer: Tell me about the last session.\n"
    "P21: We mostly sat with it. They’re a form of care, those silences.\n"
    "Interviewer: A form of care?\n"
    "P21: Yes. I hadn’t thought of it that way before.\n"
)


@pytest.fixture
def study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    write(tmp_path / "P21.txt", P21)
    run("transcript", "import", "P21.txt")
    run("code", "add", "Rupture")
    return tmp_path


def extracts(run, *args) -> list[dict]:
    return json.loads(run("extracts", *args, "--json").output)


def test_a_passage_over_two_turns_is_labelled_with_its_turns_and_speakers(run, study):
    result = run(
        "code",
        "apply",
        "Rupture",
        "-t",
        "P21",
        "--match",
        "a form of care, those silences. Interviewer: A form of care?",
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("coded P21 lines 2-3, turns 2-3, P21 and Interviewer, chars ")
    assert lines[-1] == "warning: the passage runs from P21's words into the interviewer's; coded as matched"
    (row,) = extracts(run)
    assert (row["turn"], row["last_turn"], row["speakers"]) == (2, 3, ["P21", "Interviewer"])
    assert "L2-3 turns 2-3, P21 and Interviewer Rupture — Maya" in squash(run("extracts", "Rupture").output)
    assert "turns 2-3, P21 and Interviewer" in run("code", "show", "Rupture").output
    shown = json.loads(run("code", "show", "Rupture", "--json").output)["extracts"][0]
    assert (shown["turn"], shown["last_turn"], shown["speakers"]) == (2, 3, ["P21", "Interviewer"])


def test_a_passage_in_one_turn_keeps_its_short_label_and_no_warning(run, study):
    result = run("code", "apply", "Rupture", "-t", "P21", "--match", "They're a form of care")
    assert result.output.splitlines()[0].startswith("coded P21 line 2, turn 2 (P21), chars ")
    assert "warning" not in result.output
    (row,) = extracts(run)
    assert (row["turn"], row["last_turn"], row["speakers"]) == (2, 2, ["P21"])
    assert "L2 T2 Rupture — Maya" in squash(run("extracts").output)


def test_lines_over_two_turns_are_labelled_without_a_warning(run, study):
    result = run("code", "apply", "Rupture", "-t", "P21", "--lines", "2-3")
    assert result.output.splitlines()[0].startswith("coded P21 lines 2-3, turns 2-3, P21 and Interviewer, chars ")
    assert "warning" not in result.output


def test_a_match_from_the_interviewers_words_into_the_participants_warns_the_other_way(run, study):
    result = run("code", "apply", "Rupture", "-t", "P21", "--match", "A form of care? P21: Yes.")
    assert result.exit_code == 0
    assert "turns 3-4, Interviewer and P21" in result.output.splitlines()[0]
    assert result.output.splitlines()[-1] == (
        "warning: the passage runs from the interviewer's words into P21's; coded as matched"
    )


def test_turns_label():
    from qualcode.wording import turns_label

    assert turns_label(6, 6, ["P21"]) == "turn 6 (P21)"
    assert turns_label(6, 7, ["P21", "Interviewer"]) == "turns 6-7, P21 and Interviewer"
    assert turns_label(6, 9, ["P21", "Interviewer", "P22"]) == "turns 6-9, P21, Interviewer and P22"
    assert turns_label(3, 3, []) == "turn 3"
