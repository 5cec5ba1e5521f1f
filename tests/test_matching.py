"""Finding typed phrases in text: the spans found, by the one rule every caller shares."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput
from qualcode.text.matching import EmptyPhrase, find_phrase, phrase_pattern

TEXT = "P3: I don’t think so.\nWell, I don't know. The alliance is everything;\nthe Alliance holds."


def found(text, spans):
    return [text[start:end] for start, end in spans]


def test_any_run_of_whitespace_between_the_words_matches_any_run_in_the_text():
    assert find_phrase(TEXT, "everything;   the") == [(58, 73)]
    assert found(TEXT, find_phrase(TEXT, " so.\tWell, ")) == ["so.\nWell,"]


def test_the_phrase_is_put_in_stored_form_first():
    text = "a caf\u00e9 table"
    assert found(text, find_phrase(text, "cafe\u0301\r\ntable")) == ["caf\u00e9 table"]


def test_words_as_typed_win_over_other_cases():
    # "alliance" as typed occurs once, so "Alliance" is not a second, ambiguous hit.
    assert found(TEXT, find_phrase(TEXT, "alliance")) == ["alliance"]
    assert find_phrase(TEXT, "alliance") == [(46, 54)]


def test_case_is_ignored_only_when_the_words_as_typed_are_not_found():
    assert found(TEXT, find_phrase(TEXT, "ALLIANCE")) == ["alliance", "Alliance"]
    assert found(TEXT, find_phrase(TEXT, "well, i")) == ["Well, I"]


def test_any_apostrophe_typed_finds_any_apostrophe_in_the_text():
    assert find_phrase(TEXT, "don't") == [(6, 11), (30, 35)]
    assert find_phrase(TEXT, "don‘t") == [(6, 11), (30, 35)]
    assert find_phrase(TEXT, "I don't") == [(4, 11), (28, 35)]
    assert find_phrase(TEXT, "I DON'T THINK") == [(4, 17)]


def test_quote_marks_dashes_and_ellipses_typed_straight_find_the_typographic_ones():
    text = "He said “no” to me – twice… and then—well... nothing."
    assert found(text, find_phrase(text, 'said "no" to me - twice...')) == ["said “no” to me – twice…"]
    assert found(text, find_phrase(text, "then-well…")) == ["then—well..."]
    assert found(text, find_phrase(text, "“nothing”")) == []


def test_non_breaking_spaces_and_line_breaks_count_as_one_space():
    text = "They’re a\u00a0form\n  of care."
    assert found(text, find_phrase(text, "They're a form of care")) == ["They’re a\u00a0form\n  of care"]
    assert found(text, find_phrase(text, "form\u00a0of")) == ["form\n  of"]


def test_the_stored_text_is_what_is_found_and_it_is_left_as_it_is():
    text = "P21: They’re a form of care, really."
    (span,) = find_phrase(text, "they're a FORM of care")
    assert text[slice(*span)] == "They’re a form of care"
    assert text == "P21: They’re a form of care, really."


def test_hits_are_only_looked_for_within_the_span_given():
    assert find_phrase(TEXT, "alliance", (0, 46)) == []
    assert find_phrase(TEXT, "alliance", (55, len(TEXT))) == [(74, 82)]  # found ignoring case


def test_phrases_are_found_inside_words():
    text = "the alliances and an alliance"
    assert find_phrase(text, "alliance") == [(4, 12), (21, 29)]
    pattern = phrase_pattern("ALLIANCE", ignore_case=True)
    assert [m.span() for m in pattern.finditer(text)] == [(4, 12), (21, 29)]


def test_regex_characters_in_a_phrase_are_plain_text():
    text = "is it (really) 1.5? or 105"
    assert found(text, find_phrase(text, "(really) 1.5?")) == ["(really) 1.5?"]
    assert find_phrase(text, "1.5") == [(15, 18)]


@pytest.mark.parametrize("phrase", ["", "   ", "\n\t"])
def test_a_phrase_without_words_is_refused(phrase):
    with pytest.raises(EmptyPhrase, match="needs some words") as refused:
        find_phrase(TEXT, phrase)
    assert isinstance(refused.value, InvalidInput)
