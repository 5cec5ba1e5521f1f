"""Blind coding: each analyst sees only their own codings (and codes, unless the codebook is
shared) until the reveal; the consensus analyst is visible to all and labelled as such.

P1 (100 characters, as in test_compare): Ana codes "pushing the homework" (38-58) with her code
Rupture, Ben codes "went silent" (88-99) with his code Withdrawal and also uses nothing of Ana's.
"""

from __future__ import annotations

import json

import pytest
from helpers import write

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.analysis.session import SessionState
from qualcode.analysis.themes import add_theme
from qualcode.completion_names import stored_names
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts

P1 = "Interviewer: How did it start?\nP1: I kept pushing the homework, she kept agreeing, then went silent."


@pytest.fixture
def pair(tmp_path):
    project = Project.create(tmp_path / "projects" / "study.qualcode", "Ana")
    add_analyst(project, "Ana", "Ben")
    import_transcripts(project, [write(tmp_path / "P1.txt", P1 + "\n")], "Ana")
    add_code(project, "Ana", "Rupture")
    add_code(project, "Ben", "Withdrawal")
    apply_codes(project, "Ana", ["Rupture"], "P1", spans=[(42, 62)])
    apply_codes(project, "Ben", ["Withdrawal"], "P1", spans=[(88, 99)])
    add_theme(project, "Ana", "Strain", codes=["Rupture", "Withdrawal"])
    yield project
    project.close()


def tables(project: Project) -> list[str]:
    return list(project.db.conn.iterdump())


