"""What arrives from another copy or program keeps its integrity: sources sharing a GUID are
refused, codes sharing one reported, codings beyond their text reported (never clipped), and
REFI-QDA positions are ASCII digits only."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from helpers import coded, error_line, unchanged_after

from qualcode.analysis.coding import add_code, apply_codes
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

CODE = "00000000-0000-4000-8000-0000000000c1"
P1_TEXT = "Interviewer: How was it?\nP1: My sister never knew about the loan.\n"
P2_TEXT = "Interviewer: How was it?\nP2: The ward was calm that night.\n"


def qdpx(path: Path, sources: str, codes: str | None = None) -> Path:
    codes = codes or f'<Code guid="{CODE}" name="Secrets" isCodable="true"/>'
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Some QDA 1.0">
  <CodeBook><Codes>{codes}</Codes></CodeBook>
  <Sources>{sources}</Sources>
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/p1.txt", P1_TEXT)
        archive.writestr("sources/p2.txt", P2_TEXT)
    return path


def source(guid: str, name: str, file: str, selections: str = "") -> str:
    return f'<TextSource guid="{guid}" name="{name}" plainTextPath="internal://{file}">{selections}</TextSource>'


def selection(start: str, end: str, code: str = CODE, number: int = 1) -> str:
    return (
        f'<PlainTextSelection guid="00000000-0000-4000-8000-0000000005{number:02d}" startPosition="{start}" '
        f'endPosition="{end}"><Coding guid="00000000-0000-4000-8000-0000000006{number:02d}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
    )


def test_two_sources_sharing_a_guid_are_refused(run, tmp_path, project):
    twin = "00000000-0000-4000-8000-0000000000a1"
    start = P1_TEXT.index("My sister")
    path = qdpx(
        tmp_path / "twins.qdpx",
        source(twin, "P1", "p1.txt", selection(str(start), str(start + 30))) + source(twin, "P2", "p2.txt"),
    )
    result = unchanged_after(run, tmp_path, project.path, "-p", project.path, "import", "qdpx", path)
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: two sources share the GUID {twin} ('P1' and 'P2'); the file is damaged, and importing it "
        "could put codings on the wrong transcript"
    )


def test_two_codes_sharing_a_guid_are_reported(run, tmp_path, project):
    start = P1_TEXT.index("My sister")
    path = qdpx(
        tmp_path / "codes.qdpx",
        source("00000000-0000-4000-8000-0000000000a1", "P1", "p1.txt", selection(str(start), str(start + 9))),
        codes=f'<Code guid="{CODE}" name="Secrets" isCodable="true"/><Code guid="{CODE}" name="Family" isCodable="true"/>',
    )
    result = run("-p", project.path, "import", "qdpx", path)
    assert result.exit_code == 0, result.output
    assert (
        f"2 codes share the GUID {CODE} ('Secrets', 'Family'): codings that refer to it cannot tell them "
        "apart, so check those codings after the import"
    ) in result.output


@pytest.mark.parametrize("start", ["١٢", "１２", "1_2", "+12", "12.0"])
def test_refi_positions_accept_ascii_digits_only(run, tmp_path, project, start):
    path = qdpx(
        tmp_path / "digits.qdpx",
        source("00000000-0000-4000-8000-0000000000a1", "P1", "p1.txt", selection(start, "40")),
    )
    result = run("-p", project.path, "import", "qdpx", path)
    assert result.exit_code == 0, result.output
    assert "skipped a selection in 'P1': its positions are not whole numbers" in result.output
    assert coded(project) == []


def test_a_coding_beyond_its_text_is_reported_on_merge_not_clipped(run, tmp_path, project):
    other_path = tmp_path / "copy.qualcode"
    other = Project.create(other_path, "Tom")
    (tmp_path / "P1.txt").write_text(P1_TEXT, encoding="utf-8")
    import_transcripts(other, [tmp_path / "P1.txt"], "Tom")
    add_code(other, "Tom", "Secrets")
    apply_codes(other, "Tom", ["Secrets"], "P1", [Location(match="the loan")])
    length = len(other.query("SELECT text FROM transcripts")[0]["text"])
    start = other.query("SELECT start FROM codings")[0]["start"]
    other.db.execute("UPDATE codings SET [end] = ?", [length + 25])  # as a damaged copy has it
    other.close()
    result = run("-p", project.path, "merge", other_path)
    assert f"skipped a coding at {start}-{length + 25}: it ends beyond the text, which has {length} characters" in (
        result.output
    )
    assert coded(project) == []


def test_a_qualcoder_coding_beyond_its_text_is_reported_not_clipped(run, tmp_path, project):
    copy = tmp_path / "study.qda"
    shutil.copytree(Path(__file__).parent / "data" / "qualcoder" / "study_v16.qda", copy)
    with sqlite3.connect(copy / "data.qda") as conn:
        pos0, fulltext = conn.execute(
            "SELECT pos0, fulltext FROM code_text JOIN source ON source.id = code_text.fid WHERE ctid = 1"
        ).fetchone()
        conn.execute("UPDATE code_text SET pos1 = ?, seltext = ? WHERE ctid = 1", [len(fulltext) + 40, fulltext[pos0:]])
    conn.close()
    result = run("-p", project.path, "import", "qualcoder", copy)
    assert result.exit_code == 0, result.output
    assert f"skipped a coding in 'Interview_Rosa' at {pos0}-{len(fulltext) + 40}: outside the text" in result.output
    assert ("Amara", "Rushing", "Interview_Rosa", "Fifteen minutes per client, door to door") not in coded(project)
    assert not any(words == P1_TEXT for *_, words in coded(project))
