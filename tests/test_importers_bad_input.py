"""Files the rules cannot read cleanly, and the escape hatches: every line a label, `--speakers`
naming labels, `--no-speakers`. Caption files with broken cue times or open voice tags are in
test_importers_caption_speakers.py."""

from __future__ import annotations

import pytest
from helpers import SAMPLES, speakers, write_sample

from qualcode.errors import ImportFormatError, InvalidInput
from qualcode.text.importers import SpeakerChoice, parse_file


def test_a_file_whose_every_line_looks_like_a_label_is_read_as_paragraphs(tmp_path):
    path = write_sample(tmp_path, "labels.txt", "Alice:\nBob:\nAlice:\nBob:\n")
    parsed = parse_file(path)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        (None, "Alice:"),
        (None, "Bob:"),
        (None, "Alice:"),
        (None, "Bob:"),
    ]
    assert parsed.warnings == [
        "most lines look like speaker labels with no words after them; read as paragraphs without speakers"
    ]


# --- --speakers and --no-speakers -----------------------------------------------------------------

ONE_OFF = """Ruth Bell: How did you come to the choir?
Marcus: A friend dragged me along. I couldn't sing a note.
Ruth Bell: And now?
Marcus: Now I can sing about four notes. [laughs] My mum says:
Mum: you were always tone deaf, love.
Mum: and you still are.
"""


def test_speakers_takes_exactly_the_labels_given(tmp_path):
    path = write_sample(tmp_path, "choir.txt", ONE_OFF)
    found = parse_file(path)
    assert speakers(found) == ["Ruth Bell", "Marcus", "Ruth Bell", "Marcus", "Mum", "Mum"]  # "Mum" recurs
    chosen = parse_file(path, choice=SpeakerChoice(("ruth bell", "Marcus")))
    assert [(t.speaker, t.text) for t in chosen.turns] == [
        ("Ruth Bell", "How did you come to the choir?"),
        ("Marcus", "A friend dragged me along. I couldn't sing a note."),
        ("Ruth Bell", "And now?"),
        (
            "Marcus",
            "Now I can sing about four notes. [laughs] My mum says:\n"
            "Mum: you were always tone deaf, love.\nMum: and you still are.",
        ),
    ]


def test_speakers_reads_a_one_off_label_the_rules_leave_as_text(tmp_path):
    text = "Ruth Bell: Anything else?\nDr. Ama Owusu (host): Only thanks.\nRuth Bell: Thank you.\n"
    path = write_sample(tmp_path, "once.txt", text)
    assert speakers(parse_file(path)) == ["Ruth Bell", "Ruth Bell"]
    chosen = parse_file(path, choice=SpeakerChoice(("Ruth Bell", "Dr. Ama Owusu (host)")))
    assert speakers(chosen) == ["Ruth Bell", "Dr. Ama Owusu (host)", "Ruth Bell"]


def test_speakers_that_name_nobody_in_the_file_is_an_error(tmp_path):
    path = write_sample(tmp_path, "choir.txt", ONE_OFF)
    with pytest.raises(ImportFormatError) as error:
        parse_file(path, choice=SpeakerChoice(("Interviewer", "P1")))
    assert str(error.value) == (
        f"{path}: no turn opens with any of the --speakers labels ('Interviewer', 'P1'); "
        "give them as they are written in the file, or leave out --speakers"
    )


def test_speakers_of_which_one_is_missing_is_a_warning(tmp_path):
    path = write_sample(tmp_path, "choir.txt", ONE_OFF)
    parsed = parse_file(path, choice=SpeakerChoice(("Ruth Bell", "Marcus", "Nadia")))
    assert parsed.warnings == ["--speakers: 'Nadia' opens no turn in this file"]


def test_speakers_in_captions_and_exports():
    captions = parse_file(SAMPLES / "zoom_cloud_handles.vtt", choice=SpeakerChoice(("jdoe42", "Maria | Acme")))
    assert set(speakers(captions)) == {"jdoe42", "Maria | Acme"}
    assert "Sam Okafor (Ops): I can see them." in captions.turns[1].text
    otter = parse_file(SAMPLES / "otter_export.txt", choice=SpeakerChoice(("Jane Doe",)))
    # the other headers are words now, so Jane Doe's blocks run on as one turn
    assert speakers(otter) == ["Jane Doe"]
    assert "food bank?\nSpeaker 1  0:09\nYeah, of course." in otter.turns[0].text


def test_no_speakers_keeps_every_word_and_no_label(tmp_path):
    path = write_sample(tmp_path, "choir.txt", ONE_OFF)
    parsed = parse_file(path, choice=SpeakerChoice(none=True))
    assert speakers(parsed) == [None] * 6
    assert parsed.turns[1].text == "Marcus: A friend dragged me along. I couldn't sing a note."
    assert parsed.warnings == []


def test_no_speakers_in_captions_and_exports():
    captions = parse_file(SAMPLES / "teams_meeting.vtt", choice=SpeakerChoice(none=True))
    assert set(speakers(captions)) == {None}
    assert not any("<v" in t.text for t in captions.turns)
    otter = parse_file(SAMPLES / "otter_export.txt", choice=SpeakerChoice(none=True))
    assert speakers(otter) == [None] * 7
    assert [t.timestamp for t in otter.turns][:3] == [0.0, 9.0, 41.0]  # the times stay with the words
    assert otter.turns[0].text.startswith("Okay, I think we're recording.")


def test_speakers_and_no_speakers_together_are_refused(tmp_path):
    path = write_sample(tmp_path, "choir.txt", ONE_OFF)
    with pytest.raises(InvalidInput, match="contradict each other"):
        parse_file(path, choice=SpeakerChoice(("Marcus",), none=True))
