"""Text exports as tools write them and researchers bring them in, unedited: voice tags copied into
.txt, Otter pasted into Markdown or plain text, Rev-style headers, diarised labels with an unknown
speaker, oral-history and archive transcripts with their details header, tape marks and page
headers, Google Meet transcripts, and the format and tool each is taken for. Caption files are in
test_importers_caption_speakers.py. The samples follow each tool's layout, with words of our own."""

from __future__ import annotations

import pytest
from helpers import SAMPLES, speakers, write_sample

from qualcode.text.importers import detect_format, parse_file
from qualcode.text.importers.speakers import interviewer_guess


def spoken(parsed):
    return [(t.speaker, t.timestamp, t.text) for t in parsed.turns]


# --- voice tags and character references --------------------------------------------------------


def test_voice_tags_in_a_text_file_are_speakers():
    parsed = parse_file(SAMPLES / "voice_tags_pasted.txt")
    assert parsed.format == "text"
    assert spoken(parsed) == [
        ("Dana Whitfield", None, "So when did the visits change?"),
        (
            "Kofi Mensah",
            None,
            "Last spring. They cut them from an hour to forty minutes.\nAnd we lost the second visit for anyone over eighty.",
        ),
        ("Dana Whitfield", None, "How did families react?"),
        ("Kofi Mensah", None, "Some complained. Most just stopped asking for things."),
    ]
    assert parsed.preamble == "Home visits study, interview 2 (copied from the meeting transcript)"
    assert not any("<" in t.text for t in parsed.turns)


def test_captions_pasted_under_a_title_keep_their_voices_and_times(tmp_path):
    text = (
        "Intake interview 4, copied from the Teams recording\n\n"
        "0c9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f/8-0\n00:00:01.120 --> 00:00:05.870\n"
        "<v Hollis, Dana>Shall we start?</v>\n\n"
        "0c9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f/12-0\n00:00:06.440 --> 00:00:11.020\n"
        "<v Ferreira, Joana>Yes, go ahead.</v>\n"
    )
    parsed = parse_file(write_sample(tmp_path, "intake.txt", text))
    assert spoken(parsed) == [("Hollis, Dana", 1.12, "Shall we start?"), ("Ferreira, Joana", 6.44, "Yes, go ahead.")]
    assert parsed.preamble == "Intake interview 4, copied from the Teams recording"


def test_voice_tags_two_to_a_line(tmp_path):
    path = write_sample(tmp_path, "cues.txt", "<v Ana>Ready?</v> <v Ben>Ready.</v>\n<v Ana>Then go on.</v>\n")
    assert spoken(parse_file(path)) == [("Ana", None, "Ready?"), ("Ben", None, "Ready."), ("Ana", None, "Then go on.")]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "p1.txt",
            "Interviewer: What&#39;s the café like?\nP1: Busy &amp; loud. We call it &quot;the kitchen&quot;.\n",
        ),
        (
            "p1.md",
            "**Interviewer:** What&#39;s the café like?\n\n**P1:** Busy &amp; loud. We call it &quot;the kitchen&quot;.\n",
        ),
    ],
)
def test_character_references_are_decoded_in_text_formats(tmp_path, name, words):
    parsed = parse_file(write_sample(tmp_path, name, words))
    assert [t.text for t in parsed.turns] == ["What's the café like?", 'Busy & loud. We call it "the kitchen".']


def test_an_ampersand_that_is_no_reference_is_left_alone(tmp_path):
    path = write_sample(tmp_path, "p2.txt", "Interviewer: And then?\nP2: R&D &notes, A&E, fish &chips &#0;.\n")
    assert parse_file(path).turns[1].text == "R&D &notes, A&E, fish &chips &#0;."


# --- Otter pasted into Markdown or plain text; Rev-style headers -------------------------------


def test_otter_pasted_into_markdown():
    parsed = parse_file(SAMPLES / "otter_pasted.md")
    assert parsed.format == "otter" and parsed.tool == "Otter"
    assert spoken(parsed) == [
        ("Hannah Price", 0.0, "Right, that's recording. So, how long have you had this plot?"),
        (
            "Gwen Morris",
            6.0,
            "Eleven years this autumn. It was my aunt's before that, and she'd had it since the seventies.\n"
            'She used to call it her "second kitchen".',
        ),
        ("Hannah Price", 27.0, "And what do you grow, mostly?"),
        ("Gwen Morris", 31.0, "Beans, onions, and far too many courgettes. Every year I say never again."),
    ]
    assert parsed.preamble == "Allotment interview 3\nRecorded on the plot, 12 June. Otter export, pasted in."
    assert parsed.dropped == ["Transcribed by https://otter.ai"]


