"""Text that would be code elsewhere stays text: control characters never reach the terminal raw
and are refused in names, Rich markup in names prints literally, and spreadsheet cells that
start like a formula are neutralised (unless --raw)."""

from __future__ import annotations

import csv
import io
import os

import pytest
from helpers import error_line, files_snapshot, project_files, unchanged_after, write

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31m"  # OSC retitle + BEL, CSI clear screen, SGR red
HOSTILE_LINE = f"P1: I never said that{ESCAPES} about\u202eevil\u202c my sister\x08\x08.\n"


@pytest.fixture
def study(project, tmp_path):
    # Enough ordinary words around the escapes that the file reads as text, as a real one would.
    padding = "P1: We talked for a long time about the family and the farm and the winters there.\n" * 20
    write(tmp_path / "P1.txt", "Interviewer: What happened?\n" + HOSTILE_LINE + padding)
    import_transcripts(project, [tmp_path / "P1.txt"], "Maya")
    return project


def no_raw_controls(output: str) -> None:
    for char in ("\x1b", "\x07", "\x08", "\u202e", "\u202c"):
        assert char not in output, repr(output)


@pytest.mark.parametrize(
    "args",
    [
        ("analyst", "add", "Tom\x1b[2J"),
        ("code", "add", "Rupture\u202e"),
        ("theme", "add", "Safety\x07"),
        ("participant", "set", "P\x1b]0;x\x07", "role=nurse", "--new"),
    ],
)
def test_names_with_control_characters_are_refused_and_shown_escaped(run, tmp_path, study, args):
    result = unchanged_after(run, tmp_path, study.path, "-p", study.path, *args)
    assert result.exit_code == 1
    line = error_line(result)
    no_raw_controls(result.output)
    assert line.endswith("name: it holds control characters (escape codes, bidi overrides, tabs or newlines)")
    assert any(mark in line for mark in ("'Tom␛[2J'", "'Rupture<U+202E>'", "'Safety␇'", "'P␛]0;x␇'"))


