"""Memos and the reflexive journal, through the CLI and the library, including every refused input."""

from __future__ import annotations

import json
import sys

import pytest
from helpers import squash, write

from qualcode.analysis.coding import add_code, apply_codes, rename_code
from qualcode.analysis.journal import journal_entries, journal_markdown
from qualcode.analysis.memos import add_memo, delete_memo, edit_memo, get_memo, list_memos
from qualcode.analysis.phases import set_phase
from qualcode.errors import InvalidInput, NotFound
from qualcode.store import new_guid
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

P1 = """Interviewer: How did you come to this work?
P1: I trained in person-centred counselling, and the relationship was always the thing.
Interviewer: What happens when it goes wrong?
P1: A client went quiet for weeks. I kept asking about it, gently, and we talked it through.
"""
P2 = """Interviewer: Tell me about anxiety in the room.
P2: Sometimes it is mine as much as theirs. We make it together, I think.
"""


@pytest.fixture
def study(project, tmp_path):
    """Two transcripts, a second analyst (Tom), one code with one coding, and one theme."""
    import_transcripts(project, [write(tmp_path / "P1.txt", P1), write(tmp_path / "P2.txt", P2)], "Maya")
    from qualcode.analysis.analysts import add_analyst

    add_analyst(project, "Maya", "Tom")
    add_code(project, "Maya", "Withdrawal rupture", description="The client moves away: silence, deference")
    apply_codes(
        project, "Maya", ["Withdrawal rupture"], "P1", locations=[Location(match="A client went quiet for weeks")]
    )
    with project.change("Maya", "theme add") as change:
        change.insert("themes", {"name": "Rupture as generative", "guid": new_guid(), "created": change.at})
    return project


def snapshot(project) -> dict[str, list[dict]]:
    """Everything a memo command could touch; compared before and after a refused command."""
    return {table: project.query(f"SELECT * FROM {table} ORDER BY id") for table in ("memos", "phase_log", "audit_log")}


def assert_refused(result, *fragments: str) -> None:
    """One line, starting 'Error:', naming what was wrong; exit code 1."""
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def editor_script(tmp_path, body: str) -> str:
    """An $EDITOR that records what it was shown and replaces it with `body`."""
    script = write(
        tmp_path / "fake_editor.py",
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[1])\n"
        f"pathlib.Path({str(tmp_path / 'editor_saw.txt')!r}).write_text(path.read_text())\n"
        f"path.write_text({body!r})\n",
    )
    return f'"{sys.executable}" "{script}"'


# -- writing memos -------------------------------------------------------------------------


def test_memo_on_a_transcript_is_a_familiarisation_note_with_analyst_and_phase(study, run):
    result = run("-p", "study", "memo", "add", "--on", "transcript:P1", "P1 goes quiet before naming the rupture.")
    assert result.exit_code == 0, result.output
    assert result.output == "saved memo 1 (familiarisation memo on transcript P1, phase 1)\n"

    shown = run("-p", "study", "memo", "show", "1").output
    assert "memo 1 · familiarisation · phase 1 (familiarisation)" in shown
    assert "by Maya, " in shown
    assert "on transcript:P1" in shown
    assert shown.rstrip().endswith("P1 goes quiet before naming the rupture.")


def test_memo_text_from_stdin_file_and_editor(study, run, tmp_path):
    run("-p", "study", "memo", "add", "--kind", "reflexive", "-", input="First line.\nSecond line, [kept] as typed.\n")
    write(tmp_path / "decision.md", "We code hesitations as well as words.\n")
    run("-p", "study", "memo", "add", "--kind", "decision", "--file", tmp_path / "decision.md")
    editor = editor_script(tmp_path, "Written in the editor.\n# A Markdown heading is kept\n")
    result = run("-p", "study", "memo", "add", "--on", "code:Withdrawal rupture", env={"EDITOR": editor})
    assert result.exit_code == 0, result.output

    bodies = [(m["kind"], m["target"], m["body"]) for m in list_memos(study)]
    assert bodies == [
        ("reflexive", None, "First line.\nSecond line, [kept] as typed."),
        ("decision", None, "We code hesitations as well as words."),
        ("code", "code:Withdrawal rupture", "Written in the editor.\n# A Markdown heading is kept"),
    ]
    # Rich markup in a memo is text, not styling.
    assert "Second line, [kept] as typed." in run("-p", "study", "memo", "show", "1").output


