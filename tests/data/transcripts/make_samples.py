"""Writes the .docx samples and the differently encoded text samples in this folder.

The files are committed; run this again only to change them:
    .venv/bin/python tests/data/transcripts/make_samples.py
The .docx layouts follow what Word users and Teams / Otter exports produce: "Interviewer:"
prefixes, bold labels in their own run, labels alone on a paragraph, "Name   0:03" headers,
older Teams cue timings, and speaker | text tables.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

HERE = Path(__file__).parent


def bold(text: str) -> tuple[str, bool]:
    return text, True


def paragraph(document, *runs, style=None):
    """runs: plain strings, or bold(text); "\n" inside a string is a manual line break."""
    p = document.add_paragraph(style=style)
    for run in runs:
        text, bold = (run, False) if isinstance(run, str) else (run[0], True)
        for number, line in enumerate(text.split("\n")):
            r = p.add_run(line)
            r.bold = bold or None
            if number < text.count("\n"):
                r.add_break()
    return p


def prefixes() -> None:
    d = Document()
    paragraph(d, "Interview P5 — school governor", style="Title")
    paragraph(d, "Date: 3 May 2024. Video call, forty minutes.")
    paragraph(d, "Interviewer:\tThank you for talking to me. How did you become a governor?")
    paragraph(
        d,
        "P5: Someone at church asked me, honestly. I’d retired from the bank and she said, "
        "“you understand budgets, don’t you?” — and that was that. Nine years ago now.",
    )
    paragraph(
        d,
        "It’s unpaid, obviously. People forget that. I spend maybe six hours a week on it "
        "in a normal term, more when there’s an inspection.",
    )
    paragraph(d, "Interviewer: What’s the hardest part of the role?")
    paragraph(
        d,
        "P5: Exclusions. Sitting on an exclusion panel for a fourteen-year-old.\n"
        "You read the file the night before and you don’t sleep.",
    )
    paragraph(d, "Note: P5 asked that the next example be kept vague.")
    paragraph(
        d,
        "There was a boy — I won’t say more — where we all knew the school had got it wrong "
        "months earlier. And we upheld it anyway, because the procedure had been followed. 😔",
    )
    paragraph(d, "Interviewer: Do you think about that case often?")
    paragraph(d, "P5: Every September.")
    paragraph(d, "Interviewer: You mentioned inspections. How do governors prepare for those?")
    paragraph(
        d,
        "P5: Badly, in my experience. [laughs] No — we get a pack from the clerk, forty pages, and we’re "
        "meant to know the school development plan by heart. The inspectors always ask the chair one "
        "question he can’t answer. Last time it was attendance for pupils with an EHCP, and our chair — "
        "lovely man, retired vicar — just looked at me.",
    )
    paragraph(
        d,
        "So now I’m the one who reads the data. That’s how it goes: whoever answers the awkward question "
        "once gets the job for life.",
    )
    paragraph(d, "Interviewer: Would you do it again, knowing what you know now?")
    paragraph(d, "P5: Yes. Ask me in September, though, and I might say no.")
    d.save(HERE / "p5_prefixes.docx")


def bold_labels() -> None:
    d = Document()
    paragraph(d, "Interview with P3 (transcribed from audio)", style="Heading 1")
    paragraph(
        d,
        bold("P3:"),
        " Shall I just start? Okay. I suppose it started when my daughter was diagnosed, "
        "in 2019, with type 1 diabetes.",
    )
    paragraph(d, bold("Interviewer"))
    paragraph(d, "Can you tell me what the first few weeks were like?")
    paragraph(d, "Take your time.")
    paragraph(
        d,
        bold("P3"),
        ": Chaos. Absolute chaos. You’re doing carb counts at three in the morning, and you’re ",
        bold("furious"),
        " — not at her, at the world.",
    )
    paragraph(d, bold("Really"), " furious. I remember shouting at a vending machine in the hospital.")
    paragraph(d, bold("Interviewer:"), "\tAnd who helped, in those weeks?")
    paragraph(
        d,
        bold("P3:"),
        " The diabetes nurse, Siân. She gave us her mobile number, which I know she "
        "wasn’t supposed to. The reason was this: she’d been through it herself, with her son.",
    )
    paragraph(d, bold("Interviewer"))
    paragraph(d, "That’s a remarkable thing to do.")
    paragraph(d, bold("P3:"), " It was. I still send her a card every Christmas. 🎄")
    paragraph(d, bold("Interviewer"))
    paragraph(d, "Looking back, what would you tell a parent in their first week?")
    paragraph(
        d,
        bold("P3:"),
        " That it gets boring. Honestly — that’s the good news. The numbers stop being an emergency and "
        "start being, like, the weather. You check it, you dress for it. It took us about eight months, "
        "and I remember the first night I slept through without an alarm at 3 a.m. I cried in the morning, "
        "not because anything was wrong but because nothing was.",
    )
    d.save(HERE / "p3_bold_labels.docx")


def teams() -> None:
    d = Document()
    paragraph(d, "Interview P9-20240412_140233-Meeting Recording")
    paragraph(d, "April 12, 2024, 2:02PM")
    paragraph(d, "42m 17s")
    paragraph(d, "Rahul Mehta started transcription")
    paragraph(
        d,
        "Rahul Mehta   0:03\nOK, I think that's recording. Thanks for joining, Chidi. "
        "Can you start by telling me about your job?",
    )
    paragraph(
        d,
        "Okonkwo, Chidi (Guest)   0:12\nYeah, sure. I'm a night-shift care assistant in a "
        "nursing home, been there about four years.",
    )
    paragraph(d, "Okonkwo, Chidi (Guest)   0:21\nBefore that I was, uh, I was at Amazon, in the warehouse.")
    paragraph(d, "Rahul Mehta   0:29")
    paragraph(d, "What made you move into care?")
    paragraph(
        d,
        "Okonkwo, Chidi (Guest)   0:33\nMy grandmother. She was in a home in Lagos — well, "
        "not a home exactly, more like a compound with carers — and I saw how they treated her. "
        "Note: that was 2015.",
    )
    paragraph(d, "Rahul Mehta   0:58\nAnd what's a night shift actually like, hour by hour?")
    paragraph(
        d,
        "Okonkwo, Chidi (Guest)   1:04\nSo we start at eight, handover from the day team. Then it's meds, "
        "then getting people to bed, which can take till eleven because some residents, they don't want to "
        "go, you know, and you can't force anyone. Between midnight and five it's checks every two hours, "
        "turning people, continence care. There's two of us for thirty-eight residents.",
    )
    paragraph(
        d,
        "Okonkwo, Chidi (Guest)   1:41\nAnd if someone falls, that's one of us gone for an hour with them, "
        "waiting for the ambulance. So really it's one carer for thirty-eight.",
    )
    paragraph(d, "Rahul Mehta   2:05\nHow does that feel?")
    paragraph(
        d,
        "Okonkwo, Chidi (Guest)   2:08\nHonestly? Some nights I feel like a security guard, not a carer. "
        "You're just making sure everyone's still breathing. The reason was this: the agency staff left "
        "in 2022 and they never replaced them.",
    )
    paragraph(d, "Rahul Mehta   1:02:40\nWe're almost at time. Anything you'd like to add?")
    paragraph(d, "Okonkwo, Chidi (Guest)   1:02:47\nJust that nights are a different world. Nobody sees it.")
    paragraph(d, "Rahul Mehta stopped transcription")
    d.save(HERE / "teams_transcript.docx")


def teams_legacy() -> None:
    d = Document()
    paragraph(d, "0:0:0.0 --> 0:0:4.870\nDoe, Jane\nRight, welcome, and thanks for agreeing to this.")
    paragraph(d, "0:0:5.320 --> 0:0:9.10")
    paragraph(d, "Ibáñez, Lucía")
    paragraph(d, "No problem. Happy to help, honestly.")
    paragraph(
        d,
        "0:0:9.10 --> 0:0:15.600\nIbáñez, Lucía\nI’ve been wanting to talk to someone about the rota changes for ages.",
    )
    paragraph(d, "0:0:16.0 --> 0:0:19.250\nDoe, Jane\nWhat changed in the rota?")
    d.save(HERE / "teams_legacy.docx")


def tables() -> None:
    d = Document()
    paragraph(d, "Interview P8", style="Heading 1")
    details = d.add_table(rows=3, cols=2)
    for row, (key, value) in zip(
        details.rows, [("Participant", "P8"), ("Date", "9 January 2024"), ("Interviewer", "K. Byrne")]
    ):
        row.cells[0].text, row.cells[1].text = key, value
    paragraph(d, "")
    transcript = d.add_table(rows=8, cols=2)
    rows = [
        ("Speaker", "Transcript"),
        ("Interviewer", "What does a good day at the pharmacy look like?"),
        ("P8", "A good day? When nobody shouts at me about their prescription. [laughs]"),
        ("", "No, seriously — when the system works and I can actually talk to people."),
        ("Interviewer:", "And a bad day?"),
        (
            "P8",
            (
                "Supply problems. Last winter we couldn’t get amoxicillin for weeks, and parents were "
                "driving round four pharmacies with a feverish toddler in the back."
            ),
        ),
        ("Interviewer", "What helps, on days like that?"),
        (
            "P8",
            (
                "The regulars, funnily enough. There’s a man who comes in every Thursday for his blood-pressure "
                "tablets and he always asks how I am — properly asks, and waits for the answer. You’d be "
                "surprised how rare that is. 🙂"
            ),
        ),
    ]
    for row, (speaker, text) in zip(transcript.rows, rows):
        row.cells[0].text, row.cells[1].text = speaker, text
    transcript.rows[5].cells[1].add_paragraph("Note: P8 became upset here and we paused.")
    d.save(HERE / "p8_table.docx")


def timed_table() -> None:
    d = Document()
    table = d.add_table(rows=5, cols=3)
    rows = [
        ("00:00:12", "Interviewer", "How long have you lived on the estate?"),
        ("00:00:15", "P2", "Since 1998. I moved in the week of the World Cup — France won, I remember."),
        ("00:00:24", "Interviewer", "And how has it changed?"),
        ("00:00:27", "P2", "Everyone I knew has gone. The café’s a vape shop now."),
        ("00:01:05", "P2", "Sorry — I mean, it’s not all bad. The new families are lovely."),
    ]
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    d.save(HERE / "p2_timed_table.docx")


def fieldnotes() -> None:
    d = Document()
    paragraph(d, "Reflexive journal — week 3", style="Heading 1")
    paragraph(
        d,
        "I noticed today that I keep reaching for the word “resilience” when I summarise what "
        "participants say, even when they never use it.",
    )
    paragraph(
        d,
        "Possibly because of the funder’s framing. Worth watching: am I hearing what the call "
        "for proposals wanted me to hear?",
    )
    paragraph(d, "Plan: reread P3 and P7 with that question in mind.")
    d.save(HERE / "journal_no_speakers.docx")


def otter_docx() -> None:
    d = Document()
    paragraph(d, "Speaker 1  0:00")
    paragraph(d, "So the first question is just, how long have you worked here?")
    paragraph(d, "Speaker 2  0:05")
    paragraph(d, "Oh, gosh. Twenty-two years in March.")
    paragraph(d, "Speaker 1  0:09")
    paragraph(d, "And has it changed much?")
    paragraph(d, "Transcribed by https://otter.ai")
    d.save(HERE / "otter_export.docx")


def nvivo_table() -> None:
    """A transcript exported from NVivo: row number | Timespan | Content | Speaker."""
    d = Document()
    paragraph(d, "Interview 7 - Transcript", style="Heading 1")
    table = d.add_table(rows=1, cols=4)
    for cell, header in zip(table.rows[0].cells, ["", "Timespan", "Content", "Speaker"]):
        cell.text = header
    rows = [
        ("1", "0:00.0 - 0:12.4", "So could you tell me about your first year on the plot?", "Interviewer"),
        ("2", "0:12.4 - 0:40.9", "Chaos, honestly. Bindweed everywhere, and the shed roof fell in at Easter.", "Gwen"),
        ("3", "0:40.9 - 0:45.0", "And how did you cope with that?", "Interviewer"),
        ("4", "0:45.0 - 1:20.3", "I asked for help. The man next door lent me his strimmer and a ladder.", "Gwen"),
        ("5", "1:02:05.5 - 1:02:09.0", "Thank you. That's everything from me.", "Interviewer"),
    ]
    for values in rows:
        for cell, value in zip(table.add_row().cells, values):
            cell.text = value
    d.save(HERE / "nvivo_timespan.docx")


def teams_paragraphs() -> None:
    """A Teams transcript saved from the web app: the name and time, then the words, each in a
    paragraph of its own, between the started and stopped transcription lines."""
    d = Document()
    paragraph(d, "Allotments study - interview 4-20240312_101412-Meeting Recording")
    paragraph(d, "12 March 2024, 10:14am")
    paragraph(d, "41m 6s")
    paragraph(d, "Hannah Price started transcription")
    turns = [
        ("Hannah Price", "0:03", ["Thanks for joining. Can you hear me OK?"]),
        ("Gwen Morris", "0:07", ["Yes, fine. I'm in the shed, so the signal's a bit iffy."]),
        ("Hannah Price", "0:12", ["No problem. So tell me how you got your plot."]),
        ("Gwen Morris", "0:18", ["I was on the waiting list for six years.", "Six years! And then two came up at"]),
        ("Gwen Morris", "0:41", ["once, so I took the one by the gate."]),
        ("Hannah Price", "1:02:05", ["Anything else you'd like to add?"]),
        ("Gwen Morris", "1:02:09", ["No. That's me done."]),
    ]
    for name, time, words in turns:
        paragraph(d, f"{name}   {time}")
        for text in words:
            paragraph(d, text)
    paragraph(d, "Hannah Price stopped transcription")
    d.save(HERE / "teams_paragraphs.docx")


def otter_named_docx() -> None:
    """An Otter .docx with named speakers and no footer: Otter's title, date and length line,
    its keywords and speakers lists, then each block's "Name  0:00" header in a paragraph of its
    own and the words in the next (Teams puts both in one paragraph)."""
    d = Document()
    paragraph(d, "Food bank volunteers - Kemi")
    paragraph(d, "Tue, Mar 12, 2024 10:14AM • 18:40")
    paragraph(d, "SUMMARY KEYWORDS")
    paragraph(d, "volunteers, saturday sort, warehouse, rota, tins")
    paragraph(d, "SPEAKERS")
    paragraph(d, "Jane Doe, Kemi Adebayo")
    blocks = [
        ("Jane Doe", "00:00", "Thanks for staying on after the shift. How long have you been sorting on Saturdays?"),
        ("Kemi Adebayo", "00:07", "Nearly three years. I started when my daughter was doing her Duke of Edinburgh."),
        ("Kemi Adebayo", "00:19", "She stopped after the summer, and I just kept coming."),
        ("Jane Doe", "00:26", "What keeps you coming back?"),
        ("Kemi Adebayo", "00:29", "The people on the tins table. We've been sat together since the first week."),
    ]
    for name, time, words in blocks:
        paragraph(d, f"{name}  {time}")
        paragraph(d, words)
    d.save(HERE / "otter_named.docx")


def meet_docx() -> None:
    """A Google Meet transcript as Google Docs saves it to .docx: the meeting code and date as the
    title, the attendees, a note on accuracy, a time every five minutes, "Name: words" paragraphs,
    and the closing line."""
    d = Document()
    paragraph(d, "pqe-hfks-tnw (2024-06-18 09:31 GMT+1) - Transcript", style="Title")
    paragraph(d, "Attendees", style="Heading 2")
    paragraph(d, "Ayesha Karim, Ruth Mbeki")
    paragraph(d, "Transcript", style="Heading 2")
    paragraph(
        d,
        "This editable transcript was computer generated and might contain errors. "
        "People can also change the text after it was created.",
    )
    paragraph(d, "00:00:00")
    paragraph(d, "Ayesha Karim: Thanks, Ruth. Can you tell me how the reading group started?")
    paragraph(d, "Ruth Mbeki: A resident asked for it. She'd run one at her old church and missed it.")
    paragraph(d, "Ayesha Karim: Who comes, usually?")
    paragraph(d, "00:05:00")
    paragraph(d, "Ruth Mbeki: Six or seven regulars. More when it's a book with a film.")
    paragraph(d, "Meeting ended after 00:06:12 👋")
    d.save(HERE / "meet_transcript.docx")


CP1252_TEXT = """Interviewer: Can you tell me about the café where you volunteer?
Participant: It’s a small place — twelve tables — near the gare in Roubaix. We call it “Chez Hélène”, after the founder.
Interviewer: What do you do there, mostly?
Participant: Dishes. Lots of dishes. And I talk to people; that’s the real job, I think.
"""

UTF16_TEXT = """Interviewer: How did you find the first lockdown?
P4: Strange. Quiet. I live alone, so — nothing, for days. I talked to the plants. 🌱
Interviewer: Did anyone check in on you?
P4: My neighbour, Zoë. She left soup on the step every Friday. Ελένη from the choir phoned too.
"""

UTF8_BOM_VTT = """WEBVTT

00:00:01.000 --> 00:00:03.500
<v Interviewer>Shall we begin?</v>

00:00:04.000 --> 00:00:08.000
<v P6>Yes. I’m ready — nervous, but ready. 😬</v>
"""


def encodings() -> None:
    (HERE / "cafe_cp1252.txt").write_bytes(CP1252_TEXT.replace("\n", "\r\n").encode("cp1252"))
    (HERE / "lockdown_utf16.txt").write_bytes(UTF16_TEXT.replace("\n", "\r\n").encode("utf-16"))
    (HERE / "p6_bom.vtt").write_bytes(UTF8_BOM_VTT.encode("utf-8-sig"))


if __name__ == "__main__":
    makers = (prefixes, bold_labels, teams, teams_legacy, tables, timed_table, fieldnotes, otter_docx, encodings)
    for make in (*makers, nvivo_table, teams_paragraphs, otter_named_docx, meet_docx):
        make()
