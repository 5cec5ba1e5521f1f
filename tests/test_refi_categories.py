"""Categories: codes that group others and are never applied (REFI-QDA isCodable="false",
QualCoder's code_cat). They survive qdpx, the folder form, merge and import qualcoder, and what
QualCoder makes of our qdpx (read below by an independent reader) has them as categories."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from helpers import error_line, unchanged_after, write

from qualcode.analysis.coding import add_code, apply_codes, describe_code
from qualcode.errors import InvalidInput
from qualcode.exchange.folder.read import import_folder
from qualcode.exchange.folder.write import export_folder
from qualcode.exchange.project_merge import merge_project
from qualcode.exchange.refi.qdpx import export_qdpx, import_qdpx
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

P1 = "Interviewer: How is work?\nP1: Fifteen minutes per client. Mr Dewan trusts me.\n"

# -- a second reader: the codebook of a qdpx as QualCoder's REFI-QDA import builds it -----------
# QualCoder walks the Code elements recursively: a Code whose isCodable is "false" becomes a row
# of code_cat (its parent category as supercatid), and its child Codes are placed in it; any other
# Code becomes a row of code_name, in the category it sits in (catid) or, under a codable code, as
# that code's sub-code (supercid). Only the standard library is used, no qualcode module.

NS = "{urn:QDA-XML:project:1.0}"


def qualcoder_codebook(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE code_cat (catid integer primary key, name text, memo text, supercatid integer)")
    db.execute("CREATE TABLE code_name (cid integer primary key, name text, catid integer, supercid integer)")
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("project.qde"))

    def place(element, category: int | None, parent_code: int | None) -> None:
        description = element.find(f"{NS}Description")
        memo = description.text if description is not None else ""
        if element.get("isCodable") == "false":
            row = db.execute(
                "INSERT INTO code_cat (name, memo, supercatid) VALUES (?, ?, ?)", [element.get("name"), memo, category]
            ).lastrowid
            for child in element.findall(f"{NS}Code"):
                place(child, row, None)
            return
        row = db.execute(
            "INSERT INTO code_name (name, catid, supercid) VALUES (?, ?, ?)",
            [element.get("name"), None if parent_code else category, parent_code],
        ).lastrowid
        for child in element.findall(f"{NS}Code"):
            place(child, None, row)

    for code in root.find(f"{NS}CodeBook/{NS}Codes").findall(f"{NS}Code"):
        place(code, None, None)
    return db


def as_qualcoder_shows_it(path: Path) -> tuple[list[tuple], list[tuple]]:
    db = qualcoder_codebook(path)
    categories = db.execute(
        "SELECT c.name, s.name FROM code_cat c LEFT JOIN code_cat s ON s.catid = c.supercatid ORDER BY c.name"
    ).fetchall()
    codes = db.execute(
        "SELECT n.name, c.name, s.name FROM code_name n LEFT JOIN code_cat c ON c.catid = n.catid"
        " LEFT JOIN code_name s ON s.cid = n.supercid ORDER BY n.name"
    ).fetchall()
    return categories, codes


def codebook(project: Project) -> list[tuple]:
    return [
        tuple(r.values())
        for r in project.query(
            "SELECT c.name, p.name parent, c.codable, c.guid FROM codes c LEFT JOIN codes p ON p.id = c.parent_id"
            " ORDER BY c.name"
        )
    ]


@pytest.fixture
def study(project, tmp_path) -> Project:
    """Two categories (one inside the other), codes in them, and a code with a sub-code."""
    import_transcripts(project, [write(tmp_path / "P1.txt", P1)], "Maya")
    add_code(project, "Maya", "Relationships", category=True, description="Who the carer deals with")
    add_code(project, "Maya", "Clients", category=True, parent="Relationships")
    add_code(project, "Maya", "Trust", parent="Clients")
    add_code(project, "Maya", "Time")
    add_code(project, "Maya", "Rushing", parent="Time")
    apply_codes(project, "Maya", ["Trust"], "P1", locations=[Location(match="Mr Dewan trusts me")])
    apply_codes(project, "Maya", ["Rushing", "Time"], "P1", locations=[Location(match="Fifteen minutes")])
    return project


EXPECTED_IN_QUALCODER = (
    [("Clients", "Relationships"), ("Relationships", None)],
    [("Rushing", None, "Time"), ("Time", None, None), ("Trust", "Clients", None)],
)


def test_qualcoder_reads_our_categories_as_categories(study, tmp_path):
    path = export_qdpx(study, tmp_path / "study.qdpx", validate=True).path
    assert as_qualcoder_shows_it(path) == EXPECTED_IN_QUALCODER
    assert qualcoder_codebook(path).execute("SELECT memo FROM code_cat WHERE name = 'Relationships'").fetchone() == (
        "Who the carer deals with",
    )


def test_a_round_trip_through_qdpx_keeps_the_categories(study, tmp_path):
    first = export_qdpx(study, tmp_path / "first.qdpx").path
    copy = Project.create(tmp_path / "copy.qualcode", "Jo")
    import_qdpx(copy, first, "Jo")
    assert codebook(copy) == codebook(study)
    second = export_qdpx(copy, tmp_path / "second.qdpx").path
    assert as_qualcoder_shows_it(second) == EXPECTED_IN_QUALCODER
    again = import_qdpx(copy, second, "Jo")
    assert all(r["added"] == 0 for r in again.rows())
    copy.close()


def test_the_folder_form_and_merge_keep_the_categories(study, tmp_path):
    export_folder(study, tmp_path / "tree")
    lines = (tmp_path / "tree" / "codes.jsonl").read_text().splitlines()
    flagged = sorted(json.loads(line)["name"] for line in lines if json.loads(line).get("category"))
    assert flagged == ["Clients", "Relationships"]
    clone = Project.create(tmp_path / "clone.qualcode", "Jo")
    import_folder(clone, tmp_path / "tree", "Jo")
    assert codebook(clone) == codebook(study)
    clone.close()
    merged = Project.create(tmp_path / "merged.qualcode", "Jo")
    merge_project(merged, study.path, "Jo")
    assert codebook(merged) == codebook(study)
    merged.close()


def test_a_category_is_marked_in_the_code_list_and_cannot_be_applied(study, run, tmp_path):
    listed = run("-p", study.path, "code", "list").output
    assert "Relationships (category)" in listed and "Clients (category)" in listed
    assert "Trust (category)" not in listed and "Time (category)" not in listed
    result = unchanged_after(
        run, tmp_path, study.path, "-p", study.path, "code", "apply", "Clients", "-t", "P1", "--match", "trusts"
    )
    assert result.exit_code != 0
    assert error_line(result) == (
        "Error: 'Clients' is a category, which groups codes and is not applied itself: apply one of its codes,"
        " or make it a code with qualcode code describe Clients --codable"
    )


def test_a_code_with_codings_does_not_become_a_category_and_an_empty_one_goes_both_ways(study):
    with pytest.raises(InvalidInput, match="'Trust' has 1 coding"):
        describe_code(study, "Maya", "Trust", codable=False)
    describe_code(study, "Maya", "Clients", codable=True)
    apply_codes(study, "Maya", ["Clients"], "P1", locations=[Location(match="trusts")])
    add_code(study, "Maya", "Later")
    describe_code(study, "Maya", "Later", codable=False)
    assert study.query("SELECT codable FROM codes WHERE name IN ('Clients', 'Later') ORDER BY name") == [
        {"codable": 1},
        {"codable": 0},
    ]


def test_the_cli_makes_categories(run, project):
    assert run("-p", project.path, "code", "add", "Feelings", "--category").output == "added category 'Feelings'\n"
    run("-p", project.path, "code", "add", "Anger", "--parent", "Feelings")
    assert run("-p", project.path, "code", "describe", "Anger", "--category").exit_code == 0
    assert project.query("SELECT name, codable FROM codes ORDER BY name") == [
        {"name": "Anger", "codable": 0},
        {"name": "Feelings", "codable": 0},
    ]


def test_codings_brought_in_onto_a_category_here_are_refused(study, tmp_path):
    other = Project.create(tmp_path / "other.qualcode", "Sam")
    import_transcripts(other, [write(tmp_path / "other" / "P1.txt", P1)], "Sam")
    add_code(other, "Sam", "Clients")
    apply_codes(other, "Sam", ["Clients"], "P1", locations=[Location(match="Mr Dewan")])
    other.close()
    before = codebook(study), study.query("SELECT count(*) n FROM codings")
    with pytest.raises(InvalidInput) as refused:
        merge_project(study, tmp_path / "other.qualcode", "Maya")
    assert str(refused.value) == (
        "1 coding in other.qualcode applies 'Clients', which is a category here (it groups codes and is never"
        " applied): make it a code first with qualcode code describe Clients --codable; nothing was brought in"
    )
    assert (codebook(study), study.query("SELECT count(*) n FROM codings")) == before


def test_a_file_that_codes_with_its_own_category_is_refused(project, tmp_path):
    guid = "00000000-0000-4000-8000-00000000000"
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Other 1.0">
  <CodeBook><Codes><Code guid="{guid}1" name="Work" isCodable="false"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{guid}2" name="P1" plainTextPath="internal://p1.txt">
      <PlainTextSelection guid="{guid}3" startPosition="0" endPosition="5">
        <Coding guid="{guid}4"><CodeRef targetGUID="{guid}1"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""
    path = tmp_path / "other.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/p1.txt", "P1: work is hard\n")
    with pytest.raises(InvalidInput, match="which the file itself marks as a category"):
        import_qdpx(project, path, "Maya")
    assert project.query("SELECT count(*) n FROM codes") == [{"n": 0}]


def test_a_codebook_file_keeps_the_categories(study, tmp_path):
    from qualcode.exchange.refi.qdc import export_qdc, read_qdc

    path, _ = export_qdc(study, tmp_path / "codebook.qdc", validate=True)
    codes = {c.name: c.codable for c in read_qdc(path).codes}
    assert codes == {"Relationships": False, "Clients": False, "Trust": True, "Time": True, "Rushing": True}
