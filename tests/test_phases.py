"""The six phases: the overview, each phase's checklist of done and left, and moving between phases."""

from __future__ import annotations

import json

import pytest
from helpers import squash, write

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.analysis.memos import add_memo, list_memos
from qualcode.analysis.phases import PHASES, checklist, phase_log, phase_overview, set_phase
from qualcode.store import new_guid
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

TRANSCRIPTS = {
    "P1": "Interviewer: How do you begin?\nP1: Slowly. I listen for what the client fears about me.\n",
    "P2": "Interviewer: And ruptures?\nP2: They happen. When a client goes silent I name it, gently.\n",
    "P3": "Interviewer: What about difference?\nP3: We negotiate it. I ask what it means to be with me.\n",
}


@pytest.fixture
def study(project, tmp_path):
    """Three transcripts (participants P1-P3) and two analysts, Maya and Tom."""
    files = [write(tmp_path / f"{name}.txt", text) for name, text in TRANSCRIPTS.items()]
    import_transcripts(project, files, "Maya")
    add_analyst(project, "Maya", "Tom")
    return project


def snapshot(project) -> dict[str, list[dict]]:
    return {table: project.query(f"SELECT * FROM {table} ORDER BY id") for table in ("phase_log", "memos", "audit_log")}


def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def items(project, phase: int) -> dict[tuple[str, str | None], dict]:
    return {(item["key"], item["analyst"]): item for item in checklist(project, phase)}


def add_theme(project, name: str, *, codes: list[str] = (), parent: str | None = None, **fields) -> int:
    """Themes are written directly here: these tests are about the phases, not the theme commands."""
    with project.change("Maya", "theme add") as change:
        parent_id = (
            project.db.execute("SELECT id FROM themes WHERE name = ?", [parent]).fetchone()[0] if parent else None
        )
        theme_id = change.insert(
            "themes", {"name": name, "guid": new_guid(), "created": change.at, "parent_id": parent_id, **fields}
        )
        for code in codes:
            code_id = project.db.execute("SELECT id FROM codes WHERE name = ?", [code]).fetchone()[0]
            change.insert("theme_codes", {"theme_id": theme_id, "code_id": code_id})
    return theme_id


# -- the overview ----------------------------------------------------------------------------


def test_overview_shows_all_six_phases_and_marks_the_current_one(study, run):
    result = run("-p", "study", "phase")
    assert result.exit_code == 0, result.output
    output = squash(result.output)
    assert output.startswith("Phase 1 of 6: familiarisation\n")
    for number, name in PHASES.items():
        assert f"{number} {name}" in output
    marked = [line for line in output.splitlines() if "▶" in line]
    assert len(marked) == 1 and "1 familiarisation reading and re-reading" in marked[0]
    assert "began in 1 Maya project created" in output

    set_phase(study, "Maya", 4, note="Skipping ahead to test the tool")
    marked = [line for line in squash(run("-p", "study", "phase").output).splitlines() if "▶" in line]
    assert len(marked) == 1 and "4 reviewing themes" in marked[0]


def test_overview_json_has_phase_checklist_and_log(study, run):
    overview = json.loads(run("-p", "study", "phase", "--json").output)
    assert overview["phase"] == 1 and overview["phase_name"] == "familiarisation"
    assert [p["current"] for p in overview["phases"]] == [True, False, False, False, False, False]
    assert overview["checklist"][0] == {
        "key": "transcripts_familiarised",
        "label": "transcripts with familiarisation notes",
        "analyst": None,
        "done": 0,
        "total": 3,
        "left": ["P1", "P2", "P3"],
        "complete": False,
    }
    assert [(e["phase"], e["direction"], e["note"]) for e in overview["log"]] == [(1, "start", "project created")]
    assert overview == phase_overview(study)


# -- each phase's checklist ------------------------------------------------------------------


