"""Coding search hits as meaningful passages: `code apply --from-search --unit`."""

from __future__ import annotations

import json
import sqlite3

import pytest
from helpers import write

from qualcode.text.units import sentence_span

P2 = (
    "Interviewer: What happened after the break?\n"
    "P2: There was a rupture, and then more ruptures. We felt stuck for weeks. Dr. Lee said it was normal.\n"
    "Interviewer: And the rupture itself?\n"
    "P2: It came slowly… we named it in the end.\n"
)
P11 = "Interviewer: How did it start?\nP11: I think it was a rupture, really. Then we talked.\n"
P21 = (
    "Interviewer: Tell me about the last session.\n"
    "P21: We mostly sat with it. They’re a form of care, those silences.\n"
    "Interviewer: A form of care?\n"
    "P21: Yes. I hadn’t thought of it that way before.\n"
)


@pytest.fixture
def study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    for name, text in (("P2", P2), ("P11", P11), ("P21", P21)):
        write(tmp_path / f"{name}.txt", text)
    run("transcript", "import", "P11.txt", "P2.txt", "P21.txt")
    run("code", "add", "Rupture")
    return tmp_path


def extracts(run, *args) -> list[dict]:
    return json.loads(run("extracts", *args, "--json").output)


def test_hits_are_coded_as_their_sentences_by_default_and_the_prompt_says_so(run, study):
    result = run("code", "apply", "Rupture", "--from-search", "rupture", input="y\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "P2 L2 T2: There was a [rupture], and then more [ruptures].",
        "P2 L3 T3: And the [rupture] itself?",
        "P11 L2 T2: I think it was a [rupture], really.",
        "each hit is coded as its sentence (--unit sentence); --unit match: the hit alone, --unit turn: its turn",
        "code 3 sentences for 4 hits with Rupture? [Y/n]: y",
        "coded 4 hits as 3 sentences in 2 transcripts: 3 codings",
    ]
    assert [(e["transcript"], e["text"]) for e in extracts(run)] == [
        ("P2", "There was a rupture, and then more ruptures."),
        ("P2", "And the rupture itself?"),
        ("P11", "I think it was a rupture, really."),
    ]


def test_unit_match_codes_the_hit_and_unit_turn_the_whole_turn(run, study):
    run("code", "apply", "Rupture", "--from-search", "stuck", "--unit", "match", "--yes")
    run("code", "apply", "Rupture", "--from-search", "normal", "--unit", "turn", "--yes")
    assert [e["text"] for e in extracts(run)] == [
        "There was a rupture, and then more ruptures. We felt stuck for weeks. Dr. Lee said it was normal.",
        "stuck",
    ]


def test_sentences_end_where_a_reader_sees_them_end():
    text = "P2: We felt stuck. Dr. Lee said so… and e.g. this was it. Then—nothing! 3 weeks went by.\nNew line"
    body = (4, len(text))

    def sentence_of(word: str) -> str:
        at = text.index(word)
        return text[slice(*sentence_span(text, body, at, at + len(word)))]

    assert sentence_of("stuck") == "We felt stuck."
    assert sentence_of("Lee") == "Dr. Lee said so… and e.g. this was it."
    assert sentence_of("nothing") == "Then—nothing!"
    assert sentence_of("weeks") == "3 weeks went by."
    assert sentence_of("line") == "New line"


def test_answering_no_codes_nothing_and_is_not_an_error(run, study):
    result = run("code", "apply", "Rupture", "--from-search", "rupture", input="n\n")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "nothing coded"
    assert extracts(run) == []


def dump(path) -> list:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return [(t, conn.execute(f"SELECT * FROM [{t}]").fetchall()) for t in tables if not t.startswith("turns_fts")]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from-search", "rupture", "--unit", "paragraph"], "unknown unit 'paragraph'; units: match, sentence, turn"),
        (
            ["--from-search", "rupture", "--unit", "sentense"],
            "unknown unit 'sentense'; did you mean 'sentence'? units: match, sentence, turn",
        ),
        (
            ["-t", "P2", "--lines", "2", "--unit", "turn"],
            "--unit goes with --from-search; a passage given by location is coded as given",
        ),
        (
            ["--from-search", '"rupture'],
            'the phrase "rupture has no closing quote; put a quote at each end, as in "rupture"',
        ),
        (
            ["--from-search", "NEAR"],
            "NEAR needs words in brackets, as in NEAR(rupture repair, 10); or give the words with --near 10",
        ),
        (["--from-search", "anxiety", "--yes"], "no hits for anxiety; nothing coded"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(run, study, args, message):
    path = study / "projects" / "study.qualcode"
    before = dump(path)
    result = run("code", "apply", "Rupture", *args)
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert dump(path) == before