def test_memos_on_codes_themes_and_codings_follow_renames(study, run):
    coding_id = study.query("SELECT id FROM codings")[0]["id"]
    add_memo(study, "Maya", "Is silence always withdrawal?", on="code:withdrawal RUPTURE")
    add_memo(study, "Tom", "Maybe generative only after repair.", on="theme:Rupture as generative")
    add_memo(study, "Maya", "Boundary is generous here.", on=f"coding:{coding_id}")
    rename_code(study, "Maya", "Withdrawal rupture", "Rupture: withdrawal")

    rows = {m["body"]: (m["kind"], m["target"], m["analyst"]) for m in list_memos(study)}
    assert rows == {
        "Is silence always withdrawal?": ("code", "code:Rupture: withdrawal", "Maya"),
        "Maybe generative only after repair.": ("theme", "theme:Rupture as generative", "Tom"),
        "Boundary is generous here.": ("coding", f"coding:{coding_id} (Rupture: withdrawal, P1)", "Maya"),
    }
    # The colon inside the new code name does not confuse --on.
    assert [m["body"] for m in list_memos(study, on="code:Rupture: withdrawal")] == ["Is silence always withdrawal?"]


def test_memo_records_the_phase_it_was_written_in(study):
    first = add_memo(study, "Maya", "Reading P2 again.", kind="familiarisation", on="transcript:P2")
    set_phase(study, "Maya", 2)
    second = add_memo(study, "Maya", "Coding feels too close to the interview guide.", kind="reflexive")
    assert (get_memo(study, first)["phase"], get_memo(study, second)["phase"]) == (1, 2)


def test_memo_list_filters_by_target_kind_and_analyst(study, run):
    add_memo(study, "Maya", "P1 note by Maya.", on="transcript:P1")
    add_memo(study, "Tom", "P1 note by Tom.", on="transcript:P1")
    add_memo(study, "Tom", "Tom is uneasy about the rupture code.", kind="reflexive")
    add_memo(study, "Maya", "P2 note.", on="transcript:P2")

    table = squash(run("-p", "study", "memo", "list", "--on", "transcript:P1").output)
    assert "P1 note by Maya." in table and "P1 note by Tom." in table
    assert "P2 note." not in table and "uneasy" not in table
    assert " 2 " in table and "Tom familiarisation 1 transcript P1" in table

    by_tom = json.loads(run("-p", "study", "memo", "list", "--analyst", "tom", "--json").output)
    assert [m["body"] for m in by_tom] == ["P1 note by Tom.", "Tom is uneasy about the rupture code."]
    reflexive = json.loads(run("-p", "study", "memo", "list", "--kind", "reflexive", "--json").output)
    assert [(m["analyst"], m["kind"]) for m in reflexive] == [("Tom", "reflexive")]


def test_memo_list_shows_only_the_first_line(study, run):
    add_memo(study, "Maya", "Headline thought.\nA second paragraph that the list leaves out.", kind="reflexive")
    output = run("-p", "study", "memo", "list").output
    assert "Headline thought." in output
    assert "second paragraph" not in output


def test_empty_memo_list_says_how_to_write_one(study, run):
    assert "no memos yet" in run("-p", "study", "memo", "list").output


# -- editing and deleting --------------------------------------------------------------------


def test_edit_own_memo_with_text_and_in_the_editor(study, run, tmp_path):
    memo_id = add_memo(study, "Maya", "First reading of P1.", on="transcript:P1")
    result = run(
        "-p", "study", "memo", "edit", str(memo_id), "--text", "Second reading of P1: quieter than I remembered."
    )
    assert result.output == f"updated memo {memo_id} (familiarisation memo on transcript P1, phase 1)\n"

    editor = editor_script(tmp_path, "Third reading, after coding.\n")
    run("-p", "study", "memo", "edit", str(memo_id), env={"EDITOR": editor})
    assert "Second reading of P1: quieter than I remembered." in (tmp_path / "editor_saw.txt").read_text()
    memo = get_memo(study, memo_id)
    assert memo["body"] == "Third reading, after coding."
    assert memo["updated"] >= memo["created"]
    commands = [r["command"] for r in study.query("SELECT DISTINCT command FROM audit_log WHERE entity = 'memos'")]
    assert commands == ["memo add", "memo edit"]


