"""Caption files as tools write them: Zoom cloud recordings with display names as people typed
them, podcast captions naming a speaker once where the speaker changes, Teams captions saved as
.txt, diarised captions with an unknown speaker, auto-captions without speakers or punctuation, and
files with broken cue times or voice tags left open. The samples follow each tool's layout, with
words of our own."""

from __future__ import annotations

from itertools import pairwise

import pytest
from helpers import SAMPLES, speakers, write_sample, youtube_auto_captions

from qualcode.errors import ImportFormatError
from qualcode.text.importers import parse_file
from qualcode.text.importers.speakers import caption_label_kind, interviewer_guess


def spoken(parsed):
    return [(t.speaker, t.timestamp, t.text) for t in parsed.turns]


# --- a speaker named in the cue text -------------------------------------------------------------


def test_zoom_cloud_recording_names_as_people_typed_them():
    """Lower-case handles, "|" and parentheses in names, a speaker who speaks once."""
    parsed = parse_file(SAMPLES / "zoom_cloud_handles.vtt")
    assert parsed.format == "vtt"
    assert speakers(parsed) == [
        "jdoe42",
        "Maria | Acme",
        "Sam Okafor (Ops)",
        "jdoe42",
        "Maria | Acme",
        "Priti Rao",
        "jdoe42",
        "Sam Okafor (Ops)",
    ]
    assert [t.timestamp for t in parsed.turns] == [0.83, 5.4, 7.9, 14.01, 27.6, 42.3, 47.8, 54.1]
    # a cue opening with a clause and a colon is not a speaker: it continues jdoe42's turn
    assert parsed.turns[3].text == (
        "No problem. So the first thing I wanted to ask about is the rota change in March. "
        "The plan was this: fewer night shifts, but longer ones. How did that land with your team?"
    )
    # two cues of one speaker are one turn; "&amp;" is decoded; no label is left in the text
    assert parsed.turns[4].text == (
        "Honestly? Badly at first. People had childcare sorted around the old pattern & nobody asked them. "
        "It's better now. We swapped a few shifts around between ourselves."
    )
    assert parsed.turns[5].text == "Can I jump in? I joined late, sorry. Same for us in the Leeds depot."
    assert not any(":" in t.text.split(" ")[0] for t in parsed.turns)
    assert interviewer_guess(parsed.turns)[0] == "jdoe42"


def test_podcast_captions_name_the_speaker_once_where_the_speaker_changes():
    parsed = parse_file(SAMPLES / "podcast_host.srt")
    assert spoken(parsed) == [
        (
            "Ines",
            0.0,
            "Welcome back to Small Holdings, the show about growing food in tight spaces. My guest today keeps "
            "bees on a fourth-floor balcony. My question is: how?",
        ),
        (
            "Tomasz",
            10.3,
            "Carefully. And with very understanding neighbours. The first summer I had two hives and no idea "
            "what I was doing. Things improved: slowly, but they did.",
        ),
        ("Ines", 20.6, "And the neighbours really don't mind?"),
    ]


def test_a_lower_case_handle_speaking_once_in_a_labelled_file(tmp_path):
    text = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nRuth Bell: Can you hear me?\n\n"
        "2\n00:00:03.500 --> 00:00:05.000\nmarcus: Yes, loud and clear.\n\n"
        "3\n00:00:05.500 --> 00:00:08.000\nRuth Bell: Great, let's begin.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "zoom.vtt", text))
    assert spoken(parsed) == [
        ("Ruth Bell", 1.0, "Can you hear me?"),
        ("marcus", 3.5, "Yes, loud and clear."),
        ("Ruth Bell", 5.5, "Great, let's begin."),
    ]


def test_display_names_with_emoji(tmp_path):
    text = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nRuth Bell: Are you settled?\n\n"
        "2\n00:00:03.500 --> 00:00:05.000\nMaria 🌻: Yes, with a cup of tea.\n\n"
        "3\n00:00:05.500 --> 00:00:08.000\nRuth Bell: Lovely.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "zoom.vtt", text))
    assert spoken(parsed)[1] == ("Maria 🌻", 3.5, "Yes, with a cup of tea.")


