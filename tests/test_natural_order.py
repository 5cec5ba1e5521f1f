"""Names sort as people read them (P2 before P11) in listings, prompts and JSON arrays."""

from __future__ import annotations

import json

import pytest
from helpers import write

P2 = "Interviewer: What happened?\nP2: We felt stuck for weeks.\n"
P11 = "Interviewer: How did it start?\nP11: I think it was a rupture, really.\n"
P21 = "Interviewer: And then?\nP21: We sat with those silences.\n"


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


def test_names_sort_as_people_read_them_in_every_listing(run, study):
    run("code", "apply", "Rupture", "-t", "P11", "--match", "rupture")
    run("code", "apply", "Rupture", "-t", "P2", "--match", "stuck")
    run("code", "apply", "Rupture", "-t", "P21", "--match", "silences")
    assert [e["transcript"] for e in extracts(run)] == ["P2", "P11", "P21"]
    shown = json.loads(run("code", "show", "Rupture", "--json").output)
    assert [e["transcript"] for e in shown["extracts"]] == ["P2", "P11", "P21"]
    text = run("code", "show", "Rupture").output
    assert text.index(" P2 L2") < text.index(" P11 L2") < text.index(" P21 L2")
    listed = [t["name"] for t in json.loads(run("transcript", "list", "--json").output)]
    assert listed == ["P2", "P11", "P21"]


def test_codes_with_numbers_sort_as_people_read_them(run, study):
    for name in ("Stage 10", "Stage 2", "stage 1"):
        run("code", "add", name, "--parent", "Rupture")
    tree = [row["name"] for row in json.loads(run("code", "list", "--json").output)]
    assert tree == ["Rupture", "stage 1", "Stage 2", "Stage 10"]
    assert json.loads(run("code", "show", "Rupture", "--json").output)["children"] == ["stage 1", "Stage 2", "Stage 10"]