def test_edit_changes_kind_and_target(study, run):
    memo_id = add_memo(study, "Maya", "We agreed to keep codes semantic for now.", kind="reflexive")
    run("-p", "study", "memo", "edit", str(memo_id), "--kind", "decision", "--on", "code:Withdrawal rupture")
    memo = get_memo(study, memo_id)
    assert (memo["kind"], memo["target"], memo["body"]) == (
        "decision",
        "code:Withdrawal rupture",
        "We agreed to keep codes semantic for now.",
    )


def test_editing_another_analysts_memo_is_refused_without_force(study, run, tmp_path):
    memo_id = add_memo(study, "Tom", "Tom's own reading of P2.", on="transcript:P2")
    before = snapshot(study)
    editor = editor_script(tmp_path, "overwritten")
    result = run("-p", "study", "memo", "edit", str(memo_id), env={"EDITOR": editor})
    assert_refused(result, f"memo {memo_id} is Tom's", "--force")
    assert not (tmp_path / "editor_saw.txt").exists(), "the editor must not open for a refused edit"
    assert_refused(run("-p", "study", "memo", "edit", str(memo_id), "--text", "overwritten"), "--force")
    assert_refused(run("-p", "study", "memo", "edit", str(memo_id), "--kind", "decision"), "--force")
    assert snapshot(study) == before


def test_forced_edit_of_another_analysts_memo_is_logged(study, run):
    memo_id = add_memo(study, "Tom", "Tom's reading of P2.", on="transcript:P2")
    result = run("-p", "study", "memo", "edit", str(memo_id), "--text", "Tom's reading of P2 (typo fixed).", "--force")
    assert result.exit_code == 0, result.output
    memo = get_memo(study, memo_id)
    assert (memo["body"], memo["analyst"]) == ("Tom's reading of P2 (typo fixed).", "Tom")

    audit = study.query(
        "SELECT a.name AS actor, l.command, l.action, l.entity, l.after FROM audit_log l"
        " JOIN analysts a ON a.id = l.analyst_id WHERE l.command LIKE 'memo edit%'"
    )
    assert [(r["actor"], r["command"], r["action"], r["entity"]) for r in audit] == [
        ("Maya", "memo edit (forced)", "update", "memos"),
        ("Maya", "memo edit (forced)", "forced edit", "project"),
    ]
    assert json.loads(audit[1]["after"]) == {"memo": memo_id, "author": "Tom", "edited_by": "Maya"}


def test_delete_own_memo_and_others_only_with_force(study, run):
    mine = add_memo(study, "Maya", "A passing thought.", kind="reflexive")
    toms = add_memo(study, "Tom", "Tom's thought.", kind="reflexive")
    result = run("-p", "study", "memo", "delete", str(mine))
    assert result.output == f"deleted memo {mine} (Maya, reflexive, phase 1): A passing thought.\n"

    before = snapshot(study)
    assert_refused(run("-p", "study", "memo", "delete", str(toms)), f"memo {toms} is Tom's", "--force")
    assert snapshot(study) == before

    run("-p", "study", "memo", "delete", str(toms), "--force")
    assert list_memos(study) == []
    deleted = study.query(
        "SELECT command, before FROM audit_log WHERE action = 'delete' AND entity = 'memos' ORDER BY id"
    )
    assert [r["command"] for r in deleted] == ["memo delete", "memo delete (forced)"]
    assert json.loads(deleted[1]["before"])["body"] == "Tom's thought."


# -- refused input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "fragments"),
    [
        ("transcript:P3", ["unknown transcript 'P3'", "'P1'"]),
        ("code:Withdrawl rupture", ["unknown code 'Withdrawl rupture'", "did you mean 'Withdrawal rupture'"]),
        ("theme:Rupture generative", ["unknown theme 'Rupture generative'", "'Rupture as generative'"]),
        ("transcrpt:P1", ["unknown memo target type 'transcrpt'", "did you mean 'transcript'"]),
        ("P1", ["--on needs TYPE:NAME", "did you mean --on transcript:P1"]),
        ("coding:999", ["no coding 999"]),
        ("coding:first", ["coding ids are numbers"]),
        ("code:", ["needs a name after the colon"]),
    ],
)
def test_unknown_target_is_refused_with_suggestions(study, run, on, fragments):
    before = snapshot(study)
    assert_refused(run("-p", "study", "memo", "add", "--on", on, "A note."), *fragments)
    assert snapshot(study) == before


