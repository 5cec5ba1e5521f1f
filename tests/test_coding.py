"""The codebook and coding from the shell, with the bad input the issue names."""

from __future__ import annotations

import json

import pytest
from helpers import squash, write

P6 = """Interviewer: Can you tell me about a rupture you remember?
P6: There was a client who went very quiet for weeks. I kept pushing the homework and she kept agreeing, vaguely.
Then one day she said I never listened. And she was right, in a way.
Interviewer: What did you do?
P6: I said so. I said, you're right, I've been pushing, and I think I got anxious. We talked about what had been happening between us.
"""


@pytest.fixture
def study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    run("analyst", "add", "Tom")
    write(tmp_path / "P6.txt", P6)
    run("transcript", "import", "P6.txt")
    run("code", "add", "Rupture", "--description", "A strain in the alliance")
    run("code", "add", "Withdrawal", "--parent", "Rupture")
    run("code", "add", "Repair")
    return tmp_path


def codings(run, *extra):
    return json.loads(run("extracts", "--json", *extra).output)


def test_apply_several_codes_by_match_and_retrieve_them(run, study):
    result = run("code", "apply", "Rupture", "Withdrawal", "-t", "P6", "--match", "went very quiet for weeks")
    assert result.exit_code == 0
    rows = codings(run)
    assert {(r["code"], r["text"], r["speaker"], r["turn"], r["analyst"]) for r in rows} == {
        ("Rupture", "went very quiet for weeks", "P6", 2, "Maya"),
        ("Withdrawal", "went very quiet for weeks", "P6", 2, "Maya"),
    }


def test_apply_by_lines_and_turns_codes_the_words_not_the_label(run, study):
    run("code", "apply", "Repair", "-t", "P6", "--turns", "4")
    run("-a", "Tom", "code", "apply", "Rupture", "-t", "P6", "--lines", "2-3")
    repair = codings(run, "Repair")[0]
    assert repair["text"].startswith("I said so.") and repair["text"].endswith("between us.")
    rupture = codings(run, "Rupture")[0]
    assert rupture["text"].startswith("There was a client") and rupture["text"].endswith("in a way.")
    assert rupture["analyst"] == "Tom" and rupture["lines"] == "2-3"


def test_duplicate_coding_by_the_same_analyst_is_refused_but_another_analyst_may(run, study):
    run("code", "apply", "Repair", "-t", "P6", "--turns", "4")
    again = run("code", "apply", "Repair", "-t", "P6", "--turns", "4")
    assert again.exit_code == 1 and "Maya already coded this passage" in again.output
    assert run("-a", "Tom", "code", "apply", "Repair", "-t", "P6", "--turns", "4").exit_code == 0
    assert len(codings(run, "Repair")) == 2


def test_new_codes_only_with_new(run, study):
    refused = run("code", "apply", "Anxiety", "-t", "P6", "--match", "I got anxious")
    assert refused.exit_code == 1 and "unknown code 'Anxiety'" in refused.output
    assert codings(run) == []
    made = run("code", "apply", "Anxiety", "--new", "-t", "P6", "--match", "I got anxious")
    assert made.exit_code == 0 and codings(run, "Anxiety")[0]["text"] == "I got anxious"


@pytest.mark.parametrize(
    "args, message",
    [
        (["code", "apply", "Rupter", "-t", "P6", "--lines", "2"], "unknown code 'Rupter'; did you mean 'Rupture'"),
        (["code", "apply", "Rupture", "-t", "P9", "--lines", "2"], "unknown transcript 'P9'; did you mean 'P6'?"),
        (["code", "apply", "Rupture", "-t", "P6", "--lines", "40-41"], "outside the transcript, which has 5 lines"),
        (["code", "apply", "Rupture", "-t", "P6", "--match", "never said this"], "no passage matches"),
        (["code", "apply", "Rupture", "-t", "P6", "--match", ""], "give exactly one location"),
        (["code", "apply", "Rupture", "-t", "P6", "--match", "I said"], "occurs 2 times"),
        (["code", "add", "   "], "not a usable code name"),
        (["code", "add", "?!--"], "not a usable code name"),
        (["code", "add", "rupture"], "a code named 'rupture' already exists"),
        (["code", "merge", "Rupture", "Rupture"], "cannot merge 'Rupture' into itself"),
        (["code", "merge", "Rupture", "Withdrawal"], "cannot merge 'Rupture' into its own child 'Withdrawal'"),
        (["code", "move", "Rupture", "--parent", "Withdrawal"], "cannot be its own ancestor"),
        (["code", "add", "Colourful", "--color", "red"], "not a hex colour"),
    ],
)
def test_bad_input_gives_one_line_and_changes_nothing(run, study, args, message):
    before = run("log", "--json").output
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert run("log", "--json").output == before