def test_phase1_transcripts_without_familiarisation_notes_overall_and_per_analyst(study, run):
    add_memo(study, "Maya", "P1 is guarded at first.", on="transcript:P1")
    add_memo(study, "Tom", "P2 talks fast.", on="transcript:P2")
    add_memo(study, "Maya", "Reflexive, not a familiarisation note.", kind="reflexive")
    add_memo(study, "Maya", "A note on P3 filed as a decision.", kind="decision", on="transcript:P3")

    found = items(study, 1)
    assert (found[("transcripts_familiarised", None)]["left"]) == ["P3"]
    assert found[("transcripts_familiarised_by_analyst", "Maya")]["left"] == ["P2", "P3"]
    assert found[("transcripts_familiarised_by_analyst", "Tom")]["left"] == ["P1", "P3"]

    output = squash(run("-p", "study", "phase").output)
    assert "○ transcripts with familiarisation notes: 2 of 3; left: P3" in output
    assert "○ transcripts with Tom's familiarisation notes: 1 of 3; left: P1, P3" in output

    add_memo(study, "Tom", "P3 is the most reflective.", on="transcript:P3")
    assert "✓ transcripts with familiarisation notes: 3 of 3" in run("-p", "study", "phase").output


def test_one_analyst_gets_no_per_analyst_items(project, tmp_path):
    import_transcripts(project, [write(tmp_path / "P1.txt", TRANSCRIPTS["P1"])], "Maya")
    assert [item["key"] for item in checklist(project, 1)] == ["transcripts_familiarised"]


def test_phase2_uncoded_transcripts_and_codes_without_description_or_use(study, run):
    add_code(study, "Maya", "Listening for fear", description="The therapist attends to the client's fear of them")
    add_code(study, "Maya", "Naming silence")
    add_code(study, "Maya", "Negotiating difference")
    apply_codes(
        study, "Maya", ["Listening for fear"], "P1", locations=[Location(match="I listen for what the client fears")]
    )
    apply_codes(
        study, "Tom", ["Naming silence"], "P2", locations=[Location(match="When a client goes silent I name it")]
    )
    set_phase(study, "Maya", 2)

    found = items(study, 2)
    assert found[("transcripts_coded", None)]["left"] == ["P3"]
    assert found[("transcripts_coded_by_analyst", "Maya")]["left"] == ["P2", "P3"]
    assert found[("transcripts_coded_by_analyst", "Tom")]["left"] == ["P1", "P3"]
    assert found[("codes_described", None)]["left"] == ["Naming silence", "Negotiating difference"]
    assert found[("codes_used", None)]["left"] == ["Negotiating difference"]

    output = squash(run("-p", "study", "phase").output)
    assert "Phase 2 of 6: generating initial codes" in output
    assert "○ transcripts coded by at least one analyst: 2 of 3; left: P3" in output
    assert "○ codes with a description: 1 of 3; left: Naming silence, Negotiating difference" in output


def test_phase3_codes_in_no_theme_and_themes_without_codes(study):
    for name in ("Listening for fear", "Naming silence", "Negotiating difference"):
        add_code(study, "Maya", name)
    add_theme(study, "Presence over technique", codes=["Listening for fear"])
    add_theme(study, "Rupture as generative")  # no codes of its own...
    add_theme(
        study, "Naming what happens", parent="Rupture as generative", codes=["Naming silence"]
    )  # ...but a subtheme has
    add_theme(study, "Difference")
    add_theme(study, "Dropped idea", codes=["Negotiating difference"], status="discarded")

    found = items(study, 3)
    # A discarded theme does not hold a code.
    assert found[("codes_in_themes", None)]["left"] == ["Negotiating difference"]
    assert found[("themes_with_codes", None)]["left"] == ["Difference"]
    assert found[("themes_with_codes", None)]["total"] == 4


