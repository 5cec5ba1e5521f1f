"""The coding session: the library state driven directly, and `qualcode code session` scripted
through stdin as a researcher would pipe it."""

from __future__ import annotations

import pytest
from helpers import squash, write

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.analysis.session import SessionState, parse_command
from qualcode.errors import InvalidInput, NotFound
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

P1 = (
    "Interviewer: How did the alliance feel after the break?\n"
    "P1: Honestly it felt fragile. I was angry that she cancelled, and I said nothing for weeks.\n"
    "Interviewer: What helped?\n"
    "P1: We talked about the silence. My stomach just dropped when she named it, but it helped."
    " I don’t think we’d have got there otherwise.\n"
)
TURN_2_WORDS = "Honestly it felt fragile. I was angry that she cancelled, and I said nothing for weeks."


@pytest.fixture
def study(project, tmp_path):
    import_transcripts(project, [write(tmp_path / "P1.txt", P1)], "Maya")
    add_code(project, "Maya", "Rupture")
    add_code(project, "Maya", "Repair", color="#F0E442")
    add_code(project, "Maya", "Anxiety")
    return project


def stored_codings(project, analyst: str = "Maya") -> list[tuple[str, str]]:
    """(code, coded text) for every coding of an analyst, in text order."""
    rows = project.query(
        "SELECT k.name AS code, substr(t.text, c.start + 1, c.[end] - c.start) AS text FROM codings c"
        " JOIN codes k ON k.id = c.code_id JOIN transcripts t ON t.id = c.transcript_id"
        " JOIN analysts a ON a.id = c.analyst_id WHERE a.name = ? ORDER BY c.start, k.name",
        [analyst],
    )
    return [(r["code"], r["text"]) for r in rows]


def session(project, **options) -> SessionState:
    return SessionState.open(project, "Maya", "P1", **options)


# -- the library state ---------------------------------------------------------------------


def test_coding_a_turn_codes_its_words_without_the_speaker_label(study):
    state = session(study, participant_only=True)
    assert state.turn.number == 2 and state.turn.speaker == "P1"
    result = state.apply(["Rupture", "anxiety"])
    assert [a.code for a in result.applied] == ["Rupture", "Anxiety"]
    assert stored_codings(study) == [("Anxiety", TURN_2_WORDS), ("Rupture", TURN_2_WORDS)]
    assert [(c.code, c.whole_turn, c.mine) for c in state.codings()] == [
        ("Anxiety", True, True),
        ("Rupture", True, True),
    ]


def test_coding_a_phrase_within_the_turn(study):
    state = session(study, from_turn=4)
    state.apply(["Anxiety"], phrase="stomach just dropped")
    # Case and the kind of apostrophe typed do not matter; the stored text is the transcript's.
    state.apply(["Repair"], phrase="i don't think")
    state.apply(["Rupture"], phrase="We talked ... the silence")
    assert stored_codings(study) == [
        ("Rupture", "We talked about the silence"),
        ("Anxiety", "stomach just dropped"),
        ("Repair", "I don’t think"),
    ]
    shown = {c.code: (c.text, c.whole_turn) for c in state.codings()}
    assert shown["Repair"] == ("I don’t think", False)


def test_a_phrase_range_codes_from_the_first_words_to_the_last(study):
    state = session(study, from_turn=2)
    state.apply(["Rupture"], phrase="I was angry ... for weeks")
    assert stored_codings(study) == [("Rupture", "I was angry that she cancelled, and I said nothing for weeks")]


def test_phrases_that_are_not_in_this_turn_or_are_ambiguous_code_nothing(study):
    state = session(study, from_turn=2)
    with pytest.raises(InvalidInput, match='"talked about the silence" is not in turn 2'):
        state.apply(["Repair"], phrase="talked about the silence")  # it is in turn 4
    with pytest.raises(InvalidInput, match='"nothing" does not come after "for weeks" in turn 2'):
        state.apply(["Repair"], phrase="for weeks ... nothing")
    state.goto(4)
    with pytest.raises(InvalidInput, match='"it" occurs 2 times in turn 4'):
        state.apply(["Repair"], phrase="it")
    with pytest.raises(NotFound, match="unknown code 'Repiar'; did you mean 'Repair'"):
        state.apply(["Repiar"])
    assert stored_codings(study) == []
    assert state.actions == []


