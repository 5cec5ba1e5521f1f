"""Importing QualCoder projects (samples in tests/data/qualcoder, see make_samples.py there)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import coded

from qualcode.exchange.qualcoder import import_qualcoder

SAMPLES = Path(__file__).parent / "data" / "qualcoder"


@pytest.fixture
def v16(tmp_path) -> Path:
    copy = tmp_path / "study.qda"
    shutil.copytree(SAMPLES / "study_v16.qda", copy)
    return copy


def test_codings_keep_their_owner_and_their_words_after_emoji(project, v16):
    outcome = import_qualcoder(project, v16, "Maya")
    assert coded(project) == [
        ("Amara", "Motivation", "Interview_Jamal", "I saw what the carers did. I wanted to do that"),
        ("Amara", "Rushing", "Interview_Jamal", "Ten minutes of talk and the whole visit is different"),
        ("Amara", "Rushing", "Interview_Rosa", "Fifteen minutes per client, door to door"),
        ("Amara", "Trust", "Interview_Rosa", "I can't be late for him, he trusts me"),
        ("Ben", "Family", "Interview_Rosa", "My daughter says I bring the job home"),
        ("Ben", "Rushing", "Interview_Rosa", "Fifteen minutes per client"),
        ("Ben", "Rushing", "night_round", "three nights a week"),
        ("Ben", "Trust", "Interview_Rosa", "Mr Dewan waits by the window for me 🪟 every morning"),
    ]
    assert outcome.warnings == [
        "skipped 1 image, audio or video source: qualcode holds text only",
        "skipped 1 coding that point to a code that does not exist",
        "skipped 1 coding that point to a source that is not text or does not exist",
        "skipped a coding in 'Interview_Jamal' at 0-21: the text there is not the text QualCoder recorded",
    ]


def test_categories_and_sub_codes_become_the_code_hierarchy(project, v16):
    outcome = import_qualcoder(project, v16, "Maya")
    tree = project.query(
        "SELECT c.name, p.name parent, c.description FROM codes c LEFT JOIN codes p ON p.id = c.parent_id ORDER BY c.name"
    )
    assert tree == [
        {"name": "Family", "parent": "Relationships (category)", "description": None},
        {"name": "Family expectations", "parent": "Family", "description": "What relatives expect of the carer."},
        {"name": "Motivation", "parent": None, "description": None},
        {"name": "Relationships", "parent": None, "description": "Relationship talk in general."},
        {"name": "Relationships (category)", "parent": None, "description": None},
        {"name": "Rushing", "parent": "Time", "description": "Running out of time between clients."},
        {"name": "Time", "parent": "Working conditions", "description": None},
        {"name": "Trust", "parent": "Relationships (category)", "description": "Clients relying on the carer."},
        {"name": "Working conditions", "parent": None, "description": "How the job is organised."},
    ]
    assert (
        "category 'Relationships' shares its name with a code: brought in as 'Relationships (category)'"
        in outcome.notes
    )
    assert project.query("SELECT color FROM codes WHERE name = 'Rushing'") == [{"color": "#F5A9A9"}]
    # QualCoder's categories stay categories: they group codes and are never applied.
    assert [r["name"] for r in project.query("SELECT name FROM codes WHERE codable = 0 ORDER BY name")] == [
        "Relationships (category)",
        "Time",
        "Working conditions",
    ]


def test_cases_and_attributes_become_participants(project, v16):
    import_qualcoder(project, v16, "Maya")
    people = {}
    for row in project.query(
        "SELECT p.name, a.key, a.value FROM participants p LEFT JOIN participant_attributes a ON a.participant_id = p.id"
    ):
        people.setdefault(row["name"], {})[row["key"]] = row["value"]
    assert people == {
        "Rosa": {"Age": "47", "Employer": "private agency", "Interview mode": "phone"},
        "Jamal": {"Age": "35", "Employer": "council"},
        "night_round": {"Interview mode": "in person"},
    }
    assert project.query(
        "SELECT t.name, p.name participant FROM transcripts t JOIN participants p ON p.id = t.participant_id ORDER BY t.name"
    ) == [
        {"name": "Interview_Jamal", "participant": "Jamal"},
        {"name": "Interview_Rosa", "participant": "Rosa"},
        {"name": "night_round", "participant": "night_round"},
    ]


def test_journals_memos_and_annotations(project, v16):
    import_qualcoder(project, v16, "Maya")
    memos = project.query(
        "SELECT a.name analyst, m.kind, m.target_type, m.body FROM memos m JOIN analysts a ON a.id = m.analyst_id ORDER BY m.id"
    )
    assert memos == [
        {
            "analyst": "Amara",
            "kind": "familiarisation",
            "target_type": "transcript",
            "body": "Long pauses after the family question.",
        },
        {"analyst": "Amara", "kind": "coding", "target_type": "coding", "body": "Trust made of punctuality."},
        {
            "analyst": "Amara",
            "kind": "reflexive",
            "target_type": None,
            "body": "Case memo for Rosa:\n\nWorks for the private agency.",
        },
        {
            "analyst": "Amara",
            "kind": "reflexive",
            "target_type": None,
            "body": "After Rosa\n\nI recognised my own mother in Mr Dewan. Watch for that.",
        },
        {
            "analyst": "Ben",
            "kind": "reflexive",
            "target_type": None,
            "body": "Coding meeting 1\n\nWe split Family into Family expectations.",
        },
        {
            "analyst": "Ben",
            "kind": "familiarisation",
            "target_type": "transcript",
            "body": "On “She is right”: Said very quietly.",
        },
        {
            "analyst": "Maya",
            "kind": "reflexive",
            "target_type": None,
            "body": "Project memo (study.qda):\n\nHome care workers, city district study.",
        },
    ]
    assert project.query("SELECT created FROM memos WHERE body LIKE 'After Rosa%'") == [
        {"created": "2024-02-01T18:00:00+00:00"}
    ]


def test_an_older_database_with_windows_line_ends(project):
    import_qualcoder(project, SAMPLES / "study_v5.qda", "Maya")
    assert coded(project) == [
        ("Lena", "Physical strain", "Noemi", "My back is gone after four years"),
        ("Lena", "Staffing", "Noemi", "We are never two"),
    ]
    assert "\r" not in project.query("SELECT text FROM transcripts")[0]["text"]


def test_positions_a_qualcoder_version_counted_in_utf16_are_recognised(project, v16):
    """Qt counts UTF-16 units; a QualCoder that stored its cursor positions shifts after emoji."""
    with sqlite3.connect(v16 / "data.qda") as db:
        text = db.execute("SELECT fulltext FROM source WHERE id = 1").fetchone()[0]
        for ctid, pos0, pos1 in db.execute("SELECT ctid, pos0, pos1 FROM code_text WHERE fid = 1").fetchall():
            units = [len(text[:p].encode("utf-16-le")) // 2 for p in (pos0, pos1)]
            db.execute("UPDATE code_text SET pos0 = ?, pos1 = ? WHERE ctid = ?", [*units, ctid])
    outcome = import_qualcoder(project, v16, "Maya")
    assert ("Ben", "Trust", "Interview_Rosa", "Mr Dewan waits by the window for me 🪟 every morning") in coded(project)
    assert (
        "positions in 1 source counted UTF-16 units (an emoji as two characters); converted to qualcode's positions"
        in outcome.notes
    )


def test_the_qualcoder_project_is_only_read(project, v16):
    before = hashlib.sha256((v16 / "data.qda").read_bytes()).hexdigest()
    import_qualcoder(project, v16, "Maya")
    assert hashlib.sha256((v16 / "data.qda").read_bytes()).hexdigest() == before


def test_importing_twice_adds_nothing(project, v16):
    import_qualcoder(project, v16, "Maya")
    again = import_qualcoder(project, v16, "Maya")
    assert [r["added"] for r in again.rows()] == [0] * len(again.rows())


def test_an_owner_can_be_recorded_as_an_analyst_here(project, v16, run):
    result = run("-p", "study", "import", "qualcoder", v16, "--analyst-map", "Amara=Maya")
    assert result.exit_code == 0
    assert {c[0] for c in coded(project)} == {"Maya", "Ben"}


def test_the_oldest_database_without_coding_ids_keeps_each_memo_on_its_own_coding(project):
    """QualCoder 1.0's code_text had no ctid: two coders' codings of the same words are told apart by rowid."""
    outcome = import_qualcoder(project, SAMPLES / "study_v1.qda", "Maya")
    assert "study_v1.qda is a QualCoder project, database v1" in outcome.notes
    assert coded(project) == [
        ("Kim", "Belonging", "Idris", "people who ask how you are and wait for the answer"),
        ("Lou", "Belonging", "Idris", "people who ask how you are and wait for the answer"),
    ]
    memos = project.query(
        "SELECT author.name author, coder.name coder, m.body FROM memos m JOIN codings c ON c.id = m.target_id"
        " JOIN analysts author ON author.id = m.analyst_id JOIN analysts coder ON coder.id = c.analyst_id"
        " WHERE m.target_type = 'coding' ORDER BY author.name"
    )
    assert memos == [
        {"author": "Kim", "coder": "Kim", "body": "Being waited for."},
        {"author": "Lou", "coder": "Lou", "body": "Care as attention, not help."},
    ]


def test_a_v17_database_whose_changes_are_in_the_graph_tables_is_read(project, v16):
    with sqlite3.connect(v16 / "data.qda") as db:
        db.execute(
            "CREATE TABLE gr_memo_item (gmemoid integer primary key, grid integer, memo_source_type text, memo_source_id integer, x integer, y integer, color text, font_size integer)"
        )
        db.execute("UPDATE project SET databaseversion = 'v17'")
    outcome = import_qualcoder(project, v16, "Maya")
    assert "study.qda is a QualCoder project, database v17" in outcome.notes
    assert len(coded(project)) == 8


@pytest.mark.parametrize("version", ["v18", "v35", None])
def test_an_unknown_database_version_is_refused(project, v16, run, version):
    with sqlite3.connect(v16 / "data.qda") as db:
        db.execute("UPDATE project SET databaseversion = ?", [version])
    result = run("-p", "study", "import", "qualcoder", v16)
    assert result.exit_code == 1
    shown = f"version '{version}'" if version else "no version"
    assert result.output == (
        f"Error: study.qda is a QualCoder database of {shown}, which qualcode does not know (it reads v1 to v17); "
        "export it from QualCoder as REFI-QDA (.qdpx) and import that instead\n"
    )
    assert project.query("SELECT count(*) n FROM transcripts") == [{"n": 0}]


def test_a_folder_without_a_qualcoder_database_is_refused(tmp_path, run, project):
    (tmp_path / "empty.qda").mkdir()
    result = run("-p", "study", "import", "qualcoder", tmp_path / "empty.qda")
    assert result.exit_code == 1
    assert "no QualCoder project here" in result.output


def test_a_file_that_is_not_a_database_is_named_in_the_message(tmp_path, run, project):
    (tmp_path / "notes.txt").write_text("Interviewer: hello\n")
    result = run("-p", "study", "import", "qualcoder", tmp_path / "notes.txt")
    assert result.output == "Error: notes.txt is not an SQLite database, so not a QualCoder project\n"


def test_a_zipped_project_is_refused_with_what_to_do(tmp_path, run, project, v16):
    import zipfile

    with zipfile.ZipFile(tmp_path / "study.qda.zip", "w") as archive:
        archive.write(v16 / "data.qda", "study.qda/data.qda")
    result = run("-p", "study", "import", "qualcoder", tmp_path / "study.qda.zip")
    assert result.output == (
        "Error: study.qda.zip is a zip archive: unzip it and give the PROJECT.qda folder inside "
        "(or, for a REFI-QDA export, use `qualcode import qdpx`)\n"
    )


def test_an_sqlite_file_of_another_program_is_refused(tmp_path, run, project):
    (tmp_path / "other.qda").mkdir()
    with sqlite3.connect(tmp_path / "other.qda" / "data.qda") as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    result = run("-p", "study", "import", "qualcoder", tmp_path / "other.qda")
    assert (
        result.output
        == "Error: other.qda is not a QualCoder project: its database has no code_name, code_text, project, source table\n"
    )


def test_sources_codes_and_categories_keep_their_qualcoder_dates(project, v16):
    import_qualcoder(project, v16, "Maya")
    dated = {r["name"]: r["created"] for r in project.query("SELECT name, created FROM codes")}
    assert set(dated.values()) == {"2024-02-01T09:30:00+00:00", "2024-02-01T09:31:00+00:00"}
    imported = project.query("SELECT t.imported_at, a.name FROM transcripts t JOIN analysts a ON a.id = t.imported_by")
    assert imported and all(r["imported_at"].startswith("2024-") and r["name"] != "Maya" for r in imported), imported


def test_work_on_pictures_and_what_qualcode_has_no_place_for_is_named_and_memos_are_kept(project, v16):
    # As QualCoder records them: an area of window.jpg coded with Trust and a memo on it, a
    # stretch of a recording coded, a memo on the picture itself, a coding marked important, an
    # attribute with a memo, a stored query.
    with sqlite3.connect(v16 / "data.qda") as db:
        db.execute("UPDATE source SET memo = 'Taken from the street.' WHERE id = 3")
        db.execute(
            "INSERT INTO code_image (id, x1, y1, width, height, cid, memo, date, owner, important, pdf_page)"
            " VALUES (3, 10, 10, 50, 40, 2, 'The window he waits at.', '2024-02-04 10:00:00', 'Amara', NULL, NULL)"
        )
        db.execute(
            "INSERT INTO code_av (id, pos0, pos1, cid, memo, date, owner, important)"
            " VALUES (3, 0, 1000, 1, '', '2024-02-04 10:05:00', 'Ben', NULL)"
        )
        db.execute("UPDATE code_text SET important = 1 WHERE ctid = 2")
        db.execute("UPDATE attribute_type SET memo = 'In years, at the interview.' WHERE name = 'Age'")
        db.execute("INSERT INTO stored_sql VALUES ('Trust by case', '', '', 'select 1')")
    outcome = import_qualcoder(project, v16, "Maya")
    for line in (
        "skipped 2 codings of pictures, audio or video (their memos are kept): qualcode codes text only",
        "1 coding is marked important in QualCoder: qualcode has no such mark, so it came in as an ordinary coding",
        "skipped the memos of 1 attribute: qualcode's attributes have none",
        "skipped 1 stored SQL query",
    ):
        assert line in outcome.warnings
    bodies = {r["body"]: r["created"] for r in project.query("SELECT body, created FROM memos")}
    assert bodies["Memo on window.jpg (not brought in: qualcode holds text only):\n\nTaken from the street."] == (
        "2024-02-01T09:22:00+00:00"
    )
    assert bodies[
        "Memo on a coding of window.jpg with 'Trust' (not brought in: qualcode codes text only):"
        "\n\nThe window he waits at."
    ] == ("2024-02-04T10:00:00+00:00")
