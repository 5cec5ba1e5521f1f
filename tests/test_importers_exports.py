"""Otter, Zoom and Teams exports: a header line per turn, preambles, merged blocks, times."""

from __future__ import annotations

import pytest
from helpers import SAMPLES, speakers

from qualcode.errors import ImportFormatError
from qualcode.text.importers import detect_format, parse_file


def test_otter_txt_speakers_times_and_merged_blocks():
    parsed = parse_file(SAMPLES / "otter_export.txt")
    assert parsed.format == "otter"
    assert speakers(parsed) == ["Jane Doe", "Speaker 1"] * 3
    # "0:00", "0:09" (merged with the "0:41" block), "1:02", "1:06", "1:02:13", "1:02:20"
    assert [t.timestamp for t in parsed.turns] == [0.0, 9.0, 62.0, 66.0, 3733.0, 3740.0]
    assert parsed.turns[1].text == (
        "Yeah, of course. So, um, I came in as a volunteer myself, actually, back in 2017. My neighbour was "
        "doing Saturday mornings and she just, she dragged me along, basically. And I stayed.\n"
        "And then when the coordinator left, in, what, 2019, nobody else wanted the job, so — yeah. "
        "Here I am. Five years later. Note: I'm still technically part-time."
    )


def test_otter_preamble_sections_are_kept_apart_and_the_footer_dropped():
    parsed = parse_file(SAMPLES / "otter_export.txt")
    preamble = parsed.preamble
    assert preamble is not None
    assert preamble.startswith("Summary\nJane Doe interviews Speaker 1, a volunteer coordinator,")
    assert "Keywords:\nvolunteers, burnout, funding cut, buddy scheme, food bank, café" in preamble
    assert "Outline\nVolunteer recruitment and retention" in preamble
    assert preamble.endswith("Action Items\n[ ] Jane Doe to send the consent form to Speaker 1.\n"
                             "[ ] Follow up on the buddy scheme evaluation.")  # fmt: skip
    assert parsed.turns[-1].text.endswith("and that somebody is usually tired. 😅")
    assert not any("otter.ai" in t.text for t in parsed.turns)


def test_otter_docx_export():
    parsed = parse_file(SAMPLES / "otter_export.docx")
    assert parsed.format == "otter"
    assert parsed.encoding is None
    assert [(t.speaker, t.timestamp, t.text) for t in parsed.turns] == [
        ("Speaker 1", 0.0, "So the first question is just, how long have you worked here?"),
        ("Speaker 2", 5.0, "Oh, gosh. Twenty-two years in March."),
        ("Speaker 1", 9.0, "And has it changed much?"),
    ]


def test_otter_export_without_speaker_names(tmp_path):
    path = tmp_path / "otter_times.txt"
    path.write_text(
        "0:00  \nWhen I was a kid, apples were, um, not great. Mealy.\n\n"
        "0:15  \nIt was a bad time to be an apple grower, too.\n\n"
        "1:02:13\nThanks for listening.\n\n"
        "Transcribed by https://otter.ai\n",
        encoding="utf-8",
    )
    assert detect_format(path) == "otter"
    parsed = parse_file(path)
    assert [(t.speaker, t.timestamp, t.text) for t in parsed.turns] == [
        (None, 0.0, "When I was a kid, apples were, um, not great. Mealy."),
        (None, 15.0, "It was a bad time to be an apple grower, too."),
        (None, 3733.0, "Thanks for listening."),
    ]


def test_zero_padded_time_markers_in_a_labelled_transcript_are_not_otter_headers(tmp_path):
    path = tmp_path / "markers.txt"
    path.write_text(
        "00:05:00\nInterviewer: And after that?\nP2: We moved.\n00:10:00\nInterviewer: Where to?\nP2: Leeds.\n",
        encoding="utf-8",
    )
    assert detect_format(path) == "text"
    parsed = parse_file(path)
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Interviewer", 300.0),
        ("P2", None),
        ("Interviewer", 600.0),
        ("P2", None),
    ]


def test_zoom_saved_captions_clock_times_count_from_the_first_turn():
    parsed = parse_file(SAMPLES / "zoom_saved_captions.txt")
    assert parsed.format == "zoom"
    assert speakers(parsed) == ["Marta Lopez", "Sam Reid"] * 3
    # 14:02:11 is the start; 14:02:34 and 14:02:38 are one Sam Reid turn.
    assert [t.timestamp for t in parsed.turns] == [0.0, 4.0, 10.0, 23.0, 51.0, 53.0]
    assert parsed.turns[3].text == (
        "Honestly? The paperwork. Which sounds daft.\n"
        "But you train for the clinical stuff, the cardiac arrests and the RTCs, and nobody really prepares you "
        "for the ninety minutes of handover at A&E afterwards."
    )
    assert parsed.warnings == ["the times are times of day; turn timestamps count from the first turn"]


def test_zoom_live_transcript_time_name_lines():
    parsed = parse_file(SAMPLES / "zoom_live_transcript.txt")
    assert parsed.format == "zoom"
    assert speakers(parsed) == ["Marta Lopez", "Sam Reid"] * 3
    assert [t.timestamp for t in parsed.turns] == [5.0, 12.0, 31.0, 34.0, 51.0, 55.0]
    assert parsed.turns[3].text == (
        "Minutes. Sometimes seconds. The reason was this: the service cut two crews last winter, "
        "so the queue never really empties."
    )
    assert parsed.warnings == []


