"""Undo of each kind of change restores the project exactly; it refuses, naming the later command,
when later work depends on what it would take back; the log reads at 80 columns."""

from __future__ import annotations

import json
import sqlite3

import pytest
from helpers import write

P6 = """Interviewer: Can you tell me about a rupture you remember?
P6: There was a client who went very quiet for weeks. I kept pushing the homework and she kept agreeing, vaguely.
Interviewer: What did you do?
P6: I said so. I said, you're right, I've been pushing, and I think I got anxious.
"""


@pytest.fixture
def study(run, tmp_path):
    """Codes Rupture > Withdrawal and Repair; Maya's codings (Withdrawal and Repair on the same
    turn), a theme holding Rupture and Withdrawal with a chosen quote, and a memo on Rupture."""
    run("init", "study", "--analyst", "Maya")
    run("analyst", "add", "Tom")
    write(tmp_path / "P6.txt", P6)
    write(tmp_path / "P7.txt", "Interviewer: Hello?\nP7: Hello, it was a hard year.\n")
    run("transcript", "import", "P6.txt")
    run("code", "add", "Rupture", "--description", "A strain in the alliance")
    run("code", "add", "Withdrawal", "--parent", "Rupture")
    run("code", "add", "Repair")
    run("code", "apply", "Rupture", "-t", "P6", "--match", "went very quiet for weeks")
    run("code", "apply", "Withdrawal", "Repair", "-t", "P6", "--turns", "2")
    run("theme", "add", "Strain")
    run("theme", "assign", "Rupture", "Withdrawal", "--to", "Strain")
    run("theme", "quote", "Strain", coding_id(run, "Withdrawal"))
    run("memo", "add", "--on", "code:Rupture", "Rupture may be too broad.")
    return tmp_path


def coding_id(run, code: str) -> int:
    return json.loads(run("extracts", code, "--json").output)[0]["coding_id"]


def contents(tmp_path) -> dict[str, list[tuple]]:
    """Every row of every table but the audit trail and the search index."""
    connection = sqlite3.connect(tmp_path / "projects" / "study.qualcode")
    tables = [
        r[0]
        for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if r[0] != "audit_log" and not r[0].startswith(("turns_fts", "sqlite_"))
    ]
    found = {table: connection.execute(f"SELECT * FROM [{table}] ORDER BY 1").fetchall() for table in tables}
    connection.close()
    return found


