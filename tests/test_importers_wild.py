"""Layouts as other tools and archives write them: WhisperX, YouTube, f4 and MAXQDA, oTranscribe,
aTrain, NVivo, Teams saved from the web, data-archive interviews and transcripts copied out of
paginated documents. The samples follow each tool's layout, with words of our own."""

from __future__ import annotations

import pytest
from helpers import SAMPLES

from qualcode.text.importers import parse_file
from qualcode.text.importers.base import ParsedTurn, SourceLine
from qualcode.text.importers.speakers import guess_interviewer, split_label


def turns_of(parsed):
    return [(t.speaker, t.timestamp) for t in parsed.turns]


# --- automatic transcription -------------------------------------------------------------------


def test_otter_interviewer_who_asks_without_question_marks_among_backchannels():
    """Otter leaves many questions unpunctuated and gives every "Mm hmm." a turn of its own, while
    the participant ends statements with "isn't it?" and "you know?": the questioner is still found."""
    parsed = parse_file(SAMPLES / "carer_otter.txt")
    assert guess_interviewer(parsed.turns) == "Dr Sarah Jones"
    # a block cut mid-sentence runs on with a space; a finished sentence starts a new paragraph
    assert parsed.turns[1].text == (
        "Yeah, sure. So it was, um, it was the stroke, really, in 2016. I was the one who lived nearest, "
        "my sister's up in Leeds, so it just sort of fell to me. Nobody sat down and decided it. "
        "That's how it goes, isn't it?"
    )
    assert parsed.turns[8].text == "Yeah.\nIt does. What happened when you asked for help"
    assert not any("otter.ai" in t.text for t in parsed.turns)


def test_otter_export_without_timestamps_names_each_speaker_on_a_line():
    parsed = parse_file(SAMPLES / "otter_no_times.txt")
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Hannah Price", None),
        ("Unknown Speaker", None),
        ("Hannah Price", None),
        ("Unknown Speaker", None),
    ]
    assert parsed.turns[-1].text == "A dozen of us, on a good week. Fewer in January."
    assert guess_interviewer(parsed.turns) == "Hannah Price"


def test_teams_transcript_saved_as_paragraphs():
    parsed = parse_file(SAMPLES / "teams_paragraphs.docx")
    assert parsed.format == "teams"
    assert turns_of(parsed) == [
        ("Hannah Price", 3.0),
        ("Gwen Morris", 7.0),
        ("Hannah Price", 12.0),
        ("Gwen Morris", 18.0),
        ("Hannah Price", 3725.0),
        ("Gwen Morris", 3729.0),
    ]
    assert parsed.turns[3].text == (
        "I was on the waiting list for six years.\n"
        "Six years! And then two came up at once, so I took the one by the gate."
    )
    assert parsed.preamble == (
        "Allotments study - interview 4-20240312_101412-Meeting Recording\n12 March 2024, 10:14am\n41m 6s"
    )
    assert not any("transcription" in t.text for t in parsed.turns)


def test_whisperx_bracketed_speaker_labels():
    parsed = parse_file(SAMPLES / "whisperx_speakers.srt")
    assert turns_of(parsed) == [
        ("SPEAKER_00", 0.031),
        ("SPEAKER_01", 5.102),
        ("SPEAKER_00", 13.6),
        ("SPEAKER_01", 18.9),
        ("SPEAKER_00", 32.01),
        ("SPEAKER_01", 35.3),
    ]
    assert parsed.turns[1].text == "No bother. The kettle's on if you want one. I've only got oat milk, mind."
    assert not any("[SPEAKER" in t.text for t in parsed.turns)
    assert guess_interviewer(parsed.turns) == "SPEAKER_00"


def test_bracketed_role_labels_without_colons(tmp_path):
    path = tmp_path / "podcast.srt"
    path.write_text(
        "1\n00:00:00,000 --> 00:00:03,300\n[Speaker 1] Welcome, and thanks for joining me.\n\n"
        "2\n00:00:03,400 --> 00:00:06,000\n[Speaker 2] Thanks for having me.\n\n"
        "3\n00:00:06,100 --> 00:00:09,000\n[Speaker 1] Shall we start with your garden?\n\n"
        "4\n00:00:09,100 --> 00:00:11,000\n[Music]\n",
        encoding="utf-8",
    )
    parsed = parse_file(path)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Speaker 1", "Welcome, and thanks for joining me."),
        ("Speaker 2", "Thanks for having me."),
        ("Speaker 1", "Shall we start with your garden? [Music]"),
    ]


def test_youtube_scrolling_captions_are_read_once():
    parsed = parse_file(SAMPLES / "youtube_auto.vtt")
    assert [(t.timestamp, t.text) for t in parsed.turns] == [
        (0.48, "welcome back to the allotment today we're turning the compost and checking on the leeks"),
        (11.2, "[Music] so first the fork"),
    ]
    assert not any("without a cue timing" in w for w in parsed.warnings)


