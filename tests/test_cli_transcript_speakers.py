"""`transcript import` from the command line with real exports: the `--speakers` and `--no-speakers`
escape hatches, the format names `transcript list` shows, and long caption files coded by turn."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from helpers import SAMPLES, squash, write, youtube_auto_captions


@pytest.fixture
def samples(tmp_path):
    """A folder of sample exports, as a researcher would have them next to the project."""
    for name in ("zoom_cloud_handles.vtt", "oral_history_mill.txt", "otter_named.docx", "rev_bracketed.txt"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def study(run, samples):
    run("init", "study", "--analyst", "Maya")
    return samples


def test_list_json_names_the_format_of_each_source(run, study):
    result = run("transcript", "import", "zoom_cloud_handles.vtt", "otter_named.docx", "rev_bracketed.txt")
    assert result.exit_code == 0
    rows = json.loads(run("transcript", "list", "--json").output)
    assert {row["name"]: row["format"] for row in rows} == {
        "zoom_cloud_handles": "vtt",
        "otter_named": "otter",
        "rev_bracketed": "rev",
    }
    assert {row["name"]: row["interviewer"] for row in rows}["otter_named"] == "Jane Doe"


def test_import_with_speakers_takes_exactly_those_labels(run, study):
    write(
        study / "choir.txt",
        "Ruth Bell: Anything else?\nDr. Ama Owusu (host): Only thanks.\nRuth Bell: Thank you.\n",
    )
    result = run("transcript", "import", "choir.txt", "--speakers", "Ruth Bell,Dr. Ama Owusu (host)")
    assert (
        result.output
        == "imported choir: 3 turns, 6 words (no participant: `qualcode transcript set choir --participant P`)\n"
    )
    shown = squash(run("transcript", "show", "choir").output)
    assert "2 T2 Dr. Ama Owusu (host): Only thanks." in shown


def test_import_with_speakers_that_name_nobody_imports_nothing(run, study):
    result = run("transcript", "import", "rev_bracketed.txt", "--speakers", "Interviewer,P1")
    assert result.exit_code == 1
    assert result.output == (
        "Error: rev_bracketed.txt: no turn opens with any of the --speakers labels ('Interviewer', 'P1'); "
        "give them as they are written in the file, or leave out --speakers\n"
    )
    assert json.loads(run("transcript", "list", "--json").output) == []


def test_import_with_no_speakers(run, study):
    result = run("transcript", "import", "rev_bracketed.txt", "--no-speakers")
    assert result.exit_code == 0
    rows = json.loads(run("transcript", "list", "--json").output)
    assert rows[0]["interviewer"] is None
    shown = json.loads(run("transcript", "show", "rev_bracketed", "--json").output)
    assert shown["lines"][0]["text"] == "So what brings people in, usually?"
    assert shown["lines"][0]["timestamp"] == 2.0


def test_speakers_and_no_speakers_together_is_a_usage_error(run, study):
    result = run("transcript", "import", "rev_bracketed.txt", "--speakers", "Ana", "--no-speakers")
    assert result.exit_code == 2
    assert "--speakers and --no-speakers contradict each other; give one of them" in result.output
    empty = run("transcript", "import", "rev_bracketed.txt", "--speakers", " , ")
    assert empty.exit_code == 2 and "name the labels, comma-separated" in empty.output


def test_a_long_caption_file_without_speakers_can_be_read_and_coded_by_turn(run, study):
    write(study / "talk.vtt", youtube_auto_captions(600))  # 27 minutes, 4,800 words
    result = run("transcript", "import", "talk.vtt")
    assert result.exit_code == 0
    assert "warning: talk.vtt: no speakers in the captions: turns break at pauses and sentence ends" in result.output
    turns = int(re.search(r"imported talk: (\d+) turns, 4,800 words", result.output).group(1))
    assert turns >= 30
    shown = json.loads(run("transcript", "show", "talk", "--turns", "3", "--json").output)
    assert len(shown["lines"]) == 1 and shown["lines"][0]["timestamp"] is not None
    assert run("code", "apply", "Planting", "--new", "-t", "talk", "--turns", "3").exit_code == 0
    assert shown["lines"][0]["text"] in run("extracts", "Planting").output.replace("\n  ", " ")


def test_a_participant_who_answers_once_between_the_interviewers_prompts_is_a_speaker(run, tmp_path):
    # A short interview (or a focus-group member who speaks once): the name occurs once, between
    # two of the interviewer's prompts, and those words are the participant's, not the interviewer's.
    run("init", "study", "--analyst", "Maya")
    once = write(
        tmp_path / "Rowan.txt",
        "Interviewer: Could you tell me about your first session?\n"
        "Rowan: It was hard at first, then she asked about my week and it got easier.\n"
        "Interviewer: Thank you, that is all.\n",
    )
    # A capitalised word before a colon inside someone's turn stays in that turn.
    busy = write(
        tmp_path / "P1.txt",
        "Interviewer: How was the week?\nP1: Busy. Lots happened:\nSunday: we went out to the coast.\n"
        "Monday: back at work.\nInterviewer: And the session?\nP1: Fine.\n",
    )
    assert run("transcript", "import", str(once), str(busy)).exit_code == 0
    rowan = json.loads(run("transcript", "show", "Rowan", "--json").output)["lines"]
    assert [(line["turn"], line["speaker"]) for line in rowan] == [(1, "Interviewer"), (2, "Rowan"), (3, "Interviewer")]
    assert "Rowan" in run("transcript", "show", "Rowan", "--speaker", "rowan").output
    p1 = json.loads(run("transcript", "show", "P1", "--json").output)["lines"]
    assert [line["speaker"] for line in p1] == ["Interviewer", "P1", "P1", "P1", "Interviewer", "P1"]
