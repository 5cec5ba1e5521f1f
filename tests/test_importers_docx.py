"""Word transcripts: prefixed and bold labels, labels on their own paragraph, tables, bad files."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from helpers import SAMPLES, speakers

from qualcode.errors import ImportFormatError
from qualcode.text.importers import detect_format, parse_file


def test_prefixed_labels_with_continuation_paragraphs():
    parsed = parse_file(SAMPLES / "p5_prefixes.docx")
    assert parsed.format == "docx"
    assert parsed.encoding is None
    assert speakers(parsed) == ["Interviewer", "P5"] * 5
    # "Interviewer:" followed by a tab
    assert parsed.turns[0].text == "Thank you for talking to me. How did you become a governor?"
    assert parsed.turns[1].text.endswith(
        "Nine years ago now.\nIt’s unpaid, obviously. People forget that. I spend maybe six hours a week on it "
        "in a normal term, more when there’s an inspection."
    )
    assert parsed.turns[5].text == "Every September."
    assert parsed.turns[7].text.endswith(
        "just looked at me.\nSo now I’m the one who reads the data. That’s how it goes: whoever answers the "
        "awkward question once gets the job for life."
    )
    assert parsed.turns[-1].text == "Yes. Ask me in September, though, and I might say no."


def test_manual_line_breaks_and_a_note_stay_inside_the_turn():
    parsed = parse_file(SAMPLES / "p5_prefixes.docx")
    assert parsed.turns[3].text == (
        "Exclusions. Sitting on an exclusion panel for a fourteen-year-old.\n"
        "You read the file the night before and you don’t sleep.\n"
        "Note: P5 asked that the next example be kept vague.\n"
        "There was a boy — I won’t say more — where we all knew the school had got it wrong months earlier. "
        "And we upheld it anyway, because the procedure had been followed. 😔"
    )


def test_title_and_details_before_the_first_label_are_the_preamble():
    parsed = parse_file(SAMPLES / "p5_prefixes.docx")
    assert parsed.preamble == "Interview P5 — school governor\nDate: 3 May 2024. Video call, forty minutes."
    # the title is a heading; only the details line is counted as skipped speech
    assert parsed.warnings == ["1 line before the first speaker label kept as the preamble, not as turns"]


def test_bold_labels_in_their_own_run_and_alone_on_a_paragraph():
    parsed = parse_file(SAMPLES / "p3_bold_labels.docx")
    assert speakers(parsed) == ["P3", "Interviewer"] * 4 + ["P3"]
    # bold "Interviewer" alone on a paragraph, then two paragraphs of words
    assert parsed.turns[1].text == "Can you tell me what the first few weeks were like?\nTake your time."
    # bold "P3" with the colon outside the bold; a bold word inside the turn and a bold word
    # starting a paragraph ("Really") are not labels
    assert parsed.turns[2].text == (
        "Chaos. Absolute chaos. You’re doing carb counts at three in the morning, and you’re furious — "
        "not at her, at the world.\n"
        "Really furious. I remember shouting at a vending machine in the hospital."
    )
    # bold "Interviewer:" then a tab
    assert parsed.turns[3].text == "And who helped, in those weeks?"
    assert parsed.turns[4].text.endswith("The reason was this: she’d been through it herself, with her son.")
    assert parsed.preamble == "Interview with P3 (transcribed from audio)"
    assert parsed.warnings == []


def test_speaker_and_text_table_after_a_details_table():
    parsed = parse_file(SAMPLES / "p8_table.docx")
    assert parsed.format == "docx"
    assert speakers(parsed) == ["Interviewer", "P8"] * 3
    # a row with an empty speaker cell continues the turn above it
    assert parsed.turns[1].text == (
        "A good day? When nobody shouts at me about their prescription. [laughs]\n"
        "No, seriously — when the system works and I can actually talk to people."
    )
    # a cell with two paragraphs; "Interviewer:" in the speaker cell loses its colon
    assert parsed.turns[2].text == "And a bad day?"
    assert parsed.turns[3].text.endswith("in the back.\nNote: P8 became upset here and we paused.")
    # the details table is not a transcript: its rows are the preamble
    assert parsed.preamble == "Interview P8\nParticipant | P8\nDate | 9 January 2024\nInterviewer | K. Byrne"
    assert parsed.warnings == ["3 lines before the first speaker label kept as the preamble, not as turns"]


def test_time_speaker_text_table():
    parsed = parse_file(SAMPLES / "p2_timed_table.docx")
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Interviewer", 12.0),
        ("P2", 15.0),
        ("Interviewer", 24.0),
        ("P2", 27.0),
        ("P2", 65.0),
    ]
    assert parsed.turns[3].text == "Everyone I knew has gone. The café’s a vape shop now."


def test_table_with_line_numbers_and_a_notes_column(tmp_path):
    document = Document()
    rows = [
        ("1", "Interviewer: When did you first volunteer?", ""),
        ("2", "P6: In 2015, after my husband died. I needed somewhere to be on Tuesdays.", "loss; routine"),
        ("3", "Interviewer: And now?", ""),
        ("4", "P6: Now it’s the other way round — they need me on Tuesdays. [laughs]", "reciprocity"),
    ]
    table = document.add_table(rows=len(rows), cols=3)
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.save(tmp_path / "numbered.docx")
    parsed = parse_file(tmp_path / "numbered.docx")
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Interviewer", "When did you first volunteer?"),
        ("P6", "In 2015, after my husband died. I needed somewhere to be on Tuesdays."),
        ("Interviewer", "And now?"),
        ("P6", "Now it’s the other way round — they need me on Tuesdays. [laughs]"),
    ]
    assert parsed.warnings == ["left out 2 table cells beside the transcript column (notes or codes)"]


def test_document_without_speakers_is_one_turn_per_paragraph():
    parsed = parse_file(SAMPLES / "journal_no_speakers.docx")
    assert [t.speaker for t in parsed.turns] == [None, None, None]
    assert parsed.turns[2].text == "Plan: reread P3 and P7 with that question in mind."
    assert parsed.preamble == "Reflexive journal — week 3"
    assert parsed.warnings == ["no speaker labels found: each paragraph is a turn without a speaker"]


def test_tracked_changes_count_as_accepted(tmp_path):
    document = Document()
    document.add_paragraph("Interviewer: How was the first week?")
    paragraph = document.add_paragraph("P1: It was ")
    paragraph._p.append(
        parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="RO"><w:r><w:delText>awful</w:delText></w:r></w:del>')
    )
    paragraph._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="RO"><w:r><w:t>hard</w:t></w:r></w:ins>'))
    paragraph.add_run(", honestly.")
    document.add_paragraph("Interviewer: Why?")
    document.save(tmp_path / "tracked.docx")
    parsed = parse_file(tmp_path / "tracked.docx")
    assert [t.text for t in parsed.turns] == ["How was the first week?", "It was hard, honestly.", "Why?"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("p5_prefixes.docx", "docx"),
        ("p3_bold_labels.docx", "docx"),
        ("p8_table.docx", "docx"),
        ("journal_no_speakers.docx", "docx"),
    ],
)
def test_detect_format_of_word_samples(name, expected):
    assert detect_format(SAMPLES / name) == expected


def test_damaged_docx(tmp_path):
    whole = (SAMPLES / "p5_prefixes.docx").read_bytes()
    path = tmp_path / "P3.docx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ImportFormatError) as error:
        parse_file(path)
    assert str(error.value) == (
        f"{path}: not a valid .docx file (the zip is damaged); re-save it from Word or export as .txt"
    )


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("Interviewer: this was saved as text with a .docx name", encoding="utf-8")
    with pytest.raises(
        ImportFormatError, match=r"notes\.docx: not a Word file but plain text \(a \.txt renamed \.docx\?\)"
    ):
        parse_file(path)


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ImportFormatError) as error:
        parse_file(path)
    assert str(error.value) == f"{path}: a zip file but not a Word document; open it in Word and save it as .docx"


def test_old_binary_doc_or_password_protected_docx(tmp_path):
    path = tmp_path / "P4.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(ImportFormatError) as error:
        parse_file(path)
    assert str(error.value) == (
        f"{path}: an old Word .doc file or a password-protected document; "
        "open it in Word and save it as .docx without a password"
    )


def test_doc_extension_is_refused_with_advice(tmp_path):
    path = tmp_path / "P4.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(ImportFormatError) as error:
        parse_file(path)
    assert str(error.value) == f"{path}: an old Word .doc file; open it in Word and save it as .docx"


def test_empty_docx_file_and_document_without_text(tmp_path):
    (tmp_path / "empty.docx").write_bytes(b"")
    with pytest.raises(ImportFormatError, match=r"empty\.docx: the file is empty$"):
        parse_file(tmp_path / "empty.docx")
    document = Document()
    document.add_paragraph("   ")
    document.save(tmp_path / "blank.docx")
    with pytest.raises(ImportFormatError, match=r"blank\.docx: the document contains no text$"):
        parse_file(tmp_path / "blank.docx")


def test_a_word_document_cannot_be_forced_to_captions(tmp_path):
    with pytest.raises(ImportFormatError, match=r"a Word document, not vtt captions; use --format auto"):
        parse_file(SAMPLES / "p5_prefixes.docx", "vtt")


def test_a_docx_renamed_txt_is_still_read_as_word(tmp_path):
    path = tmp_path / "P5.txt"
    path.write_bytes((SAMPLES / "p5_prefixes.docx").read_bytes())
    assert detect_format(path) == "docx"
    assert speakers(parse_file(path)) == ["Interviewer", "P5"] * 5