def test_a_long_talk_by_one_speaker_is_one_turn_in_paragraphs(tmp_path):
    cues = "".join(
        f"{n}\n00:{n // 12:02d}:{n % 12 * 5:02d}.000 --> 00:{n // 12:02d}:{n % 12 * 5 + 4:02d}.900\n"
        f"{'Dr Ama Owusu: ' if n == 1 else ''}Plot {n} was let in nineteen eighteen to a family back from the war.\n\n"
        for n in range(1, 61)
    )
    parsed = parse_file(write_sample(tmp_path, "talk.vtt", "WEBVTT\n\n" + cues))
    (turn,) = parsed.turns
    assert turn.speaker == "Dr Ama Owusu" and turn.timestamp == 5.0
    paragraphs = turn.text.split("\n")
    assert len(paragraphs) >= 10 and all(len(p.split()) <= 160 for p in paragraphs)
    assert len(turn.text.split()) == 60 * 14


def test_sounds_in_brackets_opening_cues_are_no_speakers(tmp_path):
    text = "".join(
        f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\n{line}\n\n"
        for n, line in enumerate(["[Foreign]", "so we start here", "[BLANK_AUDIO]", "[Foreign]", "and end here"], 1)
    )
    parsed = parse_file(write_sample(tmp_path, "sounds.srt", text))
    assert speakers(parsed) == [None]
    assert parsed.turns[0].text == "[Foreign] so we start here [BLANK_AUDIO] [Foreign] and end here"


def test_a_lower_case_word_before_a_colon_in_unlabelled_captions_stays_text(tmp_path):
    text = (
        "1\n00:00:01,000 --> 00:00:04,000\nand the bottom line was\n\n"
        "2\n00:00:04,000 --> 00:00:07,000\nbasically: nobody had asked them\n\n"
        "3\n00:00:07,000 --> 00:00:09,000\nso we started asking\n"
    )
    parsed = parse_file(write_sample(tmp_path, "whisper.srt", text))
    assert speakers(parsed) == [None]
    assert parsed.turns[0].text == "and the bottom line was basically: nobody had asked them so we started asking"


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("jdoe42", "name"),
        ("Maria | Acme", "name"),
        ("Sam Okafor (Ops)", "name"),
        ("Dr. Aoife Byrne-Walsh (she/her) | Northfield University", "name"),
        ("SPEAKER_01", "name"),
        ("UNKNOWN", "name"),
        ("marcus", "maybe"),
        ("The reason was this", None),
        ("what I mean is", None),
        ("10.30", None),
        ("https://example.org/form", None),
        ("Note", None),
        ("Chapter Two", None),
        ("BLANK_AUDIO", None),
    ],
)
def test_what_counts_as_a_name_opening_a_caption_cue(label, kind):
    assert caption_label_kind(label) == kind


def test_teams_captions_saved_as_txt_are_read_as_captions():
    parsed = parse_file(SAMPLES / "teams_captions_copy.txt")
    assert parsed.format == "vtt"
    assert spoken(parsed) == [
        ("Hollis, Dana", 1.12, "Thanks for making time. Shall we start with how the new intake process works?"),
        (
            "Ferreira, Joana (Guest)",
            6.44,
            "Sure. It's mostly online now, which suits some families and really doesn't suit others. "
            'The form asks for a "primary carer", and a lot of our families share that.',
        ),
        ("Hollis, Dana", 16.3, "What happens when they can't choose one?"),
    ]


