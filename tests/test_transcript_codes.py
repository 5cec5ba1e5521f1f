"""Reading a transcript with its codes (`transcript show --codes`) and the turns nobody coded
(`--uncoded`), own codings by default, others' only while coding is open.

P1: Ana codes "pushing the homework" with Rupture; Ben codes "went silent" with Withdrawal."""

from __future__ import annotations

import json

import pytest
from helpers import error_line, write

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.blind import start_blind
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts

P1 = (
    "Interviewer: How did it start?\n"
    "P1: I kept pushing the homework, she kept agreeing, then went silent.\n"
    "Interviewer: And then?\n"
    "P1: Nothing much.\n"
)


@pytest.fixture
def pair(tmp_path):
    project = Project.create(tmp_path / "projects" / "study.qualcode", "Ana")
    add_analyst(project, "Ana", "Ben")
    import_transcripts(project, [write(tmp_path / "P1.txt", P1)], "Ana")
    add_code(project, "Ana", "Rupture")
    add_code(project, "Ben", "Withdrawal in the session")
    apply_codes(project, "Ana", ["Rupture"], "P1", spans=[(42, 62)])
    apply_codes(project, "Ben", ["Withdrawal in the session"], "P1", spans=[(88, 99)])
    yield project
    project.close()


def shown(run, *args: str) -> str:
    result = run("transcript", "show", "P1", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_own_codes_are_braced_in_the_text_and_named_in_the_margin(run, pair):
    output = shown(run, "--codes")
    assert output.splitlines()[:4] == [
        "P1 · codings of Ana, coded text in {braces}",
        "1 T1 Interviewer: How did it start?",
        "2 T2 P1: I kept {pushing the homework}, she kept agreeing, then went       Rupture",
        "     silent.",
    ]
    assert "Withdrawal" not in output and "{went silent}" not in output
    assert all(line == line.rstrip() and len(line) <= 100 for line in output.splitlines())


def test_all_analysts_name_each_code_with_its_analyst_and_long_names_wrap_in_the_margin(run, pair):
    lines = shown(run, "--codes", "--analysts", "all").splitlines()
    assert lines[:5] == [
        "P1 · codings of Ana and Ben, coded text in {braces}",
        "1 T1 Interviewer: How did it start?",
        "2 T2 P1: I kept {pushing the homework}, she kept agreeing, then {went      Rupture (Ana)",
        "     silent}.                                                              Withdrawal in the session",
        "                                                                           (Ben)",
    ]
    narrow = run("transcript", "show", "P1", "--codes", "--analysts", "Ana,Ben", env={"COLUMNS": "60"}).output
    assert all(len(line) <= 60 and line == line.rstrip() for line in narrow.splitlines())
    assert narrow.splitlines()[2:6] == [
        "2 T2 P1: I kept {pushing the homework}, she  Rupture (Ana)",
        "     kept agreeing, then {went silent}.      Withdrawal in",
        "                                             the session",
        "                                             (Ben)",
    ]


def test_codes_work_with_the_other_options_and_json(run, pair):
    assert shown(run, "--codes", "--lines", "3-4").splitlines()[1:] == [
        "3 T3 Interviewer: And then?",
        "4 T4 P1: Nothing much.",
    ]
    data = json.loads(shown(run, "--codes", "--analysts", "Ben", "--json"))
    assert data["analysts"] == ["Ben"]
    assert [(line["line"], line["coded"], line["codes"]) for line in data["lines"] if line["codes"]] == [
        (2, [[57, 68]], ["Withdrawal in the session"])
    ]


def test_uncoded_shows_only_the_turns_no_one_coded_with_their_lines(run, pair):
    output = shown(run, "--uncoded")
    assert output.splitlines() == [
        "P1: 3 of 4 turns no one has coded",
        "1 T1 Interviewer: How did it start?",
        "3 T3 Interviewer: And then?",
        "4 T4 P1: Nothing much.",
    ]
    assert shown(run, "--uncoded", "--speaker", "P1").splitlines() == [
        "P1: 1 of 2 turns no one has coded",
        "4 T4 P1: Nothing much.",
    ]


def test_under_blind_coding_only_your_own_and_asking_for_others_is_refused(run, pair):
    start_blind(pair, "Ana")
    for asked in ("all", "Ben", "Ana,Ben"):
        refused = run("transcript", "show", "P1", "--codes", "--analysts", asked)
        assert refused.exit_code != 0
        assert error_line(refused).startswith("Error: coding is blind: you see only your own codings, not ")
    assert "Ben's" in run("transcript", "show", "P1", "--codes", "--analysts", "Ben").output
    # Ben's coding of turn 4 is not Ana's to see: for her the turn is still uncoded.
    apply_codes(pair, "Ben", ["Withdrawal in the session"], "P1", spans=[(128, 141)])
    assert run("-a", "Ben", "transcript", "show", "P1", "--uncoded").output.splitlines()[0] == (
        "P1: 2 of 4 turns no one visible to Ben has coded (coding is blind)"
    )
    assert run("-a", "Ana", "transcript", "show", "P1", "--uncoded").output.splitlines()[0] == (
        "P1: 3 of 4 turns no one visible to Ana has coded (coding is blind)"
    )
    ben = run("-a", "Ben", "transcript", "show", "P1", "--codes").output
    assert "{Nothing much.}" in ben and "{went" in ben and "{pushing" not in ben


def test_analysts_needs_codes_or_uncoded_and_known_names(run, pair):
    assert "--analysts goes with --codes or --uncoded" in run("transcript", "show", "P1", "--analysts", "all").output
    unknown = run("transcript", "show", "P1", "--codes", "--analysts", "Zoe")
    assert unknown.exit_code != 0 and "unknown analyst 'Zoe'" in error_line(unknown)
