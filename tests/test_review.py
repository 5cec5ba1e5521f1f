"""Reviewing themes against the data: coverage, shared codes, overlap, flags and extracts to re-read.
Expected figures are worked out by hand from the passages coded below, and the vectorised overlap
is checked against a brute-force count on random codings."""

from __future__ import annotations

import json
import random

import pytest
from helpers import squash, write

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.analysis.review import review_themes, theme_overlaps
from qualcode.analysis.themes import add_theme, all_themes, define_theme, set_theme_status
from qualcode.errors import InvalidInput
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

P1 = """Interviewer: How was your first year?
P1: I felt anxious before every session. I dreaded Mondays. Supervision helped me stay calm. I kept going over what I said. We laughed about it later.
"""
P2 = """Interviewer: How was your first year?
P2: I was frightened of the clients' distress. My supervisor listened. We laughed a lot in the team.
"""
P3 = """Interviewer: Tell me about a hard session.
P3: I wanted to fix it straight away.
"""
P4 = """Interviewer: What stays with you?
P4: I replay sessions at night. I replay what I should have said. I go over every silence. I rehearse the next session. I doubt every word. I sleep badly.
"""


def code(project, names, transcript, phrase, analyst="Maya"):
    apply_codes(project, analyst, names, transcript, locations=[Location(match=phrase)])


@pytest.fixture
def study(tmp_path, project):
    paths = [write(tmp_path / f"{n}.txt", t) for n, t in (("P1", P1), ("P2", P2), ("P3", P3), ("P4", P4))]
    import_transcripts(project, paths, "Maya")
    add_analyst(project, "Maya", "Tom")
    for name in ("Anxiety", "Dread", "Support", "Fixing", "Rumination", "Humour"):
        add_code(project, "Maya", name)
    code(project, ["Anxiety"], "P1", "I felt anxious before every session.")
    code(project, ["Dread"], "P1", "I dreaded Mondays.")
    code(project, ["Anxiety"], "P2", "I was frightened of the clients' distress.")
    code(project, ["Support"], "P1", "Supervision helped me stay calm.")
    # Overlaps the P2 anxiety passage by the words "distress."
    code(project, ["Support"], "P2", "distress. My supervisor listened.")
    code(project, ["Fixing"], "P3", "I wanted to fix it straight away.")
    for phrase in (
        "I replay sessions at night.",
        "I replay what I should have said.",
        "I go over every silence.",
        "I rehearse the next session.",
        "I doubt every word.",
    ):
        code(project, ["Rumination"], "P4", phrase)
    code(project, ["Rumination"], "P1", "I kept going over what I said.")
    code(project, ["Humour"], "P1", "We laughed about it later.")
    code(project, ["Humour"], "P2", "We laughed a lot in the team.")
    code(project, ["Support"], "P2", "My supervisor listened.", analyst="Tom")
    add_theme(project, "Maya", "Fear", codes=["Anxiety", "Dread"])
    add_theme(project, "Maya", "Holding", codes=["Support"])
    add_theme(project, "Maya", "Fixing things", codes=["Fixing"])
    add_theme(project, "Maya", "Going over it", codes=["Rumination", "Dread"])
    return project


def by_name(report):
    return {t["name"]: t for t in report["themes"]}


def test_coverage_per_theme(study):
    themes = by_name(review_themes(study))
    fear = themes["Fear"]
    assert (fear["extracts"], fear["participants"], fear["participants_total"]) == (3, 2, 4)
    assert fear["transcripts_without"] == ["P3", "P4"]
    assert fear["top_transcript"] == {"name": "P1", "extracts": 2, "share": 0.667}
    # Holding: two passages by Maya and Tom's shorter one inside the second.
    assert (themes["Holding"]["extracts"], themes["Holding"]["codings"]) == (3, 3)
    assert themes["Going over it"]["extracts"] == 7  # five in P4, rumination and dread in P1


