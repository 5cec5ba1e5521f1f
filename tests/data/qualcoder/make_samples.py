"""Writes the QualCoder project samples in this folder (study_v16.qda, study_v5.qda, study_v1.qda).

The data.qda files are committed; run this again only to change them:
    .venv/bin/python tests/data/qualcoder/make_samples.py

The tables follow QualCoder's own CREATE TABLE statements for each database version (v16: the
current layout with sub-codes in code_name.supercid; v5: before sub-codes, graphs, ris and the
rest). Positions are what QualCoder stores: Python string indices into source.fulltext, with the
selected text in seltext. The v16 sample has emoji before codings, a category named like a code,
a sub-code, cases with attributes, a file attribute, journals, memos, an annotation, an image, and
three codings that must not come in (a deleted code, a deleted file, text that no longer matches).
The v5 sample's text has Windows line ends, which QualCoder kept and counted.
The v1 sample has the tables QualCoder 1.0 created (2019): a four-column project table and a
code_text table without ctid, avid or important, so its codings are known only by rowid; two
coders coded the same words, each with a memo of their own.
The otter_v16 sample holds Otter transcripts as QualCoder keeps them: one imported from Otter's
.txt export (header lines "Name  0:00", the words on the next line, Otter's footer), one from its
.docx export, whose paragraphs QualCoder joins with a blank line between them; codings on words
in several turns, one of them across two of Otter's blocks.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

HERE = Path(__file__).parent

V16_TABLES = """
CREATE TABLE project (databaseversion text, date text, memo text,about text, bookmarkfile integer, bookmarkpos integer, codername text, recently_used_codes text, avbookmarkfile integer, avbookmarkmsec integer, avbookmarktextpos integer);
CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo text, owner text, date text, av_text_id integer, risid integer, unique(name));
CREATE TABLE code_image (imid integer primary key,id integer,x1 integer, y1 integer, width integer, height integer, cid integer, memo text, date text, owner text, important integer, pdf_page integer);
CREATE TABLE code_av (avid integer primary key,id integer,pos0 integer, pos1 integer, cid integer, memo text, date text, owner text, important integer);
CREATE TABLE annotation (anid integer primary key, fid integer,pos0 integer, pos1 integer, memo text, owner text, date text, unique(fid,pos0,pos1,owner));
CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text, caseOrFile text, valuetype text);
CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text, id integer, date text, owner text, unique(name,attr_type,id));
CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer, pos1 integer, owner text, date text, memo text);
CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text,date text, constraint ucm unique(name));
CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text, supercatid integer, unique(name));
CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer,seltext text, pos0 integer, pos1 integer, owner text, date text, memo text, avid integer, important integer, unique(cid,fid,pos0,pos1, owner));
CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer, owner text,date text, color text, supercid integer, unique(name));
CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text, unique(name));
CREATE TABLE stored_sql (title text, description text, grouper text, ssql text, unique(title));
CREATE TABLE coder_names (name TEXT UNIQUE NOT NULL, visibility INTEGER NOT NULL DEFAULT 1 CHECK (visibility IN (0, 1)));
CREATE TABLE files_filter (filterid integer primary key, name text, filter text, owner text);
"""

V5_TABLES = """
CREATE TABLE project (databaseversion text, date text, memo text,about text, bookmarkfile integer, bookmarkpos integer, codername text);
CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo text, owner text, date text, av_text_id integer, unique(name));
CREATE TABLE annotation (anid integer primary key, fid integer,pos0 integer, pos1 integer, memo text, owner text, date text);
CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text, caseOrFile text, valuetype text);
CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text, id integer, date text, owner text);
CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer, pos1 integer, owner text, date text, memo text);
CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text,date text, constraint ucm unique(name));
CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text, supercatid integer, unique(name));
CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer,seltext text, pos0 integer, pos1 integer, owner text, date text, memo text, avid integer, important integer, unique(cid,fid,pos0,pos1, owner));
CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer, owner text,date text, color text, unique(name));
CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text);
CREATE TABLE stored_sql (title text, description text, grouper text, ssql text, unique(title));
"""

V1_TABLES = """
CREATE TABLE project (databaseversion text, date text, memo text, about text);
CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo text, owner text, date text, unique(name));
CREATE TABLE code_image (imid integer primary key,id integer,x1 integer, y1 integer, width integer, height integer, cid integer, memo text, date text, owner text);
CREATE TABLE code_av (avid integer primary key,id integer,pos0 integer, pos1 integer, cid integer, memo text, date text, owner text);
CREATE TABLE annotation (anid integer primary key, fid integer,pos0 integer, pos1 integer, memo text, owner text, date text);
CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text, caseOrFile text, valuetype text);
CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text, id integer, date text, owner text);
CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer, pos1 integer, owner text, date text, memo text);
CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text,date text, constraint ucm unique(name));
CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text, supercatid integer, unique(name));
CREATE TABLE code_text (cid integer, fid integer,seltext text, pos0 integer, pos1 integer, owner text, date text, memo text, unique(cid,fid,pos0,pos1, owner));
CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer, owner text,date text, color text, unique(name));
CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text);
"""

ROSA = """Interviewer: How is the new schedule?
Rosa: Honestly? 😩 Fifteen minutes per client, door to door. I run between flats.
Interviewer: What about the clients?
Rosa: Mr Dewan waits by the window for me 🪟 every morning. I can't be late for him, he trusts me.
Interviewer: And your family?
Rosa: My daughter says I bring the job home. She is right.
"""
JAMAL = """Interviewer: Why did you start in home care?
Jamal: My mother needed care and I saw what the carers did. I wanted to do that.
Interviewer: What makes a good day?
Jamal: When I have time to talk. Ten minutes of talk and the whole visit is different.
"""
RECORDING = """Speaker 1: we're recording now
Speaker 2: okay so I work the night round, three nights a week
"""
NOEMI = "Interviewer: What is the hardest part?\r\nNoemi: Lifting. My back is gone after four years.\r\nInterviewer: Do you get help?\r\nNoemi: We should be two for the hoist. We are never two.\r\n"


OTTER_TXT = """Millbrook Mills - Margaret Hale
Tue, May 14, 2019 2:05PM • 38:12

