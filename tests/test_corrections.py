"""Correcting the corpus: renaming, deleting and reassigning transcripts; renaming, deleting and
merging participants; no participant invented for a transcript without one."""

from __future__ import annotations

import json

import pytest
from helpers import P3, build_study, squash, write

from qualcode.analysis.memos import add_memo
from qualcode.analysis.theme_quotes import choose_quote
from qualcode.store import Project

# The trail, and the texts kept for undo, grow with every command; turns get new ids when undo
# lays a transcript out again.
LOGGED = ("audit_log", "transcript_versions")


def dump(project: Project) -> dict[str, list[tuple]]:
    """Every table's rows but the trail: what a failed or undone command must leave as it was."""
    tables = [
        r[0]
        for r in project.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'turns_fts%'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    rows = {t: project.db.execute(f"SELECT * FROM [{t}] ORDER BY 1").fetchall() for t in tables if t not in LOGGED}
    rows["turns"] = sorted(row[1:] for row in rows["turns"])
    return rows


@pytest.fixture
def study(project, tmp_path):
    ids = build_study(project, tmp_path)
    return project, ids


def test_a_renamed_transcript_keeps_its_codings_and_shows_everywhere(study, run):

    assert run("transcript", "rename", "P6", "Interview 6").output == "renamed transcript 'P6' to 'Interview 6'\n"
    listed = {r["name"]: r for r in json.loads(run("transcript", "list", "--json").output)}
    assert "P6" not in listed and listed["Interview 6"]["codings"] == 4
    extracts = json.loads(run("extracts", "Repair", "--json").output)
    assert {e["transcript"] for e in extracts} == {"Interview 6", "P2"}


def test_renaming_to_a_name_another_transcript_has_is_refused_and_changes_nothing(study, run):
    project, _ = study
    before = dump(project)
    refused = run("transcript", "rename", "P6", "p2")
    assert refused.exit_code == 1
    assert refused.output == "Error: a transcript named 'P2' already exists; choose another name\n"
    assert dump(project) == before


def test_deleting_a_transcript_with_codings_needs_force_and_undo_brings_it_all_back(study, run):
    project, ids = study
    choose_quote(project, "Maya", "Repair by talking about it", ids["repair_p6"])
    add_memo(project, "Maya", "She went quiet for weeks.", on="transcript:P6")
    add_memo(project, "Maya", "The turning point.", on=f"coding:{ids['repair_p6']}")
    before = dump(project)
    refused = run("transcript", "delete", "P6")
    assert refused.exit_code == 1
    assert "'P6' has 4 codings, 1 chosen quote and 2 memos" in refused.output
    assert "--force" in refused.output and dump(project) == before
    deleted = run("transcript", "delete", "P6", "--force")
    assert deleted.output == "deleted transcript 'P6' with 4 codings, 1 chosen quote and 2 memos\n"
    assert "P6" not in [r["name"] for r in json.loads(run("transcript", "list", "--json").output)]
    assert "no hits" in run("transcript", "search", "homework").output
    assert run("undo").exit_code == 0
    after = dump(project)
    assert after == before
    assert run("transcript", "search", "homework").output.startswith("P6 L2 T2 P6")


def test_a_transcript_without_codings_is_deleted_without_force(project, tmp_path, run):
    write(tmp_path / "P3.txt", P3)
    run("transcript", "import", "P3.txt")
    assert run("transcript", "delete", "P3").output == "deleted transcript 'P3'\n"
    assert json.loads(run("transcript", "list", "--json").output) == []


def test_a_transcript_given_another_participant_counts_for_them(study, run):

    result = run("transcript", "set", "P3", "--participant", "P2")
    assert result.output == "P3: participant 'P2' (was 'P3')\n"
    rows = {r["participant"]: r for r in json.loads(run("participant", "list", "--json").output)}
    assert rows["P2"]["transcripts"] == ["P2", "P3"] and rows["P3"]["transcripts"] == []
    extracts = json.loads(run("extracts", "Felt sense", "--json").output)
    assert [e["participant"] for e in extracts] == ["P2"]


def test_a_mistyped_participant_is_refused_with_the_nearest_names(study, run):
    project, _ = study
    before = dump(project)
    refused = run("transcript", "set", "P3", "--participant", "P33")
    assert refused.exit_code == 1
    assert "unknown participant 'P33'; did you mean 'P3'" in refused.output and "--new" in refused.output
    assert dump(project) == before
    added = run("transcript", "set", "P3", "--participant", "P33", "--new")
    assert added.output == "P3: participant 'P33' (was 'P3')\n"
    assert run("transcript", "set", "P3", "--no-participant").output == "P3: participant none (was 'P33')\n"
    assert {r["name"]: r["participant"] for r in json.loads(run("transcript", "list", "--json").output)}["P3"] is None


def test_participant_is_honoured_on_a_reimport_of_unchanged_text(project, tmp_path, run):
    write(tmp_path / "P3.txt", P3)
    run("transcript", "import", "P3.txt")
    again = run("transcript", "import", "P3.txt", "--participant", "P12")
    assert again.output == "updated P3: same text; the participant is now 'P12' (was 'P3')\n"
    assert {r["name"]: r["participant"] for r in json.loads(run("transcript", "list", "--json").output)}["P3"] == "P12"


def test_a_file_without_speaker_labels_gets_no_invented_participant(project, tmp_path, run):
    write(tmp_path / "notes-site-visit.txt", "We met in the staff room. The team spoke about waiting lists.\n")
    result = run("transcript", "import", "notes-site-visit.txt")
    assert "no participant: `qualcode transcript set notes-site-visit --participant P`" in result.output
    assert json.loads(run("participant", "list", "--json").output) == []
    assert json.loads(run("transcript", "list", "--json").output)[0]["participant"] is None
    assert "notes-site-visit (none)" in squash(run("transcript", "list").output)


# -- participants ---------------------------------------------------------------------------


def test_a_renamed_participant_is_the_attribution_everywhere(study, run):
    assert run("participant", "rename", "P6", "P06").output == "renamed participant 'P6' to 'P06'\n"
    extracts = json.loads(run("extracts", "Repair", "--json").output)
    assert {e["participant"] for e in extracts} == {"P06", "P2"}
    table = squash(run("export", "extracts", "--format", "md", "--out", "-").output)
    assert "| P06 | P6 |" in table and "| P6 | P6 |" not in table


def test_renaming_a_participant_to_an_existing_name_is_refused(study, run):
    project, _ = study
    before = dump(project)
    refused = run("participant", "rename", "P6", "P2")
    assert refused.exit_code == 1
    assert "a participant named 'P2' already exists; `qualcode participant merge P6 P2` makes them one" in (
        refused.output
    )
    assert dump(project) == before


def test_a_participant_with_transcripts_is_not_deleted(study, run):
    project, _ = study
    before = dump(project)
    refused = run("participant", "delete", "P3")
    assert refused.exit_code == 1
    assert "'P3' is the participant of transcript P3" in refused.output
    assert dump(project) == before
    assert run("participant", "delete", "P9").output == "deleted participant 'P9'\n"
    assert "P9" not in [r["participant"] for r in json.loads(run("participant", "list", "--json").output)]
    run("undo")
    assert "P9" in [r["participant"] for r in json.loads(run("participant", "list", "--json").output)]


def test_merging_participants_moves_transcripts_and_attributes(study, run):

    run("participant", "set", "P3b", "--new", "gender=woman")
    run("transcript", "set", "P3", "--participant", "P3b")
    merged = run("participant", "merge", "P3b", "P3")
    assert merged.output == "merged participant 'P3b' into 'P3'; 1 transcript moved (P3)\n"
    rows = {r["participant"]: r for r in json.loads(run("participant", "list", "--json").output)}
    assert "P3b" not in rows
    assert rows["P3"]["transcripts"] == ["P3"] and rows["P3"]["gender"] == "woman" and rows["P3"]["years"] == "8"


def test_merging_participants_whose_attributes_disagree_is_refused(study, run):
    project, _ = study
    before = dump(project)
    refused = run("participant", "merge", "P9", "P3")
    assert refused.exit_code == 1
    assert "'P9' and 'P3' differ in orientation (CBT and person-centred) and years (3 and 8)" in refused.output
    assert dump(project) == before


def test_setting_attributes_of_an_unknown_participant_needs_new(study, run):
    project, _ = study
    before = dump(project)
    refused = run("participant", "set", "P33", "years=12")
    assert refused.exit_code == 1
    assert "unknown participant 'P33'; did you mean 'P3'" in refused.output
    assert dump(project) == before
    assert run("participant", "set", "P33", "--new", "years=12").exit_code == 0