def test_teams_docx_headers_with_the_words_after_a_line_break():
    parsed = parse_file(SAMPLES / "teams_transcript.docx")
    assert parsed.format == "teams"
    assert speakers(parsed) == ["Rahul Mehta", "Okonkwo, Chidi (Guest)"] * 5
    # 0:58, then 1:04 and 1:41 as one turn, 2:05, 2:08, ... 1:02:40 and 1:02:47
    assert [t.timestamp for t in parsed.turns] == [3.0, 12.0, 29.0, 33.0, 58.0, 64.0, 125.0, 128.0, 3760.0, 3767.0]
    assert parsed.turns[1].text == (
        "Yeah, sure. I'm a night-shift care assistant in a nursing home, been there about four years.\n"
        "Before that I was, uh, I was at Amazon, in the warehouse."
    )
    # A header paragraph followed by a separate paragraph of words works too.
    assert parsed.turns[2].text == "What made you move into care?"
    assert parsed.turns[5].text.endswith(
        "There's two of us for thirty-eight residents.\nAnd if someone falls, that's one of us gone for an hour "
        "with them, waiting for the ambulance. So really it's one carer for thirty-eight."
    )


def test_teams_docx_preamble_and_transcription_notices():
    parsed = parse_file(SAMPLES / "teams_transcript.docx")
    assert parsed.preamble == "Interview P9-20240412_140233-Meeting Recording\nApril 12, 2024, 2:02PM\n42m 17s"
    assert parsed.turns[-1].text == "Just that nights are a different world. Nobody sees it."
    assert not any("transcription" in t.text for t in parsed.turns)


def test_older_teams_docx_with_cue_timings():
    parsed = parse_file(SAMPLES / "teams_legacy.docx")
    assert parsed.format == "teams"
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Doe, Jane", 0.0),
        ("Ibáñez, Lucía", 5.32),
        ("Doe, Jane", 16.0),
    ]
    assert parsed.turns[1].text == (
        "No problem. Happy to help, honestly.\nI’ve been wanting to talk to someone about the rota changes for ages."
    )


def test_teams_style_text_with_notices(tmp_path):
    path = tmp_path / "teams.txt"
    path.write_text(
        "Ana Costa started transcription\n\n"
        "Ana Costa   0:02\nRight, we're live.\n\n"
        "Ben Ito   0:05\nHi! Sorry, I was on mute.\n\n"
        "Ana Costa stopped transcription\n",
        encoding="utf-8",
    )
    assert detect_format(path) == "teams"
    parsed = parse_file(path)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Ana Costa", "Right, we're live."),
        ("Ben Ito", "Hi! Sorry, I was on mute."),
    ]
    assert parsed.preamble is None


def test_header_like_line_in_an_otter_outline_is_not_a_turn(tmp_path):
    path = tmp_path / "otter.txt"
    path.write_text(
        "Outline\nIntroductions  0:00\n\n"
        "Speaker 1  0:03\nShall we start?\n\n"
        "Speaker 2  0:06\nYes.\n\n"
        "Speaker 1  0:08\nGreat.\n",
        encoding="utf-8",
    )
    parsed = parse_file(path)
    assert parsed.preamble == "Outline\nIntroductions  0:00"
    assert speakers(parsed) == ["Speaker 1", "Speaker 2", "Speaker 1"]


def test_a_body_line_ending_in_a_time_is_not_a_header(tmp_path):
    path = tmp_path / "otter.txt"
    path.write_text(
        "Lena Park  0:00\nWhat time did the shift start?\n\n"
        "Tom Hale  0:04\nThe bus came at\nEight 7:45\nand we started at eight.\n\n"
        "Lena Park  0:10\nRight.\n",
        encoding="utf-8",
    )
    parsed = parse_file(path)
    assert speakers(parsed) == ["Lena Park", "Tom Hale", "Lena Park"]
    assert parsed.turns[1].text == "The bus came at\nEight 7:45\nand we started at eight."


def test_headers_with_the_time_in_brackets(tmp_path):
    path = tmp_path / "rev.txt"
    path.write_text(
        "Speaker 1 (00:13)\nThanks for coming in.\n\n"
        "Kofi Mensah (00:17)\nMy pleasure.\n\n"
        "Speaker 1 [01:02:03]\nThat’s all my questions.\n",
        encoding="utf-8",
    )
    parsed = parse_file(path)
    assert [(t.speaker, t.timestamp, t.text) for t in parsed.turns] == [
        ("Speaker 1", 13.0, "Thanks for coming in."),
        ("Kofi Mensah", 17.0, "My pleasure."),
        ("Speaker 1", 3723.0, "That’s all my questions."),
    ]


def test_am_pm_clock_headers(tmp_path):
    path = tmp_path / "copied.txt"
    path.write_text(
        "Nadia Rahman 10:58 AM\nMorning! Ready when you are.\n\n"
        "Leo Grant 10:59 AM\nMorning. Go ahead.\n\n"
        "Nadia Rahman 1:05 PM\nThanks, that was great.\n",
        encoding="utf-8",
    )
    parsed = parse_file(path)
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Nadia Rahman", 0.0),
        ("Leo Grant", 60.0),
        ("Nadia Rahman", 7620.0),  # 10:58 AM to 1:05 PM
    ]


def test_forcing_an_export_format_on_a_plain_transcript_is_a_clear_error(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Interviewer: Hello.\nP1: Hi.\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        parse_file(path, "otter")
    assert str(error.value) == (
        f"{path}: no Otter speaker headers found (lines like 'Jane Doe  0:13' followed by the words); try --format text"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("otter_export.txt", "otter"),
        ("otter_export.docx", "otter"),
        ("zoom_saved_captions.txt", "zoom"),
        ("zoom_live_transcript.txt", "zoom"),
        ("teams_transcript.docx", "teams"),
        ("teams_legacy.docx", "teams"),
    ],
)
def test_detect_format_of_exports(name, expected):
    assert detect_format(SAMPLES / name) == expected
