"""Merging a co-analyst's copy of the project (`qualcode merge OTHER.qualcode`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import write

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.analysis.memos import add_memo
from qualcode.analysis.participants import set_attributes
from qualcode.analysis.themes import add_theme
from qualcode.errors import InvalidInput, ProjectError
from qualcode.exchange.project_merge import merge_project
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

P3 = """Interviewer: How did the first sessions feel?
P3: Honestly, I felt the trust was missing at first. She kept cancelling.
Interviewer: And later on?
P3: Later we repaired it, slowly, over weeks.
"""
P7 = """Interviewer: What do you take home with you?
P7: The silences. I replay them on the bus.
"""


@pytest.fixture
def maya(project, tmp_path) -> Project:
    import_transcripts(project, [write(tmp_path / "maya" / "P3.txt", P3)], "Maya")
    set_attributes(project, "Maya", "P3", {"years": "12"})
    add_code(project, "Maya", "Trust", description="Talk of trust in the alliance")
    add_code(project, "Maya", "Repair", description="Mending a rupture")
    apply_codes(project, "Maya", ["Trust"], "P3", locations=[Location(match="the trust was missing at first")])
    apply_codes(project, "Maya", ["Repair"], "P3", locations=[Location(match="we repaired it, slowly")])
    return project


@pytest.fixture
def sam(tmp_path) -> Path:
    """Sam's laptop: the same interview imported separately, plus one more; his own codes."""
    path = tmp_path / "laptop" / "study-sam.qualcode"
    copy = Project.create(path, "Sam")
    import_transcripts(
        copy, [write(tmp_path / "sam" / "interview P3.txt", P3), write(tmp_path / "sam" / "P7.txt", P7)], "Sam"
    )
    set_attributes(copy, "Sam", "P3", {"years": "12", "orientation": "integrative"})
    add_code(copy, "Sam", "Trust", description="Trust in institutions")  # same name, another meaning
    add_code(copy, "Sam", "Repair", description="Mending a rupture")
    add_code(copy, "Sam", "Silence", description="Pauses held open")
    apply_codes(copy, "Sam", ["Trust"], "interview P3", locations=[Location(match="I felt the trust was missing")])
    apply_codes(
        copy, "Sam", ["Repair"], "interview P3", locations=[Location(match="Later we repaired it, slowly, over weeks")]
    )
    apply_codes(copy, "Sam", ["Silence"], "P7", locations=[Location(match="I replay them on the bus")])
    add_memo(copy, "Sam", "P7 replays silences: rumination?", on="transcript:P7")
    add_theme(copy, "Sam", "Carrying the work home", definition="What stays with the therapist.", codes=["Silence"])
    copy.close()
    return path


def counts(project: Project) -> dict[str, int]:
    tables = ("transcripts", "codes", "codings", "memos", "themes", "analysts", "participants")
    return {t: project.query(f"SELECT count(*) n FROM {t}")[0]["n"] for t in tables}


def test_a_dry_run_reports_and_changes_nothing(maya, sam, run):
    before = counts(maya)
    result = run("-p", "study", "merge", sam, "--dry-run")
    assert result.exit_code == 0
    assert result.output.startswith("Would bring in from study-sam.qualcode (dry run: nothing changed):\n")
    assert (
        "conflict: code 'Trust': same name, different description in study-sam.qualcode; its codings go to the code here (use --rename-prefix to keep both)"
        in result.output
    )
    assert "note: 'interview P3' in study-sam.qualcode has the same text as 'P3' here: matched" in result.output
    assert counts(maya) == before


def test_the_merge_brings_the_other_copy_in_matched_by_content_and_name(maya, sam):
    outcome = merge_project(maya, sam, "Maya")
    table = {r["what"]: (r["added"], r["matched"], r["conflicts"]) for r in outcome.rows()}
    assert table["transcripts"] == (1, 1, 0)
    assert table["codes"] == (1, 1, 1)  # Silence added, Repair matched, Trust clashes
    assert table["codings"] == (3, 0, 0)
    assert table["analysts"] == (1, 0, 0)
    codings = maya.query(
        "SELECT a.name analyst, k.name code, t.name transcript, substr(t.text, c.start + 1, c.[end] - c.start) words FROM codings c"
        " JOIN analysts a ON a.id = c.analyst_id JOIN codes k ON k.id = c.code_id JOIN transcripts t ON t.id = c.transcript_id ORDER BY c.id"
    )
    assert [tuple(r.values()) for r in codings] == [
        ("Maya", "Trust", "P3", "the trust was missing at first"),
        ("Maya", "Repair", "P3", "we repaired it, slowly"),
        ("Sam", "Trust", "P3", "I felt the trust was missing"),
        ("Sam", "Repair", "P3", "Later we repaired it, slowly, over weeks"),
        ("Sam", "Silence", "P7", "I replay them on the bus"),
    ]
    assert maya.query("SELECT key, value FROM participant_attributes ORDER BY key") == [
        {"key": "orientation", "value": "integrative"},
        {"key": "years", "value": "12"},
    ]
    assert maya.query("SELECT m.body, t.name FROM memos m JOIN transcripts t ON t.id = m.target_id") == [
        {"body": "P7 replays silences: rumination?", "name": "P7"}
    ]
    assert maya.query(
        "SELECT t.name, k.name code FROM themes t JOIN theme_codes x ON x.theme_id = t.id JOIN codes k ON k.id = x.code_id"
    ) == [{"name": "Carrying the work home", "code": "Silence"}]


