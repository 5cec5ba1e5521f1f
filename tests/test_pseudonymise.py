"""Pseudonymisation: the map and its bad input, the dry run, the real run moving codings with
the text, and no replaced name left anywhere in the project file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import coded, write

from qualcode.analysis.coding import apply_codes
from qualcode.analysis.memos import add_memo
from qualcode.analysis.theme_quotes import choose_quote, theme_quotes
from qualcode.analysis.themes import add_theme
from qualcode.text.transcripts import Location

# Made-up names, long enough that no other byte run in the file could spell them by chance.
TEXT = (
    "Interviewer: Who helped you most that year?\n"
    "Rosalind: My sister Marguerite did. Marguerite’s flat in Hadleigh was where I stayed, "
    "and MARGUERITE never once asked me to leave.\n"
    "Interviewer: And your partner?\n"
    "Rosalind: Teodor\u2014my partner\u2014was away. The rosalind bush by the door was dying too.\n"
)
MAP = "name,replacement\nRosalind,P7\nMarguerite,Ruth\nHadleigh,[town]\nTeodor,[partner]\n"


def dump(project) -> dict[str, list[tuple]]:
    names = [
        r[0]
        for r in project.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {n: project.db.execute(f"SELECT * FROM [{n}]").fetchall() for n in names if not n.startswith("turns_fts")}


@pytest.fixture
def interview(project, tmp_path, run):
    write(tmp_path / "P7.txt", TEXT)
    assert run("transcript", "import", "P7.txt", "--interviewer", "Interviewer").exit_code == 0
    ids = {}
    for code, words in (("Family", "My sister Marguerite did."), ("Shelter", "flat in Hadleigh was where I stayed")):
        ids[code] = apply_codes(project, "Maya", [code], "P7", [Location(match=words)], create=True)[0].coding_id
    ids["Away"] = apply_codes(project, "Maya", ["Away"], "P7", [Location(match="was away")], create=True)[0].coding_id
    add_theme(project, "Maya", "Family as shelter", codes=["Family"])
    choose_quote(project, "Maya", "Family as shelter", ids["Family"])
    add_memo(project, "Maya", "Marguerite comes up again and again.", on="transcript:P7")
    write(tmp_path / "names.csv", MAP)
    return ids


def test_the_dry_run_lists_every_hit_in_context_and_changes_nothing(project, interview, run):
    before = dump(project)
    result = run("transcript", "pseudonymise", "P7", "--map", "names.csv", "--dry-run", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "P7 L2  …Rosalind → P7: My sister Marguerite did. Marguerite’s…"
    assert any(
        line.startswith("P7 L2  …Rosalind: My sister Marguerite → Ruth did. Marguerite’s flat") for line in lines
    )
    assert any("Marguerite → Ruth’s flat in" in line for line in lines)
    assert any("MARGUERITE → RUTH never once" in line for line in lines)
    assert any("Teodor → [partner]—my partner" in line for line in lines)
    assert any("rosalind (left alone: lower case) bush" in line for line in lines)
    assert (
        lines[-1] == "7 names would be replaced in 1 place; 1 left alone (marked so above); nothing changed (dry run)"
    )
    assert dump(project) == before


def test_the_real_run_replaces_names_and_codings_quotes_and_memos_move_with_the_text(project, interview, run):
    result = run("transcript", "pseudonymise", "--all", "--map", "names.csv", "--memos")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "replaced 8 names in 1 transcript and 1 memo; 3 codings moved with the text"
    shown = run("transcript", "show", "P7").output
    assert "P7: My sister Ruth did. Ruth’s flat in [town] was where I stayed, and RUTH never" in shown
    assert "[partner]—my partner—was away. The rosalind bush" in shown
    assert [(code, words) for _, code, _, words in coded(project)] == [
        ("Away", "was away"),
        ("Family", "My sister Ruth did."),
        ("Shelter", "flat in [town] was where I stayed"),
    ]
    assert [q["text"] for q in theme_quotes(project, "Family as shelter")] == ["My sister Ruth did."]
    speakers = {line["speaker"] for line in json.loads(run("transcript", "show", "P7", "--json").output)["lines"]}
    assert speakers == {"Interviewer", "P7"}
    assert "Ruth comes up again and again." in run("memo", "list").output
    assert "no hits" in run("transcript", "search", "Marguerite").output
    assert "no hits" in run("transcript", "search", "Hadleigh").output
    assert run("transcript", "search", "Ruth").output.endswith("3 hits in 1 transcript: P7 3\n")


def test_no_replaced_name_survives_in_the_project_file(project, interview, run, tmp_path):
    assert run("transcript", "pseudonymise", "--all", "--map", "names.csv", "--memos").exit_code == 0
    project.close()
    files = [Path(project.path), Path(f"{project.path}-wal")]
    for name in ("Marguerite", "Hadleigh", "Teodor", "MARGUERITE"):
        for path in files:
            if path.exists():
                data = path.read_bytes()
                assert name.encode("utf-8") not in data, (name, path.name)
                assert name.encode("utf-16-le") not in data, (name, path.name)
    log = json.loads(run("log", "--json").output)
    assert log[0]["command"] == "transcript pseudonymise"
    refused = run("undo")
    assert refused.exit_code == 1
    assert "pseudonymisation is not undone; the words it replaced are kept nowhere in the project" in refused.output


def test_replaced_text_kept_for_undo_is_cleared_too(project, tmp_path, run):
    write(tmp_path / "P7.txt", TEXT)
    run("transcript", "import", "P7.txt")
    write(tmp_path / "P7.txt", TEXT.replace("that year", "in those years"))
    run("transcript", "import", "P7.txt", "--replace")
    write(tmp_path / "names.csv", MAP)
    result = run("transcript", "pseudonymise", "P7", "--map", "names.csv")
    assert "cleared 1 earlier text kept for undo that held the names" in result.output
    project.close()
    assert b"Hadleigh" not in Path(project.path).read_bytes()


def test_import_with_pseudonyms_never_stores_the_names(project, tmp_path, run):
    write(tmp_path / "P7.txt", TEXT)
    write(tmp_path / "names.csv", MAP)
    result = run("transcript", "import", "P7.txt", "--pseudonyms", "names.csv")
    assert result.exit_code == 0, result.output
    assert "Ruth did" in run("transcript", "show", "P7").output
    assert json.loads(run("transcript", "list", "--json").output)[0]["participant"] == "P7"
    project.close()
    for path in (Path(project.path), Path(f"{project.path}-wal")):
        if path.exists():
            assert b"Marguerite" not in path.read_bytes()


@pytest.mark.parametrize(
    "rows, message",
    [
        ("Rosalind,P7\n,Ruth\n", "names.csv, row 2: the name is empty (replacement 'Ruth')"),
        ("Ann,Beth\nAnna,Cath\n", "names.csv: 'Ann' (row 1) is inside 'Anna' (row 2)"),
        ("Rosalind,P7\nrosalind,P8\n", "names.csv: 'Rosalind' is there twice (rows 1 and 2)"),
        ("Rosalind,Interviewer: P7\n", "names.csv, row 1: the replacement 'Interviewer: P7' holds a speaker label"),
        ("Rosalind,\n", "names.csv, row 1: 'Rosalind' has no replacement"),
    ],
)
def test_a_bad_map_is_refused_in_one_line_and_nothing_changes(project, interview, run, rows, message):
    write(Path("names.csv"), rows)
    before = dump(project)
    refused = run("transcript", "pseudonymise", "--all", "--map", "names.csv")
    assert refused.exit_code == 1
    assert refused.output.count("\n") == 1 and message in refused.output
    assert dump(project) == before
    again = run("transcript", "import", "P7.txt", "--name", "P7b", "--pseudonyms", "names.csv")
    assert again.exit_code == 1 and message in again.output
    assert dump(project) == before


def test_a_transcript_named_after_a_real_name_is_pointed_out(project, tmp_path, run):
    write(tmp_path / "Marguerite.txt", TEXT)
    run("transcript", "import", "Marguerite.txt")
    write(tmp_path / "names.csv", MAP)
    result = run("transcript", "pseudonymise", "--all", "--map", "names.csv")
    assert result.exit_code == 0
    assert "warning: the names of Marguerite (or their source files) hold a name from the map" in result.output


def test_a_name_split_over_two_lines_is_left_alone_and_listed(project, tmp_path, run):
    write(tmp_path / "P8.txt", "Interviewer: Who?\nP8: It was Teodor\nMarsh.\nInterviewer: Anyone else?\nP8: No.\n")
    run("transcript", "import", "P8.txt")
    write(tmp_path / "names.csv", "Teodor Marsh,[partner]\n")
    result = run("transcript", "pseudonymise", "P8", "--map", "names.csv", "--dry-run", env={"COLUMNS": "200"})
    assert "Teodor Marsh (left alone: split over two lines)" in result.output