def test_captions_that_repeat_a_line_only_once_keep_it(tmp_path):
    """Not scrolling captions: a speaker who says the same thing twice keeps both."""
    path = tmp_path / "short.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>No.\n\n00:00:02.500 --> 00:00:03.000\n<v Ana>No.\n\n"
        "00:00:04.000 --> 00:00:06.000\n<v Ben>Are you sure?\n\n00:00:06.500 --> 00:00:09.000\n<v Ana>Quite sure.\n",
        encoding="utf-8",
    )
    assert [t.text for t in parse_file(path).turns] == ["No. No.", "Are you sure?", "Quite sure."]


def test_google_meet_captions_name_the_speaker_in_parentheses():
    """Meet starts each cue with "(Name)" and parts a second speaker in one cue with "-" and a
    blank line."""
    parsed = parse_file(SAMPLES / "meet_captions.vtt")
    assert [(t.speaker, t.timestamp, t.text) for t in parsed.turns] == [
        (
            "Priya Natarajan",
            2.0,
            "Okay, I've started the recording. So first, how long have you been on the tenants' committee?",
        ),
        (
            "Alan Birch",
            6.0,
            "Oh, since about 2015, I think. Maybe 2016. It was after the fire in Block C, anyway. (laughs) "
            "Everyone joined after that.",
        ),
        ("Priya Natarajan", 19.0, "What changed after the fire?"),
    ]
    assert parsed.warnings == []


def test_a_parenthesis_opening_a_few_cues_is_no_speaker(tmp_path):
    path = tmp_path / "film.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\n(Door Slams)\nWho's there?\n\n"
        "2\n00:00:03,500 --> 00:00:05,000\nOnly me.\n\n3\n00:00:06,000 --> 00:00:08,000\nYou're late.\n",
        encoding="utf-8",
    )
    assert [t.text for t in parse_file(path).turns] == ["(Door Slams) Who's there? Only me. You're late."]


def test_atrain_speaker_blocks_take_the_time_of_their_first_line():
    parsed = parse_file(SAMPLES / "atrain_timestamps.txt")
    assert turns_of(parsed) == [("SPEAKER_00", 0.0), ("SPEAKER_01", 7.0), ("SPEAKER_00", 21.0), ("SPEAKER_01", 24.0)]
    assert parsed.turns[1].text == (
        "It was my mother's originally.\nShe had it from about 1998, until her knees gave out."
    )
    assert parsed.preamble == "Transcription for 240312-allotme"


# --- transcription software and hand-typed transcripts ---------------------------------------


def test_f4_time_marks_at_paragraph_ends_date_the_next_turn():
    parsed = parse_file(SAMPLES / "f4_interview.txt")
    assert turns_of(parsed) == [("I", None), ("B", 7.4), ("I", 24.9), ("B", 28.1), ("I", 44.0), ("B", 46.3)]
    assert parsed.turns[3].text == (
        "Strange. Like wearing somebody else's coat. The shed still smelled of her tobacco.\n"
        "Some of the neighbours didn't speak to me for a whole season."
    )
    assert not any("#" in t.text for t in parsed.turns)
    assert guess_interviewer(parsed.turns) == "I"


def test_maxqda_time_marks_before_the_label():
    parsed = parse_file(SAMPLES / "maxqda_timestamps.txt")
    assert turns_of(parsed) == [("I", 0.0), ("B", 7.4), ("I", 24.9), ("B", 28.1)]
    assert parsed.turns[0].text.startswith("Thank you for taking the time.")


def test_otranscribe_minutes_and_seconds_before_labels():
    parsed = parse_file(SAMPLES / "otranscribe_export.txt")
    assert turns_of(parsed) == [
        ("Interviewer", 4.0),
        ("Deb", 9.0),
        ("Interviewer", 31.0),
        ("Deb", 35.0),
        ("Interviewer", 72.0),
        ("Deb", 76.0),
    ]
    # a note is not a speaker, and a time inside the words stays in them
    assert parsed.turns[1].text.endswith("never left.\nNote: recording level drops here, some words lost.")
    assert "We meet at 10:30 for a brew" in parsed.turns[3].text


def test_nvivo_table_with_timespans():
    parsed = parse_file(SAMPLES / "nvivo_timespan.docx")
    assert turns_of(parsed) == [
        ("Interviewer", 0.0),
        ("Gwen", 12.4),
        ("Interviewer", 40.9),
        ("Gwen", 45.0),
        ("Interviewer", 3725.5),
    ]
    assert parsed.turns[1].text == "Chaos, honestly. Bindweed everywhere, and the shed roof fell in at Easter."


def test_archive_interview_details_block_and_closing_line():
    """The details at the top ("Interviewee: female, 71", "Interviewer: RW") look like labelled
    lines but are no turns; "END OF INTERVIEW" is not something the participant said."""
    parsed = parse_file(SAMPLES / "archive_interview.txt")
    assert [t.speaker for t in parsed.turns] == ["INT", "RESP"] * 3
    assert parsed.preamble is not None
    assert "Interviewee: female, 71, retired primary teacher\nInterviewer: RW" in parsed.preamble
    assert parsed.turns[-1].text == "And I thought, well, I can do this."
    assert guess_interviewer(parsed.turns) == "INT"