CHANGES = {
    "code add": lambda run: ["code", "add", "Hope", "--description", "Hope for the work"],
    "code rename": lambda run: ["code", "rename", "Rupture", "Strain in the alliance"],
    "code describe": lambda run: ["code", "describe", "Rupture", "Any strain", "--inclusion", "Named as such"],
    "code move": lambda run: ["code", "move", "Withdrawal"],
    "code merge": lambda run: ["code", "merge", "Withdrawal", "Repair"],
    "code split": lambda run: ["code", "split", "Rupture", "Going quiet", "--coding", coding_id(run, "Rupture")],
    "code delete --force": lambda run: ["code", "delete", "Withdrawal", "--force"],
    "code apply --new": lambda run: ["code", "apply", "Repair", "Hope", "--new", "-t", "P6", "--turns", "4"],
    "code remove": lambda run: ["code", "remove", coding_id(run, "Withdrawal")],
    "memo add": lambda run: ["memo", "add", "--on", "transcript:P6", "Long pauses."],
    "memo edit": lambda run: ["memo", "edit", "1", "--text", "Rupture is fine as it is."],
    "memo delete": lambda run: ["memo", "delete", "1"],
    "theme assign": lambda run: ["theme", "assign", "Repair", "--to", "Strain"],
    "theme rename": lambda run: ["theme", "rename", "Strain", "Strain and repair"],
    "participant set": lambda run: ["participant", "set", "P6", "years=12", "orientation=CBT"],
    "transcript import": lambda run: ["transcript", "import", "P7.txt"],
    # The same text again with another interviewer: the transcript row and its turns' flags change.
    "transcript import --interviewer": lambda run: ["transcript", "import", "P6.txt", "--interviewer", "P6"],
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_undo_restores_the_project_exactly(run, study, change):
    before = contents(study)
    done = run(*CHANGES[change](run))
    assert done.exit_code == 0, done.output
    assert contents(study) != before
    undone = run("undo")
    assert undone.exit_code == 0, undone.output
    assert undone.output.startswith(f"undid '{change.split(' --')[0]}' by Maya (#")
    assert contents(study) == before


def test_deleting_a_code_takes_its_quotes_with_it_and_undo_brings_them_back(run, study):
    run("code", "delete", "Withdrawal", "--force")
    assert json.loads(run("theme", "show", "Strain", "--json").output)["quotes"] == []
    run("undo")
    quotes = json.loads(run("theme", "show", "Strain", "--json").output)["quotes"]
    assert [q["code"] for q in quotes] == ["Withdrawal"]


def test_merging_into_an_identical_coding_keeps_its_quote(run, study):
    result = run("code", "merge", "Withdrawal", "Repair")
    assert "0 codings moved, 1 folded into the same analyst's identical coding with 'Repair'" in result.output
    quotes = json.loads(run("theme", "show", "Strain", "--json").output)["quotes"]
    assert [(q["code"], q["text"][:20]) for q in quotes] == [("Repair", "There was a client w")]


def test_undo_refuses_to_take_back_what_another_analysts_later_work_uses(run, study):
    run("code", "apply", "Repair", "-t", "P6", "--turns", "4")
    repair_id = next(r["coding_id"] for r in json.loads(run("extracts", "Repair", "--json").output) if r["turn"] == 4)
    run("-a", "Tom", "theme", "add", "Making amends")
    run("-a", "Tom", "theme", "assign", "Repair", "--to", "Making amends")
    run("-a", "Tom", "theme", "quote", "Making amends", repair_id)
    before = contents(study)
    refused = run("undo")
    assert refused.exit_code == 1
    assert refused.output.startswith("Error: cannot undo #")
    assert f"coding {repair_id} is used by later work: Tom's 'theme quote' (#" in refused.output
    assert contents(study) == before  # Tom's quote was not taken with it
    assert run("-a", "Tom", "undo").exit_code == 0  # once Tom takes his quote back, Maya may undo
    assert run("undo").exit_code == 0
    assert repair_id not in [r["coding_id"] for r in json.loads(run("extracts", "--json").output)]


def test_undo_refuses_to_remove_a_code_a_later_memo_is_about(run, study):
    run("code", "add", "Hope")
    run("-a", "Tom", "memo", "add", "--on", "code:Hope", "Is this a code or a wish?")
    refused = run("undo")
    assert refused.exit_code == 1 and "memo 2 is about code 'Hope': Tom's 'memo add'" in refused.output


def test_undo_refuses_when_a_later_command_changed_the_row_and_names_it(run, study):
    run("code", "rename", "Rupture", "Strain in the alliance")
    run("-a", "Tom", "code", "describe", "Strain in the alliance", "Any strain between them")
    refused = run("undo")
    assert refused.exit_code == 1
    assert "code 'Strain in the alliance' was changed since: Tom's 'code describe' (#" in refused.output
    run("-a", "Tom", "undo")
    assert run("undo").exit_code == 0
    assert "Rupture" in [c["name"] for c in json.loads(run("code", "list", "--json").output)]


def test_undo_after_undo_goes_further_back_and_never_undoes_the_project_itself(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    run("code", "add", "Hope")
    run("code", "add", "Fear")
    assert "undid 'code add' by Maya" in run("undo").output
    assert "which added code 'Hope'" in run("undo").output
    refused = run("undo")
    assert refused.exit_code == 1 and "nothing to undo: Maya has no changes left" in refused.output
    trail = json.loads(run("log", "--json").output)
    by_id = {row["id"]: row for row in trail}
    undos = [row for row in trail if row["command"] == "undo"]
    assert [by_id[row["undid"]]["changes"] for row in undos] == ["added code 'Hope'", "added code 'Fear'"]
    assert all(by_id[row["undid"]]["undone"] for row in undos)


def test_log_names_what_changed_and_fits_80_columns(run, study):
    run("code", "rename", "Rupture", "Strain in the alliance")
    run("-a", "Tom", "code", "apply", "Repair", "-t", "P6", "--turns", "4")
    run("code", "remove", coding_id(run, "Withdrawal"))
    run("undo")
    output = run("log", env={"COLUMNS": "80"}).output
    lines = output.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert lines[0].split() == ["id", "when", "analyst", "command", "changes"]
    text = " ".join(" ".join(line.split()) for line in lines)
    assert "code rename changed code 'Rupture' → 'Strain in the alliance'" in text
    assert "Tom code apply added coding" in text
    assert "code remove (undone) removed 1 chosen quote" not in text  # singular rows read as words
    assert "code remove (undone) removed a chosen quote, coding" in text
    assert "undo #" in text
    csv_lines = run("log", "--csv").output.splitlines()
    assert csv_lines[0] == "id,at,analyst,command,changes,undone,undid"


def test_log_says_which_fields_a_change_touched_and_filters_by_kind(run, study):
    run("theme", "status", "Strain", "reviewed")
    run("code", "describe", "Repair", "Making good a strain", "--inclusion", "Named by the therapist")
    trail = json.loads(run("log", "--entity", "theme", "--json").output)
    assert trail[0]["changes"] == "changed theme 'Strain' (status)"
    assert [row["command"] for row in trail] == ["theme status", "theme add"]
    codes = json.loads(run("log", "--entity", "codes", "-n", "1", "--json").output)
    assert codes[0]["changes"] == "changed code 'Repair' (description, inclusion)"
    unknown = run("log", "--entity", "quotes")
    assert (
        unknown.exit_code == 1
        and "unknown kind of change 'quotes'" in unknown.output
        and "theme_quotes" in unknown.output
    )


def test_undo_of_a_replaced_transcript_brings_the_old_text_back(run, study):
    write(study / "P7.txt", "Interviewer: Hello?\nP7: Hello, it was a hard year.\n")
    run("transcript", "import", "P7.txt")
    write(study / "P7.txt", "Interviewer: Hello?\nP7: Hello, it was a long year.\n")
    run("transcript", "import", "P7.txt", "--replace")
    assert run("undo").exit_code == 0
    assert "it was a hard year" in run("transcript", "show", "P7").output
    assert run("transcript", "search", "hard").output.startswith("P7 L2 T2 P7")
    assert "no hits" in run("transcript", "search", "long").output


def test_undo_of_a_large_codebook_import_takes_every_code_back(run, tmp_path):
    """Undo looks each imported code up by the foreign-key columns pointing at it (parent,
    merged into, theme assignments): indexed since m006, so a large import undoes in seconds
    (benchmarks/bench_hostile.py times 100,000 codes)."""
    import sqlite3
    import uuid

    run("init", "study", "--analyst", "Maya")
    codes = "".join(f'<Code guid="{uuid.uuid4()}" name="code {i}" isCodable="true"/>' for i in range(3000))
    (tmp_path / "many.qdc").write_text(
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        f"<Codes>{codes}</Codes></CodeBook>",
        encoding="utf-8",
    )
    assert run("-p", "study", "import", "qdc", "many.qdc").exit_code == 0
    undone = run("-p", "study", "undo")
    assert undone.exit_code == 0
    assert "which added 3000 codes" in undone.output
    conn = sqlite3.connect(tmp_path / "projects" / "study.qualcode")
    assert conn.execute("SELECT count(*) FROM codes").fetchone()[0] == 0
    plan = " ".join(str(row) for row in conn.execute("EXPLAIN QUERY PLAN SELECT id FROM codes WHERE parent_id = 1"))
    assert "codes_parent" in plan
    conn.close()
