"""The folder form: a project as a text tree kept in git (`export folder`, `import folder`)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import write

from qualcode.analysis.coding import add_code, apply_codes, merge_codes
from qualcode.analysis.memos import add_memo
from qualcode.analysis.phases import set_phase
from qualcode.analysis.themes import add_theme
from qualcode.errors import QualcodeError
from qualcode.exchange.folder import read as folder_read
from qualcode.exchange.folder.read import import_folder
from qualcode.exchange.folder.write import export_folder
from qualcode.exchange.project_merge import merge_project
from qualcode.exchange.refi.qdpx import export_qdpx
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

P3 = """Interviewer: How did the first sessions feel?
P3: Honestly, I felt the trust was missing at first. She kept cancelling.
Interviewer: And later on?
P3: Later we repaired it, slowly, over weeks. 😬
"""
P7 = "Interviewer: What do you take home?\nP7: The silences. I replay them on the bus.\n"

LISTED = [
    "SELECT a.guid, a.name, a.created FROM analysts a",
    "SELECT t.guid, t.name, t.text, t.imported_at, p.guid FROM transcripts t JOIN participants p ON p.id = t.participant_id",
    "SELECT t.guid, u.number, u.speaker, u.start, u.body_start, u.[end], u.timestamp FROM turns u JOIN transcripts t ON t.id = u.transcript_id",
    "SELECT guid, name, description, inclusion, exclusion, color, status, created FROM codes",
    "SELECT c.guid, t.guid, k.guid, a.name, c.start, c.[end], c.created FROM codings c JOIN transcripts t ON t.id = c.transcript_id JOIN codes k ON k.id = c.code_id JOIN analysts a ON a.id = c.analyst_id",
    "SELECT m.guid, a.name, m.kind, m.target_type, m.phase, m.body, m.created, m.updated FROM memos m JOIN analysts a ON a.id = m.analyst_id",
    "SELECT guid, name, definition, concept, status, position FROM themes",
    "SELECT p.guid, x.key, x.value FROM participant_attributes x JOIN participants p ON p.id = x.participant_id",
    "SELECT l.phase, a.name, l.at, l.note FROM phase_log l LEFT JOIN analysts a ON a.id = l.analyst_id",
]


def listed(path: Path) -> list[list[tuple]]:
    with sqlite3.connect(path) as db:
        return [sorted(db.execute(sql).fetchall(), key=repr) for sql in LISTED]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


@pytest.fixture
def study(project, tmp_path) -> Project:
    import_transcripts(project, [write(tmp_path / "in" / "P3.txt", P3), write(tmp_path / "in" / "P7.txt", P7)], "Maya")
    set_phase(project, "Maya", 2, note="Reading done.")
    add_code(project, "Maya", "Trust", description="Talk of trust", inclusion="explicit mentions")
    add_code(project, "Maya", "Repair", parent="Trust", color="#CC79A7")
    add_code(project, "Maya", "Old idea")
    merge_codes(project, "Maya", "Old idea", "Trust")
    apply_codes(project, "Maya", ["Trust"], "P3", locations=[Location(match="the trust was missing at first")])
    apply_codes(project, "Maya", ["Repair"], "P3", locations=[Location(match="we repaired it, slowly")])
    add_memo(project, "Maya", "Trust is\nearned slowly.", kind="code", on="code:Trust")
    add_theme(project, "Maya", "Earning trust", definition="How trust is built.", codes=["Trust", "Repair"])
    return project


def test_a_round_trip_through_a_folder_changes_nothing_and_exports_the_same_bytes(study, tmp_path):
    folder = tmp_path / "study-git"
    first = export_folder(study, folder)
    assert first.codings == 2 and first.files_written > 0
    again = export_folder(study, folder)
    assert again.files_written == 0  # byte-identical: nothing rewritten
    copy = Project.create(tmp_path / "copy.qualcode", "Maya")
    outcome = import_folder(copy, folder, "Maya")
    assert outcome.warnings == [] and outcome.conflicts == []
    assert listed(copy.path) == listed(study.path)
    second = tmp_path / "second"
    export_folder(copy, second)
    assert tree(second) == tree(folder)
    qdpx = [export_qdpx(p, tmp_path / f"{p.path.stem}.qdpx").path for p in (study, copy)]
    qde = [zipfile.ZipFile(p).read("project.qde").split(b"\n", 2)[2] for p in qdpx]
    assert qde[0] == qde[1]  # the same project.qde but for its first lines (the project's name, the time)


def test_the_files_are_lines_sorted_by_guid_with_transcripts_as_text(study, tmp_path):
    folder = tmp_path / "tree"
    export_folder(study, folder)
    guid = study.query("SELECT guid FROM transcripts WHERE name = 'P3'")[0]["guid"]
    stored = study.query("SELECT text FROM transcripts WHERE name = 'P3'")[0]["text"]
    assert (folder / "transcripts" / f"{guid}.txt").read_bytes() == stored.encode("utf-8")
    codings = [json.loads(line) for line in (folder / "codings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [c["guid"] for c in codings] == sorted(c["guid"] for c in codings)
    start = P3.index("the trust was missing at first")
    assert {(c["start"], c["end"]) for c in codings} >= {(start, start + len("the trust was missing at first"))}
    memos = [json.loads(line) for line in (folder / "memos.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {(m["kind"], m["body"]) for m in memos} == {
        ("code", "Trust is\nearned slowly."),
        ("phase", "Moved on from phase 1 (familiarisation) to phase 2 (generating initial codes).\n\nReading done."),
    }
    assert (folder / ".gitattributes").read_text().endswith("* text eol=lf\n*.jsonl merge=union\n")


def test_removed_transcripts_leave_the_tree_and_a_foreign_folder_is_not_written_into(study, tmp_path, run):
    other = tmp_path / "papers"
    write(other / "draft.docx", "x")
    result = run("-p", "study", "export", "folder", other)
    assert result.exit_code == 1
    assert "holds other files (draft.docx) and no qualcode-project.json" in result.output


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_importing_a_git_merged_tree_is_the_same_as_qualcode_merge(study, tmp_path):
    repo = tmp_path / "repo"
    export_folder(study, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    # Sam clones the project from the folder and codes on his own branch.
    sam = Project.create(tmp_path / "sam.qualcode", "Sam")
    import_folder(sam, repo, "Sam")
    apply_codes(sam, "Sam", ["Trust"], "P3", locations=[Location(match="I felt the trust was missing")])
    add_code(sam, "Sam", "Silence", description="Pauses held open")
    apply_codes(sam, "Sam", ["Silence"], "P7", locations=[Location(match="The silences")])
    add_memo(sam, "Sam", "P7 replays silences.", on="transcript:P7")
    git(repo, "checkout", "-qb", "sam")
    export_folder(sam, repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Sam codes")
    # Maya codes on main meanwhile.
    git(repo, "checkout", "-q", "main")
    apply_codes(study, "Maya", ["Repair"], "P3", locations=[Location(match="over weeks")])
    add_memo(study, "Maya", "Repair takes weeks.", kind="reflexive")
    export_folder(study, repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Maya codes")
    before_merge = tmp_path / "maya-before.qualcode"
    with sqlite3.connect(study.path) as live, sqlite3.connect(before_merge) as copy:
        live.backup(copy)
    git(repo, "merge", "-q", "--no-edit", "sam")  # the two branches' lines merge without a conflict
    sam.close()
    merged_by_qualcode = Project.open(before_merge)
    merge_project(merged_by_qualcode, tmp_path / "sam.qualcode", "Maya")
    merged_by_qualcode.close()
    outcome = import_folder(study, repo, "Maya")
    assert outcome.conflicts == []
    assert listed(study.path)[:-1] == listed(before_merge)[:-1]  # all but the phase log, merge keeps ours
    assert listed(study.path)[-1] == listed(before_merge)[-1]
    assert {r["name"] for r in study.query("SELECT a.name FROM codings c JOIN analysts a ON a.id = c.analyst_id")} == {
        "Maya",
        "Sam",
    }


# -- a tree edited by hand into an inconsistent state -----------------------------------------


def snapshot(project: Project) -> dict[str, list[dict]]:
    return {
        t: project.query(f"SELECT * FROM {t} ORDER BY id")
        for t in ("codes", "codings", "memos", "transcripts", "audit_log")
    }


@pytest.fixture
def exported(study, tmp_path):
    folder = tmp_path / "tree"
    export_folder(study, folder)
    target = Project.create(tmp_path / "target.qualcode", "Jo")
    return study, folder, target


def refused(target: Project, folder: Path, run, tmp_path) -> str:
    before = snapshot(target)
    result = run("-p", str(target.path), "import", "folder", str(folder))
    assert result.exit_code == 1, result.output
    assert snapshot(target) == before
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "nothing was brought in" in lines[0]
    return lines[0]


def edit_line(path: Path, number: int, change) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = change(lines[number - 1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_coding_naming_a_missing_code_is_refused_with_file_and_line(exported, run, tmp_path):
    _, folder, target = exported
    record = json.loads((folder / "codings.jsonl").read_text().splitlines()[1])
    record["code"] = "00000000-0000-4000-8000-000000000000"
    edit_line(folder / "codings.jsonl", 2, lambda line: json.dumps(record))
    message = refused(target, folder, run, tmp_path)
    assert (
        "tree/codings.jsonl:2: names code 00000000-0000-4000-8000-000000000000, which is not in the folder" in message
    )


def test_a_code_made_a_category_by_hand_while_codings_apply_it_is_refused(exported, run, tmp_path):
    _, folder, target = exported
    coded = json.loads((folder / "codings.jsonl").read_text().splitlines()[0])["code"]
    codes = (folder / "codes.jsonl").read_text().splitlines()
    number = next(n for n, line in enumerate(codes, start=1) if json.loads(line)["guid"] == coded)
    edit_line(folder / "codes.jsonl", number, lambda line: json.dumps({**json.loads(line), "category": True}))
    message = refused(target, folder, run, tmp_path)
    assert "tree/codings.jsonl:" in message and "which codes.jsonl marks as a category (never applied)" in message


def test_two_records_claiming_one_guid_are_refused(exported, run, tmp_path):
    _, folder, target = exported
    first = (folder / "codings.jsonl").read_text().splitlines()[0]
    guid = json.loads(first)["guid"]
    with open(folder / "memos.jsonl", "a", encoding="utf-8") as handle:
        handle.write(
            json.dumps({"guid": guid, "analyst": json.loads(first)["analyst"], "kind": "reflexive", "body": "x"}) + "\n"
        )
    message = refused(target, folder, run, tmp_path)
    assert f"tree/memos.jsonl:3: GUID {guid} is claimed twice (also at codings.jsonl:1)" in message


def test_two_files_claiming_one_transcript_guid_are_refused(exported, run, tmp_path):
    study, folder, target = exported
    guid = study.query("SELECT guid FROM transcripts WHERE name = 'P3'")[0]["guid"]
    shutil.copy(folder / "transcripts" / f"{guid}.txt", folder / "transcripts" / f"{{{guid.upper()}}}.txt")
    message = refused(target, folder, run, tmp_path)
    assert f"GUID {guid} is claimed twice" in message


def test_a_position_past_the_text_is_refused(exported, run, tmp_path):
    _, folder, target = exported
    record = json.loads((folder / "codings.jsonl").read_text().splitlines()[0])
    record["end"] = 10_000
    edit_line(folder / "codings.jsonl", 1, lambda line: json.dumps(record))
    message = refused(target, folder, run, tmp_path)
    assert f"tree/codings.jsonl:1: positions {record['start']}-10000 are not within the transcript's" in message


def test_a_merge_conflict_marker_left_in_a_file_is_refused(exported, run, tmp_path):
    _, folder, target = exported
    lines = (folder / "memos.jsonl").read_text().splitlines()
    (folder / "memos.jsonl").write_text("<<<<<<< HEAD\n" + lines[0] + "\n=======\n" + lines[0] + "\n>>>>>>> sam\n")
    message = refused(target, folder, run, tmp_path)
    assert "tree/memos.jsonl:1: a merge-conflict marker is left in the file; resolve the conflict first" in message


def test_an_edited_transcript_text_is_refused(exported, run, tmp_path):
    study, folder, target = exported
    guid = study.query("SELECT guid FROM transcripts WHERE name = 'P3'")[0]["guid"]
    path = folder / "transcripts" / f"{guid}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Honestly, ", ""), encoding="utf-8")
    message = refused(target, folder, run, tmp_path)
    assert f"tree/transcripts/{guid}.txt: its text is not the one its codings were made on" in message


def test_a_file_pointing_outside_the_folder_is_refused(exported, run, tmp_path):
    _, folder, target = exported
    secret = write(tmp_path / "elsewhere.jsonl", "")
    (folder / "memos.jsonl").unlink()
    (folder / "memos.jsonl").symlink_to(secret)
    message = refused(target, folder, run, tmp_path)
    assert "tree/memos.jsonl: refused: it points outside the folder" in message


def test_an_oversized_file_is_refused(exported, run, tmp_path, monkeypatch):
    _, folder, target = exported
    monkeypatch.setattr(folder_read, "MAX_FILE_BYTES", 100)
    message = refused(target, folder, run, tmp_path)
    assert "larger than the" in message and "refused as unsafe" in message


def test_a_line_that_is_not_a_record_is_refused(exported, run, tmp_path):
    _, folder, target = exported
    edit_line(folder / "codes.jsonl", 1, lambda line: line[:-1])
    message = refused(target, folder, run, tmp_path)
    assert "tree/codes.jsonl:1: not a JSON record" in message


def test_not_a_project_folder(tmp_path, project):
    (tmp_path / "empty").mkdir()
    with pytest.raises(QualcodeError, match=r"qualcode-project\.json: missing"):
        import_folder(project, tmp_path / "empty", "Maya")
