"""A round trip qualcode -> qdpx -> qualcode -> qdpx changes nothing, and what QualCoder reads of
the file (read here by an independent reader, read_as_qualcoder below) is the whole study."""

from __future__ import annotations

import re
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pytest
from helpers import write

from qualcode.analysis.coding import add_code, apply_codes, describe_code
from qualcode.analysis.memos import add_memo
from qualcode.exchange.project_merge import merge_project
from qualcode.exchange.refi.qdpx import export_qdpx, import_qdpx
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

# -- a second reader: project.qde read the way QualCoder reads it ------------------------------
# A second reader of .qdpx files, independent of qualcode's: it reads project.qde the way QualCoder's
# REFI-QDA import does, so tests can check what QualCoder (and programs reading alike) will show.
#
# As QualCoder reads it: a journal is a Note with a plainTextPath, its text taken from that file in
# sources/ (a Note's PlainTextContent alone is not read); a code is a Code with isCodable="true",
# a category one with isCodable="false", each with its colour and its Description as the memo; a
# coding is a Coding inside a PlainTextSelection of a TextSource, its memo the selection's
# Description; dates are the creationDateTime attributes. Only the standard library's XML parser,
# no qualcode module, is used.

NS = "{urn:QDA-XML:project:1.0}"


@dataclass
class QualCoderView:
    users: dict[str, str] = field(default_factory=dict)  # guid -> name
    journals: list[dict] = field(default_factory=list)
    categories: list[dict] = field(default_factory=list)
    codes: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    codings: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)


def read_as_qualcoder(path: Path) -> QualCoderView:
    view = QualCoderView()
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("project.qde"))

        def file_text(reference: str) -> str:
            name = reference.removeprefix("internal://")
            return archive.read(f"sources/{name}").decode("utf-8")

        for user in root.iter(f"{NS}User"):
            view.users[user.get("guid")] = user.get("name")
        codes = {}

        def walk(element, category):
            for code in element.findall(f"{NS}Code"):
                description = code.find(f"{NS}Description")
                item = {
                    "name": code.get("name"),
                    "color": code.get("color"),
                    "memo": description.text if description is not None else "",
                    "category": category,
                }
                codes[code.get("guid")] = item
                if code.get("isCodable") == "true":
                    view.codes.append(item)
                else:
                    view.categories.append(item)
                walk(code, code.get("name"))

        codebook = root.find(f"{NS}CodeBook/{NS}Codes")
        if codebook is not None:
            walk(codebook, None)
        for note in root.iter(f"{NS}Note"):
            if note.get("plainTextPath"):  # QualCoder reads only these
                view.journals.append(
                    {
                        "name": note.get("name"),
                        "text": file_text(note.get("plainTextPath")),
                        "date": note.get("creationDateTime"),
                        "owner": view.users.get(note.get("creatingUser")),
                    }
                )
        for source in root.iter(f"{NS}TextSource"):
            text = file_text(source.get("plainTextPath"))
            view.sources.append({"name": source.get("name"), "date": source.get("creationDateTime"), "text": text})
            for selection in source.findall(f"{NS}PlainTextSelection"):
                description = selection.find(f"{NS}Description")
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                for coding in selection.findall(f"{NS}Coding"):
                    code = codes[coding.find(f"{NS}CodeRef").get("targetGUID")]
                    view.codings.append(
                        {
                            "source": source.get("name"),
                            "code": code["name"],
                            "text": text[start:end],
                            "memo": description.text if description is not None else "",
                            "owner": view.users.get(coding.get("creatingUser")),
                            "date": coding.get("creationDateTime"),
                        }
                    )
        for case in root.iter(f"{NS}Case"):
            view.cases.append({"name": case.get("name"), "values": [v.text for v in case.iter(f"{NS}TextValue")]})
    return view


KEPT = [
    "SELECT guid, name, imported_at, text FROM transcripts",
    "SELECT t.guid, u.number, u.speaker, u.start, u.[end], u.timestamp FROM turns u JOIN transcripts t ON t.id = u.transcript_id",
    "SELECT guid, name, color, created, description, inclusion, exclusion FROM codes WHERE status = 'active'",
    "SELECT c.guid, c.created, k.guid, t.guid, c.start, c.[end] FROM codings c JOIN codes k ON k.id = c.code_id JOIN transcripts t ON t.id = c.transcript_id",
    "SELECT m.guid, m.body, m.kind, m.phase, m.target_type, m.created, m.updated, a.name FROM memos m JOIN analysts a ON a.id = m.analyst_id",
    "SELECT guid, name, definition, concept, status FROM themes",
]


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return sorted(db.execute(sql).fetchall(), key=repr)


