"""Edited transcripts keep their codings: the word-level alignment, and `transcript update` /
`transcript import --replace` moving codings, listing the changed and lost ones, and undo."""

from __future__ import annotations

import json

from helpers import coded, write

from qualcode.analysis.coding import apply_codes
from qualcode.text.realign import align, carry_spans
from qualcode.text.transcripts import Location

OLD = (
    "Interviewer: How did the work change?\n"
    "P4: We met every week at the clinic. I felt anxious before each session.\n"
    "Interviewer: And later?\n"
    "P4: Later the supervisor left and nobody replaced her for a year.\n"
)
NEW = (
    "Interviewer: How did the work change?\n"
    "P4: We met every week at the old clinic. I felt anxious before every session.\n"
    "Interviewer: And later?\n"
    "P4: Later nobody replaced her for a year.\n"
)


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_the_alignment_turns_the_old_text_into_the_new_exactly():
    assert align(OLD, NEW).edits.apply(OLD) == NEW
    assert align("a b c", "").edits.apply("a b c") == ""
    assert align("", "new words").edits.apply("") == "new words"


def test_spans_on_unchanged_words_move_changed_ones_keep_the_new_words_lost_ones_go():
    spans = {
        1: span(OLD, "nobody replaced her for a year"),
        2: span(OLD, "I felt anxious before each session."),
        3: span(OLD, "the supervisor left and"),
        4: span(OLD, "How did the work change?"),
    }
    carried = carry_spans(OLD, NEW, align(OLD, NEW), spans)
    assert (carried[1].status, NEW[slice(*carried[1].new)]) == ("same", "nobody replaced her for a year")
    assert (carried[2].status, NEW[slice(*carried[2].new)]) == ("changed", "I felt anxious before every session.")
    assert (carried[3].status, carried[3].new) == ("lost", None)
    assert carried[4].new == spans[4]


def test_spans_follow_text_inserted_before_them_and_ignore_rewrapped_space():
    old = "P1: one two three four five six"
    new = "P1: zero one two three four five  six"
    carried = carry_spans(old, new, align(old, new), {1: span(old, "four five six")})[1]
    assert carried.status == "same" and new[slice(*carried.new)] == "four five  six"


def import_coded(project, tmp_path, run):
    write(tmp_path / "P4.txt", OLD)
    run("transcript", "import", "P4.txt")
    for code, words in (
        ("Isolation", "nobody replaced her for a year"),
        ("Anxiety", "I felt anxious before each session."),
        ("Loss", "the supervisor left and"),
    ):
        apply_codes(project, "Maya", [code], "P4", [Location(match=words)], create=True)


def test_update_moves_codings_and_lists_the_changed_one(project, tmp_path, run):
    import_coded(project, tmp_path, run)
    write(tmp_path / "P4-edited.txt", NEW.replace("Later nobody", "Later the supervisor left and nobody"))
    result = run("transcript", "update", "P4", "P4-edited.txt")
    assert result.exit_code == 0, result.output
    assert "updated P4: 4 turns" in result.output
    assert "2 codings on unchanged text moved with it" in result.output
    assert (
        '1 coding whose text changed, kept on the new text:\n    coding 2 Anxiety (Maya): "I felt anxious before '
        'each session." → "I felt anxious before every session."'
    ) in result.output
    assert [(code, words) for _, code, _, words in coded(project)] == [
        ("Anxiety", "I felt anxious before every session."),
        ("Isolation", "nobody replaced her for a year"),
        ("Loss", "the supervisor left and"),
    ]


def test_lost_codings_stop_the_command_unless_dropped_and_undo_restores_everything(project, tmp_path, run):
    import_coded(project, tmp_path, run)
    before = coded(project)
    text_before = project.db.execute("SELECT text FROM transcripts").fetchone()[0]
    write(tmp_path / "P4-edited.txt", NEW)
    refused = run("transcript", "import", "P4-edited.txt", "--name", "P4", "--replace")
    assert refused.exit_code == 1
    assert 'coding 3 Loss (Maya): "the supervisor left and"' in refused.output
    assert "the text of 1 coding is gone from the new version (listed above); nothing was changed" in refused.output
    assert coded(project) == before
    assert project.db.execute("SELECT text FROM transcripts").fetchone()[0] == text_before
    dropped = run("transcript", "update", "P4", "P4-edited.txt", "--drop-lost")
    assert dropped.exit_code == 0
    assert '1 coding whose text is gone, removed (--drop-lost):\n    coding 3 Loss (Maya): "the supervisor' in (
        dropped.output
    )
    assert [code for _, code, _, _ in coded(project)] == ["Anxiety", "Isolation"]
    assert "old clinic" in run("transcript", "show", "P4").output
    assert "no hits" in run("transcript", "search", "supervisor").output
    assert run("undo").exit_code == 0
    assert coded(project) == before
    assert project.db.execute("SELECT text FROM transcripts").fetchone()[0] == text_before
    assert run("transcript", "search", "supervisor").output.startswith("P4 L4 T4 P4")


def test_speakers_turns_and_timestamps_follow_the_new_version(project, tmp_path, run):
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>How was it?\n\n00:00:05.000 --> 00:00:09.000\n<v P5>It was hard at first and then it got easier.\n"
    write(tmp_path / "P5.vtt", vtt)
    run("transcript", "import", "P5.vtt")
    apply_codes(project, "Maya", ["Easing"], "P5", [Location(match="then it got easier")], create=True)
    edited = vtt.replace("00:00:05.000 --> 00:00:09.000", "00:00:06.000 --> 00:00:09.000").replace(
        "hard at first", "very hard at first"
    )
    edited += "\n00:00:10.000 --> 00:00:12.000\n<v Interviewer>Thank you.\n"
    write(tmp_path / "P5-edited.vtt", edited)
    assert run("transcript", "update", "P5", "P5-edited.vtt").exit_code == 0
    lines = json.loads(run("transcript", "show", "P5", "--json").output)["lines"]
    assert [(line["turn"], line["speaker"], line["timestamp"]) for line in lines] == [
        (1, "Interviewer", 1.0),
        (2, "P5", 6.0),
        (3, "Interviewer", 10.0),
    ]
    assert [words for _, _, _, words in coded(project)] == ["then it got easier"]


def test_a_replacement_in_another_encoding_is_refused_and_changes_nothing(project, tmp_path, run):
    write(tmp_path / "P4.txt", OLD.replace("clinic", "clinic café"))
    run("transcript", "import", "P4.txt")
    text_before = project.db.execute("SELECT text FROM transcripts").fetchone()[0]
    write(tmp_path / "P4-edited.txt", NEW.replace("clinic", "clinic café"), encoding="cp1252")
    refused = run("transcript", "update", "P4", "P4-edited.txt")
    assert refused.exit_code == 1
    assert refused.output.count("\n") == 1
    assert "read as Windows-1252, but 'P4' was imported from UTF-8; save the new version as UTF-8" in refused.output
    assert project.db.execute("SELECT text FROM transcripts").fetchone()[0] == text_before
