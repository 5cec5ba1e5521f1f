"""Retrieval on a small project whose counts are worked out by hand: cooccurrence, matrix, extracts."""

from __future__ import annotations

import csv
import io
import json

import pytest
from helpers import write

from qualcode.analysis.coding import add_code, apply_codes
from qualcode.analysis.participants import set_attributes
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

A = """Interviewer: How did the first session go?
Anna: It was awkward. I felt anxious, and the client went quiet for a long time.
Interviewer: What did you do then?
Anna: I named the silence. We talked about it, and it became a turning point.
"""
B = """Interviewer: Tell me about a rupture.
Ben: The client shouted at me, "you never listen, you're like the others",
and then, after a pause, she laughed.
Interviewer: And then?
Ben: I owned my part. It was hard, but it helped.
"""


@pytest.fixture
def small(project, tmp_path):
    """A (Anna, orientation CBT) and B (Ben, no orientation), coded by Maya and Tom:

    A turn 2  Maya: Anxiety "I felt anxious"; Withdrawal "the client went quiet ..." (apart)
              Tom:  Anxiety and Withdrawal on the whole turn (overlapping)
    A turn 4  Maya: Repair and Turning point on the whole turn
    B turn 2  Tom:  Confrontation on the whole turn; Maya: Anxiety "she laughed" (same turn, other analyst)
    B turn 4  Maya: Repair on the whole turn, Anxiety "It was hard" inside it
    """
    import_transcripts(project, [write(tmp_path / "A.txt", A)], "Maya", participant="A")
    import_transcripts(project, [write(tmp_path / "B.txt", B)], "Maya", participant="B")
    from qualcode.analysis.analysts import add_analyst

    add_analyst(project, "Maya", "Tom")
    for name in ("Anxiety", "Withdrawal", "Repair", "Turning point", "Confrontation"):
        add_code(project, "Maya", name)
    apply_codes(project, "Maya", ["Anxiety"], "A", [Location(match="I felt anxious")])
    apply_codes(project, "Maya", ["Withdrawal"], "A", [Location(match="the client went quiet for a long time")])
    apply_codes(project, "Tom", ["Anxiety", "Withdrawal"], "A", [Location(turns="2")])
    apply_codes(project, "Maya", ["Repair", "Turning point"], "A", [Location(turns="4")])
    apply_codes(project, "Tom", ["Confrontation"], "B", [Location(turns="2")])
    apply_codes(project, "Maya", ["Anxiety"], "B", [Location(match="she laughed")])
    apply_codes(project, "Maya", ["Repair"], "B", [Location(turns="4")])
    apply_codes(project, "Maya", ["Anxiety"], "B", [Location(match="It was hard")])
    set_attributes(project, "Maya", "A", {"orientation": "CBT"})
    return project


def as_pairs(output: str) -> dict[tuple[str, str], int]:
    return {(r["code_a"], r["code_b"]): r["count"] for r in json.loads(output)}


def test_cooccurrence_pairs_only_one_analysts_codings(small, run):
    # Maya's Anxiety and Withdrawal in A do not overlap; Tom's do (1). Maya's Anxiety inside
    # Tom's Withdrawal is two readings of one passage, not two codes occurring together.
    assert as_pairs(run("cooccurrence", "--json").output) == {
        ("Anxiety", "Withdrawal"): 1,
        ("Repair", "Turning point"): 1,
        ("Anxiety", "Repair"): 1,
    }
    assert as_pairs(run("cooccurrence", "--analyst", "Maya", "--json").output) == {
        ("Repair", "Turning point"): 1,
        ("Anxiety", "Repair"): 1,
    }


def test_cooccurrence_by_turn_counts_turns_once_and_never_across_analysts(small, run):
    # A turn 2: both analysts applied Anxiety and Withdrawal: one turn. B turn 2: Tom's
    # Confrontation and Maya's Anxiety share the turn but no analyst applied both.
    assert as_pairs(run("cooccurrence", "--by", "turn", "--json").output) == {
        ("Anxiety", "Withdrawal"): 1,
        ("Repair", "Turning point"): 1,
        ("Anxiety", "Repair"): 1,
    }