def test_coding_the_same_passage_twice_is_counted_not_duplicated(study):
    state = session(study, from_turn=2)
    state.apply(["Rupture"])
    again = state.apply(["Rupture", "Repair"])
    assert [a.code for a in again.applied] == ["Repair"] and again.already_coded == 1
    assert [code for code, _ in stored_codings(study)] == ["Repair", "Rupture"]


def test_next_back_and_goto_step_through_the_chosen_turns(study):
    state = session(study, participant_only=True)
    assert [t.number for t in state.steps] == [2, 4]
    assert state.previous_turn.speaker == "Interviewer"  # the question, even though it is skipped
    assert state.next() is True and state.turn.number == 4
    assert state.next() is False and state.turn.number == 4
    assert state.back() is True and state.turn.number == 2
    assert state.back() is False
    assert state.goto(3).number == 4  # the interviewer's turn is skipped: the next shown one
    with pytest.raises(InvalidInput, match="turn 9 is outside P1, which has turns 1 to 4"):
        state.goto(9)
    every = session(study)
    assert [t.number for t in every.steps] == [1, 2, 3, 4] and every.previous_turn is None
    assert every.lines() == "1"


def test_speaker_choice(study):
    assert [t.number for t in session(study, speaker="interviewer").steps] == [1, 3]
    with pytest.raises(InvalidInput, match="unknown speaker in P1 'P2'; did you mean 'P1'"):
        session(study, speaker="P2")
    with pytest.raises(InvalidInput, match="not both"):
        session(study, speaker="P1", participant_only=True)


def test_participant_only_needs_a_known_interviewer(project, tmp_path):
    import_transcripts(project, [write(tmp_path / "N1.txt", "First paragraph.\n\nSecond paragraph.\n")], "Maya")
    with pytest.raises(InvalidInput, match="N1 has no interviewer marked"):
        SessionState.open(project, "Maya", "N1", participant_only=True)


def test_undo_takes_back_the_last_coding_and_a_code_it_created(study):
    state = session(study, participant_only=True)
    state.apply(["Rupture"])
    state.next()
    created = state.apply(["Silence"], phrase="talked about the silence", create=True)
    assert created.created_codes == ["Silence"]
    assert stored_codings(study)[-1] == ("Silence", "talked about the silence")

    undone = state.undo_last()
    assert undone.turn == 4 and undone.created_codes == ("Silence",)
    assert stored_codings(study) == [("Rupture", TURN_2_WORDS)]
    assert "Silence" not in state.code_names()
    assert state.undo_last().turn == 2
    assert stored_codings(study) == []
    assert state.undo_last() is None


def test_a_memo_is_saved_on_the_transcript(study):
    state = session(study)
    memo_id = state.add_memo("I notice I side with the therapist here")
    memo = study.query("SELECT * FROM memos WHERE id = ?", [memo_id])[0]
    transcript_id = study.query("SELECT id FROM transcripts WHERE name = 'P1'")[0]["id"]
    assert (memo["kind"], memo["target_type"], memo["target_id"], memo["phase"]) == (
        "reflexive",
        "transcript",
        transcript_id,
        1,
    )
    assert memo["body"] == "I notice I side with the therapist here"
    assert memo["analyst_id"] == study.analyst_id("Maya")
    assert state.summary().memos == 1


def test_other_analysts_codings_are_shown_apart_and_progress_is_the_analysts_own(study):
    add_analyst(study, "Maya", "Sam")
    apply_codes(study, "Sam", ["Repair"], "P1", [Location(match="named it")])
    state = session(study, participant_only=True)
    state.next()
    state.apply(["Anxiety"])
    codings = state.codings()
    assert [(c.code, c.analyst, c.mine, c.whole_turn, c.text) for c in codings] == [
        ("Anxiety", "Maya", True, True, P1.splitlines()[3][4:]),
        ("Repair", "Sam", False, False, "named it"),
    ]
    assert state.progress() == (1, 2)
    assert session(study).resume_turn() is None  # Maya's last coding is in the last turn
    state.undo_last()
    state.back()
    state.apply(["Rupture"], phrase="felt fragile")
    assert session(study).resume_turn() == 3
    assert session(study, participant_only=True).resume_turn() == 4


