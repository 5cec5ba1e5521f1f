"""Every command qualcode suggests in a message pastes into a shell as printed: names with
spaces, apostrophes or diacritics are quoted."""

from __future__ import annotations

import re
import shlex

import pytest
from helpers import write

from qualcode.wording import shell_command

P1 = "Interviewer: How was it?\nP1: Well, a rupture happened, and then we repaired it slowly.\n"


def suggested(output: str) -> list[str]:
    """The commands a message suggests, between backticks or after 'next:'."""
    return re.findall(r"`(qualcode [^`]+)`", output) + re.findall(r"^next: (qualcode .+)$", output, re.MULTILINE)


def as_typed(command: str) -> list[str]:
    """What the shell hands qualcode when the command is pasted."""
    words = shlex.split(command)
    assert words[0] == "qualcode"
    return words[1:]


def test_shell_command_quotes_what_the_shell_would_split_or_expand():
    assert shell_command("-p", "My Study 2025", "status") == 'qualcode -p "My Study 2025" status'
    assert shell_command("compare", "disagreements", "Maya", "Zoë Ó'Brien") == (
        'qualcode compare disagreements Maya "Zoë Ó\'Brien"'
    )
    # What double quotes would not keep whole goes in single quotes.
    assert shell_command("code", "add", 'Cost $5 ("free")') == "qualcode code add 'Cost $5 (\"free\")'"
    assert shell_command("code", "add", "Hello!") == "qualcode code add 'Hello!'"
    assert shell_command("code", "apply", "...") == "qualcode code apply ..."
    for word in ("My Study 2025", "Zoë Ó'Brien", 'Cost $5 ("free")', "it's `odd`", "a\\b"):
        assert shlex.split(shell_command("code", "add", word)) == ["qualcode", "code", "add", word]


def test_a_project_name_with_spaces_is_quoted_in_the_next_steps(run):
    missing = run("-p", "My Study 2025", "status")
    assert missing.exit_code == 1
    (create,) = suggested(missing.output)
    assert create == 'qualcode init "My Study 2025"'
    created = run(*as_typed(create), "-a", "Maya")
    assert created.exit_code == 0
    (next_step,) = suggested(created.output)
    assert next_step == 'qualcode -p "My Study 2025" transcript import FILE...'
    assert as_typed(next_step)[:2] == ["-p", "My Study 2025"]


@pytest.fixture
def study(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    run("analyst", "add", "Zoë Ó'Brien")
    write(tmp_path / "P1.txt", P1)
    run("transcript", "import", "P1.txt")
    return tmp_path


def test_an_unknown_code_with_an_apostrophe_is_added_by_the_command_suggested(run, study):
    refused = run("code", "apply", "Zoë's worry", "-t", "P1", "--lines", "2")
    (add,) = suggested(refused.output)
    assert add == 'qualcode code add "Zoë\'s worry"'
    assert run(*as_typed(add)).output == "added code 'Zoë's worry'\n"


def test_a_phrase_not_found_suggests_searching_for_it_as_typed(run, study):
    refused = run("code", "apply", "Repair", "--new", "-t", "P1", "--match", "we've repaired")
    (search,) = suggested(refused.output)
    assert as_typed(search) == ["transcript", "search", "we've repaired"]


def test_comparing_analysts_suggests_the_disagreements_of_the_two_named(run, study):
    run("code", "add", "Rupture")
    run("code", "apply", "Rupture", "-t", "P1", "--match", "a rupture happened")
    not_yet = run("compare", "agreement", "--analysts", "Maya,Zoë Ó'Brien")
    (code_first,) = suggested(not_yet.output)
    assert as_typed(code_first) == ["-a", "Zoë Ó'Brien", "code", "apply", "..."]
    run("-a", "Zoë Ó'Brien", "code", "apply", "Rupture", "-t", "P1", "--match", "a rupture happened, and")
    figures = run("compare", "agreement", "--analysts", "Maya,Zoë Ó'Brien")
    (disagreements,) = suggested(figures.output)
    assert as_typed(disagreements) == ["compare", "disagreements", "Maya", "Zoë Ó'Brien"]
    assert run(*as_typed(disagreements)).exit_code == 0


def test_theme_and_import_suggestions_paste_as_printed(run, tmp_path):
    run("init", "study", "--analyst", "Maya")
    write(
        tmp_path / "Ann's interview.txt",
        "Interviewer: How was it?\nAnn: It was fine, mostly, I think.\nInterviewer: Thanks.\nAnn: Bye.\n",
    )
    imported = run("-p", "study", "transcript", "import", str(tmp_path / "Ann's interview.txt"))
    setting = [c for c in suggested(imported.output) if " transcript set " in c]
    assert setting and as_typed(setting[0])[:3] == ["transcript", "set", "Ann's interview"]
    missing = run("-p", "study", "theme", "show", "Zoë's theme")
    adding = [c for c in suggested(missing.output) if " theme add " in c]
    assert adding and as_typed(adding[0]) == ["theme", "add", "Zoë's theme"]
