"""Laying turns out as stored text, the line index, and resolving locations to spans."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from qualcode.errors import InvalidInput
from qualcode.text.transcripts import LineIndex, Location, lay_out, resolve_location


@dataclass
class T:
    speaker: str | None
    text: str
    timestamp: float | None = None


TURNS = [
    T("Interviewer", "How did you come to this work?", 4.0),
    T("P3", "Well, um, slowly.\nI trained late, after teaching.", 9.5),
    T("Interviewer", "And the alliance?"),
    T("P3", "It is everything. The alliance is everything, really."),
]


@pytest.fixture
def laid():
    return lay_out(TURNS, interviewer="Interviewer")


def test_turns_are_laid_out_one_per_line_with_labels(laid):
    assert laid.text.split("\n") == [
        "Interviewer: How did you come to this work?",
        "P3: Well, um, slowly.",
        "I trained late, after teaching.",
        "Interviewer: And the alliance?",
        "P3: It is everything. The alliance is everything, really.",
    ]
    second = laid.turns[1]
    assert laid.text[second.start : second.body_start] == "P3: "
    assert laid.text[second.body_start : second.end] == "Well, um, slowly.\nI trained late, after teaching."
    assert second.timestamp == 9.5
    assert [t.is_interviewer for t in laid.turns] == [True, False, True, False]


def test_text_is_nfc_with_unix_line_ends():
    laid = lay_out([T("P1", "cafe\u0301\r\nnext")])
    assert laid.text == "P1: caf\u00e9\nnext"


def test_line_index_maps_both_ways(laid):
    index = LineIndex(laid.text)
    assert len(index) == 5
    start, end = index.line_span(3)
    assert laid.text[start:end] == "I trained late, after teaching."
    assert index.line_of(start) == 3
    assert index.lines_of(start, len(laid.text)) == (3, 5)


def resolve(laid, **kw):
    span = resolve_location(laid.text, laid.turns, Location(**kw))
    return laid.text[span[0] : span[1]]


def test_lines_leave_out_the_speaker_label(laid):
    assert resolve(laid, lines="2-3") == "Well, um, slowly.\nI trained late, after teaching."
    assert resolve(laid, lines="3") == "I trained late, after teaching."


def test_turns_chars_and_match(laid):
    assert resolve(laid, turns="4") == "It is everything. The alliance is everything, really."
    assert resolve(laid, turns="3-4").startswith("And the alliance?\nP3: It is")
    assert resolve(laid, chars="4-7") == "rvi"
    assert resolve(laid, chars="43-49") == "\nP3: W"  # exact offsets, never trimmed
    assert resolve(laid, match="trained   late") == "trained late"


def test_match_across_a_line_break_and_by_occurrence(laid):
    assert resolve(laid, match="slowly. I trained") == "slowly.\nI trained"
    assert resolve(laid, match="everything", occurrence=2) == "everything"


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"lines": "4-9"}, "outside the transcript, which has 5 lines"),
        ({"turns": "0-2"}, "outside the transcript, which has 4 turns"),
        ({"chars": "10-5000"}, "outside the text"),
        ({"chars": "9-3"}, "end must be after the start"),
        ({"lines": "5-3"}, "runs backwards"),
        ({"lines": "a-b"}, "takes a number or a range"),
        ({"match": "not in the text"}, "no passage matches"),
        ({"match": "   "}, "needs some words"),
        ({"match": "everything"}, "occurs 2 times"),
        ({"match": "everything", "occurrence": 3}, "--occurrence must be 1 to 2"),
        ({}, "give exactly one location"),
        ({"lines": "1", "chars": "1-2"}, "give exactly one location"),
    ],
)
def test_bad_locations_are_refused_with_a_reason(laid, kw, message):
    with pytest.raises(InvalidInput, match=message):
        resolve_location(laid.text, laid.turns, Location(**kw))


def test_match_ignores_case_only_when_the_words_as_typed_are_not_found(laid):
    assert resolve(laid, match="the alliance is everything") == "The alliance is everything"
    assert resolve(laid, match="how did you come") == "How did you come"
    with pytest.raises(InvalidInput, match="occurs 2 times"):
        resolve_location(laid.text, laid.turns, Location(match="EVERYTHING"))