def qde(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde").decode("utf-8")


@pytest.fixture
def demo(demo_study) -> Path:
    return demo_study[0] / "projects" / "demo.qualcode"


@pytest.fixture
def round_trip(demo, tmp_path):
    """The demo exported, imported into a new project, and exported again."""
    study = Project.open(demo)
    first = export_qdpx(study, tmp_path / "first.qdpx").path
    study.close()
    copy = Project.create(tmp_path / "copy.qualcode", "Jo")
    outcome = import_qdpx(copy, first, "Jo")
    second = export_qdpx(copy, tmp_path / "second.qdpx").path
    yield copy, first, second, outcome
    copy.close()


def test_the_round_trip_keeps_every_guid_date_colour_timestamp_memo_and_description(demo, round_trip):
    copy, _, _, outcome = round_trip
    assert outcome.warnings == []
    for sql in KEPT:
        assert rows(copy.path, sql) == rows(demo, sql), sql
    timed = "SELECT count(*) FROM turns WHERE timestamp IS NOT NULL"
    assert rows(copy.path, timed) == rows(demo, timed) and rows(demo, timed)[0][0] > 0


def test_the_second_export_is_the_first_but_for_the_project_and_the_importing_user(round_trip):
    copy, first, second, _ = round_trip
    header = re.compile(r"<Project [^>]*>")
    jo = copy.query("SELECT guid FROM analysts WHERE name = 'Jo'")[0]["guid"].upper()
    again = header.sub("", qde(second)).replace(f'<User guid="{jo}" name="Jo" />', "")
    assert again == header.sub("", qde(first))


def test_importing_the_round_trip_again_adds_nothing(round_trip):
    copy, first, second, _ = round_trip
    before = [rows(copy.path, sql) for sql in KEPT]
    for path in (first, second):
        outcome = import_qdpx(copy, path, "Jo")
        assert outcome.rows() and all(r["added"] == 0 for r in outcome.rows())
    assert [rows(copy.path, sql) for sql in KEPT] == before


def test_qualcoder_reads_every_memo_as_a_journal_or_coding_memo_with_its_date(demo, round_trip):
    _, first, _, _ = round_trip
    view = read_as_qualcoder(first)
    memos = rows(demo, "SELECT body, created, target_type FROM memos")
    journal_texts = {j["text"] for j in view.journals}
    assert {body for body, _, _ in memos} <= journal_texts  # 41 of 41, not 0 of 41
    dates = {j["text"]: j["date"] for j in view.journals}
    body, created, _ = memos[0]
    assert dates[body] == created.replace("+00:00", "Z")
    coding_memos = rows(
        demo,
        "SELECT m.body, k.name FROM memos m JOIN codings c ON c.id = m.target_id JOIN codes k ON k.id = c.code_id WHERE m.target_type = 'coding'",
    )
    shown = {(c["code"], c["memo"]) for c in view.codings}
    for body, code in coding_memos:
        assert any(name == code and body in memo for name, memo in shown), body


def test_qualcoder_reads_the_codes_with_their_colours_descriptions_and_the_sources_dates(demo, round_trip):
    _, first, _, _ = round_trip
    view = read_as_qualcoder(first)
    colours = {c["name"]: c["color"] for c in view.codes + view.categories}
    assert colours == dict(rows(demo, "SELECT name, color FROM codes WHERE status = 'active'"))
    code = rows(demo, "SELECT name, description FROM codes WHERE description IS NOT NULL")[0]
    assert next(c["memo"] for c in view.codes + view.categories if c["name"] == code[0]).startswith(code[1])
    dates = {s["name"]: s["date"] for s in view.sources}
    assert dates == {n: d.replace("+00:00", "Z") for n, d in rows(demo, "SELECT name, imported_at FROM transcripts")}
    assert len(view.codings) == rows(demo, "SELECT count(*) FROM codings")[0][0]


# -- matching again: a rename prefix and a colleague's changed description ----------------------

P3 = "Interviewer: How was it?\nP3: I felt the trust was missing at first.\n"


@pytest.fixture
def two_copies(project, tmp_path):
    import_transcripts(project, [write(tmp_path / "P3.txt", P3)], "Maya")
    add_code(project, "Maya", "Trust", description="Trust in the alliance")
    other = Project.create(tmp_path / "sam.qualcode", "Sam")
    import_transcripts(other, [write(tmp_path / "sam" / "P3.txt", P3)], "Sam")
    add_code(other, "Sam", "Trust", description="Trust in institutions")
    apply_codes(other, "Sam", ["Trust"], "P3", locations=[Location(match="the trust was missing")])
    add_memo(other, "Sam", "Institutions, not people.", on="code:Trust")
    other.close()
    return project, tmp_path / "sam.qualcode"


def test_a_rename_prefix_repeated_adds_nothing_and_names_what_it_made(two_copies, tmp_path):
    project, sam = two_copies
    first = merge_project(project, sam, "Maya", rename_prefix="B: ")
    assert any("kept both, the incoming one as 'B: Trust'" in line for line in first.conflicts)
    for _ in range(2):
        again = merge_project(project, sam, "Maya", rename_prefix="B: ")
        assert all(r["added"] == 0 for r in again.rows())
    assert [r["name"] for r in project.query("SELECT name FROM codes ORDER BY name")] == ["B: Trust", "Trust"]
    other = Project.open(sam)
    path = export_qdpx(other, tmp_path / "sam.qdpx").path
    other.close()
    for _ in range(2):
        outcome = import_qdpx(project, path, "Maya", rename_prefix="B: ")
        assert all(r["added"] == 0 for r in outcome.rows()), outcome.rows()
    assert project.query("SELECT count(*) n FROM codes")[0]["n"] == 2


def test_a_guid_matched_code_with_a_changed_description_is_noted(project, tmp_path):
    import_transcripts(project, [write(tmp_path / "P3.txt", P3)], "Maya")
    add_code(project, "Maya", "Trust", description="Trust in the alliance")
    path = export_qdpx(project, tmp_path / "mine.qdpx").path
    colleague = Project.create(tmp_path / "colleague.qualcode", "Sam")
    import_qdpx(colleague, path, "Sam")
    describe_code(colleague, "Sam", "Trust", description="Trust between client and therapist")
    theirs = export_qdpx(colleague, tmp_path / "theirs.qdpx").path
    colleague.close()
    outcome = import_qdpx(project, theirs, "Maya")
    assert (
        "code 'Trust' has a different description in theirs.qdpx (matched by GUID); kept this project's: "
        "“Trust between client and therapist”" in outcome.notes
    )
    assert project.query("SELECT description FROM codes")[0]["description"] == "Trust in the alliance"


def test_an_atlas_graph_a_note_on_a_video_and_a_notes_description_are_not_lost_silently(project, tmp_path):
    def g(n: int) -> str:
        return f"00000000-0000-4000-8000-{n:012d}"

    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="ATLAS.ti 23">
  <CodeBook><Codes><Code guid="{g(1)}" name="Pay" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{g(2)}" name="P1" plainTextPath="internal://p1.txt" creationDateTime="2024-05-01T09:30:00Z"/>
    <VideoSource guid="{g(3)}" name="Walk-along" path="internal://{g(3)}.mp4"/>
  </Sources>
  <Notes>
    <Note guid="{g(4)}" name="Pay memo"><Description>Asked twice about pay.</Description><PlainTextContent>Pay comes up unprompted.</PlainTextContent></Note>
    <Note guid="{g(5)}" name="Video memo"><PlainTextContent>She points at the rota.</PlainTextContent></Note>
  </Notes>
  <Links><Link guid="{g(6)}" name="about" direction="OneWay" originGUID="{g(5)}" targetGUID="{g(3)}"/></Links>
  <Graphs><Graph guid="{g(7)}" name="Network"/></Graphs>
</Project>"""
    path = tmp_path / "atlas.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/p1.txt", "P1: The pay is awful.\n")
    outcome = import_qdpx(project, path, "Maya")
    assert "skipped 1 graph (network views; qualcode draws its own thematic map from themes)" in outcome.warnings
    assert (
        "skipped 1 link from notes to items qualcode does not hold (pictures, recordings, other notes)"
        in outcome.warnings
    )
    bodies = [r["body"] for r in project.query("SELECT body FROM memos ORDER BY id")]
    assert bodies[0] == "Pay memo\n\nPay comes up unprompted.\n\nAsked twice about pay."
    assert project.query("SELECT imported_at FROM transcripts") == [{"imported_at": "2024-05-01T09:30:00+00:00"}]
    assert project.query("SELECT color FROM codes") == [{"color": None}]  # none given, none invented


def test_export_and_import_name_where_what_the_standard_cannot_carry_went(demo, run, tmp_path):
    result = run("-p", demo, "export", "qdpx", "--out", tmp_path / "demo.qdpx")
    assert "note: turn times of 2 transcripts: in Notes named 'Turn times of NAME'\n" in result.output
    assert "note: when each code was created: in the Note named 'Code dates'\n" in result.output
    run("init", "back", "--analyst", "Jo")
    back = run("-p", "back", "import", "qdpx", tmp_path / "demo.qdpx")
    assert "note: turn times of 2 transcripts: read from Notes named 'Turn times of NAME'\n" in back.output
    assert "note: when 35 codes were created: read from the Note 'Code dates'\n" in back.output