def test_unknown_target_is_refused_before_the_editor_opens(study, run, tmp_path):
    editor = editor_script(tmp_path, "A long memo that would be lost.")
    result = run("-p", "study", "memo", "add", "--on", "transcript:P9", env={"EDITOR": editor})
    assert_refused(result, "unknown transcript 'P9'")
    assert not (tmp_path / "editor_saw.txt").exists()


@pytest.mark.parametrize("args, stdin", [(["   "], None), (["-"], "\n  \n"), ([], None)])
def test_empty_memo_text_is_refused(study, run, tmp_path, args, stdin):
    before = snapshot(study)
    editor = editor_script(tmp_path, "  \n\n")
    result = run("-p", "study", "memo", "add", "--kind", "reflexive", *args, input=stdin, env={"EDITOR": editor})
    assert_refused(result, "empty")
    assert snapshot(study) == before


def test_editing_a_memo_to_empty_text_is_refused(study, run):
    memo_id = add_memo(study, "Maya", "Keep me.", kind="reflexive")
    before = snapshot(study)
    assert_refused(run("-p", "study", "memo", "edit", str(memo_id), "--text", "  "), "empty")
    with pytest.raises(InvalidInput, match="empty"):
        edit_memo(study, "Maya", memo_id, body="\n\t")
    assert snapshot(study) == before
    assert get_memo(study, memo_id)["body"] == "Keep me."


def test_unknown_kind_names_the_kinds(study, run):
    before = snapshot(study)
    result = run("-p", "study", "memo", "add", "--kind", "refelxive", "A note.")
    assert_refused(
        result, "unknown memo kind 'refelxive'", "did you mean 'reflexive'", "familiarisation, reflexive, decision"
    )
    assert_refused(run("-p", "study", "memo", "list", "--kind", "diary"), "kinds: familiarisation")
    assert snapshot(study) == before


def test_missing_memo_and_unknown_analyst_are_refused(study, run):
    before = snapshot(study)
    assert_refused(run("-p", "study", "memo", "show", "42"), "no memo 42", "memo list")
    assert_refused(run("-p", "study", "memo", "delete", "42"), "no memo 42")
    assert_refused(run("-p", "study", "memo", "edit", "42", "--text", "x"), "no memo 42")
    assert_refused(run("-p", "study", "memo", "list", "--analyst", "Tam"), "unknown analyst 'Tam'", "'Tom'")
    assert snapshot(study) == before


def test_library_refuses_the_same_inputs(study):
    memo_id = add_memo(study, "Tom", "Tom's memo.", kind="reflexive")
    before = snapshot(study)
    with pytest.raises(InvalidInput, match="empty"):
        add_memo(study, "Maya", " \n ")
    with pytest.raises(NotFound, match="unknown transcript 'P'; did you mean"):
        add_memo(study, "Maya", "x", on="transcript:P")
    with pytest.raises(InvalidInput, match="Tom's"):
        edit_memo(study, "Maya", memo_id, body="changed")
    with pytest.raises(InvalidInput, match="Tom's"):
        delete_memo(study, "Maya", memo_id)
    with pytest.raises(InvalidInput, match="nothing to change"):
        edit_memo(study, "Tom", memo_id)
    assert snapshot(study) == before


# -- the journal -----------------------------------------------------------------------------


def test_journal_reads_in_time_order_with_phase_moves_once(study, run):
    add_memo(study, "Maya", "P1 read twice.", on="transcript:P1")  # familiarisation: not in the journal
    add_memo(study, "Maya", "I recognise my own training in P1's story.", kind="reflexive")
    set_phase(study, "Maya", 2)  # no note: the journal shows the move from phase_log
    add_memo(study, "Tom", "We keep latent codes out of round one.", kind="decision")
    set_phase(study, "Tom", 1, note="Tom had not read P2 yet.")

    entries = journal_entries(study)
    assert [(e["kind"], e["analyst"], e["phase"], e["text"].splitlines()[0]) for e in entries] == [
        ("phase", "Maya", 1, "Began in phase 1 (familiarisation)."),
        ("reflexive", "Maya", 1, "I recognise my own training in P1's story."),
        ("phase", "Maya", 2, "Moved on from phase 1 (familiarisation) to phase 2 (generating initial codes)."),
        ("decision", "Tom", 2, "We keep latent codes out of round one."),
        ("phase", "Tom", 1, "Went back from phase 2 (generating initial codes) to phase 1 (familiarisation)."),
    ]
    assert entries[-1]["text"].endswith("Tom had not read P2 yet.")
    assert entries[-1]["memo_id"] is not None

    text = run("-p", "study", "journal").output
    assert (
        text.index("I recognise my own training")
        < text.index("We keep latent codes")
        < text.index("Tom had not read P2")
    )
    assert "P1 read twice." not in text
    assert text.count("Tom had not read P2 yet.") == 1
    assert "phase 2 generating initial codes · Tom · decision" in text