def test_matrix_by_participant_and_by_attribute(small, run):
    by_participant = {r["code"]: r for r in json.loads(run("matrix", "--json").output)}
    assert by_participant["Anxiety"] == {"code": "Anxiety", "A": 2, "B": 2, "total": 4}
    assert by_participant["Repair"] == {"code": "Repair", "A": 1, "B": 1, "total": 2}
    assert by_participant["Confrontation"] == {"code": "Confrontation", "A": 0, "B": 1, "total": 1}
    lines = run("matrix", "--by", "attribute:orientation", "--csv").output.splitlines()
    assert lines[0] == "code,(not set),CBT,total"
    assert "Anxiety,2,2,4" in lines and "Withdrawal,0,2,2" in lines


def test_extracts_csv_round_trips_commas_quotes_and_newlines(small, run):
    rows = list(csv.DictReader(io.StringIO(run("extracts", "Confrontation", "--csv").output)))
    assert len(rows) == 1
    assert (
        rows[0]["text"]
        == 'The client shouted at me, "you never listen, you\'re like the others",\nand then, after a pause, she laughed.'
    )
    text = small.db.execute("SELECT text FROM transcripts WHERE name = 'B'").fetchone()[0]
    assert rows[0]["text"] == text[int(rows[0]["start"]) : int(rows[0]["end"])]
    assert (rows[0]["speaker"], rows[0]["lines"], rows[0]["analyst"]) == ("Ben", "2-3", "Tom")


def test_extracts_filters_and_their_bad_input(small, run):
    by_attribute = json.loads(run("extracts", "Anxiety", "--attribute", "orientation=CBT", "--json").output)
    assert sorted(r["text"] for r in by_attribute) == [
        "I felt anxious",
        "It was awkward. I felt anxious, and the client went quiet for a long time.",
    ]
    by_participant = json.loads(run("extracts", "Anxiety", "--participant", "B", "--json").output)
    assert [r["text"] for r in by_participant] == ["she laughed", "It was hard"]
    one = run("extracts", "Withdrawal", "--analyst", "Tom")
    assert one.output.splitlines()[-1] == "1 extract from 1 transcript"
    unknown = run("extracts", "Anxiety", "--participant", "C")
    assert unknown.exit_code == 1 and unknown.output.startswith("Error: unknown participant 'C'")
    typo = run("extracts", "Anxiety", "--participant", "Bn")
    assert typo.exit_code == 1 and "did you mean 'B'?" in typo.output
    value = run("extracts", "Anxiety", "--attribute", "orientation=psychodynamic")
    assert (
        value.exit_code == 1
        and "no participant has orientation=psychodynamic; orientation is one of: CBT" in value.output
    )
    key = run("extracts", "Anxiety", "--attribute", "orientaton=CBT")
    assert key.exit_code == 1 and "did you mean 'orientation'?" in key.output


def test_matrix_too_wide_for_the_terminal_letters_its_columns(small, run):
    set_attributes(small, "Maya", "B", {"orientation": "person-centred psychotherapy"})
    wide = run("matrix", "--by", "attribute:orientation", env={"COLUMNS": "120"}).output
    assert "person-centred psychotherapy" in wide.splitlines()[0]
    narrow = run("matrix", "--by", "attribute:orientation", env={"COLUMNS": "40"}).output.splitlines()
    assert max(len(line) for line in narrow) <= 40
    assert narrow[0].split() == ["code", "a", "b", "total"]
    anxiety = next(line for line in narrow if line.startswith("Anxiety"))
    assert anxiety.split()[-3:] == ["2", "2", "4"]
    start = next(i for i, line in enumerate(narrow) if line.startswith("key:"))
    key = " ".join(line.strip() for line in narrow[start:])
    assert key == "key: a CBT · b person-centred psychotherapy"
