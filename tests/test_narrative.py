"""Analytic narratives: `theme write` keeps the author's Markdown in the project; the report and
`export results` print it with each placed extract set apart and attributed, "(P6)"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from docx import Document
from helpers import (
    ANXIETY_THEME,
    BODY_P3,
    QUIET,
    REPAIR_P2,
    RUPTURE_THEME,
    WITHDRAWN_P6,
    build_study,
)

from qualcode.analysis.theme_narrative import narrative_of, split_narrative, trimmed, write_narrative
from qualcode.errors import InvalidInput

NARRATIVE = """Participants *consistently* described withdrawal as easy to miss:

{{%(p6)d}}

This account suggests that **agreement** can hide a rupture. Others said the same:

- clients go *flat*;
- they stop coming.

{{%(p2)d: "They agree with everything … they simply do not come back"}}
"""


@pytest.fixture
def study(project, tmp_path):
    return build_study(project, tmp_path)


def dump(path: Path) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.execute("SELECT name, narrative FROM themes ORDER BY id"))
    finally:
        connection.close()


def report(run, *options: str) -> tuple[Document, str]:
    result = run("-p", "study", "report", "--out", "out/report.docx", *options)
    assert result.exit_code == 0, result.output
    return Document("out/report.docx"), result.output


def test_the_report_prints_the_narrative_with_extracts_in_place(run, study):
    text = NARRATIVE % {"p6": study["withdrawn_p6"], "p2": study["withdrawn_p2"]}
    result = run("-p", "study", "theme", "write", QUIET, "-", input=text)
    assert result.exit_code == 0, result.output
    assert f"saved the narrative of '{QUIET}'" in result.output
    document, _ = report(run)
    body = [(p.style.name, p.text) for p in document.paragraphs]
    start = body.index(("Heading 3", QUIET))
    section = body[start + 1 : start + 7]
    assert section == [
        ("Normal", "Participants consistently described withdrawal as easy to miss:"),
        ("Quote", f"{WITHDRAWN_P6} (P6)"),
        ("Normal", "This account suggests that agreement can hide a rupture. Others said the same:"),
        ("List Bullet", "clients go flat;"),
        ("List Bullet", "they stop coming."),
        (
            "Quote",
            "…They agree with everything, it is all very pleasant, and then they cancel or they simply do not come back… (P2)",
        ),
    ]
    opening = next(p for p in document.paragraphs if p.text.startswith("Participants consistently"))
    assert [(r.text, bool(r.italic)) for r in opening.runs][:3] == [
        ("Participants ", False),
        ("consistently", True),
        (" described withdrawal as easy to miss:", False),
    ]
    # Written, the section is the analysis: no placeholder, no report-picked extracts.
    assert ("Normal", "[analysis to be written]") not in section
    # A theme without a narrative keeps its definition and quotes, marked as still to write.
    anxiety = body.index(("Heading 2", ANXIETY_THEME))
    assert body[anxiety + 1] == ("Normal", "[analysis to be written]")
    assert ("Quote", f"{BODY_P3} (P3)") in body[anxiety:]


def test_rerunning_the_report_keeps_the_writing_and_theme_show_prints_it(run, study, project):
    text = NARRATIVE % {"p6": study["withdrawn_p6"], "p2": study["withdrawn_p2"]}
    run("-p", "study", "theme", "write", QUIET, "-", input=text)
    report(run)
    document, _ = report(run)
    assert any(p.text.startswith("Participants consistently") for p in document.paragraphs)
    shown = run("-p", "study", "theme", "show", QUIET).output
    assert "Narrative" in shown and "Participants *consistently* described withdrawal" in shown
    assert narrative_of(project, QUIET) == text.strip()


def test_unknown_removed_and_untrimmable_references_are_listed_and_marked(run, study, project):
    from qualcode.analysis.coding import remove_coding

    text = (
        f'Claim.\n\n{{{{{study["withdrawn_p2"]}}}}}\n\n{{{{99999}}}}\n\n{{{{{study["withdrawn_p6"]}: "not in it"}}}}\n'
    )
    written = run("-p", "study", "theme", "write", QUIET, "-", input=text)
    assert written.exit_code == 0
    assert "there is no coding 99999" in written.output
    assert 'the words "not in it" are not in coding' in written.output
    remove_coding(project, "Maya", study["withdrawn_p2"])
    document, output = report(run)
    body = [p.text for p in document.paragraphs]
    assert f"[extract {study['withdrawn_p2']} not found: the coding was removed]" in body
    assert "[extract 99999 not found: the coding was removed]" in body
    assert f'[extract {study["withdrawn_p6"]}: the words "not in it" are not in the passage]' in body
    assert f"no coding {study['withdrawn_p2']} (removed?)" in output and "no coding 99999" in output


def test_another_themes_coding_is_quoted_with_a_note(run, study):
    result = run("-p", "study", "theme", "write", QUIET, "-", input=f"Compare:\n\n{{{{{study['body_p3']}}}}}\n")
    assert result.exit_code == 0
    assert (
        "note: line 3: coding" in result.output and "'Felt sense', which is not in 'Quiet withdrawal'" in result.output
    )
    document, output = report(run)
    assert f"{BODY_P3} (P3)" in [p.text for p in document.paragraphs]
    assert "a code from outside the theme" in output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A claim {{eighty-six}} here.", "line 1: cannot read the extract reference {{eighty-six}}"),
        ("Fine.\n\nBut {{12 unclosed", "line 3: cannot read the extract reference {{12 unclosed"),
        ('Trim {{12: ""}}', "cannot read the extract reference"),
        ("   \n\n ", "is empty; nothing changed"),
    ],
)
def test_bad_narratives_are_refused_in_one_line_and_change_nothing(run, study, project, text, message):
    run("-p", "study", "theme", "write", QUIET, "Kept.")
    before = dump(project.path)
    result = run("-p", "study", "theme", "write", QUIET, "-", input=text)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert dump(project.path) == before


def test_clear_and_undo(run, study, project):
    run("-p", "study", "theme", "write", QUIET, "First draft.")
    run("-p", "study", "theme", "write", QUIET, "Second draft.")
    assert run("-p", "study", "undo").exit_code == 0
    assert narrative_of(project, QUIET) == "First draft."
    assert run("-p", "study", "theme", "write", QUIET, "--clear").exit_code == 0
    assert narrative_of(project, QUIET) is None
    assert "no narrative to remove" in run("-p", "study", "theme", "write", QUIET, "--clear").output


def test_the_editor_template_lists_the_themes_extracts_with_their_ids(run, study, monkeypatch):
    seen = {}

    def fake_edit(text: str) -> str:
        seen["template"] = text
        return f"Written in the editor.\n\n{{{{{study['repair_p2']}}}}}\n" + text[text.index("# -----") :]

    monkeypatch.setattr("click.edit", fake_edit)
    result = run("-p", "study", "theme", "write", RUPTURE_THEME)
    assert result.exit_code == 0, result.output
    template = seen["template"]
    assert f"{{{{{study['withdrawn_p2']}}}}}  P2, Withdrawal:" in template
    assert f"{{{{{study['repair_p2']}}}}}  P2, Repair:" in template
    document, _ = report(run)
    assert f"{REPAIR_P2} (P2)" in [p.text for p in document.paragraphs]


def test_results_alone_as_markdown_and_word(run, study):
    text = NARRATIVE % {"p6": study["withdrawn_p6"], "p2": study["withdrawn_p2"]}
    run("-p", "study", "theme", "write", QUIET, "-", input=text)
    markdown = run("-p", "study", "export", "results", "--out", "-").stdout
    assert markdown.startswith("# Results\n")
    assert "The analysis developed two themes: “Rupture as generative” and “Anxiety in the room”." in markdown
    assert f"### {QUIET}\n\nParticipants *consistently* described" in markdown
    assert f"> {WITHDRAWN_P6}\n> (P6)\n" in markdown
    assert "- clients go *flat*;\n- they stop coming.\n" in markdown
    assert "| Theme | Subthemes | Definition |" in markdown and "n/N" not in markdown
    written = run("-p", "study", "export", "results", "--format", "docx")
    assert written.stdout.strip() == "wrote exports/study-results.docx"
    document = Document("exports/study-results.docx")
    assert document.paragraphs[0].style.name == "Heading 1" and document.paragraphs[0].text == "Themes"
    assert f"{WITHDRAWN_P6} (P6)" in [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert not any(p.text.startswith("Appendix") for p in document.paragraphs)
    bad = run("-p", "study", "export", "results", "--format", "docx", "--out", "-")
    assert bad.exit_code == 1 and "not a text format" in bad.output


def test_trims_cut_the_passage_and_mark_the_cuts():
    passage = "Well. They agree with everything, it is all very pleasant, and then they cancel."
    assert trimmed(passage, "They agree … very pleasant") == "…They agree with everything, it is all very pleasant…"
    assert trimmed(passage, "Well. They agree ... everything,") == "Well. They agree with everything,…"
    assert trimmed(passage, "then they cancel.") == "…then they cancel."
    assert trimmed(passage, None) == passage
    assert trimmed(passage, "not there") is None
    assert trimmed(passage, "pleasant … They agree") is None  # the end must come after the start


def test_references_are_found_with_their_lines():
    parts = split_narrative("One.\n\n{{5}}\nTwo {{ 7 : “a … b” }} and {{x}}.")
    references = [(p.coding_id, p.trim, p.line) for p in parts if hasattr(p, "coding_id")]
    assert references == [(5, None, 3), (7, "a … b", 4)]
    assert [p.raw for p in parts if hasattr(p, "raw")] == ["{{x}}"]


def test_write_narrative_refuses_an_unknown_theme(project, study):
    with pytest.raises(Exception, match="unknown theme"):
        write_narrative(project, "Maya", "No such theme", "Text.")
    with pytest.raises(InvalidInput):
        write_narrative(project, "Maya", QUIET, "")