def test_an_unknown_speaker_in_whisperx_captions(tmp_path):
    text = (
        "1\n00:00:00,100 --> 00:00:02,000\n[SPEAKER_00]: Shall we start?\n\n"
        "2\n00:00:02,300 --> 00:00:03,000\n[UNKNOWN]: Okay.\n\n"
        "3\n00:00:03,200 --> 00:00:06,000\n[SPEAKER_01]: Yes, go on.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "wx.srt", text))
    assert spoken(parsed) == [
        ("SPEAKER_00", 0.1, "Shall we start?"),
        ("UNKNOWN", 2.3, "Okay."),
        ("SPEAKER_01", 3.2, "Yes, go on."),
    ]


# --- captions without speakers -------------------------------------------------------------------


def test_two_hours_of_auto_captions_become_paragraphs_each_with_its_time(tmp_path):
    cues = 2660  # two hours at 2.7 s a cue, 21,280 words
    parsed = parse_file(write_sample(tmp_path, "talk.vtt", youtube_auto_captions(cues)))
    words = [len(t.text.split()) for t in parsed.turns]
    assert sum(words) == cues * 8  # every word once: the rolling repeats are gone
    assert len(parsed.turns) > 100 and max(words) <= 160
    times = [t.timestamp for t in parsed.turns]
    assert times[0] == 0.0 and all(b > a for a, b in pairwise(times))
    assert parsed.turns[0].text.startswith("so the next bed along is where we put the early potatoes")


def test_whisper_captions_without_speakers_break_at_sentence_ends(tmp_path):
    """Whisper's segments follow on without a gap, each a sentence or two."""
    text = "".join(
        f"{n + 1}\n00:{n // 12:02d}:{n % 12 * 5:02d},000 --> 00:{n // 12:02d}:{n % 12 * 5 + 4:02d},990\n"
        f"At stop {n + 1} we walked along the towpath to the lock, and back along the road past the mill.\n\n"
        for n in range(24)
    )
    parsed = parse_file(write_sample(tmp_path, "walk.srt", text))
    assert len(parsed.turns) > 3
    assert all(t.text.endswith(".") and t.timestamp is not None for t in parsed.turns)
    assert parse_file(SAMPLES / "whisper_no_speakers.srt").turns[0].timestamp == 0.0


# --- bad input -----------------------------------------------------------------------------------


def test_a_caption_file_with_some_broken_cue_times_keeps_their_words(tmp_path):
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\nAmir: Where shall we start?\n\n"
        "2\n00:00:0x,000 --> 00:00:05,500\nBeth: At the beginning, I suppose.\n\n"
        "3\n00:00:06,000 -> 00:00:08,000\nShe laughed.\n\n"
        "4\n00:00:09,000 --> 00:00:11,000\nAmir: Go on then.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "broken.srt", text))
    assert [(t.speaker, t.timestamp, t.text) for t in parsed.turns] == [
        ("Amir", 1.0, "Where shall we start?"),
        ("Beth", None, "At the beginning, I suppose. She laughed."),
        ("Amir", 9.0, "Go on then."),
    ]
    assert parsed.warnings == [
        "2 cue timing lines could not be read (like '00:00:0x,000 --> 00:00:05,500'); "
        "their words are kept, without a time",
    ]


def test_a_caption_file_whose_every_cue_time_is_broken_keeps_its_words(tmp_path):
    path = write_sample(tmp_path, "all_broken.vtt", "WEBVTT\n\n00:01.x --> 00:02.y\nHello.\n\n00:0z --> 00:04\nBye.\n")
    parsed = parse_file(path)
    assert [(t.timestamp, t.text) for t in parsed.turns] == [(None, "Hello. Bye.")]
    assert parsed.warnings[0].startswith("2 cue timing lines could not be read (like '00:01.x --> 00:02.y')")


def test_a_caption_file_without_any_cue_is_refused_in_one_line(tmp_path):
    path = write_sample(tmp_path, "notes.srt", "These are my notes on the session.\nNo times here.\n")
    with pytest.raises(ImportFormatError) as error:
        parse_file(path)
    assert str(error.value) == (
        f"{path}: no caption cues found (expected timing lines like '00:00:01.000 --> 00:00:04.000')"
    )


def test_a_voice_tag_left_open(tmp_path):
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Nia Clarke>How was the first week?\n\n"
        "00:00:03.500 --> 00:00:06.000\n<v Tom Reyes\nLong. But good.\n\n"
        "00:00:06.500 --> 00:00:09.000\n<v Nia Clarke so you would do it again\n"
    )
    parsed = parse_file(write_sample(tmp_path, "open.vtt", text))
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Nia Clarke", "How was the first week?"),
        ("Tom Reyes", "Long. But good. Nia Clarke so you would do it again"),
    ]
    assert parsed.warnings == [
        "1 voice tag has no closing '>' (like '<v Jane Doe Hello'); the words after them are read as text"
    ]