def test_shared_codes_and_overlap_with_other_themes(study):
    themes = by_name(review_themes(study))
    assert themes["Fear"]["shared_codes"] == [{"code": "Dread", "themes": ["Going over it"]}]
    # Fear's P2 passage shares "distress." with Holding's; the Dread passage is in both themes.
    assert {(o["theme"], o["extracts"]) for o in themes["Fear"]["overlaps"]} == {("Holding", 1), ("Going over it", 1)}
    # Of Holding's three passages only the one spanning "distress." touches Fear.
    assert themes["Holding"]["overlaps"] == [{"theme": "Fear", "extracts": 1, "share": 0.333}]
    assert themes["Fixing things"]["overlaps"] == []


def test_flags_are_advice_about_single_participants_and_dominant_transcripts(study):
    report = review_themes(study)
    themes = by_name(report)
    assert themes["Fixing things"]["flags"] == ["rests on one participant (P3)"]
    assert themes["Going over it"]["flags"] == ["71% of its extracts come from one transcript (P4)"]
    assert themes["Fear"]["flags"] == []  # two of three extracts from P1, but too few to call it dominant
    project = report["project"]
    assert project["themes_on_one_participant"] == [{"theme": "Fixing things", "participant": "P3"}]
    assert project["themes_mostly_one_transcript"] == [{"theme": "Going over it", "transcript": "P4", "share": 0.714}]
    assert project["codes_in_no_theme"] == [{"code": "Humour", "codings": 2}]


def test_definition_and_final_name_and_discarded_themes(study):
    define_theme(study, "Maya", "Fear", "Fear of the work", "Fear arrives before the client does")
    set_theme_status(study, "Maya", "Fear", "final")
    set_theme_status(study, "Maya", "Fixing things", "discarded")
    report = review_themes(study)
    themes = by_name(report)
    assert (themes["Fear"]["has_definition"], themes["Fear"]["has_concept"], themes["Fear"]["final_name"]) == (
        True,
        True,
        True,
    )
    assert themes["Holding"]["has_definition"] is False
    assert "Fixing things" not in themes
    assert {"code": "Fixing", "codings": 1} in report["project"]["codes_in_no_theme"]
    assert report["project"]["themes_without_definition"] == ["Holding", "Going over it"]
    named = review_themes(study, "Fixing things")  # a discarded theme is reviewed when named
    assert [t["name"] for t in named["themes"]] == ["Fixing things"] and named["project"] is None


def test_subthemes_are_reviewed_under_their_theme_and_not_compared_with_it(study):
    add_theme(study, "Maya", "Feeling supported", parent="Holding", codes=["Anxiety"])
    themes = by_name(review_themes(study))
    assert [t["name"] for t in review_themes(study)["themes"]][:3] == ["Fear", "Holding", "Feeling supported"]
    assert themes["Feeling supported"]["depth"] == 1 and themes["Feeling supported"]["parent"] == "Holding"
    assert themes["Holding"]["extracts"] == 5  # its own three and the two anxiety passages of its subtheme
    assert "Holding" not in {o["theme"] for o in themes["Feeling supported"]["overlaps"]}
    assert {"code": "Anxiety", "themes": ["Feeling supported", "Holding"]} in themes["Fear"]["shared_codes"]


def test_one_analysts_codings(study):
    themes = by_name(review_themes(study, coded_by="Tom"))
    assert themes["Holding"]["extracts"] == 1
    assert themes["Fear"]["extracts"] == 0 and themes["Fear"]["flags"] == [
        "no extracts yet: assign codes that have codings"
    ]


def test_sample_extracts_spread_over_participants(study):
    fear = by_name(review_themes(study, extracts_per_theme=2))["Fear"]
    assert [(e["participant"], e["text"]) for e in fear["sample"]] == [
        ("P1", "I dreaded Mondays."),  # the middle of P1's two passages
        ("P2", "I was frightened of the clients' distress."),
    ]
    # Two from the participant who carries the theme, spread over their five passages, one from P1.
    going = by_name(review_themes(study, extracts_per_theme=3))["Going over it"]
    assert [(e["participant"], e["text"]) for e in going["sample"]] == [
        ("P4", "I replay what I should have said."),
        ("P4", "I rehearse the next session."),
        ("P1", "I kept going over what I said."),  # the second of P1's two, in text order
    ]