def test_parse_command():
    assert parse_command("") == parse_command(" n ") == parse_command("N") and parse_command("").action == "next"
    assert [parse_command(k).action for k in ("b", "u", "l", "?", "q", "quit")] == [
        "back",
        "undo",
        "list",
        "help",
        "quit",
        "quit",
    ]
    assert parse_command("g 12").turn == 12 and parse_command("g12").turn == 12
    assert parse_command("m  Feels like my own supervisor ").text == "Feels like my own supervisor"
    whole = parse_command("Rupture,  repair: withdrawal ,+New code, rupture")
    assert whole.action == "code" and whole.phrase is None
    assert whole.codes == ("Rupture", "repair: withdrawal", "New code") and whole.new_codes == ("New code",)
    phrase = parse_command('“he said "no" to me” => Rupture, Anxiety')
    assert (phrase.phrase, phrase.codes) == ('he said "no" to me', ("Rupture", "Anxiety"))
    assert parse_command('"stomach dropped" Anxiety').codes == ("Anxiety",)
    # Code names that start like a command are codes; a trailing comma makes a command word a code.
    assert [parse_command(line).codes for line in ("Grief", "g 12 months,", "Memory work", "Help,", "m,")] == [
        ("Grief",),
        ("g 12 months",),
        ("Memory work",),
        ("Help",),
        ("m",),
    ]
    for bad, message in (
        ("g next", "g takes a turn number"),
        ("m", "m needs the memo's text"),
        ('"stomach dropped" =>', "name the codes after the phrase"),
        ('"stomach dropped => Anxiety', "close the phrase with a quote"),
        ('"" => Anxiety', "the phrase between the quotes is empty"),
        (",,", "no code names given"),
    ):
        with pytest.raises(InvalidInput, match=message):
            parse_command(bad)


# -- the command, scripted through stdin ---------------------------------------------------------


def test_session_codes_turns_and_phrases_typed_at_the_prompt(study, run):
    result = run(
        "code",
        "session",
        "P1",
        "--participant-only",
        input='Rupture\nn\n"stomach just dropped" => Anxiety\nq\n',
    )
    assert result.exit_code == 0, result.output
    assert stored_codings(study) == [("Rupture", TURN_2_WORDS), ("Anxiety", "stomach just dropped")]
    out = squash(result.output)
    assert "P1 · turn 2 of 4 · P1 · line 2" in out
    assert "Interviewer: How did the alliance feel after the break?" in out  # the question, for context
    assert "▌ Rupture #1 whole turn" in out
    assert "■ Anxiety #2 “stomach just dropped”" in out
    assert "coded “stomach just dropped” with Anxiety" in out
    assert "P1: 2 codings on 2 turns (Rupture, Anxiety). All saved." in out
    assert "to carry on: qualcode code session P1 --from-turn 4 --participant-only" in out


def test_skip_back_and_goto(study, run):
    result = run("code", "session", "P1", input="\nb\nb\ng 4\nRepair\ng 0\nq\n")
    headers = [line.split(" · ")[1] for line in result.output.splitlines() if line.startswith("P1 · turn")]
    assert headers == ["turn 1 of 4", "turn 2 of 4", "turn 1 of 4", "turn 4 of 4", "turn 4 of 4"]
    assert "this is the first turn" in result.output
    assert "turn 0 is outside P1, which has turns 1 to 4" in result.output
    assert stored_codings(study)[0][0] == "Repair"


def test_new_codes_are_created_only_when_confirmed(study, run):
    result = run(
        "code", "session", "P1", "--from-turn", "2", input="Rupture, Silense\nn\nRupture, Silence\ny\n+Fragility\nq\n"
    )
    out = result.output
    assert "create new code 'Silense'? [y/N] n" in out
    assert "nothing coded: 'Silense' is not in the codebook" in out
    assert "create new code 'Silence'? [y/N] y" in out
    assert "create new code 'Fragility'" not in out  # the + said so already
    assert [code for code, _ in stored_codings(study)] == ["Fragility", "Rupture", "Silence"]
    assert "new codes: Silence, Fragility" in squash(out)
    names = [r["name"] for r in study.query("SELECT name FROM codes ORDER BY name")]
    assert "Silense" not in names and "Silence" in names


