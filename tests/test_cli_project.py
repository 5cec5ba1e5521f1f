"""init, status, analysts, participants, and how commands find the project and analyst."""

from __future__ import annotations

import json
import sqlite3
import stat

from helpers import squash, write


def test_init_creates_an_owner_only_project_and_status_shows_it(run, tmp_path):
    result = run("init", "alliance", "--analyst", "Maya")
    assert result.exit_code == 0
    assert "created projects/alliance.qualcode (default analyst: Maya)" in result.output
    path = tmp_path / "projects" / "alliance.qualcode"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    status = run("-p", "alliance", "status")
    assert "phase 1 of 6: familiarisation" in status.output
    assert "analysts: Maya (default)" in status.output
    data = json.loads(run("-p", "alliance", "status", "--json").output)
    assert data["transcripts"] == 0 and data["phase"] == 1 and data["analysts"] == ["Maya"]


def test_project_and_analyst_from_environment(run):
    run("init", "alliance", "--analyst", "Maya")
    run("-p", "alliance", "analyst", "add", "Tom")
    env = {"QUALCODE_PROJECT": "alliance", "QUALCODE_ANALYST": "Tom"}
    result = run("participant", "set", "P3", "--new", "years=12", env=env)
    assert result.exit_code == 0
    log = json.loads(run("log", "--json", env=env).output)
    assert log[0]["analyst"] == "Tom" and log[0]["command"] == "participant set"


def test_analyst_list_and_duplicates(run):
    run("init", "alliance", "--analyst", "Maya")
    run("analyst", "add", "Tom")
    rows = json.loads(run("analyst", "list", "--json").output)
    assert [(r["name"], r["default"]) for r in rows] == [("Maya", True), ("Tom", False)]
    again = run("analyst", "add", "tom")
    assert again.exit_code == 1 and "analyst 'tom' already exists" in again.output


def test_unknown_analyst_is_refused_with_a_suggestion(run):
    run("init", "alliance", "--analyst", "Maya")
    result = run("-a", "Mya", "participant", "set", "P1", "age=40")
    assert result.exit_code == 1
    assert "unknown analyst 'Mya'; did you mean 'Maya'?" in result.output
    assert json.loads(run("participant", "list", "--json").output) == []


def test_participant_table_from_csv_and_set(run, tmp_path):
    run("init", "alliance", "--analyst", "Maya")
    write(
        tmp_path / "attributes.csv",
        "participant,gender,orientation,years_practice\nP2,female,integrative,12\nP10,male,CBT,4\nP3,female,person-centred,20\n",
    )
    assert run("participant", "import", "attributes.csv").output.startswith("imported attributes of 3 participants")
    run("participant", "set", "P3", "years_practice=21", "registration=BACP")
    rows = json.loads(run("participant", "list", "--json").output)
    assert [r["participant"] for r in rows] == ["P2", "P3", "P10"]  # natural order, as in a paper
    assert rows[1]["years_practice"] == "21" and rows[1]["registration"] == "BACP"
    table = squash(run("participant", "list").output)
    assert "P10 male CBT 4" in squash(table)


def test_participant_set_needs_key_value(run):
    run("init", "alliance", "--analyst", "Maya")
    result = run("participant", "set", "P3", "twelve")
    assert result.exit_code == 1 and "'twelve' is not KEY=VALUE" in result.output


def test_wrong_project_paths_give_one_line_errors(run, tmp_path):
    missing = run("-p", "nowhere", "status")
    assert missing.exit_code == 1
    assert "no project at projects/nowhere.qualcode" in missing.output
    assert "Traceback" not in missing.output
    write(tmp_path / "notes.qualcode", "not a database")
    not_sqlite = run("-p", "notes.qualcode", "status")
    assert not_sqlite.exit_code == 1 and "not an SQLite file" in not_sqlite.output
    connection = sqlite3.connect(tmp_path / "other.qualcode")
    connection.execute("CREATE TABLE x (y)")
    connection.close()
    other = run("-p", "other.qualcode", "status")
    assert other.exit_code == 1 and "not a qualcode project" in other.output


def test_without_a_project_option_the_only_project_is_used(run):
    assert "no project given" in run("status").output
    run("init", "alliance", "--analyst", "Maya")
    assert "alliance.qualcode" in run("status").output
    run("init", "second", "--analyst", "Maya")
    result = run("status")
    assert result.exit_code == 1 and "several projects in projects/ (alliance, second)" in result.output


def test_editor_text_keeps_markdown_headings(run, monkeypatch):
    """Long text written in $EDITOR keeps lines starting with # (only qualcode's marker is cut)."""
    import click

    run("init", "alliance", "--analyst", "Maya")
    run("code", "add", "Rupture")

    def fake_edit(template):
        return "# Working definition\nA strain in the alliance.\n" + template

    monkeypatch.setattr(click, "edit", fake_edit)
    assert run("code", "describe", "Rupture").exit_code == 0
    details = json.loads(run("code", "show", "Rupture", "--json").output)
    assert details["description"] == "# Working definition\nA strain in the alliance."


def test_init_with_a_title_names_the_study(run):
    run("init", "alliance", "--analyst", "Maya", "--title", "Therapists on the alliance")
    from qualcode.store import Project

    project = Project.open(__import__("pathlib").Path("projects/alliance.qualcode"))
    assert project.setting("title") == "Therapists on the alliance"
    project.close()


def test_exports_and_folders_are_readable_by_their_owner_only(run, tmp_path):
    run("init", "alliance", "--analyst", "Maya")
    write(tmp_path / "P1.txt", "Interviewer: How was it?\nP1: Hard, at first. Then it became the work.\n")
    run("transcript", "import", "P1.txt")
    result = run("report", "--out", "exports/nested/alliance.docx")
    assert result.exit_code == 0, result.output
    report = tmp_path / "exports" / "nested" / "alliance.docx"
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700


def test_status_counts_participants_with_transcripts_apart_from_the_table(run, tmp_path):
    run("init", "alliance", "--analyst", "Maya")
    write(tmp_path / "attributes.csv", "participant,gender\nP1,female\nP2,male\nP3,female\n")
    run("participant", "import", "attributes.csv")
    write(tmp_path / "P1.txt", "Interviewer: How was it?\nP1: Hard, at first.\n")
    run("transcript", "import", "P1.txt")
    text = squash(run("status").output)
    assert "1 transcript (6 words) from 1 participant (3 in the participant table); 0 codes" in text
