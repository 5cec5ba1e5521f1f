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


P2 = "Interviewer: Anything else?\nP2: No, that was all of it.\n"


@pytest.fixture
def two_transcripts(pair, tmp_path):
    # P2 is coded from end to end, so the pass over all transcripts has nothing to show of it.
    import_transcripts(pair, [write(tmp_path / "P2.txt", P2)], "Ana")
    apply_codes(pair, "Ana", ["Rupture"], "P2", spans=[(0, len(P2) - 1)])
    return pair


def test_uncoded_without_a_name_goes_over_every_transcript_and_ends_with_the_total(run, two_transcripts):
    result = run("transcript", "show", "--uncoded")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "P1: 3 of 4 turns no one has coded",
        "1 T1 Interviewer: How did it start?",
        "3 T3 Interviewer: And then?",
        "4 T4 P1: Nothing much.",
        "",
        "3 of 6 turns no one has coded, in 1 of 2 transcripts; every turn of the other 1 is coded",
    ]
    # A participant's label is in their transcript only; the speaker is named as the transcript spells it.
    by_speaker = run("transcript", "show", "--uncoded", "--speaker", "p1").output.splitlines()
    assert by_speaker == [
        "P1: 1 of 2 turns no one has coded",
        "4 T4 P1: Nothing much.",
        "",
        "Speaker P1: 1 of 2 turns no one has coded, in 1 transcript",
    ]
    data = json.loads(run("transcript", "show", "--uncoded", "--json").output)
    assert [t["transcript"] for t in data["transcripts"]] == ["P1"]
    assert [t["turn"] for t in data["transcripts"][0]["uncoded_turns"]] == [1, 3, 4]
    assert [line["text"] for line in data["transcripts"][0]["lines"]] == [
        "Interviewer: How did it start?",
        "Interviewer: And then?",
        "P1: Nothing much.",
    ]
    assert (data["uncoded_turns"], data["turns"]) == (3, 6)


def test_uncoded_over_every_transcript_under_blind_coding_counts_only_what_you_see(run, two_transcripts):
    start_blind(two_transcripts, "Ana")
    # P2 was coded by Ana: for Ben, who cannot see her codings, every turn of it is still uncoded.
    ben = run("-a", "Ben", "transcript", "show", "--uncoded").output.splitlines()
    assert ben[-1] == "5 of 6 turns no one visible to Ben has coded (coding is blind), in 2 transcripts"
    assert "P2: 2 of 2 turns no one visible to Ben has coded (coding is blind)" in ben
    ana = run("-a", "Ana", "transcript", "show", "--uncoded").output.splitlines()
    assert ana[-1] == (
        "3 of 6 turns no one visible to Ana has coded (coding is blind), in 1 of 2 transcripts; every turn of the other 1 is coded"
    )


def test_uncoded_over_every_transcript_refuses_what_needs_one_and_unknown_speakers(run, two_transcripts):
    for args, message in (
        ((), "Error: name a transcript, or use --uncoded to go over all of them"),
        (("--uncoded", "--lines", "1-2"), "Error: --lines, --turns and --codes need a transcript's name"),
        (("--uncoded", "--codes"), "Error: --lines, --turns and --codes need a transcript's name"),
        (("--uncoded", "--speaker", "P9"), "Error: no transcript has a speaker 'P9'"),
    ):
        refused = run("transcript", "show", *args)
        assert refused.exit_code != 0
        assert error_line(refused).startswith(message), refused.output
        assert "Traceback" not in refused.output


def test_all_analysts_names_only_those_who_have_coded(run, pair):
    add_analyst(pair, "Ana", "Cy")  # added to the team, nothing coded yet
    assert (
        shown(run, "--codes", "--analysts", "all").splitlines()[0]
        == "P1 · codings of Ana and Ben, coded text in {braces}"
    )
    apply_codes(pair, "Cy", ["Rupture"], "P1", spans=[(0, 11)])
    assert shown(run, "--codes", "--analysts", "all").splitlines()[0] == (
        "P1 · codings of Ana, Ben and Cy, coded text in {braces}"
    )


def test_plain_rows_are_cut_as_the_character_by_character_fold_cuts_them():
    # Lines with nothing marked take a quicker path through the layout: it must give the same rows.
    import random

    from rich.cells import cell_len

    from qualcode.cli.transcript_codes import _fold, _fold_plain

    rng = random.Random(7)
    for _ in range(2000):
        words = [
            rng.choice(["a", "to", "word", "homework", "x" * rng.randint(15, 70), "", " "])
            for _ in range(rng.randint(0, 40))
        ]
        text = " ".join(words)
        width = rng.randint(20, 60)
        expected = [
            "".join(ch for ch, _ in row) for row in _fold([(ch, i) for i, ch in enumerate(text)], width, cell_len)
        ]
        assert _fold_plain(text, width) == expected, (text, width)
