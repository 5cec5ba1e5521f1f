"""Names set with typographic quotes, as word processors and other programs' exports write them
(O’Neil, Client’s anger, “safe”), are found when typed with the keyboard's straight ones, and a
second code that differs from one only by its apostrophe is refused rather than made."""

from __future__ import annotations

from helpers import error_line, write

TRANSCRIPT = (
    "Interviewer: How was the first session?\n"
    "O’Neil: I was angry, and she let me be angry.\n"
    "Interviewer: And after that?\n"
    "O’Neil: Calmer. We talked about it the week after.\n"
)


def ok(run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.output


def test_straight_quotes_find_names_stored_with_typographic_ones(run, tmp_path):
    ok(run, "init", "study", "--analyst", "Maya")
    ok(run, "analyst", "add", "O’Brien")
    ok(run, "transcript", "import", str(write(tmp_path / "O’Neil.txt", TRANSCRIPT)))
    ok(run, "code", "add", "Client’s anger")
    ok(run, "code", "apply", "Client's anger", "-t", "O'Neil", "--lines", "2")
    ok(run, "-a", "O'Brien", "code", "apply", "client's anger", "-t", "o'neil", "--lines", "2")
    extracts = ok(run, "extracts", "Client's anger")
    assert "O’Neil" in extracts and "Client’s anger — Maya" in extracts and "Client’s anger — O’Brien" in extracts
    assert "Client’s anger" in ok(run, "transcript", "show", "O'Neil", "--codes")
    by_speaker = ok(run, "transcript", "show", "O'Neil", "--speaker", "o'neil")
    assert "O’Neil: I was angry" in by_speaker and "Interviewer" not in by_speaker
    assert "Speaker O’Neil: 1 of 2 turns no one has coded" in ok(
        run, "transcript", "show", "--uncoded", "--speaker", "O'NEIL"
    )
    ok(run, "theme", "add", "Clients’ “safe” space")
    ok(run, "theme", "assign", "Client's anger", "--to", 'Clients\' "safe" space')
    assert "Client’s anger" in ok(run, "theme", "show", 'Clients\' "safe" space')
    agreement = ok(run, "compare", "agreement", "--analysts", "Maya,O'Brien", "--code", "Client's anger", "--yes")
    assert "Client’s anger" in agreement


def test_a_code_differing_only_by_its_apostrophe_is_refused(run):
    ok(run, "init", "study", "--analyst", "Maya")
    ok(run, "code", "add", "Client’s anger")
    ok(run, "code", "add", "Calm")
    for args in (("code", "add", "Client's anger"), ("code", "rename", "Calm", "client's ANGER")):
        refused = run(*args)
        assert refused.exit_code != 0
        assert error_line(refused) == "Error: a code named 'Client’s anger' already exists"
    assert "Client's anger" not in ok(run, "code", "list")
