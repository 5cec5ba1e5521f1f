"""WebVTT and SubRip captions: voice tags, prefixes, merging cues, timestamps, odd files."""

from __future__ import annotations

import pytest
from helpers import SAMPLES, speakers, write_sample

from qualcode.errors import ImportFormatError
from qualcode.text.importers import detect_format, parse_file


def test_teams_vtt_voice_tags_and_merged_cues():
    parsed = parse_file(SAMPLES / "teams_meeting.vtt")
    assert parsed.format == "vtt"
    assert speakers(parsed) == ["Dr Amara Nwosu", "Tomás García"] * 5
    # two cues of one speaker become one turn, joined by a space, timed by the first cue;
    # &amp; is decoded
    assert parsed.turns[1].text == "Yes, perfectly. I’m in the staff room & it’s, um, surprisingly quiet for once."
    assert parsed.turns[1].timestamp == 8.01
    # a cue's two lines are one line of text
    assert parsed.turns[2].text == (
        "Good. So, as the information sheet said, I’m interested in how new teachers experience their first "
        "observation. What was yours like?"
    )
    assert parsed.turns[7].text == (
        "Honestly? That I was nearly good enough. Which is how I feel most days, to be fair. "
        "My mentor says everyone feels like that for the first five years. I’m in year two."
    )
    assert parsed.turns[7].timestamp == 47.0
    assert parsed.preamble is None and parsed.warnings == []


def test_vtt_tags_hourless_times_and_an_untagged_cue_continuing_the_speaker():
    parsed = parse_file(SAMPLES / "teams_meeting.vtt")
    observation = parsed.turns[3]
    # <v.loud ...>, <i>, <c.highlight> removed; "00:24.500" has no hours; the next cue has no voice tag
    assert observation.speaker == "Tomás García"
    assert observation.timestamp == 24.5
    assert observation.text == (
        "Terrifying. Genuinely terrifying. I didn’t sleep the night before. The observer sat at the back with "
        "a laptop and I could hear her typing — every time a kid misbehaved, tap tap tap."
    )


def test_a_cue_with_two_voices_gives_two_turns_at_the_cue_time():
    parsed = parse_file(SAMPLES / "teams_meeting.vtt")
    assert [(t.speaker, t.timestamp, t.text) for t in parsed.turns[4:6]] == [
        ("Dr Amara Nwosu", 39.0, "Mm-hm."),
        ("Tomás García", 39.0, "And afterwards she said it was “good with elements of outstanding” 🙄"),
    ]


def test_zoom_vtt_name_prefixes():
    parsed = parse_file(SAMPLES / "zoom_recording.vtt")
    assert speakers(parsed) == ["Priya Shah", "Owen Hughes"] * 3
    assert [t.timestamp for t in parsed.turns] == [1.5, 7.04, 31.0, 35.1, 42.3, 48.6]
    # cues without a prefix continue Owen; "The reason was this:" and "Note:" are not speakers
    assert parsed.turns[1].text == (
        "Sure. I’m a paramedic — eleven years now — based out of Cardiff. Before that I was, uh, a lifeguard, "
        "believe it or not, which sounds unrelated but honestly isn’t. The reason was this: you learn to scan "
        "a crowd for the one person who’s in trouble."
    )
    assert parsed.turns[3].text == "Every shift. Note: that’s not me being modest — it’s just the job."
    assert parsed.turns[5].text == (
        "Last week, a festival in Bute Park. Thousands of people, and one lad sitting very still by the fence. "
        "Everyone else was moving. He wasn’t. Turned out he’d taken something and was about to have a seizure. "
        "We got to him in time. That’s the lifeguard bit."
    )