def test_page_headers_of_a_copied_paginated_transcript_are_left_out():
    parsed = parse_file(SAMPLES / "paginated_copy.txt")
    assert [t.speaker for t in parsed.turns] == ["Marcus Lee", "Jo Ferreira"] * 3
    assert parsed.turns[3].text == (
        "Quieter. There was a youth club where the car park is now. The kids had somewhere to be."
    )
    assert parsed.turns[3].timestamp == 15.0
    assert "left out 3 page header or page number lines between turns" in parsed.warnings
    assert parsed.preamble.startswith("Tenants' Voices - Interview 6")


def test_labels_followed_by_a_dash(tmp_path):
    path = tmp_path / "dashes.txt"
    path.write_text(
        "Allotments - interview 4\n\n"
        "Interviewer – So how did you first get the plot?\nGwen – Through my mum. She had it first.\n"
        "Interviewer – And how was that?\nGwen – Strange - honestly strange.\n",
        encoding="utf-8",
    )
    parsed = parse_file(path)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Interviewer", "So how did you first get the plot?"),
        ("Gwen", "Through my mum. She had it first."),
        ("Interviewer", "And how was that?"),
        ("Gwen", "Strange - honestly strange."),
    ]
    assert parsed.preamble == "Allotments - interview 4"


def test_a_dash_once_is_prose(tmp_path):
    path = tmp_path / "P1.txt"
    path.write_text(
        "Interviewer: What happened?\nP1: Then - well, we moved.\nI - I never went back.\n", encoding="utf-8"
    )
    parsed = parse_file(path)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Interviewer", "What happened?"),
        ("P1", "Then - well, we moved.\nI - I never went back."),
    ]


# --- the pieces -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "label", "rest", "timestamp"),
    [
        ("[SPEAKER_00]: Right, we're recording.", "SPEAKER_00", "Right, we're recording.", None),
        ("[Speaker 2] Thanks for having me.", "Speaker 2", "Thanks for having me.", None),
        ("02:13 Deb: The people.", "Deb", "The people.", 133.0),
        ("#00:01:23-4# B: Strange.", "B", "Strange.", 83.4),
        ("Gwen – Through my mum.", "Gwen", "Through my mum.", None),
    ],
)
def test_split_label_in_the_wild(line, label, rest, timestamp):
    candidate = split_label(SourceLine(line))
    assert candidate is not None
    assert (candidate.label, candidate.rest, candidate.timestamp) == (label, rest, timestamp)


@pytest.mark.parametrize("line", ["[inaudible] and then we left", "[Music]", "10:30 we met at the gate"])
def test_no_label_in_the_wild(line):
    assert split_label(SourceLine(line)) is None


def test_a_question_is_a_turn_that_ends_by_asking():
    def conversation(*pairs):
        return [ParsedTurn(speaker, text, None) for speaker, text in pairs]

    # statements that open like questions ("When I was ...", "What I mean is ...") ask nothing
    talk = conversation(
        ("Ola", "Tell me about the garden"),
        ("Kit", "When I was small we had one. What I mean is, it was my gran's."),
        ("Ola", "How did that shape you"),
        ("Kit", "How it works is you just learn by watching, don't you?"),
    )
    assert guess_interviewer(talk) == "Ola"


def test_utf8_file_with_a_few_windows_1252_bytes_keeps_its_accents(tmp_path):
    """A quote pasted from Word into a UTF-8 file: only those bytes are read as cp1252."""
    path = tmp_path / "P4.txt"
    path.write_bytes(
        "Interviewer: Was the café busy?\nP4: Oh, très busy — ".encode() + b"\x93standing room only\x94" + b".\n"
    )
    parsed = parse_file(path)
    assert parsed.encoding == "utf-8+cp1252"
    assert [t.text for t in parsed.turns] == ["Was the café busy?", "Oh, très busy — “standing room only”."]
    assert parsed.warnings[0].startswith("read as UTF-8, but some bytes were not UTF-8 and were read as Windows-1252")


def test_a_windows_1252_file_is_still_read_as_one(tmp_path):
    path = tmp_path / "P5.txt"
    path.write_bytes("Interviewer: Où?\nP5: À la gare — “Chez Hélène”.\n".encode("cp1252"))
    parsed = parse_file(path)
    assert parsed.encoding == "cp1252"
    assert parsed.turns[1].text == "À la gare — “Chez Hélène”."


def test_asides_that_end_an_answer_are_not_questions():
    """ "Do you know what I mean", "Does that make sense?": the participant is not asking."""
    talk = [
        ParsedTurn("Ola", "Tell me about the garden", None),
        ParsedTurn("Kit", "It was my gran's first. Do you know what I mean", None),
        ParsedTurn("Ola", "Right, so it was hers first.", None),
        ParsedTurn("Kit", "She loved it, every inch of it. Does that make sense?", None),
        ParsedTurn("Ola", "I see. That must have been hard.", None),
        ParsedTurn("Kit", "We went up every Sunday after church.", None),
    ]
    assert guess_interviewer(talk) == "Ola"