def as_ben(run, *args):
    result = run("-a", "Ben", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_open_coding_shows_everyone_everything(run, pair):
    assert "Rupture" in as_ben(run, "extracts")
    assert "went silent" in as_ben(run, "extracts")


def test_under_blind_coding_ben_sees_only_his_codings_and_codes(run, pair):
    assert "blind coding on: each analyst sees only their own codes" in as_ben(run, "analyst", "blind", "on")
    extracts = json.loads(as_ben(run, "extracts", "--json"))
    assert [(e["code"], e["analyst"], e["text"]) for e in extracts] == [("Withdrawal", "Ben", "went silent")]
    codes = json.loads(as_ben(run, "code", "list", "--json"))
    assert [(c["name"], c["codings"]) for c in codes] == [("Withdrawal", 1)]
    matrix = json.loads(as_ben(run, "matrix", "--json"))
    assert [(row["code"], row["total"]) for row in matrix] == [("Withdrawal", 1)]
    refused = run("-a", "Ben", "code", "show", "Rupture")
    assert refused.exit_code != 0 and "hidden while coding is blind" in refused.output
    # Ana still sees hers and not his.
    ana = json.loads(run("extracts", "--json").output)
    assert [(e["code"], e["analyst"]) for e in ana] == [("Rupture", "Ana")]


def test_the_coding_session_and_completion_keep_to_the_analysts_own(pair):
    from qualcode.analysis.blind import start_blind

    start_blind(pair, "Ana")
    session = SessionState.open(pair, "Ben", "P1")
    session.goto(2)
    assert [(c.code, c.analyst) for c in session.codings()] == [("Withdrawal", "Ben")]
    assert session.code_names() == ["Withdrawal"]
    project = str(pair.path)
    assert stored_names(project, "codes", "Ben") == ["Withdrawal"]
    assert stored_names(project, "codes", "Ana") == ["Rupture"]
    assert "code:Rupture" not in stored_names(project, "memo_targets", "Ben")
    ben_coding = pair.db.execute("SELECT id FROM codings WHERE analyst_id = 2").fetchone()[0]
    assert stored_names(project, "coding_ids", "Ben") == [f"coding:{ben_coding}"]


def test_theme_counts_are_the_analysts_own_and_others_are_refused(run, pair):
    as_ben(run, "analyst", "blind", "on")
    themes = json.loads(as_ben(run, "theme", "list", "--json"))
    assert themes[0]["codings"] == 1
    refused = run("-a", "Ben", "theme", "list", "--analyst", "Ana")
    assert refused.exit_code != 0 and "coding is blind" in refused.output


def test_a_shared_codebook_shows_the_codes_but_not_the_codings(run, pair):
    assert "the codebook is shared" in as_ben(run, "analyst", "blind", "on", "--shared-codebook")
    codes = json.loads(as_ben(run, "code", "list", "--json"))
    assert [(c["name"], c["codings"]) for c in codes] == [("Rupture", 0), ("Withdrawal", 1)]
    assert "pushing" not in as_ben(run, "code", "show", "Rupture")


def test_status_and_phase_show_the_setting(run, pair):
    assert "blind coding" not in run("status").output
    run("analyst", "blind", "on")
    assert "blind coding: each analyst sees only their own codings and codes" in run("status").output
    assert "blind coding" in run("phase").output
    assert json.loads(run("status", "--json").output)["coding"]["blind"] is True


def test_blind_on_with_one_analyst_is_refused_and_changes_nothing(run, tmp_path):
    project = Project.create(tmp_path / "projects" / "solo.qualcode", "Maya")
    before = tables(project)
    result = run("-p", "solo", "analyst", "blind", "on")
    assert result.exit_code == 1
    assert "this project has one analyst (Maya); add a co-analyst first" in result.output
    assert tables(project) == before
    project.close()


def test_compare_is_the_reveal_it_asks_first_and_logs_it(run, pair):
    run("analyst", "blind", "on")
    before = tables(pair)
    declined = run("compare", "agreement", "--analysts", "Ana,Ben", input="n\n")
    assert declined.exit_code == 1 and "comparing reveals every analyst's codings" in declined.output
    assert tables(pair) == before
    done = run("compare", "agreement", "--analysts", "Ana,Ben", "--yes")
    assert done.exit_code == 0, done.output
    assert "codes revealed for comparison" in done.output
    journal = run("journal", "--json")
    assert "Codes revealed for comparison (compare, by Ana)" in journal.output
    assert "Rupture" in as_ben(run, "extracts")  # the codes are open now


def test_a_failed_comparison_reveals_nothing(run, pair):
    run("analyst", "blind", "on")
    before = tables(pair)
    failed = run("compare", "agreement", "--analysts", "Ana,Nobody", "--yes")
    assert failed.exit_code != 0
    assert tables(pair) == before


def test_blind_off_is_the_reveal_too(run, pair):
    run("analyst", "blind", "on")
    result = run("analyst", "blind", "off")
    assert "codes revealed for comparison" in result.output
    assert "Codes revealed for comparison (blind off, by Ana)" in run("journal").output
    assert "blind coding was not on" in run("analyst", "blind", "off").output


def test_the_consensus_analyst_is_visible_to_all_and_labelled(run, pair):
    merged = run("compare", "merge", "Ana", "Ben", "--into", "Consensus")
    assert merged.exit_code == 0, merged.output
    run("analyst", "blind", "on")
    extracts = json.loads(as_ben(run, "extracts", "--json"))
    assert sorted((e["code"], e["analyst"]) for e in extracts) == [
        ("Rupture", "Consensus"),
        ("Withdrawal", "Ben"),
        ("Withdrawal", "Consensus"),
    ]
    assert "Consensus (consensus)" in run("status").output


def test_the_consensus_analyst_is_no_coder_in_default_comparisons_and_listings(run, pair):
    run("compare", "merge", "Ana", "Ben", "--into", "Consensus")
    # Three analysts have codings, but the consensus is not a coder: Ana and Ben are compared.
    result = run("compare", "agreement", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["analysts"] == ["Ana", "Ben"]
    listed = {row["name"]: row["consensus"] for row in json.loads(run("analyst", "list", "--json").output)}
    assert listed == {"Ana": False, "Ben": False, "Consensus": True}
    assert "consensus" in run("analyst", "list").output
    # Named, it can still be compared with a coder.
    named = run("compare", "agreement", "--analysts", "Ana,Consensus", "--json")
    assert json.loads(named.output)["analysts"] == ["Ana", "Consensus"]
