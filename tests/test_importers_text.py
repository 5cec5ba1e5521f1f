"""Plain-text and Markdown transcripts: labels, continuation lines, preambles, encodings."""

from __future__ import annotations

import pytest
from helpers import SAMPLES, speakers, write_sample

from qualcode.text.importers import detect_format, parse_file


def test_plain_text_with_interviewer_and_participant_labels():
    parsed = parse_file(SAMPLES / "p07_plain.txt")
    assert parsed.format == "text"
    assert parsed.encoding == "utf-8"
    assert speakers(parsed) == ["Interviewer", "P07"] * 4
    assert parsed.turns[2].text == "What was the shock, exactly?"
    assert all(turn.timestamp is None for turn in parsed.turns)


def test_lines_without_a_label_continue_the_turn_and_false_labels_stay_in_the_text():
    parsed = parse_file(SAMPLES / "p07_plain.txt")
    first_answer = parsed.turns[1].text
    assert first_answer.startswith("Um, yeah. So I trained in Lyon, actually — my mum is French —")
    assert "The reason was this: I wanted to see people in their own homes" in first_answer
    assert first_answer.endswith(
        "between the bed and the discharge lounge.\n"
        "And honestly? It was a shock. The first week I drove about four hundred miles and saw maybe twenty patients."
    )
    assert parsed.turns[3].text == (
        "The loneliness. Not mine — theirs. You walk into a flat and there’s a café calendar from 2019 "
        "still on the wall, and nobody’s turned the page.\n"
        "Note: she paused here for several seconds.\n"
        "Sorry. I think about Mrs B. a lot. She used to text me a 👍 after every visit, "
        "even though I’d told her she didn’t need to."
    )
    assert "Note" not in speakers(parsed) and "The reason was this" not in speakers(parsed)


def test_lines_before_the_first_label_are_the_preamble_with_a_warning():
    parsed = parse_file(SAMPLES / "p07_plain.txt")
    assert parsed.preamble == (
        "Interview P07 — community nurse, 14 March 2024\nTranscribed by R. Okafor (verbatim, light cleaning)"
    )
    assert parsed.warnings == ["2 lines before the first speaker label kept as the preamble, not as turns"]


def test_single_letter_labels_with_bracketed_timestamps():
    parsed = parse_file(SAMPLES / "r12_timestamps.txt")
    assert speakers(parsed) == ["I", "R"] * 4
    # [00:00:04], [00:00:11], [00:00:32], [00:00:36], a bare "[00:01:20]" line dating the next turn,
    # an undated "R:" line, then [00:02:02] and [00:02:05].
    assert [t.timestamp for t in parsed.turns] == [4.0, 11.0, 32.0, 36.0, 80.0, None, 122.0, 125.0]
    assert parsed.turns[4].text == "And how did you resolve it?"
    assert parsed.turns[3].text.split("\n")[1].startswith("Example: last Tuesday two volunteers argued")
    assert parsed.preamble is None and parsed.warnings == []


def test_question_and_answer_labels(tmp_path):
    path = write_sample(
        tmp_path, "qa.txt", "Q: Where did you grow up?\nA: Near Tromsø.\nQ: And then?\nA: Oslo, for university.\n"
    )
    parsed = parse_file(path)
    assert speakers(parsed) == ["Q", "A", "Q", "A"]
    assert parsed.turns[1].text == "Near Tromsø."


def test_recurring_initials_are_speakers_but_a_one_off_name_is_not(tmp_path):
    text = (
        "J: When did you start driving the bus?\n"
        "M: In 1987. My mother was furious.\n"
        "Mum: you'll get yourself killed, she said.\n"
        "J: Did she come round to it?\n"
        "M: Eventually.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "initials.txt", text))
    assert speakers(parsed) == ["J", "M", "J", "M"]
    assert parsed.turns[1].text == "In 1987. My mother was furious.\nMum: you'll get yourself killed, she said."


def test_label_with_a_timestamp_after_it_alone_on_its_line(tmp_path):
    text = "Speaker 1 (00:13):\nHello, thanks for coming in.\n\nSpeaker 2 (01:02):\nNo bother.\nHappy to.\n"
    parsed = parse_file(write_sample(tmp_path, "rev.txt", text))
    assert [(t.speaker, t.timestamp, t.text) for t in parsed.turns] == [
        ("Speaker 1", 13.0, "Hello, thanks for coming in."),
        ("Speaker 2", 62.0, "No bother.\nHappy to."),
    ]


def test_labels_alone_on_their_line_without_a_colon(tmp_path):
    text = (
        "INTERVIEWER\nHow did it start?\n\n"
        "PARTICIPANT\nSlowly.\nThen all at once.\n\n"
        "INTERVIEWER\nGo on.\n\nPAUSE\n\n"
        "PARTICIPANT\nThat’s it. That’s the whole story.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "screenplay.txt", text))
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("INTERVIEWER", "How did it start?"),
        ("PARTICIPANT", "Slowly.\nThen all at once."),
        ("INTERVIEWER", "Go on.\nPAUSE"),  # a transcription mark, not a speaker
        ("PARTICIPANT", "That’s it. That’s the whole story."),
    ]


def test_otter_export_without_timestamps(tmp_path):
    text = "Jane Doe\nWhere do you live now?\n\nSpeaker 1\nIn Hull.\n\nJane Doe\nSince when?\n\nSpeaker 1\n2016.\n"
    parsed = parse_file(write_sample(tmp_path, "otter_plain.txt", text))
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Jane Doe", "Where do you live now?"),
        ("Speaker 1", "In Hull."),
        ("Jane Doe", "Since when?"),
        ("Speaker 1", "2016."),
    ]