def test_cli_review_prints_figures_flags_and_extracts(study, run):
    result = run("theme", "review")
    assert result.exit_code == 0  # flags never fail the command
    out = squash(result.output)
    assert "Theme: Fear (candidate)" in out
    assert "3 extracts (3 codings) · participants 2/4 · transcripts 2/4" in out
    assert "no extract in: P3, P4" in out
    assert "shared codes: Dread (also in Going over it)" in out
    assert "⚑ rests on one participant (P3)" in out
    assert "1 code with codings in no theme (codings in parentheses): Humour (2)" in out
    assert "I was frightened of the clients' distress." in out
    data = json.loads(run("theme", "review", "Holding", "--json").output)
    assert [t["name"] for t in data["themes"]] == ["Holding"] and data["project"] is None
    unknown = run("theme", "review", "Holdin")
    assert unknown.exit_code == 1 and "did you mean 'Holding'" in unknown.output


def test_vectorised_overlap_matches_brute_force(tmp_path, project):
    rng = random.Random(7)
    text = "Interviewer: Go on.\nP1: " + " ".join("word" for _ in range(400)) + "\n"
    paths = [write(tmp_path / f"T{i}.txt", text.replace("P1", f"P{i}")) for i in range(3)]
    import_transcripts(project, paths, "Maya")
    codes = [f"code {i}" for i in range(6)]
    for name in codes:
        add_code(project, "Maya", name)
    for _ in range(120):
        start = rng.randrange(25, len(text) - 60)
        end = start + rng.randint(1, 50)
        try:
            apply_codes(project, "Maya", [rng.choice(codes)], f"T{rng.randrange(3)}", spans=[(start, end)])
        except InvalidInput:  # the same code on the same span twice
            continue
    add_theme(project, "Maya", "A", codes=codes[:2])
    add_theme(project, "Maya", "B", codes=codes[1:4])
    add_theme(project, "Maya", "B1", parent="B", codes=[codes[4]])
    add_theme(project, "Maya", "C", codes=[codes[5], codes[0]])
    themes = {t["id"]: t for t in all_themes(project)}
    closure = {tid: set() for tid in themes}
    for theme_id, code_id in project.db.execute("SELECT theme_id, code_id FROM theme_codes"):
        current = theme_id
        while current is not None:
            closure[current].add(code_id)
            current = themes[current]["parent_id"]
    rows = project.db.execute("SELECT DISTINCT transcript_id, start, [end], code_id FROM codings").fetchall()
    passages = {tid: {(t, s, e) for t, s, e, c in rows if c in closure[tid]} for tid in themes}
    expected = {}
    for a in themes:
        for b in themes:
            if a != b:
                n = sum(any(t == u and s < f and r < e for u, r, f in passages[b]) for t, s, e in passages[a])
                if n:
                    expected[(a, b)] = n
    assert theme_overlaps(project, sorted(themes), closure) == expected
    assert expected  # the random data does produce overlaps


def test_review_wraps_under_its_headings_at_80_columns(study, run):
    add_code(study, "Maya", "Coping (grouping code)")
    for name in ("A theme whose long name makes the overlap line wrap", "Another theme with a long name"):
        add_theme(study, "Maya", name, codes=["Support"])
    lines = run("theme", "review", "--extracts", "0", env={"COLUMNS": "80"}).output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Theme: Fear"))
    overlap = next(i for i in range(start, len(lines)) if "extracts sharing text with" in lines[i])
    assert lines[overlap].startswith("  extracts sharing text with: ")
    end = lines.index("", overlap)  # Fear has no flags: the next theme follows a blank line
    assert end - overlap > 1 and all(line.startswith("  ") and line[2] != " " for line in lines[overlap:end])
    assert " ".join(line.strip() for line in lines[overlap:end]) == (
        "extracts sharing text with: A theme whose long name makes the overlap line wrap (1, 33%);"
        " Another theme with a long name (1, 33%); Going over it (1, 33%); Holding (1, 33%)"
    )
    assert all(len(line) <= 80 and line == line.rstrip() for line in lines)
    # Unused codes are listed apart from the codes whose codings no theme covers.
    assert "  1 code with codings in no theme (codings in parentheses): Humour (2)" in lines
    assert "  1 code without codings, in no theme: Coping (grouping code)" in lines