def test_undo_and_memo_at_the_prompt(study, run):
    result = run(
        "code", "session", "P1", "--from-turn", "4", input="Repair\nAnxiety\nu\nm The silence was hers and mine\nq\n"
    )
    assert "undone: Anxiety on turn 4" in result.output
    assert "memo 1 saved on P1" in result.output
    assert stored_codings(study) == [("Repair", P1.splitlines()[3][4:])]
    assert study.query("SELECT body, kind FROM memos") == [
        {"body": "The silence was hers and mine", "kind": "reflexive"}
    ]
    assert "1 coding on 1 turn (Repair); 1 memo" in squash(result.output)


def test_bad_input_gives_one_line_and_the_session_carries_on(study, run):
    result = run(
        "code",
        "session",
        "P1",
        "--from-turn",
        "2",
        input='"talked about the silence" => Repair\n"silence" => Silence\ng x\nRepiar\nn\n"felt fragile" => Rupture\nq\n',
    )
    assert result.exit_code == 0
    out = result.output
    assert '"talked about the silence" is not in turn 2; copy the words as they are shown' in out
    assert '"silence" is not in turn 2' in out and "create new code 'Silence'" not in out  # no question first
    assert "g takes a turn number, as in g 12 (not 'x')" in out
    assert "'Repiar' is not in the codebook; did you mean 'Repair'?" in out
    assert stored_codings(study) == [("Rupture", "felt fragile")]


def test_an_unknown_transcript_is_a_one_line_error(study, run):
    result = run("code", "session", "P9")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: unknown transcript 'P9'; did you mean 'P1'?"


def test_quitting_midway_keeps_what_was_coded(study, run, monkeypatch):
    # Input that simply ends (a closed pipe, Ctrl-D) and Ctrl-C both end the session cleanly.
    result = run("code", "session", "P1", "--participant-only", input="Rupture\nn\nRepair\n")
    assert result.exit_code == 0
    assert [code for code, _ in stored_codings(study)] == ["Rupture", "Repair"]
    assert "P1: 2 codings on 2 turns (Rupture, Repair). All saved." in squash(result.output)

    ended = run("code", "session", "P1", input="Silence\n")  # input ends at "create new code?"
    assert ended.exit_code == 0 and "nothing coded this session" in ended.output
    assert "Silence" not in [r["name"] for r in study.query("SELECT name FROM codes")]

    import qualcode.cli.session as session_cli

    typed = iter(["Anxiety"])

    def keyboard(prompt: str) -> str:
        line = next(typed, None)
        if line is None:
            raise KeyboardInterrupt
        return line

    monkeypatch.setattr(session_cli, "_plain_reader", keyboard)
    interrupted = run("code", "session", "P1", "--from-turn", "2")
    assert interrupted.exit_code == 0
    assert "P1: 1 coding on 1 turn (Anxiety). All saved." in squash(interrupted.output)
    assert [code for code, _ in stored_codings(study)] == ["Anxiety", "Rupture", "Repair"]


def test_help_and_codebook_at_the_prompt(study, run):
    result = run("code", "session", "P1", input="?\nl\nq\n")
    out = squash(result.output)
    assert '"exact words" => Code code a phrase in this turn' in out
    assert "g 12 go to turn 12" in out
    assert "■ Anxiety 0" in out and "■ Repair 0" in out


def test_the_codebook_at_the_prompt_shows_subcodes_under_their_parent(study, run):
    add_code(study, "Maya", "Withdrawal", parent="Rupture")
    lines = run("code", "session", "P1", input="l\nq\n", env={"COLUMNS": "20"}).output.splitlines()
    rupture = next(i for i, line in enumerate(lines) if line.startswith("■ Rupture 0"))
    assert lines[rupture + 1].startswith("  ■ Withdrawal 0")
