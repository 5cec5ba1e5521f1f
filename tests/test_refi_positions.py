"""Positions from other programs mapped onto stored text: CRLF counted as one or two, UTF-16
units, byte-order marks, decomposed accents; and turns found without changing the text."""

from __future__ import annotations

import pytest

from qualcode.exchange.positions import (
    CODE_POINTS,
    Convention,
    Selection,
    SourceText,
    choose_conventions,
)
from qualcode.exchange.turns import turns_in_place

CRLF_AS_ONE = Convention(crlf_as_one=True)
UTF16 = Convention(utf16=True)

# The same interview as a Windows program saves it, and the words a coder selected.
LINES = [
    "Interviewer: How was the first week?",
    "P2: Hard. 😩 Nobody showed me the rota.",
    "Interviewer: And now?",
    "P2: Now I know the tricks.",
]
WINDOWS = "\r\n".join(LINES) + "\r\n"
STORED = "\n".join(LINES) + "\n"


def positions(phrase: str, crlf_counts: int, utf16: bool = False) -> tuple[int, int]:
    """Where `phrase` is, counted by hand the way a given program counts."""
    start = STORED.index(phrase)
    end = start + len(phrase)

    def count(i: int) -> int:
        units = i + STORED[:i].count("\n") * (crlf_counts - 1)
        return units + (sum(1 for c in STORED[:i] if ord(c) > 0xFFFF) if utf16 else 0)

    return count(start), count(end)


def words(source: SourceText, span: tuple[int, int] | None) -> str | None:
    return None if span is None else source.stored[span[0] : span[1]]


def test_the_stored_text_has_lf_line_ends_and_no_byte_order_mark():
    source = SourceText("\ufeff" + WINDOWS)
    assert source.stored == STORED
    assert source.has_crlf and source.has_astral


@pytest.mark.parametrize(
    ("convention", "crlf_counts", "utf16"),
    [(CODE_POINTS, 2, False), (CRLF_AS_ONE, 1, False), (UTF16, 2, True), (Convention(True, True), 1, True)],
)
def test_each_convention_maps_its_own_positions_to_the_same_words(convention, crlf_counts, utf16):
    source = SourceText(WINDOWS)
    for phrase in ("Nobody showed me the rota", "Now I know the tricks", "How was the first week"):
        assert words(source, source.to_stored(*positions(phrase, crlf_counts, utf16), convention)) == phrase


def test_a_position_between_cr_and_lf_widens_to_the_whole_line_end():
    source = SourceText(WINDOWS)
    carriage_return = WINDOWS.index("\r\n")
    assert words(source, source.to_stored(carriage_return + 1, carriage_return + 5, CODE_POINTS)) == "\nP2:"


def test_positions_past_the_end_or_backwards_are_outside_the_text():
    source = SourceText(WINDOWS)
    assert source.to_stored(10, len(WINDOWS) + 1, CODE_POINTS) is None
    assert source.to_stored(20, 10, CODE_POINTS) is None
    assert source.length(CRLF_AS_ONE) == len(STORED)


def test_decomposed_accents_are_composed_and_positions_follow():
    raw = "Cafe\u0301 au lait, cre\u0300me bru\u0302le\u0301e."  # decomposed, as some Mac tools write
    source = SourceText(raw)
    assert source.stored == "Café au lait, crème brûlée."
    start = raw.index("cre\u0300me")
    assert words(source, source.to_stored(start, start + len("cre\u0300me"), CODE_POINTS)) == "crème"


def test_recorded_text_decides_that_crlf_counted_as_one():
    source = SourceText(WINDOWS)
    start, end = positions("Now I know the tricks", 1)
    chosen = choose_conventions([(source, [Selection(start, end, "Now I know the tri...")])])
    assert chosen == [CRLF_AS_ONE]


def test_recorded_text_decides_utf16_units():
    source = SourceText(STORED)
    start, end = positions("Nobody showed me the rota", 1, utf16=True)
    assert choose_conventions([(source, [Selection(start, end, "Nobody showed me the rota")])]) == [UTF16]


def test_selections_that_only_fit_one_way_decide_without_recorded_text():
    source = SourceText(WINDOWS)
    # The last words of the text: counted with CRLF as two they would run past the end as one.
    start, end = positions("Now I know the tricks.", 2)
    assert choose_conventions([(source, [Selection(start, end + 1)])]) == [CODE_POINTS]


def test_the_exporting_program_is_the_tie_breaker():
    source = SourceText(WINDOWS)
    start, end = positions("Nobody", 2)
    assert choose_conventions([(source, [Selection(start, end)])], prefer_crlf_as_one=False) == [CODE_POINTS]
    start, end = positions("Nobody", 1)
    assert choose_conventions([(source, [Selection(start, end)])], prefer_crlf_as_one=True) == [CRLF_AS_ONE]


def test_a_text_without_crlf_or_emoji_always_uses_code_points():
    source = SourceText("Interviewer: Hello\nP1: Hi there\n")
    assert choose_conventions([(source, [Selection(0, 5, "zzzz nothing")])], prefer_crlf_as_one=True) == [CODE_POINTS]


def test_turns_are_found_in_place_and_the_text_is_unchanged():
    text = "Interview 3, 12 May\n\nInterviewer: How did it start?\nP3: Well, I suppose\nit began slowly.\n\nInterviewer: And then?\nP3: It grew.\n"
    laid, interviewer = turns_in_place(text)
    assert laid.text == text
    assert interviewer == "Interviewer"
    spoken = [(t.speaker, text[t.body_start : t.end]) for t in laid.turns]
    assert spoken == [
        (None, "Interview 3, 12 May"),
        ("Interviewer", "How did it start?"),
        ("P3", "Well, I suppose\nit began slowly."),
        ("Interviewer", "And then?"),
        ("P3", "It grew."),
    ]
    assert [t.is_interviewer for t in laid.turns] == [False, True, False, True, False]


def test_text_without_speakers_has_one_turn_per_paragraph():
    text = "We met in the garden.\nShe talked about her son.\n\nLater, on the phone, she cried.\n"
    laid, interviewer = turns_in_place(text)
    assert interviewer is None
    assert [text[t.start : t.end] for t in laid.turns] == [
        "We met in the garden.\nShe talked about her son.",
        "Later, on the phone, she cried.",
    ]