def test_journal_filters_and_formats(study, run):
    add_memo(study, "Maya", "Maya's reflexive note.", kind="reflexive")
    add_memo(study, "Tom", "Tom's reflexive note.", kind="reflexive")
    add_memo(study, "Tom", "P2 first reading.", on="transcript:P2")

    toms = json.loads(run("-p", "study", "journal", "--analyst", "Tom", "--json").output)
    assert [e["text"] for e in toms] == ["Tom's reflexive note."]
    assert set(toms[0]) == {"at", "phase", "phase_name", "analyst", "kind", "target", "text", "memo_id", "edited"}

    familiarisation = json.loads(run("-p", "study", "journal", "--kind", "familiarisation", "--json").output)
    assert [(e["target"], e["text"]) for e in familiarisation] == [("transcript:P2", "P2 first reading.")]

    markdown = run("-p", "study", "journal", "--format", "md").output
    assert markdown.startswith("# Reflexive journal\n")
    assert "· Tom · reflexive\n\n*Phase 1 (familiarisation)*\n\nTom's reflexive note.\n" in markdown
    assert markdown == journal_markdown(journal_entries(study))


def test_journal_shows_edits(study):
    memo_id = add_memo(study, "Maya", "Draft thought.", kind="reflexive")
    study.db.execute("UPDATE memos SET created = '2000-01-05T09:00:00+00:00' WHERE id = ?", [memo_id])
    edit_memo(study, "Maya", memo_id, body="Considered thought.")
    entry = next(e for e in journal_entries(study) if e["memo_id"] == memo_id)
    assert entry["text"] == "Considered thought."
    assert entry["edited"] is not None and entry["edited"] > entry["at"]
    assert "· edited " in journal_markdown([entry])


def test_memo_list_at_80_columns_keeps_the_target_whole(study, run):
    add_code(study, "Maya", "Therapist identity in the room")
    add_memo(
        study,
        "Maya",
        "Only where the therapist names their own identity aloud.\nMore.",
        on="code:Therapist identity in the room",
    )
    add_memo(study, "Tom", "P1 reads as rehearsed.", on="transcript:P1")
    lines = run("-p", "study", "memo", "list", env={"COLUMNS": "80"}).output.splitlines()
    assert max(len(line) for line in lines) <= 80
    # Aligned columns; the code memo names its code once (wrapped at a space), and at 80 columns
    # each memo's first line goes on a line of its own under its row.
    assert lines[1].split() == ["id", "when", "analyst", "kind", "phase", "on"]
    assert squash(" ".join(lines[3:5])).split(" Maya ")[1] == "code 1 Therapist identity in the room"
    assert lines[3].index("Maya") == lines[1].index("analyst")
    assert lines[5] == "    memo: Only where the therapist names their own identity aloud."
    tom = next(i for i, line in enumerate(lines) if "Tom" in line)
    assert squash(lines[tom]).strip().endswith("Tom familiarisation 1 transcript P1")
    assert lines[tom + 1] == "    memo: P1 reads as rehearsed."


def test_journal_keeps_every_phase_move_made_within_one_second(project):
    """Moves are matched to their notes by the command that wrote them, not by timestamp."""
    from qualcode.analysis.journal import journal_entries
    from qualcode.analysis.phases import set_phase

    project.clock = lambda: "2099-05-01T10:00:00+00:00"  # after the project was created
    set_phase(project, "Maya", 2, note="Codes next.")
    set_phase(project, "Maya", 3)
    set_phase(project, "Maya", 2, note="Back to the codes.")
    texts = [e["text"] for e in journal_entries(project, kinds=["phase"])]
    assert len(texts) == 4  # creation plus three moves
    assert texts[1].endswith("Codes next.") and "phase 3" in texts[2] and texts[3].endswith("Back to the codes.")
