"""Words as researchers type them: straight marks, one space, and case only when needed, in
`code apply --match`, `transcript search`, `--from-search` and the coding session alike."""

from __future__ import annotations

import json

import pytest
from helpers import write

from qualcode.analysis.coding import add_code
from qualcode.analysis.session import SessionState
from qualcode.text.ingest import import_transcripts

# As Word and Otter write it: typographic apostrophes and quotes, dashes, an ellipsis.
P21 = (
    "Interviewer: What do the sessions mean to you?\n"
    "P21: They’re a form of care – for both of us, I think. I don’t say it out loud… but “care” is the word.\n"
    "Interviewer: Why not out loud?\n"
    "P21: Because then—well, it’s fragile. Don't ask me why.\n"
)


@pytest.fixture
def study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    write(tmp_path / "P21.txt", P21)
    run("transcript", "import", "P21.txt")
    run("code", "add", "Care")
    return tmp_path


def coded_texts(run) -> list[str]:
    return [row["text"] for row in json.loads(run("extracts", "--json").output)]


def test_match_typed_with_straight_marks_codes_the_typographic_text_as_it_stands(run, study):
    result = run("code", "apply", "Care", "-t", "P21", "--match", "They're a form of care - for both of us")
    assert result.exit_code == 0, result.output
    assert coded_texts(run) == ["They’re a form of care – for both of us"]
    stored = json.loads(run("transcript", "show", "P21", "--json").output)["lines"][1]["text"]
    assert stored.startswith("P21: They’re a form of care – for both of us")


def test_match_finds_quotes_and_ellipses_typed_straight(run, study):
    assert run("code", "apply", "Care", "-t", "P21", "--match", 'out loud... but "care"').exit_code == 0
    assert coded_texts(run) == ["out loud… but “care”"]


def test_match_ignores_case_only_when_the_words_as_typed_are_not_found(run, study):
    # "don't" as typed (lower case) is in line 2 only, so the "Don't" of line 4 does not make it ambiguous.
    assert run("code", "apply", "Care", "-t", "P21", "--match", "don't").exit_code == 0
    assert coded_texts(run) == ["don’t"]
    refused = run("code", "apply", "Care", "-t", "P21", "--match", "DON'T")
    assert refused.exit_code == 1
    assert refused.output == 'Error: "DON\'T" occurs 2 times (lines 2, 4); add --occurrence N or a longer phrase\n'


def test_search_finds_what_was_typed_with_a_straight_apostrophe(run, study):
    hits = json.loads(run("transcript", "search", "don't", "--json").output)
    assert [(h["line"], h["match"]) for h in hits] == [(2, "don’t"), (4, "Don't")]


def test_from_search_codes_the_hit_as_it_stands(run, study):
    result = run("code", "apply", "Care", "--from-search", "it's fragile", "--unit", "match", "--yes")
    assert result.exit_code == 0, result.output
    assert coded_texts(run) == ["it’s fragile"]


def test_the_session_matches_dashes_and_quotes_typed_straight(project, tmp_path):
    import_transcripts(project, [write(tmp_path / "P21.txt", P21)], "Maya")
    add_code(project, "Maya", "Care")
    state = SessionState.open(project, "Maya", "P21", from_turn=4)
    applied = state.apply(["Care"], "then-well, it's fragile").applied
    assert [a.text for a in applied] == ["then—well, it’s fragile"]
