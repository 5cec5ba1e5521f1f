"""Searching transcripts for words in their forms: prefixes, phrases, --exact, --near, the order
of hits, the summary, and search expressions that cannot be read."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from helpers import squash, write

from qualcode.cli import cli
from qualcode.errors import InvalidInput
from qualcode.store import Project
from qualcode.text.search import search
from qualcode.text.search_query import parse_search

P2 = (
    "Interviewer: What happened after the break?\n"
    "P2: There was a rupture, and then more ruptures. We felt stuck for weeks.\n"
    "Interviewer: And then?\n"
    "P2: She ruptured something in me, honestly. The repair came slowly, after we named the rupture.\n"
)
P11 = (
    "Interviewer: How do you know a rupture?\n"
    "P11: I feel it in the room. Rupturing is quiet; we felt lost, then stuck. Zoë’s café didn’t help.\n"
)
P6 = "Interviewer: Tell me more.\nP6: The alliance held. No rupture to speak of, only care.\n"


@pytest.fixture
def study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    for name, text in (("P2", P2), ("P11", P11), ("P6", P6)):
        write(tmp_path / f"{name}.txt", text)
    run("transcript", "import", "P11.txt", "P2.txt", "P6.txt")
    return tmp_path


def hits(run, *args) -> list[tuple[str, int, str]]:
    result = run("transcript", "search", *args, "--json")
    assert result.exit_code == 0, result.output
    return [(h["transcript"], h["line"], h["match"]) for h in json.loads(result.output)]


def test_a_word_finds_its_forms_in_transcript_order(run, study):
    assert hits(run, "rupture") == [
        ("P2", 2, "rupture"),
        ("P2", 2, "ruptures"),
        ("P2", 4, "ruptured"),
        ("P2", 4, "rupture"),
        ("P6", 2, "rupture"),
        ("P11", 1, "rupture"),  # the interviewer's question is found too; --speaker narrows
        ("P11", 2, "Rupturing"),
    ]


def test_a_prefix_finds_words_that_begin_with_it(run, study):
    assert hits(run, "rupt*", "--transcript", "P11") == [("P11", 1, "rupture"), ("P11", 2, "Rupturing")]
    assert hits(run, "fel*", "--speaker", "P2") == [("P2", 2, "felt")]


def test_words_typed_together_are_a_phrase_in_their_forms(run, study):
    assert hits(run, "felt stuck") == [("P2", 2, "felt stuck")]
    assert hits(run, '"named the ruptures"') == [("P2", 4, "named the rupture")]
    assert hits(run, "“felt lost”") == [("P11", 2, "felt lost")]
    assert hits(run, '"felt stuck" OR "felt lost"') == [("P2", 2, "felt stuck"), ("P11", 2, "felt lost")]


def test_and_or_not_and_grouping(run, study):
    # Both words in one turn: each is a hit where it stands.
    assert hits(run, "rupture AND care") == [("P6", 2, "rupture"), ("P6", 2, "care")]
    assert hits(run, "weeks AND repair") == []
    assert hits(run, "rupture NOT care", "--transcript", "P6") == []
    assert hits(run, "(stuck OR care) alliance") == [("P6", 2, "alliance"), ("P6", 2, "care")]


def test_exact_turns_stemming_off(run, study):
    assert hits(run, "ruptures", "--exact") == [("P2", 2, "ruptures")]
    assert hits(run, "rupture", "--exact", "--speaker", "P2") == [("P2", 2, "rupture"), ("P2", 4, "rupture")]
    assert hits(run, "ruptur*", "--exact", "--transcript", "P11") == [("P11", 1, "rupture"), ("P11", 2, "Rupturing")]
    # Turn 2 of P2 has "ruptures", so only its turn 4 counts.
    assert hits(run, "rupture NOT ruptures", "--exact") == [
        ("P2", 4, "rupture"),
        ("P6", 2, "rupture"),
        ("P11", 1, "rupture"),
    ]


def test_near_finds_words_within_n_of_each_other_as_one_hit(run, study):
    assert hits(run, "rupture stuck", "--near", "5") == [("P2", 2, "ruptures. We felt stuck")]
    assert hits(run, "NEAR(stuck lost, 3)") == [("P11", 2, "lost, then stuck")]
    assert hits(run, "rupture stuck", "--near", "1") == []


def test_marks_and_accents_only_separate_words(run, study):
    assert hits(run, "didn't") == [("P11", 2, "didn’t")]
    assert hits(run, "zoe's cafe") == [("P11", 2, "Zoë’s café")]


def test_the_hits_are_highlighted_and_counted_per_transcript(run, study):
    coloured = CliRunner().invoke(cli, ["transcript", "search", "rupture", "--speaker", "P2"], color=True)
    assert "\x1b[1m\x1b[7mruptures\x1b[0m" in coloured.output  # bold, reverse video
    # A hit wraps under its location at the terminal's width; joined up, it is one line.
    plain = squash(run("transcript", "search", "rupture").output.replace("\n    ", " ")).splitlines()
    assert (
        plain[1] == "P2 L2 T2 P2 …There was a rupture, and then more ruptures. We felt stuck for weeks.… --chars 83-91"
    )
    assert plain[-1] == "7 hits in 3 transcripts: P2 4, P6 1, P11 2"
    limited = squash(run("transcript", "search", "rupture", "--limit", "5").output).splitlines()
    assert limited[-1] == "5 hits in 2 transcripts: P2 4, P6 1 (stopped at --limit 5)"


def test_a_hit_codes_exactly_what_it_found(run, study):
    (hit,) = json.loads(run("transcript", "search", "zoe's cafe", "--json").output)
    result = run("code", "apply", "Place", "--new", "-t", "P11", "--chars", f"{hit['start']}-{hit['end']}")
    assert "“Zoë’s café”" in result.output


def test_help_says_what_matches(run):
    shown = run("transcript", "search", "--help").output
    for line in (
        "rupture               rupture, ruptures, ruptured, rupturing",
        "rupt*                 words beginning with rupt",
        "felt stuck            these words next to each other, in this order",
        "NEAR(rupture repair, 5)  both within 5 words of each other, in any order",
        "English word forms",
        "--exact",
        "--near N",
    ):
        assert line in shown


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
        (['"felt stuck'], 'the phrase "felt stuck has no closing quote; put a quote at each end, as in "felt stuck"'),
        (["*"], "a * marks a prefix and goes straight after the start of a word, as in rupt* (not on its own)"),
        (["rupture *"], "a * marks a prefix and goes straight after the start of a word, as in rupt* (not on its own)"),
        (["NEAR"], "NEAR needs words in brackets, as in NEAR(rupture repair, 10); or give the words with --near 10"),
        (["NEAR()"], "NEAR needs words in brackets, as in NEAR(rupture repair, 10); or give the words with --near 10"),
        (["rupture OR"], "OR needs words on both sides, as in: rupture OR repair"),
        (
            ["NOT care"],
            "NOT needs words on both sides, as in: rupture NOT repair (the first, in turns without the second)",
        ),
        (["(rupture OR care"], "a bracket is not closed; write brackets in pairs, as in (rupture OR repair)"),
        (
            ["rupture", "--near", "3"],
            "--near needs two or more words to find near each other, as in: rupture repair --near 10",
        ),
        (
            ["rupture OR care", "--near", "3"],
            "--near takes words and phrases, without AND, OR, NOT or NEAR; write NEAR(...) in the search instead",
        ),
        (["   "], "search needs a word or phrase"),
        (["(unclosed", "--regex"], "not a valid regular expression: missing ), unterminated subpattern at position 0"),
        (["rupture", "--transcript", "P12"], "unknown transcript 'P12'; did you mean 'P2' or 'P11'?"),
    ],
)
def test_a_search_that_cannot_be_read_is_one_line_saying_what_to_write(run, study, args, message):
    path = study / "projects" / "study.qualcode"
    before = dump(path)
    result = run("transcript", "search", *args)
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert dump(path) == before


def test_the_library_search_and_its_query(study):
    project = Project.open(study / "projects" / "study.qualcode")
    try:
        found = search(project, "felt stu*")
        assert [(h.transcript, h.turn, h.speaker, h.match) for h in found] == [("P2", 2, "P2", "felt stuck")]
        assert found[0].before == "There was a rupture, and then more ruptures. We "
        assert found[0].after == " for weeks."
        with pytest.raises(InvalidInput, match="leave out --exact"):
            search(project, "rupture", regex=True, exact=True)
    finally:
        project.close()
    assert parse_search("don't stop").fts() == '"don\'t" + "stop"'
    assert parse_search("rupt* OR care").fts() == '("rupt" * OR "care")'
    assert parse_search("rupture repair", near=4).fts() == 'NEAR("rupture" "repair", 4)'


def test_an_older_projects_index_is_rebuilt_to_find_word_forms(tmp_path, monkeypatch):
    from qualcode import migrations
    from qualcode.text.ingest import import_transcripts

    before = migrations.known_migration_names().index("m005_search_word_forms")
    monkeypatch.setattr(migrations, "MIGRATION_FUNCTIONS", migrations.MIGRATION_FUNCTIONS[:before])
    path = tmp_path / "projects" / "old.qualcode"
    old = Project.create(path, "Maya")
    import_transcripts(old, [write(tmp_path / "P2.txt", P2), write(tmp_path / "P6.txt", P6)], "Maya")
    old.close()
    monkeypatch.undo()
    project = Project.open(path)
    try:
        assert [(h.transcript, h.match) for h in search(project, "ruptures")] == [
            ("P2", "rupture"),
            ("P2", "ruptures"),
            ("P2", "ruptured"),
            ("P2", "rupture"),
            ("P6", "rupture"),
        ]
        tokenizer = project.db.execute("SELECT sql FROM sqlite_master WHERE name = 'turns_fts'").fetchone()[0]
        assert "tokenize='porter unicode61 remove_diacritics 2'" in tokenizer
        assert project.db.execute("INSERT INTO turns_fts (turns_fts) VALUES ('integrity-check')").rowcount == 1
    finally:
        project.close()


def test_the_index_follows_replacement_and_undo(run, study):
    assert hits(run, "alliance") == [("P6", 2, "alliance")]
    write(study / "P6.txt", "Interviewer: Tell me more.\nP6: The bond held, mostly.\n")
    assert run("transcript", "import", "P6.txt", "--replace").exit_code == 0
    assert hits(run, "alliance") == [] and hits(run, "bond") == [("P6", 2, "bond")]
    write(study / "P8.txt", "Interviewer: And you?\nP8: A bonding moment, I'd say.\n")
    run("transcript", "import", "P8.txt")
    assert hits(run, "bond") == [("P6", 2, "bond"), ("P8", 2, "bonding")]
    assert "undid 'transcript import'" in run("undo").output
    assert hits(run, "bond") == [("P6", 2, "bond")]


def test_a_transcript_holding_the_characters_that_mark_hits_is_still_searched(run, tmp_path):
    # Importers refuse control characters, but a project from another program may hold them.
    run("init", "study", "--analyst", "Maya")
    write(tmp_path / "P9.txt", "Interviewer: And?\nP9: A #odd% rupture, then another rupture.\n")
    run("transcript", "import", "P9.txt")
    conn = sqlite3.connect(tmp_path / "projects" / "study.qualcode")
    with conn:
        conn.execute("UPDATE transcripts SET text = replace(replace(text, '#', char(2)), '%', char(3))")
    conn.close()
    found = json.loads(run("transcript", "search", "rupture", "--json").output)
    assert [(h["match"], h["before"]) for h in found] == [
        ("rupture", "A \x02odd\x03 "),
        ("rupture", "A \x02odd\x03 rupture, then another "),
    ]
