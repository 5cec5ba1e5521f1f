"""Under blind coding nothing of another analyst's work reaches a reader: not a count in
`transcript list`, not a code name typed in (or listed by) `code session`.

P1: Ana codes "pushing the homework" with her code Rupture, Ben codes "went silent" with his code
Withdrawal; Ben cannot see Rupture."""

from __future__ import annotations

import json

import pytest
from helpers import ana_and_ben

from qualcode.analysis.blind import start_blind
from qualcode.analysis.session import SessionState
from qualcode.errors import NotFound


@pytest.fixture
def blind_pair(tmp_path):
    project = ana_and_ben(tmp_path, {"Ana:Rupture": [(42, 62), (64, 81)], "Ben:Withdrawal": [(88, 99)]})
    start_blind(project, "Ana")
    yield project
    project.close()


def codings_listed(run, analyst: str) -> tuple[int, int]:
    (row,) = json.loads(run("-a", analyst, "transcript", "list", "--json").output)
    return row["codings"], row["analysts"]


def test_transcript_list_counts_only_the_codings_the_analyst_sees(run, blind_pair):
    assert codings_listed(run, "Ben") == (1, 1)
    assert codings_listed(run, "Ana") == (2, 1)
    table = run("-a", "Ben", "transcript", "list").output
    (row,) = [line.split() for line in table.splitlines() if line.startswith("P1")]
    assert row[-2:] == ["1", "1"]  # codings, analysts
    run("analyst", "blind", "off")
    assert codings_listed(run, "Ben") == (3, 2)


def session_output(run, typed: str) -> str:
    result = run("-a", "Ben", "code", "session", "P1", "--from-turn", "2", input=typed)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_hidden_codes_name_is_unknown_in_the_session_as_a_code_that_does_not_exist(run, blind_pair):
    hidden = session_output(run, "Rupture\nn\nq\n")
    missing = session_output(run, "Rapture\nn\nq\n")
    assert "create new code 'Rupture'? [y/N]" in hidden
    assert "nothing coded: 'Rupture' is not in the codebook; type l to list codes" in hidden
    assert hidden.replace("Rupture", "Rapture") == missing
    codings = blind_pair.query("SELECT a.name FROM codings c JOIN analysts a ON a.id = c.analyst_id")
    assert [row["name"] for row in codings].count("Ben") == 1
    # The library refuses it too, in the words it uses for a code that does not exist.
    state = SessionState.open(blind_pair, "Ben", "P1", from_turn=2)
    with pytest.raises(NotFound) as hidden_code:
        state.apply(["Rupture"])
    with pytest.raises(NotFound) as missing_code:
        state.apply(["Rapture"])
    assert str(hidden_code.value) == "unknown code 'Rupture'; add it with `qualcode code add Rupture`"
    assert str(hidden_code.value).replace("Rupture", "Rapture") == str(missing_code.value)


def test_the_sessions_codebook_lists_only_the_codes_the_analyst_sees(run, blind_pair):
    listed = session_output(run, "l\nq\n")
    assert "■ Withdrawal 1" in listed
    assert "Rupture" not in listed


def test_creating_a_code_named_like_a_hidden_one_takes_it_up_without_a_word_about_it(run, blind_pair):
    output = session_output(run, "Rupture\ny\nRupture\nq\n")
    assert output.count("create new code 'Rupture'?") == 1  # known to Ben once he has used it
    assert "new code: Rupture" in output and "1 already coded like that" in output
    ben = json.loads(run("-a", "Ben", "extracts", "Rupture", "--json").output)
    whole_turn = "I kept pushing the homework, she kept agreeing, then went silent."
    assert [(e["analyst"], e["text"]) for e in ben] == [("Ben", whole_turn)]
    assert blind_pair.db.execute("SELECT count(*) FROM codes WHERE name = 'Rupture'").fetchone()[0] == 1


def test_code_apply_refuses_a_hidden_code_as_it_refuses_one_that_does_not_exist(run, blind_pair):
    hidden = run("-a", "Ben", "code", "apply", "Rupture", "-t", "P1", "--match", "went silent")
    missing = run("-a", "Ben", "code", "apply", "Rapture", "-t", "P1", "--match", "went silent")
    assert hidden.exit_code == missing.exit_code == 1
    assert "unknown code 'Rupture'" in hidden.output and "Traceback" not in hidden.output
    assert hidden.output.replace("Rupture", "Rapture") == missing.output
    searched = run("-a", "Ben", "code", "apply", "Rupture", "--from-search", "silent", "--yes")
    assert searched.exit_code == 1 and "unknown code 'Rupture'" in searched.output
    counts = blind_pair.query(
        "SELECT count(*) AS n FROM codings WHERE analyst_id = (SELECT id FROM analysts WHERE name = 'Ben')"
    )
    assert counts[0]["n"] == 1
    # Ana, who made the code, applies it as before.
    assert run("-a", "Ana", "code", "apply", "Rupture", "-t", "P1", "--match", "went silent").exit_code == 0
