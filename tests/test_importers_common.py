"""What every importer shares: text normalisation, times, decoding, speaker labels, bad files."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.errors import ImportFormatError
from qualcode.text.importers import FORMATS, parse_file
from qualcode.text.importers.base import ParsedTurn, SourceLine, normalise_text, parse_timestamp
from qualcode.text.importers.encoding import decode_bytes
from qualcode.text.importers.speakers import accepted_labels, guess_interviewer, looks_like_label, split_label


def test_formats_offered_to_the_command_line():
    from qualcode.cli.transcript import _format_choices

    assert FORMATS == ("auto", "text", "markdown", "otter", "zoom", "teams", "rev", "docx", "vtt", "srt")
    assert tuple(_format_choices()) == FORMATS


# --- normalise_text ---------------------------------------------------------------------------


def test_normalise_text():
    raw = "\ufeff\n\n  \r\nCafe\u0301\u00a0au lait  \r\nline\u200b two\rline three\n\n\n\nlast\t \n\n"
    assert normalise_text(raw) == "Caf\u00e9 au lait\nline two\nline three\n\nlast"


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert "\r" not in once and "\u00a0" not in once
    assert not once.startswith("\n") and not once.endswith("\n")


# --- times ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0:00", 0.0),
        ("0:41", 41.0),
        ("12:34", 754.0),
        ("1:02:13", 3733.0),
        ("00:00:13.500", 13.5),
        ("00:13.000", 13.0),
        ("00:00:01,250", 1.25),
        ("0:0:3.98", 3.98),
        ("101:00:00.000", 363600.0),
    ],
)
def test_parse_timestamp(value, seconds):
    assert parse_timestamp(value) == seconds


def test_parse_timestamp_rejects_other_text():
    with pytest.raises(ValueError):
        parse_timestamp("half past ten")


# --- decoding ---------------------------------------------------------------------------------

TEXT = "Interviewer: Ça va? — “fine”, she said.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),  # with its byte-order mark
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_decode_bytes_in_order(data, encoding):
    assert decode_bytes(data, "t.txt") == (TEXT, encoding)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "t.txt: the file is empty"),
        (b" \r\n\t\n", "t.txt: the file contains only blank space, no text"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "t.txt: a binary file, not text; export the transcript as .txt, .docx, .vtt or .srt",
        ),
        (
            TEXT.encode("utf-16-le"),  # UTF-16 without a byte-order mark: NUL bytes
            "t.txt: a binary file, not text; export the transcript as .txt, .docx, .vtt or .srt",
        ),
        (
            bytes(range(1, 9)) * 20 + b"words",  # control characters, no NUL
            "t.txt: a binary file, not text; export the transcript as .txt, .docx, .vtt or .srt",
        ),
        (
            b"caf\x81 \x8d",  # bytes Windows-1252 does not define
            "t.txt: the text is not UTF-8, UTF-16 or Windows-1252; re-save it as UTF-8 text",
        ),
        (
            codecs.BOM_UTF8 + b"caf\xe9",
            "t.txt: starts with a UTF-8 byte-order mark but is not valid UTF-8; re-save it as UTF-8 text",
        ),
    ],
)
def test_decode_bytes_refuses_what_is_not_text(data, message):
    with pytest.raises(ImportFormatError) as error:
        decode_bytes(data, "t.txt")
    assert str(error.value) == message


BINARY = "a binary file, not text; export the transcript as .txt, .docx, .vtt or .srt"


# --- bad files through parse_file ---------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(ImportFormatError) as error:
        parse_file(tmp_path / "P9.txt")
    assert str(error.value) == f"{tmp_path / 'P9.txt'}: no such file"


def test_folder_instead_of_a_file(tmp_path):
    with pytest.raises(ImportFormatError, match=r": a folder, not a transcript file$"):
        parse_file(tmp_path)


@pytest.mark.parametrize(
    ("name", "data", "ending"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.md", b"\n   \n", "the file contains only blank space, no text"),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", BINARY),
        ("blank.vtt", b"\n", "the file contains only blank space, no text"),
        ("scan.pdf", b"%PDF-1.7", "a PDF; export the transcript as .docx or .txt from where it was made"),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path, name, data, ending):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportFormatError) as error:
        parse_file(path)
    assert str(error.value) == f"{path}: {ending}"
    assert "\n" not in str(error.value)


def test_markdown_with_only_front_matter_and_headings(tmp_path):
    path = tmp_path / "outline.md"
    path.write_text("---\ntitle: P2\n---\n# Interview P2\n## Notes\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        parse_file(path)
    assert str(error.value) == f"{path}: no transcript text found (only headings or front matter)"


def test_unknown_format_name(tmp_path):
    path = tmp_path / "P1.txt"
    path.write_text("P1: hi\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        parse_file(path, "pdf")
    assert str(error.value) == (
        "unknown transcript format 'pdf'; use one of: auto, text, markdown, otter, zoom, teams, rev, docx, vtt, srt"
    )


def test_text_file_forced_as_docx(tmp_path):
    path = tmp_path / "P1.txt"
    path.write_text("P1: hi\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        parse_file(path, "docx")
    assert str(error.value) == f"{path}: a text file, not a Word .docx document; use --format auto"


# --- speaker labels ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "label", "rest", "timestamp"),
    [
        ("Interviewer: So, tell me.", "Interviewer", "So, tell me.", None),
        ("P1:\tWell.", "P1", "Well.", None),
        ("[00:01:23] P1: Yes.", "P1", "Yes.", 83.0),
        ("00:01:23 Dr Jane Smith: Right.", "Dr Jane Smith", "Right.", 83.0),
        ("P3 [01:05]: Okay.", "P3", "Okay.", 65.0),
        ("Interviewer (JS):", "Interviewer (JS)", "", None),
    ],
)
def test_split_label(line, label, rest, timestamp):
    candidate = split_label(SourceLine(line))
    assert candidate is not None
    assert (candidate.label, candidate.rest, candidate.timestamp) == (label, rest, timestamp)


@pytest.mark.parametrize(
    "line",
    ["See https://example.org for details", "We met at 10:30 and left", "[laughs] yes", "no colon here"],
)
def test_lines_that_have_no_label_shape(line):
    assert split_label(SourceLine(line)) is None


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Jane Doe", True),
        ("Dr Jane Smith", True),
        ("Maria de la Cruz", True),
        ("O’Brien", True),
        ("JANE", True),
        ("The reason was this", False),
        ("Note", False),
        ("Example", False),
        ("My answer", False),
        ("A very long label that has too many words", False),
        ("1998", False),
        ("Sam Reid (he/him)", True),
        ("iPhone de Marie", True),
        ("Pause", False),
    ],
)
def test_looks_like_label(label, expected):
    assert looks_like_label(label) is expected


def test_accepted_labels_need_a_known_role_or_recurrence():
    lines = ["Interviewer: Hi.", "Sana: Hello.", "Note: she laughed.", "Sana: Sorry.", "Ravi: Tea?", "Note: again."]
    candidates = [c for line in lines if (c := split_label(SourceLine(line)))]
    assert accepted_labels(candidates) == {"interviewer", "sana"}


# --- guessing the interviewer -----------------------------------------------------------------


def turns(*pairs):
    return [ParsedTurn(speaker, text, None) for speaker, text in pairs]


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([("P3", "Long answer here."), ("Interviewer", "Why?")], "Interviewer"),
        ([("R", "Yes."), ("I", "Go on.")], "I"),
        ([("Respondent", "Yes, a lot."), ("Q", "And then")], "Q"),
        ([("Moderator", "Welcome."), ("P1", "Hi."), ("P2", "Hello.")], "Moderator"),
        ([("P4", "It was hard."), ("Dr Ayesha Khan", "Hard how"), ("P4", "Everything.")], "Dr Ayesha Khan"),
    ],
)
def test_guess_interviewer_from_labels(pairs, expected):
    assert guess_interviewer(turns(*pairs)) == expected


def test_guess_interviewer_from_who_asks_the_questions():
    conversation = turns(
        ("Sam Reid", "Hi, thanks for having me."),
        ("Marta Lopez", "What stands out from your first year?"),
        ("Sam Reid", "The paperwork, honestly, and the long handovers at the hospital."),
        ("Marta Lopez", "How long are they?"),
        ("Sam Reid", "Ninety minutes on a bad night, sometimes more than that."),
        ("Marta Lopez", "That sounds exhausting."),
    )
    assert guess_interviewer(conversation) == "Marta Lopez"


def test_guess_interviewer_prefers_shorter_turns_when_nobody_asks():
    conversation = turns(
        ("Ana", "Tell me about the move."),
        ("Ben", "We left in March, with two suitcases and the cat, and drove for three days."),
        ("Ana", "Go on."),
        ("Ben", "The cat hated every minute of it, and so did I, if I am honest with you."),
    )
    assert guess_interviewer(conversation) == "Ana"


def test_no_interviewer_without_speakers_or_with_a_single_unnamed_role():
    assert guess_interviewer(turns((None, "Field notes."), (None, "More notes."))) is None
    assert guess_interviewer([]) is None
    assert guess_interviewer(turns(("Speaker 1", "A monologue."), ("Speaker 1", "Still going?"))) is None
