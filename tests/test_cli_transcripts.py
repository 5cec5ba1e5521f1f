"""Importing, listing, reading and searching transcripts from the command line."""

from __future__ import annotations

import json

import pytest
from helpers import squash, write

P1 = """Interviewer: Thank you for joining me. How did you come to train as a therapist?
P1: Um, quite late, really. I was a teacher first, and I kept noticing the children nobody was listening to.
So I trained part-time, over four years, while still teaching.
Interviewer: And how do you think about the relationship with clients now?
P1: It's everything. The technique matters less than I thought it would. What matters is whether they feel met.
"""


@pytest.fixture
def study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    write(tmp_path / "P1.txt", P1)
    return tmp_path


def test_import_list_and_show(run, study):
    result = run("transcript", "import", "P1.txt")
    assert result.exit_code == 0
    assert "imported P1: 4 turns" in result.output
    rows = json.loads(run("transcript", "list", "--json").output)
    assert rows[0]["name"] == "P1" and rows[0]["participant"] == "P1" and rows[0]["interviewer"] == "Interviewer"
    shown = squash(run("transcript", "show", "P1", "--lines", "2-3").output)
    assert "2 T2 P1: Um, quite late, really." in shown
    assert "3 So I trained part-time" in shown
    only_p1 = json.loads(run("transcript", "show", "P1", "--speaker", "P1", "--json").output)
    assert [line["line"] for line in only_p1["lines"]] == [2, 3, 5]


def test_reimporting_the_same_file_is_a_no_op(run, study):
    run("transcript", "import", "P1.txt")
    again = run("transcript", "import", "P1.txt")
    assert again.exit_code == 0
    assert "unchanged P1: already imported as 'P1' with the same text; nothing to do" in again.output
    assert len(json.loads(run("transcript", "list", "--json").output)) == 1


def test_a_different_file_under_an_existing_name_needs_replace_and_codings_move_with_it(run, study):
    run("transcript", "import", "P1.txt")
    write(study / "P1.txt", P1.replace("quite late", "rather late"))
    refused = run("transcript", "import", "P1.txt")
    assert refused.exit_code == 1 and "use --replace to replace it" in refused.output
    assert "quite late" in run("transcript", "show", "P1").output
    replaced = run("transcript", "import", "P1.txt", "--replace")
    assert "replaced P1" in replaced.output
    assert "rather late" in run("transcript", "show", "P1").output
    run("code", "apply", "Career change", "--new", "-t", "P1", "--match", "I was a teacher first")
    write(study / "P1.txt", P1.replace("quite late", "very late"))
    coded = run("transcript", "import", "P1.txt", "--replace")
    assert coded.exit_code == 0 and "1 coding on unchanged text moved with it" in coded.output
    assert "very late" in run("transcript", "show", "P1").output
    extracts = json.loads(run("extracts", "Career change", "--json").output)
    assert [e["text"] for e in extracts] == ["I was a teacher first"]


def test_a_missing_file_among_many_is_listed_and_the_others_import(run, study):
    write(study / "P2.txt", P1.replace("P1:", "P2:"))
    result = run("transcript", "import", "P1.txt", "missing.txt", "P2.txt")
    assert result.exit_code == 1
    assert "error: missing.txt: no such file" in result.output
    assert "1 of 3 files failed" in result.output
    assert [r["name"] for r in json.loads(run("transcript", "list", "--json").output)] == ["P1", "P2"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n  ", "blank space"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("broken.docx", b"PK\x03\x04 this is not really a zip", ".docx"),
    ],
)
def test_unreadable_files_are_refused_and_nothing_is_stored(run, study, name, content, message):
    (study / name).write_bytes(content)
    result = run("transcript", "import", name)
    assert result.exit_code == 1
    assert message in result.output.lower()
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert json.loads(run("transcript", "list", "--json").output) == []


def test_cp1252_file_imports_and_says_which_encoding(run, study):
    (study / "P4.txt").write_bytes(
        "Interviewer: Caf\xe9?\nP4: Oui \x96 the caf\xe9 was where we met.\n".encode("latin-1")
    )
    result = run("transcript", "import", "P4.txt")
    assert result.exit_code == 0
    assert "cp1252" in result.output
    assert "P4: Oui – the café was where we met." in run("transcript", "show", "P4").output


def test_search_shows_hits_in_context_with_a_location_to_code(run, study):
    run("transcript", "import", "P1.txt")
    rows = json.loads(run("transcript", "search", "technique matters", "--json").output)
    assert len(rows) == 1
    hit = rows[0]
    assert hit["transcript"] == "P1" and hit["speaker"] == "P1" and hit["turn"] == 4 and hit["line"] == 5
    coded = run("code", "apply", "Technique", "--new", "-t", "P1", "--chars", f"{hit['start']}-{hit['end']}")
    assert "“technique matters”" in coded.output.lower()
    text = squash(run("transcript", "search", "teacher").output)
    assert "P1 L2 T2 P1" in text and "1 hit in 1 transcript" in text


def test_search_by_regex_and_speaker(run, study):
    run("transcript", "import", "P1.txt")
    hits = json.loads(run("transcript", "search", r"\bteach\w*", "--regex", "--json").output)
    assert [h["match"] for h in hits] == ["teacher", "teaching"]
    interviewer_only = json.loads(
        run("transcript", "search", "relationship", "--speaker", "Interviewer", "--json").output
    )
    assert len(interviewer_only) == 1
    assert json.loads(run("transcript", "search", "relationship", "--speaker", "P1", "--json").output) == []
    bad = run("transcript", "search", "(unclosed", "--regex")
    assert bad.exit_code == 1 and "not a valid regular expression" in bad.output


def test_show_gives_turn_times_and_takes_the_speaker_in_any_case(run, study):
    write(
        study / "P9.vtt",
        "WEBVTT\n\n00:00:04.000 --> 00:00:06.000\n<v Interviewer>How did it start?</v>\n\n"
        "00:01:13.500 --> 00:01:20.000\n<v P9>Slowly. Then all at once.</v>\n",
    )
    run("transcript", "import", "P9.vtt")
    shown = squash(run("transcript", "show", "P9", "--speaker", "p9").output)
    assert "2 T2 [00:01:13] P9: Slowly. Then all at once." in shown
    assert "Interviewer" not in shown


def test_a_missing_project_path_suggests_creating_that_path(run):
    result = run("-p", "elsewhere/study.qualcode", "status")
    assert result.exit_code == 1
    assert "create it with `qualcode init elsewhere/study.qualcode`" in result.output


def test_show_a_range_past_the_end_shows_what_there_is_and_says_where_it_ends(run, study):
    run("transcript", "import", "P1.txt")
    result = run("transcript", "show", "P1", "--lines", "4-30")
    assert result.exit_code == 0
    shown = squash(result.output).splitlines()
    assert shown[1].startswith("4 T3 Interviewer: And how do you think")
    assert shown[2].startswith("5 T4 P1: It's everything.")
    assert shown[-1] == "(P1 ends at line 5)"
    assert squash(run("transcript", "show", "P1", "--turns", "4-9").output).splitlines()[-1] == "(P1 ends at turn 4)"
    lines = json.loads(run("transcript", "show", "P1", "--lines", "4-30", "--json").output)["lines"]
    assert [line["line"] for line in lines] == [4, 5]
    past = run("transcript", "show", "P1", "--lines", "9-30")
    assert past.exit_code == 1 and past.output == "Error: --lines 9-30 is outside P1, which has 5 lines\n"
    assert "ends at" not in run("transcript", "show", "P1", "--lines", "2-3").output
