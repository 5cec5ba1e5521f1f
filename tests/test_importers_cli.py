"""`qualcode transcript import` options as a user runs them: --interviewer, --participant with
several files, names with spaces, many files, and messages."""

from __future__ import annotations

import json

import pytest
from helpers import squash, write

from qualcode.store import Project

INTERVIEW = """Dr Sarah Jones: Thanks for agreeing to this. Can you tell me how you came to look after your dad?
Tom Baker: It was the stroke, really. I lived nearest, so it fell to me.
Dr Sarah Jones: And how did that feel
Tom Baker: Exhausting, to be honest. I stopped seeing my mates.
"""


@pytest.fixture
def study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    write(tmp_path / "carer.txt", INTERVIEW)
    return tmp_path


def interviewer_of(run, name):
    rows = json.loads(run("transcript", "list", "--json").output)
    return next(row["interviewer"] for row in rows if row["name"] == name)


def interviewer_turns(study):
    project = Project.open(study / "projects" / "study.qualcode")
    try:
        return [row["number"] for row in project.query("SELECT number FROM turns WHERE is_interviewer ORDER BY number")]
    finally:
        project.close()


def test_interviewer_label_that_does_not_occur_is_refused_with_the_speakers(run, study):
    result = run("transcript", "import", "carer.txt", "--interviewer", "Sarah")
    assert result.exit_code == 1
    assert result.output == (
        "Error: carer.txt: no speaker 'Sarah' to mark as the interviewer; "
        "the speakers are 'Dr Sarah Jones', 'Tom Baker'\n"
    )
    assert json.loads(run("transcript", "list", "--json").output) == []


def test_interviewer_label_is_matched_ignoring_case_and_spacing(run, study):
    result = run("transcript", "import", "carer.txt", "--interviewer", "tom  baker")
    assert result.exit_code == 0
    assert interviewer_of(run, "carer") == "Tom Baker"


def test_interviewer_for_a_file_without_speakers(run, study):
    write(study / "notes.txt", "We met at the gate.\n\nIt rained all afternoon.\n")
    result = run("transcript", "import", "notes.txt", "--interviewer", "Jo")
    assert result.exit_code == 1
    assert "notes.txt: --interviewer 'Jo' names a speaker, but this file has no speaker labels" in result.output


def test_reimporting_with_interviewer_corrects_a_wrong_guess(run, study):
    run("transcript", "import", "carer.txt")
    assert interviewer_of(run, "carer") == "Dr Sarah Jones"
    assert interviewer_turns(study) == [1, 3]
    run("code", "apply", "Carer strain", "--new", "-t", "carer", "--match", "stopped seeing my mates")
    corrected = run("transcript", "import", "carer.txt", "--interviewer", "Tom Baker")
    assert corrected.exit_code == 0
    assert corrected.output == "updated carer: same text; the interviewer is now 'Tom Baker' (was 'Dr Sarah Jones')\n"
    assert interviewer_of(run, "carer") == "Tom Baker"
    assert interviewer_turns(study) == [2, 4]
    # the coding survives: the text was not touched
    assert "stopped seeing my mates" in run("extracts", "Carer strain").output
    again = run("transcript", "import", "carer.txt", "--interviewer", "Tom Baker")
    assert again.output.startswith("unchanged carer: already imported")


def test_participant_applies_to_every_file(run, study):
    write(study / "carer part 2.txt", INTERVIEW.replace("the stroke", "the second stroke"))
    result = run("transcript", "import", "carer.txt", "carer part 2.txt", "--participant", "P 12")
    assert result.exit_code == 0
    rows = json.loads(run("transcript", "list", "--json").output)
    assert {(row["name"], row["participant"]) for row in rows} == {("carer", "P 12"), ("carer part 2", "P 12")}
    shown = squash(run("transcript", "show", "carer part 2", "--lines", "2").output)
    assert "carer part 2 (P 12)" in shown
    assert "2 T2 Tom Baker: It was the second stroke, really." in shown


def test_many_files_when_output_is_not_a_terminal(run, study):
    """No progress bar (and no stray blank line) when the output is piped; every file reported."""
    names = []
    for number in range(1, 8):
        write(study / "batch" / f"P{number}.txt", f"Interviewer: Why the garden?\nP{number}: Reason {number}.\n")
        names.append(f"batch/P{number}.txt")
    result = run("transcript", "import", *names)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.output.splitlines() == [f"imported P{n}: 2 turns, 5 words" for n in range(1, 8)]


def test_several_failures_are_listed_then_counted(run, study):
    write(study / "empty.txt", "")
    result = run("transcript", "import", "carer.txt", "empty.txt", "gone.txt")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "imported carer: 4 turns, 44 words (no participant: `qualcode transcript set carer --participant P`)",
        "error: empty.txt: the file is empty",
        "error: gone.txt: no such file",
        "Error: 2 of 3 files failed; the other one was handled as shown above",
    ]


def test_a_folder_imports_its_transcripts_in_name_order(run, study):
    folder = study / "interviews"
    write(folder / "P2 second visit.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v P2>We planted leeks.</v>\n")
    write(folder / "P1.md", "**Interviewer:** Why the garden?\n\n**P1:** For the quiet.\n")
    write(folder / "P3.doc", "old Word")
    write(folder / "P1.m4a", "audio")
    write(folder / ".DS_Store", "finder")
    write(folder / "~$P1.docx", "lock")
    result = run("transcript", "import", "interviews")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "imported P1: 2 turns, 6 words",
        "imported P2 second visit: 1 turn, 3 words",
        "skipped ~$P1.docx: a lock file Word keeps while a document is open, not a transcript",
        "error: interviews/P3.doc: an old Word .doc file; open it in Word and save it as .docx",
        "Error: 1 of 4 files failed; the other 3 were handled as shown above",
    ]


def test_a_folder_without_transcripts(run, study):
    write(study / "recordings" / "P1.m4a", "audio")
    result = run("transcript", "import", "recordings")
    assert result.exit_code == 1
    assert (
        result.output == "Error: recordings: a folder with no transcript files in it (.txt, .md, .docx, .vtt, .srt)\n"
    )