def test_time_written_after_the_colon(tmp_path):
    text = "Speaker 1: [00:00:05] Hello, can you hear me?\nSpeaker 2: [00:00:09] Yes, fine.\n"
    parsed = parse_file(write_sample(tmp_path, "sonix.txt", text))
    assert [(t.speaker, t.timestamp, t.text) for t in parsed.turns] == [
        ("Speaker 1", 5.0, "Hello, can you hear me?"),
        ("Speaker 2", 9.0, "Yes, fine."),
    ]


def test_a_label_with_no_words_after_it_is_dropped_with_a_warning(tmp_path):
    text = "Interviewer: Shall we start?\nP2:\nInterviewer: Are you still there?\nP2: Sorry, yes.\n"
    parsed = parse_file(write_sample(tmp_path, "gap.txt", text))
    assert speakers(parsed) == ["Interviewer", "Interviewer", "P2"]
    assert parsed.warnings == ["skipped 1 speaker label with no words after them (P2)"]


def test_text_without_speakers_is_one_turn_per_line(tmp_path):
    text = "We arrived late.\nThe room was already full.\n\nNobody looked up.\n"
    parsed = parse_file(write_sample(tmp_path, "notes.txt", text))
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        (None, "We arrived late."),
        (None, "The room was already full."),
        (None, "Nobody looked up."),
    ]
    assert parsed.warnings == ["no speaker labels found: each paragraph is a turn without a speaker"]


def test_hard_wrapped_text_without_speakers_is_one_turn_per_paragraph():
    parsed = parse_file(SAMPLES / "fieldnotes_wrapped.txt")
    assert len(parsed.turns) == 3
    assert all(turn.speaker is None for turn in parsed.turns)
    assert parsed.turns[2].text == (
        "Note to self: ask the coordinator whether anyone has ever tried to formalise\n"
        "this, and whether they would want it formalised at all."
    )


def test_markdown_bold_labels_headings_and_front_matter():
    parsed = parse_file(SAMPLES / "p3_interview.md")
    assert parsed.format == "markdown"
    assert speakers(parsed) == ["Interviewer", "P3"] * 4
    assert parsed.preamble == (
        "title: Interview with P3\n"
        "date: 2024-02-02\n"
        "interviewer: Dr Jane Smith\n"
        "Interview P3 — secondary teacher\n"
        "Recorded on Teams, audio only. Names changed."
    )
    assert parsed.warnings == [
        "1 line before the first speaker label kept as the preamble, not as turns",
        "skipped 1 heading between turns",
    ]


def test_markdown_emphasis_is_removed_from_the_words():
    parsed = parse_file(SAMPLES / "p3_interview.md")
    assert parsed.turns[1].text == (
        "Gosh — eleven years? Twelve in September. I started in a tiny village school near Évreux, "
        "on an exchange, and then came back to Leeds and, um, never left."
    )
    # "**Interviewer**: ..." (colon outside the bold) and "__P3:__" are labels too.
    assert parsed.turns[2].text == "And what keeps you in the profession?"
    assert parsed.turns[5].text.endswith("Question for you, actually: does anyone in your study say it got better?")
    assert parsed.turns[3].text.endswith(
        "That’s what you come back for.\nThe paperwork is not what I come back for. 🙃"
    )


def test_windows_1252_file_is_decoded_and_reported():
    parsed = parse_file(SAMPLES / "cafe_cp1252.txt")
    assert parsed.encoding == "cp1252"
    assert parsed.warnings == [
        "read as Windows-1252 (cp1252), not UTF-8: check that accented letters and quotes look right"
    ]
    assert speakers(parsed) == ["Interviewer", "Participant"] * 2
    assert parsed.turns[1].text == (
        "It’s a small place — twelve tables — near the gare in Roubaix. We call it “Chez Hélène”, after the founder."
    )


def test_utf16_file_with_byte_order_mark():
    parsed = parse_file(SAMPLES / "lockdown_utf16.txt")
    assert parsed.encoding == "utf-16"
    assert parsed.warnings == ["read as UTF-16, not plain UTF-8"]
    assert parsed.turns[1].text == "Strange. Quiet. I live alone, so — nothing, for days. I talked to the plants. 🌱"
    assert parsed.turns[3].text.endswith("Ελένη from the choir phoned too.")


def test_crlf_line_ends_and_decomposed_accents_are_normalised(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("Interviewer: Cafe\u0301?\r\nP1: Oui,\u00a0the cafe\u0301.  \r\n".encode())
    parsed = parse_file(path)
    assert [t.text for t in parsed.turns] == ["Caf\u00e9?", "Oui, the caf\u00e9."]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("p07_plain.txt", "text"),
        ("r12_timestamps.txt", "text"),
        ("p3_interview.md", "markdown"),
        ("fieldnotes_wrapped.txt", "text"),
        ("lockdown_utf16.txt", "text"),
    ],
)
def test_detect_format_of_text_samples(name, expected):
    assert detect_format(SAMPLES / name) == expected


def test_forcing_markdown_on_a_text_file(tmp_path):
    path = write_sample(tmp_path, "forced.txt", "**P1:** It was *fine*.\n**Interviewer:** Fine?\n")
    parsed = parse_file(path, "markdown")
    assert parsed.format == "markdown"
    assert [(t.speaker, t.text) for t in parsed.turns] == [("P1", "It was fine."), ("Interviewer", "Fine?")]