def test_otter_with_bold_names_and_times_in_markdown():
    parsed = parse_file(SAMPLES / "otter_bold.md")
    assert parsed.format == "otter"
    assert spoken(parsed) == [
        ("Hannah Price", 0.0, "Thanks for letting me sit in. How did the café start?"),
        ("Leon Brandt", 19.0, "With a broken kettle, honestly. Mine. Nobody would fix it, so I opened it up myself."),
        ("Hannah Price", 30.0, "And now?"),
        ("Leon Brandt", 34.0, "Now it's every second Saturday, in the scout hut, with about twelve volunteers."),
    ]
    assert parsed.preamble == "Interview 5 — repair café"


def test_otter_bold_names_pasted_into_plain_text(tmp_path):
    text = (SAMPLES / "otter_bold.md").read_text(encoding="utf-8").replace("## ", "")
    parsed = parse_file(write_sample(tmp_path, "cafe.txt", text))
    assert parsed.format == "otter"
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Hannah Price", 0.0),
        ("Leon Brandt", 19.0),
        ("Hannah Price", 30.0),
        ("Leon Brandt", 34.0),
    ]


def test_a_bold_label_with_its_time_once_keeps_the_time_out_of_the_words(tmp_path):
    text = "**Interviewer** 0:19\nHow did it start?\n\n**P4** [00:00:30]\nWith a kettle.\n"
    parsed = parse_file(write_sample(tmp_path, "p4.md", text))
    assert spoken(parsed) == [("Interviewer", 19.0, "How did it start?"), ("P4", 30.0, "With a kettle.")]