def test_merge_keeps_the_merged_code_visible(run, study):
    run("code", "add", "Stuckness")
    run("code", "apply", "Stuckness", "-t", "P6", "--match", "I kept pushing the homework")
    run("code", "apply", "Rupture", "-t", "P6", "--match", "she kept agreeing, vaguely")
    result = run("code", "merge", "Stuckness", "Rupture")
    assert "1 coding moved" in result.output
    assert sorted(r["text"] for r in codings(run, "Rupture")) == [
        "I kept pushing the homework",
        "she kept agreeing, vaguely",
    ]
    listing = squash(run("code", "list", "--all").output)
    assert "Stuckness (merged)" in listing
    assert "Stuckness" not in run("code", "list").output
    use_old = run("code", "apply", "Stuckness", "-t", "P6", "--turns", "4")
    assert use_old.exit_code == 1 and "was merged into 'Rupture'" in use_old.output


def test_split_moves_chosen_codings_to_a_new_code(run, study):
    run("code", "apply", "Rupture", "-t", "P6", "--match", "went very quiet for weeks")
    run("code", "apply", "Rupture", "-t", "P6", "--match", "she said I never listened")
    confront = next(r for r in codings(run, "Rupture") if "never listened" in r["text"])
    result = run("code", "split", "Rupture", "Confrontation", "--coding", confront["coding_id"])
    assert "created 'Confrontation' with 1 coding from 'Rupture'" in result.output
    assert [r["text"] for r in codings(run, "Confrontation")] == ["she said I never listened"]
    assert [r["text"] for r in codings(run, "Rupture")] == ["went very quiet for weeks"]


def test_delete_refuses_while_codings_exist_unless_forced(run, study):
    run("code", "apply", "Repair", "-t", "P6", "--turns", "4")
    refused = run("code", "delete", "Repair")
    assert refused.exit_code == 1 and "has 1 coding; use --force" in refused.output
    forced = run("code", "delete", "Repair", "--force")
    assert "deleted 'Repair' and its 1 coding" in forced.output
    assert codings(run) == []


def test_rename_describe_and_show(run, study):
    run("code", "rename", "Repair", "Repair work")
    run(
        "code",
        "describe",
        "Repair work",
        "How the therapist mends the alliance",
        "--inclusion",
        "Therapist acts on a rupture",
    )
    run("code", "apply", "Repair work", "-t", "P6", "--match", "We talked about what had been happening between us.")
    shown = squash(run("code", "show", "Repair work").output)
    assert "description: How the therapist mends the alliance" in shown
    assert "include: Therapist acts on a rupture" in shown
    assert "We talked about what had been happening between us." in shown
    assert "#1 P6 L5 T4 Repair work — Maya" in shown  # the speaker is the participant: named once


def test_describe_reads_stdin(run, study):
    run("code", "describe", "Repair", "-", input="From standard input\n")
    assert json.loads(run("code", "show", "Repair", "--json").output)["description"] == "From standard input"


def test_apply_from_search_codes_every_hit_after_asking(run, study):
    declined = run("code", "apply", "Listening", "--new", "--from-search", "said", input="n\n")
    assert declined.exit_code == 0 and declined.output.endswith("nothing coded\n") and codings(run) == []
    result = run("code", "apply", "Listening", "--new", "--from-search", "said", "--unit", "match", "--yes")
    assert "coded 3 hits in 1 transcript: 3 codings" in result.output
    assert [r["text"] for r in codings(run, "Listening")] == ["said", "said", "said"]


def test_remove_a_coding_only_your_own_unless_forced(run, study):
    run("-a", "Tom", "code", "apply", "Repair", "-t", "P6", "--turns", "4")
    coding_id = codings(run)[0]["coding_id"]
    refused = run("code", "remove", coding_id)
    assert refused.exit_code == 1 and "is Tom's; use --force" in refused.output
    assert "removed coding" in run("code", "remove", coding_id, "--force").output
    assert codings(run) == []


