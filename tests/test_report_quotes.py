"""Picking illustrative extracts when the authors have chosen none."""

from __future__ import annotations

from qualcode.report.quotes import Candidate, QuotedPassages, spread_over_participants

MEDIUM = " ".join(["word"] * 30)  # within 15-80 words
SHORT = "just four words here"
LONG = " ".join(["word"] * 200)


def passage(coding_id: int, participant: str, start: int, text: str = MEDIUM, **extra) -> Candidate:
    return Candidate(coding_id, f"T-{participant}", participant, start, start + len(text), text, **extra)


def ids(chosen: list[Candidate]) -> list[int]:
    return [c.coding_id for c in chosen]


def test_one_passage_per_participant_before_anyone_gets_a_second():
    candidates = [
        passage(1, "P1", 0),
        passage(2, "P1", 500),
        passage(3, "P1", 1000),
        passage(4, "P2", 0),
        passage(5, "P3", 0),
    ]
    assert ids(spread_over_participants(candidates, 3)) == [1, 4, 5]
    assert ids(spread_over_participants(candidates, 4)) == [1, 4, 5, 2]


def test_participants_in_natural_pseudonym_order_when_equally_quotable():
    candidates = [passage(1, "P10", 0), passage(2, "P9", 0), passage(3, "P2", 0)]
    assert ids(spread_over_participants(candidates, 3)) == [3, 2, 1]


def test_passages_within_one_turn_come_first_then_medium_length():
    candidates = [
        passage(1, "P1", 0, LONG),
        passage(2, "P1", 2000, SHORT),
        passage(3, "P1", 3000, MEDIUM, turns_spanned=2),
        passage(4, "P1", 4000, MEDIUM),
    ]
    # 4: one turn, 30 words; 2 and 1: one turn, too short or too long (the nearer to 40 words
    # first); 3: medium but running into the next speaker's turn.
    assert ids(spread_over_participants(candidates, 4)) == [4, 2, 1, 3]


def test_interviewer_turns_are_never_picked():
    candidates = [passage(1, "P1", 0, by_interviewer=True), passage(2, "P1", 500, SHORT)]
    assert ids(spread_over_participants(candidates, 2)) == [2]


def test_the_same_passage_coded_twice_is_one_passage():
    # Two analysts coded nearly the same words; a third coding overlaps them by a few characters.
    candidates = [
        passage(1, "P1", 100),
        passage(2, "P1", 102),
        passage(3, "P1", 100 + len(MEDIUM) - 5),
        passage(4, "P1", 900),
    ]
    assert ids(spread_over_participants(candidates, 5)) == [1, 4]


def test_passages_already_quoted_elsewhere_are_skipped():
    already = QuotedPassages()
    already.add("T-P1", 0, 50)
    candidates = [passage(1, "P1", 10), passage(2, "P2", 0)]
    assert ids(spread_over_participants(candidates, 3, already)) == [2]


def test_a_transcript_without_participant_is_attributed_to_itself():
    anonymous = Candidate(1, "Focus group 2", None, 0, len(MEDIUM), MEDIUM)
    assert anonymous.source == "Focus group 2"
    assert ids(spread_over_participants([anonymous], 0)) == []