def test_an_otter_speaker_who_speaks_once_at_the_start(tmp_path):
    text = (
        "Tom Baker  0:00\nWelcome, everyone. I'll leave you two to it.\n\n"
        "Lena Park  0:09\nThanks, Tom. So, how long have you lived on the estate?\n\n"
        "Ada Cole  0:15\nThirty years in May.\n\n"
        "Lena Park  0:19\nAnd before that?\n\n"
        "Ada Cole  0:21\nAcross the river, with my mother.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "estate.txt", text))
    assert parsed.format == "otter" and parsed.preamble is None
    assert spoken(parsed)[0] == ("Tom Baker", 0.0, "Welcome, everyone. I'll leave you two to it.")
    assert speakers(parsed)[1:] == ["Lena Park", "Ada Cole"] * 2


def test_name_and_bracketed_time_then_the_words():
    parsed = parse_file(SAMPLES / "rev_bracketed.txt")
    assert parsed.format == "rev" and parsed.tool == "Rev"
    assert spoken(parsed) == [
        ("Hannah Price", 2.0, "So what brings people in, usually?"),
        (
            "Leon Brandt",
            7.0,
            "Lamps. You would not believe how many lamps. And toasters, and the odd sewing machine.",
        ),
        ("Hannah Price", 62.0, "What do you get out of it?"),
        ("Leon Brandt", 65.0, "The moment it works again. People clap, sometimes."),
    ]
    assert parsed.preamble == "Repair café interview 2"
    assert parsed.dropped == ["This transcript was exported on Mar 5, 2024 - view latest version here."]


# --- diarised output ----------------------------------------------------------------------------


def test_whisperx_labels_and_an_unknown_speaker():
    parsed = parse_file(SAMPLES / "whisperx_unknown.txt")
    assert parsed.tool == "WhisperX"
    assert speakers(parsed) == [
        "SPEAKER_00",
        "SPEAKER_01",
        "SPEAKER_00",
        "UNKNOWN",
        "SPEAKER_01",
        "SPEAKER_00",
        "SPEAKER_01",
    ]
    assert parsed.turns[2].text == "And then you started volunteering?"
    assert parsed.turns[3].text == "Okay."
    assert interviewer_guess(parsed.turns)[0] == "SPEAKER_00"


def test_bracketed_speaker_and_bracketed_time():
    parsed = parse_file(SAMPLES / "descript_brackets.txt")
    assert spoken(parsed) == [
        ("Speaker 1", 0.0, "Okay, we're on. Thanks for coming down to the depot."),
        ("Speaker 3", 7.0, "No worries. I'm usually here anyway on a Tuesday."),
        ("Speaker 1", 12.0, "How long have you been driving for the scheme?"),
        ("Speaker 3", 724.0, "Nine years. Before that I drove a school bus."),
    ]


# --- oral-history and archive transcripts ----------------------------------------------------


def test_oral_history_details_header_tape_marks_and_page_headers():
    parsed = parse_file(SAMPLES / "oral_history_mill.txt")
    assert speakers(parsed) == ["BELL", "HALE"] * 5
    assert parsed.preamble == (
        "Millbrook Mills Oral History Project\n"
        "NAME: An Interview Conducted by Ruth Bell\n"
        "INTERVIEWEE: Margaret Hale\n"
        "INTERVIEWER: Ruth Bell\n"
        "DATE: 14 May 2019\n"
        "PLACE: Hebden Bridge, West Yorkshire\n"
        "TRANSCRIBER: K. Osei"
    )
    assert parsed.dropped == [
        "[Begin Tape 1, Side A]",
        "[End of Tape 1, Side A]",
        "[Begin Tape 1, Side B]",
        "END OF INTERVIEW",
        "Millbrook Mills Oral History Project    Hale -- 2",
        "Millbrook Mills Oral History Project    Hale -- 3",
    ]
    assert parsed.turns[3].text == (
        "Fourteen. The Monday after I left school. You didn't choose, really. It was the mill or service, "
        "and my mother wouldn't have me in service."
    )
    assert parsed.turns[-1].text == (
        "I don't know. I've thought about it since. I think I was frightened of being the only one."
    )
    assert parsed.warnings == ["left out 2 page header or page number lines between turns"]
    assert interviewer_guess(parsed.turns, parsed.interviewer_named) == (
        "BELL",
        "the details at the top name Ruth Bell as the interviewer",
    )


def test_q_is_the_interviewer_when_a_name_answers():
    parsed = parse_file(SAMPLES / "oral_history_q.txt")
    assert speakers(parsed) == ["Q", "OKAFOR"] * 3
    assert parsed.preamble == (
        "RIVERSIDE ESTATE MEMORY PROJECT\nInterview transcript\nInterviewee: Daniel Okafor\n"
        "Interviewer: Sophie Lind\nDate of interview: 2 March 2021\nLocation: Community centre, Riverside"
    )
    assert parsed.dropped == ["[END OF TAPE]"]
    assert interviewer_guess(parsed.turns, parsed.interviewer_named)[0] == "Q"


def test_q_and_a_with_full_stops(tmp_path):
    text = (
        "Q. Where were you born?\nA. In Leeds, in the Chapeltown Road maternity home.\n"
        "Q. And your father?\nA. He worked on the buses. A. Smith and Sons, the coachworks, later.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "qa.txt", text))
    assert spoken(parsed) == [
        ("Q", None, "Where were you born?"),
        ("A", None, "In Leeds, in the Chapeltown Road maternity home."),
        ("Q", None, "And your father?"),
        ("A", None, "He worked on the buses. A. Smith and Sons, the coachworks, later."),
    ]
    assert interviewer_guess(parsed.turns)[0] == "Q"


def test_initials_as_labels_and_the_interviewer_named_in_the_header():
    parsed = parse_file(SAMPLES / "archive_initials.txt")
    assert speakers(parsed) == ["TW", "GA"] * 3
    assert parsed.interviewer_named == "Tom Whitcombe"
    assert interviewer_guess(parsed.turns, parsed.interviewer_named)[0] == "TW"
    assert parsed.warnings == []


def test_a_header_role_that_also_labels_turns_is_preamble_only_in_the_header(tmp_path):
    text = (
        "INTERVIEWEE: Joan Pryce\nINTERVIEWER: Sam Ellis\nDATE: 4 July 2017\n\n"
        "INTERVIEWER: Where did you train?\nINTERVIEWEE: In Cardiff, at the old infirmary.\n"
        "INTERVIEWER: When was that?\nINTERVIEWEE: Nineteen sixty-two.\n"
    )
    parsed = parse_file(write_sample(tmp_path, "pryce.txt", text))
    assert spoken(parsed) == [
        ("INTERVIEWER", None, "Where did you train?"),
        ("INTERVIEWEE", None, "In Cardiff, at the old infirmary."),
        ("INTERVIEWER", None, "When was that?"),
        ("INTERVIEWEE", None, "Nineteen sixty-two."),
    ]
    assert parsed.preamble == "INTERVIEWEE: Joan Pryce\nINTERVIEWER: Sam Ellis\nDATE: 4 July 2017"


def test_a_first_turn_is_not_taken_for_a_header(tmp_path):
    text = "Interviewer: Welcome.\nP1: Thanks.\nInterviewer: Shall we start?\nP1: Yes.\n"
    parsed = parse_file(write_sample(tmp_path, "p1.txt", text))
    assert speakers(parsed) == ["Interviewer", "P1"] * 2
    assert parsed.preamble is None


# --- tool banners and footers ----------------------------------------------------------------


def test_google_meet_transcript_as_text():
    parsed = parse_file(SAMPLES / "meet_transcript.txt")
    assert parsed.format == "text" and parsed.tool == "Google Meet"
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Ayesha Karim", 0.0),
        ("Ben Lowry", None),
        ("Ayesha Karim", None),
        ("Ben Lowry", None),
        ("Ayesha Karim", 300.0),
        ("Ben Lowry", None),
    ]
    assert parsed.turns[-1].text == "Company, mostly. Someone to talk to about the book. Sometimes help with a form."
    assert parsed.preamble == (
        "kqt-wbzx-rmp (2024-05-02 14:03 GMT+1) - Transcript\nAttendees\n"
        "Ayesha Karim, Ben Lowry, Ben Lowry's Presentation\nTranscript"
    )
    assert "Meeting ended after 00:07:41 👋" in parsed.dropped


def test_google_meet_transcript_as_docx():
    parsed = parse_file(SAMPLES / "meet_transcript.docx")
    assert parsed.format == "docx" and parsed.tool == "Google Meet"
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Ayesha Karim", 0.0),
        ("Ruth Mbeki", None),
        ("Ayesha Karim", None),
        ("Ruth Mbeki", 300.0),
    ]
    assert parsed.turns[-1].text == "Six or seven regulars. More when it's a book with a film."
    assert parsed.dropped[-1] == "Meeting ended after 00:06:12 👋"