def test_undo_reverts_the_last_change_of_this_analyst_only(run, study):
    run("code", "apply", "Repair", "-t", "P6", "--turns", "4")
    run("-a", "Tom", "code", "apply", "Rupture", "-t", "P6", "--turns", "2")
    result = run("undo")
    assert "undid 'code apply' by Maya" in result.output
    assert [(r["code"], r["analyst"]) for r in codings(run)] == [("Rupture", "Tom")]
    run("undo")  # Maya's code add Repair
    assert "Repair" not in [r["name"] for r in json.loads(run("code", "list", "--json").output)]
    trail = json.loads(run("log", "--json").output)
    assert trail[0]["command"] == "undo" and any(r["undone"] for r in trail)


def test_undo_refuses_when_later_work_depends_on_it(run, study):
    run("code", "add", "Hope")
    run("-a", "Tom", "code", "apply", "Hope", "-t", "P6", "--turns", "4")
    result = run("undo")
    assert result.exit_code == 1
    assert "code 'Hope' is used by later work: Tom's 'code apply'" in result.output and "undone first" in result.output
    assert "Hope" in [r["name"] for r in json.loads(run("code", "list", "--json").output)]


def test_matrix_and_cooccurrence(run, study, tmp_path):
    write(tmp_path / "a.csv", "participant,orientation\nP6,CBT\n")
    run("participant", "import", "a.csv")
    run("code", "apply", "Rupture", "Withdrawal", "-t", "P6", "--match", "went very quiet for weeks")
    run("code", "apply", "Repair", "-t", "P6", "--turns", "4")
    matrix = {r["code"]: r for r in json.loads(run("matrix", "--json").output)}
    assert matrix["Rupture"]["P6"] == 1 and matrix["Repair"]["total"] == 1
    by_orientation = json.loads(run("matrix", "--by", "attribute:orientation", "--json").output)
    assert {r["code"]: r["CBT"] for r in by_orientation} == {"Repair": 1, "Rupture": 1, "Withdrawal": 1}
    pairs = json.loads(run("cooccurrence", "--json").output)
    assert pairs == [{"code_a": "Rupture", "code_b": "Withdrawal", "count": 1}]
    csv_out = run("matrix", "--csv").output.splitlines()
    assert csv_out[0] == "code,P6,total"


def test_merging_a_code_moves_its_theme_assignments_to_the_target(run, study):
    run("code", "add", "Stuckness")
    run("code", "apply", "Stuckness", "-t", "P6", "--match", "I kept pushing the homework")
    run("theme", "add", "Being stuck together")
    run("theme", "assign", "Stuckness", "--to", "Being stuck together")
    run("code", "merge", "Stuckness", "Rupture")
    shown = json.loads(run("theme", "show", "Being stuck together", "--json").output)
    assert "Rupture" in json.dumps(shown["codes"]) and "Stuckness" not in json.dumps(shown["codes"])
    tree = json.loads(run("theme", "list", "--json").output)
    assert tree[0]["extracts"] == 1


def test_from_search_refuses_an_unknown_code_before_showing_hits_or_asking(run, study):
    result = run("code", "apply", "Hpoe", "--from-search", "said")
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown code 'Hpoe'; add it with `qualcode code add Hpoe` (or create it as you apply it with --new)\n"
    )
    both = run("code", "apply", "Repair", "--from-search", "said", "--lines", "2")
    assert both.exit_code == 1 and "leave out --lines" in both.output
    assert codings(run) == []


def test_show_a_merged_code_says_into_what(run, study):
    run("code", "merge", "Withdrawal", "Rupture")
    shown = run("code", "show", "Withdrawal").output
    assert shown.splitlines()[0] == "Withdrawal  (merged into Rupture)"
    assert "0 extracts" in shown and not shown.endswith("\n\n")


def test_apply_says_where_the_passage_is_as_a_reader_counts(run, study):
    result = run("code", "apply", "Repair", "Rupture", "-t", "P6", "--turns", "4")
    first, *preview = result.output.splitlines()
    assert first.startswith("coded P6 line 5, turn 4 (P6), chars ")
    assert first.endswith(" with Repair, Rupture: codings 1, 2")
    # The preview wraps, indented under the line it illustrates.
    assert preview[0].startswith("    “I said so. I said, you're right")
    assert all(line.startswith("    ") for line in preview)
