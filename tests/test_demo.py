"""The bundled demo study, built end to end as `qualcode demo` builds it (into tmp_path)."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.store import Project

CHECK_STUDY = Path(__file__).resolve().parents[1] / "qualcode" / "demo" / "data" / "check_study.py"


@pytest.fixture
def demo(demo_study):
    """The demo, built once per session (conftest.py): it takes a few seconds."""
    return demo_study


def test_demo_runs_and_says_what_it_wrote_and_what_to_try(demo):
    folder, result = demo
    assert result.exit_code == 0, result.output
    for name in ("demo-report.docx", "demo-map.png", "demo-themes.md"):
        assert f"exports/demo/{name}" in result.output
        assert (folder / "exports" / "demo" / name).stat().st_size > 0
    assert "Try next:" in result.output and "qualcode -p demo theme list" in result.output


def test_demo_project_holds_the_study(demo):
    folder, _ = demo
    project = Project.open(folder / "projects" / "demo.qualcode")
    try:
        formats = {r[0] for r in project.db.execute("SELECT format FROM transcripts")}
        assert project.db.execute("SELECT count(*) FROM transcripts").fetchone()[0] >= 6
        assert len(formats) >= 2
        per_analyst = dict(
            project.db.execute(
                "SELECT a.name, count(*) FROM codings c JOIN analysts a ON a.id = c.analyst_id GROUP BY a.name"
            )
        )
        assert set(per_analyst) == {"Maya", "Tom"} and min(per_analyst.values()) > 50
        phases = [r[0] for r in project.db.execute("SELECT phase FROM phase_log ORDER BY id")]
        assert any(b < a for a, b in itertools.pairwise(phases)), "the phase log goes back at least once"
        assert phases[-1] == 6
        snapshot_phases = {r[0] for r in project.db.execute("SELECT phase FROM map_snapshots")}
        assert {3, 5} <= snapshot_phases
        final = project.db.execute(
            "SELECT count(*) FROM themes WHERE status = 'final' AND parent_id IS NULL"
        ).fetchone()[0]
        assert final == 6
        quoted = project.db.execute("SELECT count(DISTINCT theme_id) FROM theme_quotes").fetchone()[0]
        assert quoted >= 6
        kinds = {r[0] for r in project.db.execute("SELECT kind FROM memos")}
        assert {"familiarisation", "reflexive", "decision"} <= kinds
        attributes = project.db.execute("SELECT count(DISTINCT key) FROM participant_attributes").fetchone()[0]
        assert attributes >= 5
    finally:
        project.close()


def test_two_analysts_agree_substantially_but_not_completely(demo):
    from click.testing import CliRunner

    from qualcode.cli import cli

    folder, _ = demo
    import os

    previous = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, ["-p", "demo", "compare", "agreement", "--analysts", "Maya,Tom", "--json"])
    finally:
        os.chdir(previous)
    data = json.loads(result.output)
    pooled = next(row for row in data["overall"] if row["aggregation"].startswith("pooled"))
    kappa = pooled["coefficients"]["cohen_kappa"]["value"]
    assert 0.2 < kappa < 0.9


def test_demo_report_has_the_six_themes_with_attributed_extracts(demo):
    import docx

    folder, _ = demo
    document = docx.Document(str(folder / "exports" / "demo" / "demo-report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for theme in (
        "Moving from technique to relational presence",
        "Diversity as relational negotiation",
        "Anxiety as a co-created relational process",
        "Rupture as inevitable and generative",
    ):
        assert any(theme in h for h in headings), theme
    quotes = [p.text for p in document.paragraphs if p.style.name in ("Quote", "Intense Quote")]
    assert quotes and all(q.rstrip().endswith(")") for q in quotes)
    assert any("(P6)" in q for q in quotes)
    assert document.inline_shapes, "the thematic map figure is in the report"


def test_an_output_folder_that_cannot_be_written_is_refused_before_the_study_is_built(run, tmp_path):
    (tmp_path / "blocker").write_text("a file where the folder should go")
    result = run("demo", "--out", "blocker/demo")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: cannot write to blocker/demo: blocker is a file, not a folder (choose another --out)"
    )
    assert not (tmp_path / "projects").exists() or not list((tmp_path / "projects").iterdir())
    assert (tmp_path / "blocker").read_text() == "a file where the folder should go"


def test_the_demo_report_reads_as_a_draft_methods_section(demo):
    import docx

    folder, _ = demo
    document = docx.Document(str(folder / "exports" / "demo" / "demo-report.docx"))
    text = [p.text for p in document.paragraphs]
    methods = next(t for t in text if t.startswith("The analysis followed the six phases"))
    assert "Familiarisation (phase 1) began on 2 March" in methods
    assert "the analysis went back to constructing candidate themes (phase 3). Maya noted: “Review showed" in methods
    assert methods.endswith("At the time of this report the analysis is in phase 6, writing up.")
    assert not any("project created" in t for t in text)
    assert all(style.builtin for style in [p.style for p in document.paragraphs] + [t.style for t in document.tables])


def test_the_demo_script_is_consistent_with_its_transcripts(tmp_path):
    """check_study.py (a tool for whoever edits the demo, not shipped in the wheel) replays study.json
    against the transcripts and lists any problem it finds."""
    checked = subprocess.run(
        [sys.executable, str(CHECK_STUDY)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "problem" not in checked.stdout
    assert checked.stdout.rstrip().splitlines()[-1] == "study.json is consistent with the transcripts"


def test_every_final_theme_of_the_demo_has_its_analysis_written(demo):
    """The demo report reads as a results section: each theme and subtheme a run of analytic
    paragraphs with extracts from several participants, no placeholder, no counts."""
    import docx

    folder, _ = demo
    document = docx.Document(str(folder / "exports" / "demo" / "demo-report.docx"))
    body = [(p.style.name, p.text) for p in document.paragraphs]
    themes = body.index(("Heading 1", "Themes"))
    assert body[themes + 1][1].startswith("The analysis developed six themes: “Moving from technique")
    assert ("Normal", "[analysis to be written]") not in body
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for style, text in body[themes:]:
        if style in ("Heading 2", "Heading 3"):
            current = text
            sections[current] = []
        elif (style == "Heading 1" or style == "Caption") and current:
            break  # the map figure, then the appendices
        elif current and text:
            sections[current].append((style, text))
    assert len(sections) == 19  # six themes, thirteen subthemes
    for name, blocks in sections.items():
        quotes = [text for style, text in blocks if style == "Quote"]
        assert len(quotes) >= 2, name
        assert all(re.search(r" \(P\d+\)$", q) for q in quotes), name
        assert blocks[0][0] == "Normal" and blocks[-1][0] == "Normal", name  # claim first, interpretation last
    speakers = {q[-4:] for blocks in sections.values() for style, q in blocks if style == "Quote"}
    assert len(speakers) == 6
    assert not any(re.search(r"\b\d+ (extracts|participants)\b", text) for _, text in body[themes:])