def test_phase4_candidate_themes_and_themes_resting_on_one_participant(study, tmp_path):
    # A second interview with P1: two transcripts, still one participant.
    import_transcripts(
        study, [write(tmp_path / "P1b.txt", "Interviewer: Again?\nP1: I still listen for fear.\n")], "Maya"
    )
    add_code(study, "Maya", "Fear")
    add_code(study, "Maya", "Silence")
    apply_codes(study, "Maya", ["Fear"], "P1", locations=[Location(match="fears about me")])
    apply_codes(study, "Maya", ["Fear"], "P1b", locations=[Location(match="listen for fear")])
    apply_codes(study, "Tom", ["Silence"], "P2", locations=[Location(match="goes silent")])
    apply_codes(study, "Tom", ["Silence"], "P3", locations=[Location(match="We negotiate it")])
    add_theme(study, "Fear of the therapist", codes=["Fear"], status="reviewed")
    add_theme(study, "Silence as signal", codes=["Silence"])
    # A theme whose extracts all sit in its subtheme draws on the subtheme's participants.
    add_theme(study, "What the client tests", status="reviewed")
    add_theme(study, "Testing through silence", codes=["Silence"], parent="What the client tests", status="reviewed")

    found = items(study, 4)
    assert found[("themes_reviewed", None)]["left"] == ["Silence as signal"]
    assert found[("themes_across_participants", None)]["left"] == ["Fear of the therapist"]


def test_phase5_undefined_themes_and_final_themes_without_quotes(study):
    add_code(study, "Maya", "Fear")
    coding = apply_codes(study, "Maya", ["Fear"], "P1", locations=[Location(match="fears about me")])[0]
    quoted = add_theme(
        study,
        "Fear of the therapist",
        codes=["Fear"],
        status="final",
        definition="Clients test whether the therapist is safe",
        concept="Safety is earned",
    )
    add_theme(study, "Half defined", definition="Something about silence", status="final")
    add_theme(study, "Not yet", status="candidate")
    with study.change("Maya", "theme quote") as change:
        change.insert("theme_quotes", {"theme_id": quoted, "coding_id": coding.coding_id})

    found = items(study, 5)
    assert found[("themes_defined", None)]["left"] == ["Half defined", "Not yet"]
    assert found[("final_themes_quoted", None)]["left"] == ["Half defined"]


def test_phase6_final_themes_quotes_and_map_snapshot(study, run):
    add_theme(study, "Fear of the therapist", status="final")
    add_theme(study, "Still reviewed", status="reviewed")
    set_phase(study, "Maya", 6)
    found = items(study, 6)
    assert found[("final_themes_quoted", None)]["left"] == ["Fear of the therapist"]
    assert found[("themes_final", None)]["left"] == ["Still reviewed"]
    assert found[("map_snapshot", None)]["complete"] is False
    assert "○ a thematic map snapshot: not yet" in run("-p", "study", "phase").output

    with study.change("Maya", "map snapshot") as change:
        change.insert("map_snapshots", {"at": change.at, "analyst_id": 1, "phase": 6, "graph_json": "{}"})
    assert "✓ a thematic map snapshot: yes" in run("-p", "study", "phase").output


def test_nothing_yet_is_not_done(study, run):
    set_phase(study, "Maya", 3)
    output = run("-p", "study", "phase").output
    assert "○ codes in a theme: none yet" in output
    assert "✓" not in output


# -- moving between phases -------------------------------------------------------------------