def test_banners_between_turns_are_left_out(tmp_path):
    text = (
        "Interviewer: Shall we carry on?\nP3: Yes.\nJo Bloggs stopped transcription\n"
        "Jo Bloggs started transcription\nInterviewer: You were saying?\nP3: That it rained.\n"
        "Page 2\nInterviewer: All week?\nP3: All week.\nEND OF INTERVIEW\n"
    )
    parsed = parse_file(write_sample(tmp_path, "p3.txt", text))
    assert [t.text for t in parsed.turns] == [
        "Shall we carry on?",
        "Yes.",
        "You were saying?",
        "That it rained.",
        "All week?",
        "All week.",
    ]


# --- naming the source -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "tool"),
    [
        ("otter_named.docx", "otter", "Otter"),
        ("otter_export.docx", "otter", "Otter"),
        ("teams_transcript.docx", "teams", "Microsoft Teams"),
        ("teams_paragraphs.docx", "teams", "Microsoft Teams"),
        ("otter_pasted.md", "otter", "Otter"),
        ("rev_bracketed.txt", "rev", "Rev"),
        ("zoom_cloud_handles.vtt", "vtt", "Zoom"),
        ("teams_captions_copy.txt", "vtt", "Microsoft Teams"),
        ("teams_meeting.vtt", "vtt", "Microsoft Teams"),
        ("youtube_auto.vtt", "vtt", "YouTube"),
        ("whisperx_speakers.srt", "srt", "WhisperX"),
        ("meet_captions.vtt", "vtt", "Google Meet"),
        ("meet_transcript.txt", "text", "Google Meet"),
        ("p07_plain.txt", "text", None),
    ],
)
def test_the_format_and_the_tool_are_named(name, fmt, tool):
    assert detect_format(SAMPLES / name) == fmt
    parsed = parse_file(SAMPLES / name)
    assert (parsed.format, parsed.tool) == (fmt, tool)


def test_rev_headers_with_a_colon_after_the_time(tmp_path):
    text = "Speaker 1 (00:00):\nHello, and welcome.\n\nSpeaker 2 (00:04):\nThank you.\n\nSpeaker 1 (01:02:03):\nSo tell me.\n"
    parsed = parse_file(write_sample(tmp_path, "rev.txt", text))
    assert parsed.format == "rev"
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Speaker 1", 0.0),
        ("Speaker 2", 4.0),
        ("Speaker 1", 3723.0),
    ]


def test_an_otter_docx_with_named_speakers_is_not_teams():
    parsed = parse_file(SAMPLES / "otter_named.docx")
    assert spoken(parsed) == [
        ("Jane Doe", 0.0, "Thanks for staying on after the shift. How long have you been sorting on Saturdays?"),
        (
            "Kemi Adebayo",
            7.0,
            "Nearly three years. I started when my daughter was doing her Duke of Edinburgh.\n"
            "She stopped after the summer, and I just kept coming.",
        ),
        ("Jane Doe", 26.0, "What keeps you coming back?"),
        ("Kemi Adebayo", 29.0, "The people on the tins table. We've been sat together since the first week."),
    ]
    assert parsed.preamble.startswith("Food bank volunteers - Kemi\nTue, Mar 12, 2024 10:14AM • 18:40")
