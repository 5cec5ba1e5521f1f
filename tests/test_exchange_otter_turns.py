"""Otter transcripts that arrive inside another program's project (QualCoder, a REFI-QDA export):
their speakers, interviewer and turn times are found in the text without changing a character of
it, so the other program's codings keep their positions. Samples: tests/data/qualcoder/otter_v16.qda
and tests/data/refi/otter_sources.qdpx (see make_samples.py in each folder)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import coded, squash

from qualcode.exchange.qualcoder import import_qualcoder
from qualcode.exchange.refi.qdpx import import_qdpx
from qualcode.exchange.turns import turns_in_place

DATA = Path(__file__).parent / "data"


def turns(project, transcript):
    return [
        (r["speaker"], r["timestamp"], r["is_interviewer"], r["words"])
        for r in project.query(
            "SELECT n.speaker, n.timestamp, n.is_interviewer, substr(t.text, n.body_start + 1, n.[end] - n.body_start) words"
            " FROM turns n JOIN transcripts t ON t.id = n.transcript_id WHERE t.name = ? ORDER BY n.number",
            [transcript],
        )
    ]


def test_qualcoder_sources_from_otter_get_speakers_times_and_an_interviewer(project):
    import_qualcoder(project, DATA / "qualcoder" / "otter_v16.qda", "Maya")
    assert turns(project, "Hale_otter") == [
        (
            None,
            None,
            0,
            "Millbrook Mills - Margaret Hale\nTue, May 14, 2019 2:05PM • 38:12\n\nSUMMARY KEYWORDS\n"
            "mill, doffing, overlooker, co-op, leaving\n\nSPEAKERS\nRuth Bell, Margaret Hale",
        ),
        ("Ruth Bell", 0.0, 1, "Margaret, can you tell me where you were born?"),
        ("Margaret Hale", 4.0, 0, "In the house two doors down from this one. My mother never moved more than a mile."),
        ("Ruth Bell", 13.0, 1, "And when did you start at the mill?"),
        ("Margaret Hale", 16.0, 0, "Fourteen. The Monday after I left school. It was the mill or"),
        ("Margaret Hale", 24.0, 0, "service, and my mother wouldn't have me in service."),
        ("Ruth Bell", 31.0, 1, "Did you ever think of leaving?"),
        ("Margaret Hale", 35.0, 0, "Once. I stood outside the Co-op office and then I went home."),
        (None, None, 0, "Transcribed by https://otter.ai"),
    ]
    # a .docx QualCoder imported: its paragraphs are parted by blank lines
    assert turns(project, "Kemi_otter")[1:3] == [
        ("Jane Doe", 0.0, 1, "Thanks for staying on after the shift. How long have you been sorting on Saturdays?"),
        ("Kemi Adebayo", 7.0, 0, "Nearly three years. I started when my daughter was doing her Duke of Edinburgh."),
    ]
    assert project.query("SELECT name, interviewer FROM transcripts ORDER BY name") == [
        {"name": "Hale_otter", "interviewer": "Ruth Bell"},
        {"name": "Kemi_otter", "interviewer": "Jane Doe"},
    ]


def test_the_text_and_the_codings_stay_exactly_where_qualcoder_had_them(project):
    with sqlite3.connect(DATA / "qualcoder" / "otter_v16.qda" / "data.qda") as db:
        fulltexts = dict(db.execute("SELECT name, fulltext FROM source").fetchall())
    import_qualcoder(project, DATA / "qualcoder" / "otter_v16.qda", "Maya")
    stored = {r["name"]: r["text"] for r in project.query("SELECT name, text FROM transcripts")}
    assert stored == {"Hale_otter": fulltexts["Hale_otter.txt"], "Kemi_otter": fulltexts["Kemi_otter.docx"]}
    assert coded(project) == [
        ("Amara", "Belonging", "Kemi_otter", "The people on the tins table"),
        ("Amara", "Starting work", "Hale_otter", "Fourteen. The Monday after I left school"),
        ("Amara", "Starting work", "Hale_otter", "It was the mill or\n\nMargaret Hale  0:24\nservice"),
        ("Amara", "Staying put", "Hale_otter", "I stood outside the Co-op office and then I went home"),
        ("Amara", "Staying put", "Hale_otter", "My mother never moved more than a mile"),
    ]


@pytest.fixture
def otter_study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    copy = tmp_path / "otter.qda"
    shutil.copytree(DATA / "qualcoder" / "otter_v16.qda", copy)
    assert run("import", "qualcoder", copy).exit_code == 0
    return tmp_path


def test_speaker_and_turns_work_on_a_qualcoder_otter_source(run, otter_study):
    only = json.loads(run("transcript", "show", "Kemi_otter", "--speaker", "Kemi Adebayo", "--json").output)
    assert [(line["text"], line["label_end"]) for line in only["lines"] if line["text"]] == [
        ("Kemi Adebayo  00:07", 19),  # Otter's header line is the turn's label
        ("Nearly three years. I started when my daughter was doing her Duke of Edinburgh.", 0),
        ("Kemi Adebayo  00:29", 19),
        ("The people on the tins table. We've been sat together since the first week.", 0),
    ]
    assert [line["timestamp"] for line in only["lines"] if line["turn_starts"]] == [7.0, 29.0]
    applied = run("code", "apply", "Duration", "--new", "-t", "Hale_otter", "--turns", "3")
    assert applied.exit_code == 0
    extracts = squash(run("extracts", "Duration").output)
    assert "In the house two doors down from this one. My mother never moved more than a mile." in extracts
    assert "Margaret Hale 0:04" not in extracts and "0:04" not in extracts


def test_a_qdpx_of_otter_sources_gets_speakers_and_keeps_its_codings(project):
    import_qdpx(project, DATA / "refi" / "otter_sources.qdpx", "Maya")
    found = turns(project, "Osei_otter")
    assert [(speaker, time, interviewer) for speaker, time, interviewer, _ in found] == [
        (None, None, 0),
        ("Lucy Tran", 0.0, 1),
        ("Kwame Osei", 5.0, 0),
        ("Lucy Tran", 14.0, 1),
        ("Kwame Osei", 18.0, 0),
        ("Lucy Tran", 29.0, 1),
        ("Kwame Osei", 31.0, 0),
        (None, None, 0),
    ]
    assert found[4][3] == (
        "The routes are longer and the stops are shorter. You used to get a cup of tea at every other house."
    )
    assert coded(project) == [
        ("Lucy", "Isolation", "Osei_otter", "I was the only person they saw all week"),
        ("Lucy", "Isolation", "Osei_otter", "You used to get a cup of tea at every other house"),
    ]


def test_turns_in_place_for_otter_headers():
    text = (
        "Tuesday visit\n\nAlex Kim  0:00\nHow was the week?\n\nSam Lee  0:03\nQuiet.\nToo quiet, maybe.\n\n"
        "Alex Kim  1:02:13\nWhy's that?\n\nChapter two  1:15\n\nSam Lee  1:02:20\nNobody came by.\n"
    )
    laid, interviewer = turns_in_place(text)
    assert laid.text == text
    assert interviewer == "Alex Kim"
    assert [
        (t.speaker, t.timestamp, text[t.start : t.body_start].strip(), text[t.body_start : t.end]) for t in laid.turns
    ] == [
        (None, None, "", "Tuesday visit"),
        ("Alex Kim", 0.0, "Alex Kim  0:00", "How was the week?"),
        ("Sam Lee", 3.0, "Sam Lee  0:03", "Quiet.\nToo quiet, maybe."),
        ("Alex Kim", 3733.0, "Alex Kim  1:02:13", "Why's that?\n\nChapter two  1:15"),  # a one-off is words
        ("Sam Lee", 3740.0, "Sam Lee  1:02:20", "Nobody came by."),
    ]


def test_labelled_lines_still_win_over_a_stray_header():
    text = "Interviewer: When?\nP2: In May.\nMay Day  1:00\nInterviewer: And then?\nP2: June.\n"
    laid, _ = turns_in_place(text)
    assert [t.speaker for t in laid.turns] == ["Interviewer", "P2", "Interviewer", "P2"]
