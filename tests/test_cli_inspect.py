"""`transcript inspect`: how files would be read, without importing them."""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import SAMPLES, write


@pytest.fixture
def samples(tmp_path):
    """A folder of sample exports, as a researcher would have them next to the project."""
    for name in ("zoom_cloud_handles.vtt", "oral_history_mill.txt", "otter_named.docx", "rev_bracketed.txt"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    return tmp_path


def test_inspect_shows_how_a_file_would_be_read_without_a_project(run, samples):
    result = run("transcript", "inspect", "zoom_cloud_handles.vtt", "--first", "3")
    assert result.exit_code == 0
    assert result.output == (
        "zoom_cloud_handles.vtt\n"
        "  read as      vtt, written by Zoom, UTF-8\n"
        "  turns        8 turns, 131 words\n"
        "  speakers     jdoe42 (3 turns), Maria | Acme (2 turns), Sam Okafor (Ops) (2 turns), Priti Rao (1 turn)\n"
        "  interviewer  jdoe42 ('jdoe42' asks most: 3 of their 3 turns end with a question)\n"
        "  first turns\n"
        "    T1 [00:00:00] jdoe42: Okay, I think it's recording now. Can everyone see the slides?\n"
        "    T2 [00:00:05] Maria | Acme: Yes, all good on my side.\n"
        "    T3 [00:00:07] Sam Okafor (Ops): I can see them. Sorry, I'm on the train, so I'll stay muted mostly.\n"
    )
    assert not (samples / "projects" / "study.qualcode").exists()


def test_inspect_says_what_was_kept_as_preamble_and_what_was_left_out(run, samples):
    result = run("transcript", "inspect", "oral_history_mill.txt", "--first", "1")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "oral_history_mill.txt",
        "  read as      text, UTF-8",
        "  turns        10 turns, 153 words",
        "  speakers     BELL (5 turns), HALE (5 turns)",
        "  interviewer  BELL (the details at the top name Ruth Bell as the interviewer)",
        "  preamble     7 lines: Millbrook Mills Oral History Project | NAME: An Interview Conducted by Ruth Be… "
        "| INTERVIEWEE: Margaret Hale | …",
        "  left out     6 lines: [Begin Tape 1, Side A] | [End of Tape 1, Side A] | [Begin Tape 1, Side B] | …",
        "  warning      left out 2 page header or page number lines between turns",
        "  first turns",
        "    T1 BELL: This is Ruth Bell with Margaret Hale, at her home, on the fourteenth of May. Margaret, where "
        "were you born?",
    ]


def test_inspect_json(run, samples):
    rows = json.loads(run("transcript", "inspect", "otter_named.docx", "rev_bracketed.txt", "--json").output)
    otter, rev = rows
    assert (otter["format"], otter["tool"], otter["encoding"]) == ("otter", "Otter", None)
    assert otter["speakers"] == [
        {"label": "Jane Doe", "turns": 2, "words": 20, "interviewer": True},
        {"label": "Kemi Adebayo", "turns": 2, "words": 38, "interviewer": False},
    ]
    assert otter["interviewer"] == "Jane Doe"
    assert otter["first_turns"][1] == {
        "number": 2,
        "speaker": "Kemi Adebayo",
        "timestamp": 7.0,
        "text": "Nearly three years. I started when my daughter was doing her Duke of Edinburgh. "
        "She stopped after the summer, and I just kept coming.",
    }
    assert (rev["format"], rev["tool"], rev["dropped"]) == (
        "rev",
        "Rev",
        ["This transcript was exported on Mar 5, 2024 - view latest version here."],
    )
    assert set(rev) == {
        "path", "error", "format", "tool", "encoding", "turns", "words", "speakers", "interviewer",
        "interviewer_reason", "participant", "first_turns", "preamble", "dropped", "warnings",
    }  # fmt: skip


def test_inspect_reports_a_file_it_cannot_read_and_goes_on(run, samples):
    write(samples / "notes.srt", "Just my notes, no times.\n")
    result = run("transcript", "inspect", "notes.srt", "rev_bracketed.txt", "--first", "0")
    assert result.exit_code == 1
    assert result.output.startswith(
        "notes.srt\n  error        notes.srt: no caption cues found (expected timing lines like "
        "'00:00:01.000 --> 00:00:04.000')\n\nrev_bracketed.txt\n  read as      rev, written by Rev, UTF-8\n"
    )
    assert result.output.endswith("Error: 1 of 2 files cannot be read (shown above)\n")
    single = run("transcript", "inspect", "notes.srt")
    assert single.exit_code == 1
    assert single.output == (
        "Error: notes.srt: no caption cues found (expected timing lines like '00:00:01.000 --> 00:00:04.000')\n"
    )


def test_inspect_with_speakers_and_no_speakers(run, samples):
    chosen = run(
        "transcript", "inspect", "zoom_cloud_handles.vtt", "--speakers", "jdoe42, Maria | Acme", "--first", "0"
    )
    # the other names are words now, in the turn of the speaker before them
    assert "  speakers     jdoe42 (3 turns), Maria | Acme (2 turns)\n" in chosen.output
    none = run("transcript", "inspect", "zoom_cloud_handles.vtt", "--no-speakers", "--first", "1")
    assert "  speakers     none found\n" in none.output
    assert "    T1 [00:00:00] jdoe42: Okay, I think it's recording now." in none.output  # the label stays words