def test_compare_works_straight_after_the_merge(maya, sam, run):
    merge_project(maya, sam, "Maya")
    result = run("-p", "study", "compare", "agreement", "--analysts", "Maya,Sam", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["analysts"] == ["Maya", "Sam"]


def test_merging_the_same_file_twice_adds_nothing_the_second_time(maya, sam):
    merge_project(maya, sam, "Maya")
    before = counts(maya)
    again = merge_project(maya, sam, "Maya")
    assert [r["added"] for r in again.rows()] == [0] * len(again.rows())
    assert counts(maya) == before


def test_a_rename_prefix_keeps_both_codes_of_a_clash(maya, sam):
    outcome = merge_project(maya, sam, "Maya", rename_prefix="Sam: ")
    assert (
        "code 'Trust': same name, different description in study-sam.qualcode; kept both, the incoming one as 'Sam: Trust'"
        in outcome.conflicts
    )
    assert maya.query(
        "SELECT k.name FROM codings c JOIN codes k ON k.id = c.code_id JOIN analysts a ON a.id = c.analyst_id WHERE a.name = 'Sam' ORDER BY c.id"
    ) == [{"name": "Sam: Trust"}, {"name": "Repair"}, {"name": "Silence"}]


def test_only_the_named_analysts_work_comes_in(maya, sam):
    other = Project.open(sam)
    add_code(other, "Sam", "Boredom")
    add_analyst(other, "Sam", "Lee")
    apply_codes(other, "Lee", ["Boredom"], "P7", locations=[Location(match="The silences")])
    other.close()
    outcome = merge_project(maya, sam, "Maya", only_analysts=["Lee"])
    assert maya.query(
        "SELECT a.name, count(*) n FROM codings c JOIN analysts a ON a.id = c.analyst_id GROUP BY a.name ORDER BY a.name"
    ) == [{"name": "Lee", "n": 1}, {"name": "Maya", "n": 2}]
    assert "memos" not in {r["what"] for r in outcome.rows()}  # Sam's memo stays behind with his codings


def test_merging_a_project_into_itself_is_refused(maya, run):
    result = run("-p", "study", "merge", maya.path)
    assert result.exit_code == 1
    assert result.output == f"Error: {maya.path} is this project itself; name another copy to merge\n"


def test_transcripts_with_one_name_and_two_texts_stop_the_merge(maya, tmp_path, run):
    other = Project.create(tmp_path / "other.qualcode", "Sam")
    import_transcripts(
        other,
        [write(tmp_path / "edited" / "P3.txt", P3.replace("She kept cancelling.", "She kept cancelling sessions."))],
        "Sam",
    )
    other.close()
    before = counts(maya)
    result = run("-p", "study", "merge", tmp_path / "other.qualcode")
    assert result.exit_code == 1
    assert result.output == (
        "Error: transcript 'P3' here and 'P3' in other.qualcode share a name but not their text; "
        "bring it in as a separate transcript with --rename-prefix; nothing was brought in\n"
    )
    assert counts(maya) == before


def test_a_file_that_is_not_a_project_is_refused(maya, tmp_path):
    path = write(tmp_path / "notes.qualcode", "not a database")
    with pytest.raises(ProjectError, match="not a qualcode project"):
        merge_project(maya, path, "Maya")
    with pytest.raises(ProjectError, match="no project at"):
        merge_project(maya, tmp_path / "missing.qualcode", "Maya")


def test_an_analyst_filter_naming_nobody_is_refused(maya, sam):
    with pytest.raises(InvalidInput, match=r"study-sam\.qualcode has no analyst or user named 'Tom' \(it has: Sam\)"):
        merge_project(maya, sam, "Maya", only_analysts=["Tom"])


def test_the_merge_is_one_audited_change(maya, sam):
    merge_project(maya, sam, "Maya")
    batches = maya.query("SELECT batch, count(*) n FROM audit_log WHERE command = 'merge' GROUP BY batch")
    assert len(batches) == 1
    summary = maya.query("SELECT after FROM audit_log WHERE command = 'merge' AND action = 'merge'")
    assert json.loads(summary[0]["after"])["source"] == "study-sam.qualcode"
