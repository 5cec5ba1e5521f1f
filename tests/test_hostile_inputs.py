"""Inputs that would cost unbounded memory or time, or that are not what they claim, fail in one
line naming what they are, and change nothing."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from docx import Document
from helpers import error_line, unchanged_after, write

from qualcode.text.importers.docx_container import MAX_XML_PART_BYTES

TRANSCRIPT_ERROR = "Error: {path}: {what}"


def word_file(path: Path, document_xml: bytes | None = None) -> Path:
    """A real Word document saved by python-docx, its document.xml optionally replaced."""
    document = Document()
    document.add_paragraph("Interviewer: How did it start?")
    document.add_paragraph("P4: Slowly, and then all at once.")
    buffer = io.BytesIO()
    document.save(buffer)
    if document_xml is None:
        path.write_bytes(buffer.getvalue())
        return path
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, data)
    return path


def import_fails(run, tmp_path, project, path) -> str:
    result = unchanged_after(run, tmp_path, project.path, "-p", project.path, "transcript", "import", path)
    assert result.exit_code == 1
    return error_line(result)


def test_a_docx_that_expands_beyond_the_limit_is_refused(run, tmp_path, project):
    body = b"<w:p><w:r><w:t>" + b"a" * (MAX_XML_PART_BYTES + 1024) + b"</w:t></w:r></w:p>"
    xml = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    path = word_file(tmp_path / "bomb.docx", xml + body + b"</w:body></w:document>")
    assert path.stat().st_size < 100_000
    assert import_fails(run, tmp_path, project, path) == (
        f"Error: {path}: its part word/document.xml expands to more than 32 MB, far more than a transcript; "
        "refused as unsafe"
    )


def test_an_xxe_in_document_xml_is_named_not_dropped(run, tmp_path, project):
    secret = write(tmp_path / "secret.txt", "the password")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY leak SYSTEM "file://{secret}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>P4: I said &leak; to them</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    path = word_file(tmp_path / "xxe.docx", xml)
    assert import_fails(run, tmp_path, project, path) == (
        f"Error: {path}: word/document.xml declares XML entities (a DOCTYPE), which Word never writes and "
        "qualcode refuses to expand, so its words cannot be read; re-save the document from Word"
    )


def test_a_corrupt_deflate_stream_is_one_line(run, tmp_path, project):
    path = word_file(tmp_path / "good.docx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 2, start + info.compress_size - 2):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    assert import_fails(run, tmp_path, project, path) == (
        f"Error: {path}: not a valid .docx file (the zip is damaged); re-save it from Word or export as .txt"
    )


def test_a_txt_renamed_docx_is_said_to_be_no_word_file(run, tmp_path, project):
    path = write(tmp_path / "P4.docx", "Interviewer: hello\nP4: hi\n")
    assert import_fails(run, tmp_path, project, path) == (
        f"Error: {path}: not a Word file but plain text (a .txt renamed .docx?); rename it to .txt and import it"
    )


def test_utf16_without_a_bom_is_named(run, tmp_path, project):
    path = tmp_path / "P4.txt"
    path.write_bytes("Interviewer: hello\nP4: hi there\n".encode("utf-16-le"))
    assert import_fails(run, tmp_path, project, path) == (
        f"Error: {path}: looks like UTF-16 (little-endian) text without a byte-order mark, which cannot be read "
        "safely; re-save it as UTF-8 text"
    )


def test_a_fifo_as_a_transcript_is_named_and_never_opened(run, tmp_path, project):
    fifo = tmp_path / "P4.txt"
    os.mkfifo(fifo)
    assert import_fails(run, tmp_path, project, fifo) == (
        f"Error: {fifo}: a named pipe (FIFO), not a transcript file; give a regular file"
    )


def test_dev_zero_as_a_transcript_is_named(run, tmp_path, project):
    assert import_fails(run, tmp_path, project, "/dev/zero") == (
        "Error: /dev/zero: a character device, not a transcript file; give a regular file"
    )


def test_a_transcript_file_over_the_size_limit_is_refused(run, tmp_path, project):
    huge = tmp_path / "P4.txt"
    with open(huge, "wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: the size a user would see, without writing it
    assert import_fails(run, tmp_path, project, huge) == (
        f"Error: {huge}: 65 MB is more than a transcript file can be (64 MB); is it the right file?"
    )


def test_a_memo_file_over_the_size_limit_is_refused(run, tmp_path, project):
    huge = tmp_path / "memo.md"
    with open(huge, "wb") as handle:
        handle.truncate(9 * 1024 * 1024)
    result = unchanged_after(run, tmp_path, project.path, "-p", project.path, "memo", "add", "--file", huge)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {huge}: 9 MB is more than a memo can be (8 MB); is it the right file?"


def test_a_fifo_as_a_memo_file_is_named(run, tmp_path, project):
    fifo = tmp_path / "memo.md"
    os.mkfifo(fifo)
    result = unchanged_after(run, tmp_path, project.path, "-p", project.path, "memo", "add", "--file", fifo)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {fifo}: a named pipe (FIFO), not a memo; give a regular file"


def test_stdin_beyond_the_limit_is_refused(run, tmp_path, project):
    result = run("-p", project.path, "memo", "add", "-", input="x" * (8 * 1024 * 1024 + 1))
    assert result.exit_code == 1
    assert error_line(result) == (
        "Error: standard input: more than 8 MB, more than a memo can be; is it the right input?"
    )
    assert not project.query("SELECT id FROM memos")


@pytest.mark.parametrize("name", ["P4.txt", "P4.docx"])
def test_the_good_files_of_a_batch_still_import(run, tmp_path, project, name):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    good = word_file(tmp_path / name) if name.endswith(".docx") else write(tmp_path / name, "P4: words\n")
    result = run("-p", project.path, "transcript", "import", fifo, good)
    assert result.exit_code == 1
    assert "imported P4" in result.output
    assert [r["name"] for r in project.query("SELECT name FROM transcripts")] == ["P4"]


def test_a_very_long_line_is_shown_whole_and_folded(run, tmp_path, project):
    words = " ".join(f"w{number}" for number in range(6000))  # about 35,000 characters on one line
    path = write(tmp_path / "P5.txt", f"P5: {words} the end\n")
    run("-p", project.path, "transcript", "import", path)
    result = run("-p", project.path, "transcript", "show", "P5", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "P5"
    assert lines[1].startswith("1 T1 P5: w0 w1 w2")
    assert max(len(line) for line in lines) <= 80
    assert "".join(line[5:] for line in lines[1:]) == f"P5: {words} the end"


def test_a_large_codebook_lists_as_plain_columns(run, project):
    from qualcode.analysis.coding import add_code

    for number in range(250):
        add_code(project, "Maya", f"code {number:03d}", parent="code 000" if number else None)
    add_code(project, "Maya", "[bold]loud[/bold]")
    result = run("-p", project.path, "code", "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["code", "codings", "transcripts", "participants"]
    assert "[bold]loud[/bold]" in result.output
    assert any(line.startswith("  └ ■ code 249") for line in lines)
    assert len(lines) == 2 + 251