SUMMARY KEYWORDS
mill, doffing, overlooker, co-op, leaving

SPEAKERS
Ruth Bell, Margaret Hale

Ruth Bell  0:00
Margaret, can you tell me where you were born?

Margaret Hale  0:04
In the house two doors down from this one. My mother never moved more than a mile.

Ruth Bell  0:13
And when did you start at the mill?

Margaret Hale  0:16
Fourteen. The Monday after I left school. It was the mill or

Margaret Hale  0:24
service, and my mother wouldn't have me in service.

Ruth Bell  0:31
Did you ever think of leaving?

Margaret Hale  0:35
Once. I stood outside the Co-op office and then I went home.

Transcribed by https://otter.ai
"""
OTTER_DOCX_PARAGRAPHS = [
    "Food bank volunteers - Kemi",
    "Tue, Mar 12, 2024 10:14AM • 18:40",
    "Jane Doe  00:00",
    "Thanks for staying on after the shift. How long have you been sorting on Saturdays?",
    "Kemi Adebayo  00:07",
    "Nearly three years. I started when my daughter was doing her Duke of Edinburgh.",
    "Jane Doe  00:26",
    "What keeps you coming back?",
    "Kemi Adebayo  00:29",
    "The people on the tins table. We've been sat together since the first week.",
]
OTTER_DOCX = "\n\n".join(OTTER_DOCX_PARAGRAPHS)  # as QualCoder imports a .docx


def coding(text: str, phrase: str, occurrence: int = 0) -> tuple[str, int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return phrase, start, start + len(phrase)


def fresh(folder: Path, tables: str) -> sqlite3.Connection:
    folder.mkdir(exist_ok=True)
    database = folder / "data.qda"
    database.unlink(missing_ok=True)
    connection = sqlite3.connect(database)
    connection.executescript(tables)
    return connection


def v16() -> None:
    db = fresh(HERE / "study_v16.qda", V16_TABLES)
    db.execute("INSERT INTO project VALUES ('v16', '2024-02-01 09:12:44', 'Home care workers, city district study.', 'QualCoder 3.6', 0, 0, 'Amara', '', NULL, NULL, NULL)")
    db.executemany(
        "INSERT INTO source (id, name, fulltext, mediapath, memo, owner, date, av_text_id, risid) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
        [
            (1, "Interview_Rosa.txt", ROSA, None, "Long pauses after the family question.", "Amara", "2024-02-01 09:20:00"),
            (2, "Interview_Jamal.docx", JAMAL, "/docs/Interview_Jamal.docx", "", "Amara", "2024-02-01 09:21:00"),
            (3, "window.jpg", None, "/images/window.jpg", "", "Amara", "2024-02-01 09:22:00"),
            (4, "night_round.m4a.transcribed", RECORDING, None, "", "Ben", "2024-02-02 10:00:00"),
        ],
    )
    db.executemany(
        "INSERT INTO code_cat (catid, name, owner, date, memo, supercatid) VALUES (?, ?, 'Amara', '2024-02-01 09:30:00', ?, ?)",
        [(1, "Working conditions", "How the job is organised.", None), (2, "Relationships", "", None), (3, "Time", "", 1)],
    )
    db.executemany(
        "INSERT INTO code_name (cid, name, memo, catid, owner, date, color, supercid) VALUES (?, ?, ?, ?, 'Amara', '2024-02-01 09:31:00', ?, ?)",
        [
            (1, "Rushing", "Running out of time between clients.", 3, "#F5A9A9", None),
            (2, "Trust", "Clients relying on the carer.", 2, "#81BEF7", None),
            (3, "Family", "", 2, "#F3E2A9", None),
            (4, "Family expectations", "What relatives expect of the carer.", None, "#F3E2A9", 3),
            (5, "Relationships", "Relationship talk in general.", None, "#D8D8D8", None),
            (6, "Motivation", "", None, "#A9F5A9", None),
        ],
    )
    rows = [
        (1, 1, coding(ROSA, "Fifteen minutes per client, door to door"), "Amara", ""),
        (2, 1, coding(ROSA, "I can't be late for him, he trusts me"), "Amara", "Trust made of punctuality."),
        (1, 1, coding(ROSA, "Fifteen minutes per client"), "Ben", ""),
        (2, 1, coding(ROSA, "Mr Dewan waits by the window for me 🪟 every morning"), "Ben", ""),
        (3, 1, coding(ROSA, "My daughter says I bring the job home"), "Ben", ""),
        (6, 2, coding(JAMAL, "I saw what the carers did. I wanted to do that"), "Amara", ""),
        (1, 2, coding(JAMAL, "Ten minutes of talk and the whole visit is different"), "Amara", ""),
        (1, 4, coding(RECORDING, "three nights a week"), "Ben", ""),
        (99, 1, coding(ROSA, "I run between flats"), "Amara", ""),  # its code was deleted
    ]
    for number, (cid, fid, (seltext, pos0, pos1), owner, memo) in enumerate(rows, start=1):
        db.execute(
            "INSERT INTO code_text (ctid, cid, fid, seltext, pos0, pos1, owner, date, memo, avid, important) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            (number, cid, fid, seltext, pos0, pos1, owner, f"2024-02-03 1{number % 10}:00:00", memo),
        )
    # A coding of a file that was deleted, and one whose text no longer matches (edited source).
    db.execute("INSERT INTO code_text VALUES (20, 2, 42, 'gone', 0, 4, 'Amara', '2024-02-03 12:00:00', '', NULL, NULL)")
    db.execute("INSERT INTO code_text VALUES (21, 3, 2, 'my father needed care', 0, 21, 'Ben', '2024-02-03 12:00:00', '', NULL, NULL)")
    db.executemany(
        "INSERT INTO cases (caseid, name, memo, owner, date) VALUES (?, ?, ?, 'Amara', '2024-02-01 10:00:00')",
        [(1, "Rosa", "Works for the private agency."), (2, "Jamal", "")],
    )
    db.executemany(
        "INSERT INTO case_text (caseid, fid, pos0, pos1, owner, date, memo) VALUES (?, ?, 0, ?, 'Amara', '2024-02-01 10:01:00', '')",
        [(1, 1, len(ROSA)), (2, 2, len(JAMAL))],
    )
    db.executemany(
        "INSERT INTO attribute_type (name, date, owner, memo, caseOrFile, valuetype) VALUES (?, '2024-02-01 10:02:00', 'Amara', '', ?, ?)",
        [("Age", "case", "numeric"), ("Employer", "case", "character"), ("Interview mode", "file", "character")],
    )
    db.executemany(
        "INSERT INTO attribute (name, attr_type, value, id, date, owner) VALUES (?, ?, ?, ?, '2024-02-01 10:03:00', 'Amara')",
        [
            ("Age", "case", "47", 1), ("Employer", "case", "private agency", 1), ("Age", "case", "35", 2),
            ("Employer", "case", "council", 2), ("Interview mode", "file", "phone", 1), ("Interview mode", "file", "in person", 4),
        ],
    )
    db.executemany(
        "INSERT INTO journal (jid, name, jentry, date, owner) VALUES (?, ?, ?, ?, ?)",
        [
            (1, "After Rosa", "I recognised my own mother in Mr Dewan. Watch for that.", "2024-02-01 18:00:00", "Amara"),
            (2, "Coding meeting 1", "We split Family into Family expectations.", "2024-02-05 16:00:00", "Ben"),
        ],
    )
    _, pos0, pos1 = coding(ROSA, "She is right")
    db.execute("INSERT INTO annotation (fid, pos0, pos1, memo, owner, date) VALUES (1, ?, ?, 'Said very quietly.', 'Ben', '2024-02-04 09:00:00')", (pos0, pos1))
    db.commit()
    db.close()


def v5() -> None:
    db = fresh(HERE / "study_v5.qda", V5_TABLES)
    db.execute("INSERT INTO project VALUES ('v5', '2020-06-10 14:00:00', '', 'QualCoder 2.8', 0, 0, 'Lena')")
    db.execute("INSERT INTO source (id, name, fulltext, mediapath, memo, owner, date) VALUES (1, 'Noemi', ?, NULL, '', 'Lena', '2020-06-10 14:05:00')", (NOEMI,))
    db.execute("INSERT INTO code_name (cid, name, memo, catid, owner, date, color) VALUES (1, 'Physical strain', 'Bodies wearing out.', NULL, 'Lena', '2020-06-10 14:10:00', '#F78181')")
    db.execute("INSERT INTO code_name (cid, name, memo, catid, owner, date, color) VALUES (2, 'Staffing', '', NULL, 'Lena', '2020-06-10 14:11:00', '#81F7F3')")
    for number, (cid, phrase) in enumerate([(1, "My back is gone after four years"), (2, "We are never two")], start=1):
        seltext, pos0, pos1 = coding(NOEMI, phrase)
        db.execute(
            "INSERT INTO code_text (ctid, cid, fid, seltext, pos0, pos1, owner, date, memo, avid, important) VALUES (?, ?, 1, ?, ?, ?, 'Lena', '2020-06-10 15:00:00', '', NULL, NULL)",
            (number, cid, seltext, pos0, pos1),
        )
    db.commit()
    db.close()


IDRIS = """Interviewer: What did the allotment give you?
Idris: Somewhere to be that was not the flat. And people who ask how you are and wait for the answer.
Interviewer: Who are they?
Idris: Old men mostly. We argue about tomatoes.
"""


def v1() -> None:
    db = fresh(HERE / "study_v1.qda", V1_TABLES)
    db.execute("INSERT INTO project VALUES ('v1', '2019-10-02 11:00:00', '', 'QualCoder 1.0')")
    db.execute("INSERT INTO source (id, name, fulltext, mediapath, memo, owner, date) VALUES (1, 'Idris.txt', ?, NULL, '', 'Kim', '2019-10-02 11:05:00')", (IDRIS,))
    db.execute("INSERT INTO code_name (cid, name, memo, catid, owner, date, color) VALUES (1, 'Belonging', '', NULL, 'Kim', '2019-10-02 11:10:00', '#A9E2F3')")
    seltext, pos0, pos1 = coding(IDRIS, "people who ask how you are and wait for the answer")
    db.executemany(
        "INSERT INTO code_text (cid, fid, seltext, pos0, pos1, owner, date, memo) VALUES (1, 1, ?, ?, ?, ?, '2019-10-03 09:00:00', ?)",
        [(seltext, pos0, pos1, "Kim", "Being waited for."), (seltext, pos0, pos1, "Lou", "Care as attention, not help.")],
    )
    db.commit()
    db.close()


def otter_v16() -> None:
    db = fresh(HERE / "otter_v16.qda", V16_TABLES)
    db.execute("INSERT INTO project VALUES ('v16', '2024-03-20 10:00:00', '', 'QualCoder 3.6', 0, 0, 'Amara', '', NULL, NULL, NULL)")
    db.executemany(
        "INSERT INTO source (id, name, fulltext, mediapath, memo, owner, date, av_text_id, risid) VALUES (?, ?, ?, ?, '', 'Amara', '2024-03-20 10:05:00', NULL, NULL)",
        [(1, "Hale_otter.txt", OTTER_TXT, None), (2, "Kemi_otter.docx", OTTER_DOCX, "/docs/Kemi_otter.docx")],
    )
    db.executemany(
        "INSERT INTO code_name (cid, name, memo, catid, owner, date, color, supercid) VALUES (?, ?, '', NULL, 'Amara', '2024-03-20 10:10:00', ?, NULL)",
        [(1, "Staying put", "#F5A9A9"), (2, "Starting work", "#81BEF7"), (3, "Belonging", "#A9F5A9")],
    )
    rows = [
        (1, 1, coding(OTTER_TXT, "My mother never moved more than a mile")),
        (2, 1, coding(OTTER_TXT, "Fourteen. The Monday after I left school")),
        (2, 1, coding(OTTER_TXT, "It was the mill or\n\nMargaret Hale  0:24\nservice")),  # across two Otter blocks
        (1, 1, coding(OTTER_TXT, "I stood outside the Co-op office and then I went home")),
        (3, 2, coding(OTTER_DOCX, "The people on the tins table")),
    ]
    for number, (cid, fid, (seltext, pos0, pos1)) in enumerate(rows, start=1):
        db.execute(
            "INSERT INTO code_text (ctid, cid, fid, seltext, pos0, pos1, owner, date, memo, avid, important) VALUES (?, ?, ?, ?, ?, ?, 'Amara', '2024-03-21 09:00:00', '', NULL, NULL)",
            (number, cid, fid, seltext, pos0, pos1),
        )
    db.commit()
    db.close()

if __name__ == "__main__":
    v16()
    v5()
    v1()
    otter_v16()