def test_moving_forward_and_back_is_logged_with_the_note(study, run):
    result = run("-p", "study", "phase", "set", "3")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Moved on to phase 3: constructing candidate themes (from phase 1).\n")

    result = run("-p", "study", "-a", "Tom", "phase", "set", "2", "--note", "Themes rested on codes we had not agreed.")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Back to phase 2: generating initial codes (from phase 3).\n"
        "Moving between phases is part of reflexive thematic analysis;"
    )
    assert "warning" not in result.output.lower()

    log = squash(run("-p", "study", "phase").output)
    assert "1 → 3 Maya" in log
    assert "3 → 2, back Tom Themes rested on codes we had not agreed." in log
    assert [(r["phase"], r["note"]) for r in study.query("SELECT phase, note FROM phase_log ORDER BY id")] == [
        (1, "project created"),
        (3, None),
        (2, "Themes rested on codes we had not agreed."),
    ]
    # The note is also a phase memo, written in the phase being entered, by the analyst who moved.
    memos = list_memos(study, kinds=["phase"])
    assert [(m["analyst"], m["phase"], m["body"]) for m in memos] == [
        (
            "Tom",
            2,
            (
                "Went back from phase 3 (constructing candidate themes) to phase 2 (generating initial codes).\n\n"
                "Themes rested on codes we had not agreed."
            ),
        ),
    ]
    audited = study.query("SELECT command, entity FROM audit_log WHERE command = 'phase set' ORDER BY id")
    assert [r["entity"] for r in audited] == ["phase_log", "phase_log", "memos"]
    assert "phase 2 of 6: generating initial codes" in run("-p", "study", "status").output


def test_set_phase_json_and_forward_note(study, run):
    moved = json.loads(run("-p", "study", "phase", "set", "2", "--note", "All read twice.", "--json").output)
    assert {k: moved[k] for k in ("phase", "previous", "direction", "note")} == {
        "phase": 2,
        "previous": 1,
        "direction": "forward",
        "note": "All read twice.",
    }
    assert list_memos(study, kinds=["phase"])[0]["id"] == moved["memo_id"]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["7"], ["there is no phase 7", "1 familiarisation", "6 writing up"]),
        (["0", "--note", "why"], ["there is no phase 0"]),
        (["3"], ["already in phase 3 (constructing candidate themes)"]),
    ],
)
def test_refused_phase_changes_leave_the_project_unchanged(study, run, args, fragments):
    set_phase(study, "Maya", 3)
    before = snapshot(study)
    assert_refused(run("-p", "study", "phase", "set", *args), *fragments)
    assert snapshot(study) == before
    assert study.current_phase() == 3


def test_going_back_is_never_refused_even_without_a_note(study, run):
    set_phase(study, "Maya", 4)
    result = run("-p", "study", "phase", "set", "2")
    assert result.exit_code == 0
    assert "Back to phase 2" in result.output and "a memo saying why" in result.output
    assert study.current_phase() == 2
    log = phase_log(study)
    assert (log[-1]["phase"], log[-1]["note"]) == (2, None)
    moved = set_phase(study, "Maya", 1, note="Re-reading P3 after supervision.")
    assert (moved["direction"], study.current_phase()) == ("back", 1)


def test_a_parent_code_is_used_and_themed_through_its_subcodes(study, run):
    add_code(study, "Maya", "Rupture and repair")  # a grouping code, never applied itself
    add_code(study, "Maya", "Naming silence", parent="Rupture and repair")
    add_code(study, "Maya", "Negotiating difference")
    apply_codes(
        study, "Maya", ["Naming silence"], "P2", locations=[Location(match="When a client goes silent I name it")]
    )
    assert items(study, 2)[("codes_used", None)]["left"] == ["Negotiating difference"]
    add_theme(study, "Rupture as generative", codes=["Naming silence"])
    assert items(study, 3)[("codes_in_themes", None)]["left"] == ["Negotiating difference"]


def test_a_long_list_of_what_is_left_wraps_under_its_item(study, run):
    for n in range(12):
        add_code(study, "Maya", f"Unused code number {n}")
    set_phase(study, "Maya", 2)
    output = run("-p", "study", "phase", env={"COLUMNS": "60"}).output
    lines = output[output.index("done and left") :].splitlines()
    start = next(i for i, line in enumerate(lines) if "codes used in at least one coding" in line)
    assert lines[start].startswith("  ○ codes used")
    assert lines[start + 1].startswith("    ") and lines[start + 1].strip()