def test_zoom_names_with_pronouns_and_device_names(tmp_path):
    text = (
        "WEBVTT\n\n"
        "1\n00:00:01.000 --> 00:00:02.000\nSam Reid (he/him): Can you hear me?\n\n"
        "2\n00:00:02.500 --> 00:00:03.000\niPhone de Marie: Oui — yes.\n\n"
        "3\n00:00:03.500 --> 00:00:04.000\nSam Reid (he/him): Great.\n\n"
        "4\n00:00:04.500 --> 00:00:05.000\niPhone de Marie: Sorry, I’m on my phone.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "zoom.vtt", text))
    assert speakers(parsed) == ["Sam Reid (he/him)", "iPhone de Marie"] * 2
    assert parsed.turns[1].text == "Oui — yes."


def test_srt_with_uppercase_prefixes_tags_and_position_codes():
    parsed = parse_file(SAMPLES / "allotment_interview.srt")
    assert parsed.format == "srt"
    assert speakers(parsed) == ["INTERVIEWER", "LEILA"] * 3
    assert [t.timestamp for t in parsed.turns] == [0.94, 4.8, 16.2, 20.4, 34.5, 38.6]
    assert parsed.turns[1].text == (
        "My GP, if you can believe it. She said, “get your hands dirty.” Literally those words. I thought she "
        "was joking, but — no."
    )
    assert parsed.turns[2].text == "And was she right?"  # {\an8} removed
    assert parsed.turns[3].text == (
        "Annoyingly, yes. [laughs] I’ve got courgettes coming out of my ears. 🥒 And the people. That’s the bit "
        "nobody tells you about — the café at the gate, the tea, the gossip."
    )
    assert parsed.turns[5].text == (
        "Most days. Not when it’s raining sideways. My plot neighbour, Mr Okafor, goes in all weathers — "
        "he’s eighty-one and he says the day he stops going is the day he stops, full stop."
    )


def test_srt_without_speakers_breaks_turns_at_pauses():
    parsed = parse_file(SAMPLES / "lecture_no_speakers.srt")
    # cues end at 10.2 and start again at 14.0; end at 19.9, start at 25.0
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [(None, 1.0), (None, 14.0), (None, 25.0)]
    assert parsed.turns[0].text == (
        "Welcome back, everyone. Today we’re going to look at reflexive thematic analysis, and in particular "
        "what “reflexive” actually means in practice."
    )
    # "Let’s start with a question:" is not a speaker label
    assert parsed.turns[1].text == "Let’s start with a question: who here has coded an interview transcript before?"
    assert parsed.warnings == ["no speakers in the captions: turns break at pauses and sentence ends"]


def test_vtt_with_utf8_byte_order_mark():
    parsed = parse_file(SAMPLES / "p6_bom.vtt")
    assert parsed.encoding == "utf-8-sig"
    assert parsed.warnings == ["read as UTF-8 with a byte-order mark, not plain UTF-8"]
    assert [(t.speaker, t.timestamp, t.text) for t in parsed.turns] == [
        ("Interviewer", 1.0, "Shall we begin?"),
        ("P6", 4.0, "Yes. I’m ready — nervous, but ready. 😬"),
    ]


def test_srt_missing_blank_lines_between_cues(tmp_path):
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\nJane: Did it help?\n"
        "2\n00:00:03,500 --> 00:00:06,000\nOmar: A bit.\n"
        "3\n00:00:06,000 --> 00:00:08,000\nJane: Only a bit?\n"
        "4\n00:00:08,500 --> 00:00:09,000\nOmar: Yes.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "tight.srt", text))
    assert [(t.speaker, t.timestamp, t.text) for t in parsed.turns] == [
        ("Jane", 1.0, "Did it help?"),
        ("Omar", 3.5, "A bit."),
        ("Jane", 6.0, "Only a bit?"),
        ("Omar", 8.5, "Yes."),
    ]


def test_srt_text_split_by_a_blank_line_joins_its_cue(tmp_path):
    text = (
        "1\n00:00:01,000 --> 00:00:04,000\n>> MARIA: It was the winter of 2010.\n\nEverything froze.\n\n"
        "2\n00:00:05,000 --> 00:00:06,000\n>> DEV: Everything?\n\n"
        "3\n00:00:06,500 --> 00:00:07,000\n>> MARIA: Everything.\n\n"
        "4\n00:00:07,500 --> 00:00:08,000\n>> DEV: Wow.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "broadcast.srt", text))
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("MARIA", "It was the winter of 2010. Everything froze."),
        ("DEV", "Everything?"),
        ("MARIA", "Everything."),
        ("DEV", "Wow."),
    ]
    assert parsed.warnings == ["1 block of text without a cue timing was added to the cue before them"]


def test_vtt_without_header_and_with_hours_over_ninety_nine_minutes(tmp_path):
    text = "01:40:00.000 --> 01:40:02.000\n<v Ruth>Still here.</v>\n\n01:40:03.000 --> 01:40:04.000\n<v Sol>Good.</v>\n"
    parsed = parse_file(write_sample(tmp_path, "late.vtt", text))
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [("Ruth", 6000.0), ("Sol", 6003.0)]
    assert parsed.warnings == ["no WEBVTT header line; read as WebVTT anyway"]


def test_vtt_without_cues_is_an_error(tmp_path):
    path = write_sample(tmp_path, "empty.vtt", "WEBVTT\n\nNOTE nothing was said\n")
    with pytest.raises(ImportFormatError) as error:
        parse_file(path)
    assert str(error.value) == (
        f"{path}: no caption cues found (expected timing lines like '00:00:01.000 --> 00:00:04.000')"
    )


def test_cues_with_only_tags_are_an_error(tmp_path):
    path = write_sample(tmp_path, "tags.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann></v>\n")
    with pytest.raises(ImportFormatError, match=r"tags\.vtt: the caption cues contain no text$"):
        parse_file(path)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("captions.txt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n", "vtt"),
        ("captions.txt", "1\n00:00:01,000 --> 00:00:02,000\nHi.\n", "srt"),
        ("captions", "1\n00:00:01,000 --> 00:00:02,000\nHi.\n", "srt"),
        ("cues.vtt", "00:01.000 --> 00:02.000\nHi.\n", "vtt"),
    ],
)
def test_detect_caption_formats_by_content_and_extension(tmp_path, name, content, expected):
    assert detect_format(write_sample(tmp_path, name, content)) == expected


@pytest.mark.parametrize(("name", "expected"), [("teams_meeting.vtt", "vtt"), ("allotment_interview.srt", "srt")])
def test_detect_format_of_caption_samples(name, expected):
    assert detect_format(SAMPLES / name) == expected
