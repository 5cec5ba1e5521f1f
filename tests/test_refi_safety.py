"""Hostile or broken exchange files: each is refused with one line, and nothing is imported."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qualcode.errors import ImportFormatError
from qualcode.exchange.refi import archive
from qualcode.exchange.refi.qdc import read_qdc
from qualcode.exchange.refi.qdpx import read_qdpx

PROJECT = (
    '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x">'
    '<Users><User guid="11111111-1111-4111-8111-111111111111" name="Ann"/></Users></Project>'
)


def make_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)  # taken as given: ZipFile.write would clean a hostile name
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, data)
    return path


def refused(run, path: Path, *args: str) -> str:
    """Run `import qdpx`, check it failed with one line and changed nothing; return the line."""
    run("init", "study", "--analyst", "Maya")
    result = run("-p", "study", "import", "qdpx", path, *args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    listing = run("-p", "study", "transcript", "list", "--json")
    assert listing.output.strip() == "[]"
    return lines[0]


@pytest.mark.parametrize(
    "name", ["../../outside.txt", "/etc/cron.d/evil", "sources/../../evil.txt", "C:/Windows/evil.txt"]
)
def test_entries_that_escape_the_folder_are_refused(tmp_path, run, name):
    path = make_zip(tmp_path / "slip.qdpx", {"project.qde": PROJECT, name: "x"})
    assert "points outside the archive's folder" in refused(run, path)


def test_an_archive_that_expands_far_beyond_its_size_is_refused(tmp_path, run, monkeypatch):
    monkeypatch.setattr(archive, "MIN_ALLOWANCE_BYTES", 1024**2)
    path = make_zip(tmp_path / "bomb.qdpx", {"project.qde": PROJECT, "sources/zeros.txt": b"0" * (3 * 1024**2)})
    assert path.stat().st_size < 30_000
    assert "refused as unsafe" in refused(run, path)


def test_too_many_entries_are_refused(tmp_path, run, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
    members = {"project.qde": PROJECT, **{f"sources/{i}.txt": "x" for i in range(6)}}
    assert "entries, more than" in refused(run, make_zip(tmp_path / "many.qdpx", members))


def test_a_file_that_is_not_a_zip_is_refused(tmp_path, run):
    path = tmp_path / "notes.qdpx"
    path.write_text("Interviewer: hello\n")
    assert refused(run, path) == "Error: notes.qdpx is not a zip archive, so not a REFI-QDA project (.qdpx)"


def test_a_zip_without_a_project_file_is_refused(tmp_path, run):
    path = make_zip(tmp_path / "photos.qdpx", {"holiday/beach.jpg": b"\xff\xd8\xff"})
    assert refused(run, path) == "Error: photos.qdpx is a zip but not a REFI-QDA project: it holds no project.qde"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL], ids=["entity expansion", "external entity"])
def test_xml_entities_are_refused(tmp_path, run, xml):
    path = make_zip(tmp_path / "entities.qdpx", {"project.qde": xml})
    assert "refuses to expand" in refused(run, path)


def test_entities_are_refused_in_utf16_xml_too(tmp_path):
    path = make_zip(
        tmp_path / "wide.qdpx",
        {"project.qde": EXTERNAL.replace('"1.0"?>', '"1.0" encoding="utf-16"?>', 1).encode("utf-16")},
    )
    with pytest.raises(ImportFormatError, match="refuses to expand"):
        read_qdpx(path)


def test_xml_that_is_not_well_formed_is_refused(tmp_path, run):
    path = make_zip(tmp_path / "cut.qdpx", {"project.qde": PROJECT[:-20]})
    assert "is not well-formed XML" in refused(run, path)


def test_xml_that_is_not_a_project_is_refused(tmp_path, run):
    path = make_zip(
        tmp_path / "book.qdpx", {"project.qde": '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>'}
    )
    assert refused(run, path) == "Error: book.qdpx is not a REFI-QDA project: its XML root is <CodeBook>, not <Project>"


def test_a_codebook_with_entities_is_refused(tmp_path):
    path = tmp_path / "codes.qdc"
    path.write_text(BILLION_LAUGHS.replace("Project", "CodeBook"))
    with pytest.raises(ImportFormatError, match="refuses to expand"):
        read_qdc(path)


def test_a_project_given_as_a_codebook_points_to_the_right_command(tmp_path, run):
    path = tmp_path / "project.qdc"
    path.write_text(PROJECT)
    run("init", "study", "--analyst", "Maya")
    result = run("-p", "study", "import", "qdc", path)
    assert result.exit_code == 1
    assert result.output == "Error: project.qdc is a REFI-QDA project, not a codebook; use `qualcode import qdpx`\n"


def test_of_several_project_files_without_a_project_qde_the_first_is_read_and_said(tmp_path):
    other = PROJECT.replace('name="Ann"', 'name="Ben"')
    path = make_zip(tmp_path / "two.qdpx", {"Study b.qde": other, "Study a.qde": PROJECT})
    bundle = read_qdpx(path)
    assert [a.name for a in bundle.analysts] == ["Ann"]
    assert bundle.warnings[0] == "two.qdpx holds 2 .qde files and no project.qde; only Study a.qde was read"