def test_control_characters_in_a_transcript_are_shown_as_placeholders(run, study):
    result = run("-p", study.path, "transcript", "show", "P1", "--lines", "2", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    no_raw_controls(result.output)
    assert "I never said that␛]0;pwned␇␛[2J␛[31m about<U+202E>evil<U+202C> my sister␈␈." in result.output


def test_control_characters_in_extracts_and_search_are_shown_as_placeholders(run, study):
    add_code(study, "Maya", "Denial")
    apply_codes(study, "Maya", ["Denial"], "P1", [Location(match="I never said that")])
    for args in (("extracts", "Denial"), ("transcript", "search", "sister")):
        result = run("-p", study.path, *args)
        assert result.exit_code == 0, result.output
        no_raw_controls(result.output)
    assert "my sister␈␈" in result.output


def test_a_file_name_with_control_characters_is_refused_and_the_batch_goes_on(run, tmp_path, study):
    bad = write(tmp_path / "P2\x1b[2J.txt", "P2: fine words\n")
    good = write(tmp_path / "P3.txt", "P3: other words\n")
    result = run("-p", study.path, "transcript", "import", bad, good)
    assert result.exit_code == 1
    no_raw_controls(result.output)
    assert "imported P3" in result.output
    assert "P2␛[2J.txt: the name 'P2␛[2J' holds control characters; rename the file or give --name" in result.output
    assert [r["name"] for r in study.query("SELECT name FROM transcripts ORDER BY name")] == ["P1", "P3"]


def test_a_non_utf8_file_name_fails_alone_and_the_batch_goes_on(run, tmp_path, study):
    folder = os.fsencode(tmp_path)
    bad_name = folder + b"/caf\xe9.txt"
    with open(bad_name, "wb") as handle:
        handle.write(b"P2: words\n")
    good = write(tmp_path / "P3.txt", "P3: other words\n")
    result = run("-p", study.path, "transcript", "import", os.fsdecode(bad_name), good)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "caf\\udce9.txt: the file name is not valid UTF-8; rename the file or give --name" in result.output
    assert (
        result.output.strip().splitlines()[-1] == "Error: 1 of 2 files failed; the other one was handled as shown above"
    )
    assert [r["name"] for r in study.query("SELECT name FROM transcripts ORDER BY name")] == ["P1", "P3"]


def test_rich_markup_in_a_name_prints_literally(run, study):
    add_analyst(study, "Maya", "[/bold]x")
    add_code(study, "Maya", "[red]Loud[/red]")
    status = run("-p", study.path, "status")
    assert status.exit_code == 0, status.output
    assert "analysts: Maya (default), [/bold]x" in status.output
    codes = run("-p", study.path, "code", "list")
    assert codes.exit_code == 0
    assert "[red]Loud[/red]" in codes.output
    listing = run("-p", study.path, "analyst", "list")
    assert listing.exit_code == 0
    assert "[/bold]x" in listing.output


FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture
def formula_codes(project):
    for name in FORMULAS:
        add_code(project, "Maya", name, description=name)
    return project


def codebook_cells(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [row[0] for row in rows[1:]]


def test_csv_export_neutralises_formulas_with_an_apostrophe(run, formula_codes):
    result = run("-p", formula_codes.path, "export", "codebook", "--format", "csv", "--out", "-")
    assert result.exit_code == 0, result.output
    assert sorted(codebook_cells(result.output)) == sorted("'" + name for name in FORMULAS)


def test_csv_export_raw_keeps_the_exact_values(run, formula_codes):
    result = run("-p", formula_codes.path, "export", "codebook", "--format", "csv", "--out", "-", "--raw")
    assert sorted(codebook_cells(result.output)) == sorted(FORMULAS)


def test_xlsx_export_never_holds_a_formula(run, tmp_path, formula_codes):
    from openpyxl import load_workbook

    project = formula_codes
    apply_codes(project, "Maya", ['=HYPERLINK("http://x")'], *_a_transcript(project, tmp_path))
    out = tmp_path / "extracts.xlsx"
    result = run("-p", project.path, "export", "extracts", "--out", out)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    assert '\'=HYPERLINK("http://x")' in [cell.value for cell in cells]
    raw = tmp_path / "raw.xlsx"
    run("-p", project.path, "export", "extracts", "--out", raw, "--raw")
    raw_cells = [cell for row in load_workbook(raw).active.iter_rows(min_row=2) for cell in row]
    assert not [cell.value for cell in raw_cells if cell.data_type == "f"]
    assert '=HYPERLINK("http://x")' in [cell.value for cell in raw_cells]


def _a_transcript(project, tmp_path):
    write(tmp_path / "P9.txt", "P9: -5 sessions was +enough for me\n")
    import_transcripts(project, [tmp_path / "P9.txt"], "Maya")
    return "P9", [Location(match="-5 sessions")]


def test_numbers_are_not_neutralised(run, tmp_path, formula_codes):
    apply_codes(formula_codes, "Maya", ["+1+1"], *_a_transcript(formula_codes, tmp_path))
    result = run("-p", formula_codes.path, "export", "extracts", "--format", "csv", "--out", "-")
    rows = list(csv.DictReader(io.StringIO(result.output, newline="")))
    assert len(rows) == 1
    assert "'-5 sessions" in rows[0].values()
    assert "'+1+1" in rows[0].values()
    assert any(value.isdigit() for value in rows[0].values())


def test_tab_and_cr_before_a_formula_are_neutralised_too():
    from qualcode.exporters.table_text import to_csv
    from qualcode.exporters.tables import Column, Table

    table = Table("Cells", [Column("cell", "Cell")], [{"cell": "\t=1+1"}, {"cell": "\r=1+1"}, {"cell": "plain"}])
    assert to_csv(table) == "Cell\n'\t=1+1\n'\r=1+1\nplain\n"


def test_the_files_beside_an_export_are_untouched(run, tmp_path, formula_codes):
    before = files_snapshot(tmp_path, (*project_files(formula_codes.path), tmp_path / "codebook.csv"))
    run("-p", formula_codes.path, "export", "codebook", "--out", tmp_path / "codebook.csv")
    assert files_snapshot(tmp_path, (*project_files(formula_codes.path), tmp_path / "codebook.csv")) == before


def test_a_code_name_with_a_bidi_override_from_another_program_is_refused_and_shown_escaped(run, tmp_path, project):
    path = write(
        tmp_path / "codes.qdc",
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="00000000-0000-4000-8000-000000000001" name="Rupture&#x202E;evil" isCodable="true"/>'
        "</Codes></CodeBook>",
    )
    result = run("-p", project.path, "import", "qdc", path)
    assert result.exit_code == 0, result.output
    no_raw_controls(result.output)
    assert (
        "note: a code named 'Rupture<U+202E>evil' cannot be used (it holds control characters (escape codes, bidi "
        "overrides, tabs or newlines)); named 'Unnamed code'"
    ) in result.output
    assert [r["name"] for r in project.query("SELECT name FROM codes")] == ["Unnamed code"]
