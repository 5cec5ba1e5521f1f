"""What the report and tables print on request: counts, paper size, full definitions and an
illustrative-extract column; and the project's defaults for them (`qualcode config`)."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from docx.shared import Mm
from helpers import QUIET, RUPTURE_DEFINITION, RUPTURE_THEME, WITHDRAWN_P2, WITHDRAWN_P6, build_study

from qualcode.analysis.theme_quotes import choose_quote
from qualcode.analysis.themes import define_theme
from qualcode.report.preferences import locale_paper

LONG_DEFINITION = " ".join(f"word{i}" for i in range(45)) + "."


@pytest.fixture
def study(project, tmp_path):
    return build_study(project, tmp_path)


def themes_csv(run, *options: str) -> list[dict[str, str]]:
    result = run("-p", "study", "export", "themes", "--format", "csv", "--out", "-", *options)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_definitions_print_in_full_unless_shortened(run, study, project):
    define_theme(project, "Maya", RUPTURE_THEME, LONG_DEFINITION)
    assert themes_csv(run)[0]["Definition"] == LONG_DEFINITION
    assert themes_csv(run, "--definition-words", "5")[0]["Definition"] == "word0 word1 word2 word3 word4 …"


def test_an_extract_column_on_request_with_chosen_quotes_first(run, study, project):
    choose_quote(project, "Maya", QUIET, study["withdrawn_p2"])
    rows = themes_csv(run, "--quotes", "2")
    assert list(rows[0]) == ["Theme", "Subthemes", "Definition", "Illustrative extracts"]
    cell = rows[0]["Illustrative extracts"]
    assert cell.startswith(f"“{WITHDRAWN_P2}” (P2)")  # the chosen quote of its subtheme
    assert f"“{WITHDRAWN_P6}” (P6)" in cell  # then one from another participant
    assert "Illustrative extracts" not in themes_csv(run)[0]
    assert rows[0]["Definition"] == RUPTURE_DEFINITION


def test_counts_follow_the_option_then_the_project_default(run, study):
    assert "Extracts" not in themes_csv(run)[0]
    assert themes_csv(run, "--counts")[0]["Extracts"] == "5"
    assert run("-p", "study", "config", "counts").output == "counts off\n"
    assert run("-p", "study", "config", "counts", "on").output == "counts on\n"
    assert themes_csv(run)[0]["Extracts"] == "5"
    assert "Extracts" not in themes_csv(run, "--no-counts")[0]
    bad = run("-p", "study", "config", "counts", "maybe")
    assert bad.exit_code == 1 and "counts is on or off, not 'maybe'" in bad.output


def test_the_report_is_a4_unless_asked_or_in_north_america(run, study, monkeypatch):
    def page(*options: str):
        result = run("-p", "study", "report", "--out", "r.docx", *options)
        assert result.exit_code == 0, result.output
        section = Document("r.docx").sections[0]
        return round(section.page_width / Mm(1)), round(section.page_height / Mm(1))

    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert page() == (210, 297)
    assert page("--paper", "letter") == (216, 279)
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert locale_paper() == "letter" and page() == (216, 279)
    run("-p", "study", "config", "paper", "a4")
    assert page() == (210, 297)
    bad = run("-p", "study", "report", "--out", "r2.docx", "--paper", "legal")
    assert bad.exit_code == 1 and "unknown paper size 'legal'; choose a4 or letter" in bad.output
    assert not __import__("pathlib").Path("r2.docx").exists()


@pytest.mark.parametrize(("value", "paper"), [("fr_CA.UTF-8", "letter"), ("de_DE.UTF-8", "a4"), ("C", "a4")])
def test_locale_paper(monkeypatch, value, paper):
    monkeypatch.setenv("LC_ALL", value)
    assert locale_paper() == paper


def test_titles_and_generated_prose_have_printed_quotes(run, study, project):
    from qualcode.analysis.themes import rename_theme
    from qualcode.store import set_setting
    from qualcode.wording import typographic

    assert typographic("He said \"no\" ('quiet'), it's") == "He said “no” (‘quiet’), it’s"
    set_setting(project, "Maya", "title", "Therapists' accounts")
    rename_theme(project, "Maya", QUIET, "Clients' quiet withdrawal")
    result = run("-p", "study", "report", "--out", "r.docx")
    assert result.exit_code == 0, result.output
    paragraphs = Document("r.docx").paragraphs
    assert paragraphs[0].text == "Therapists’ accounts: thematic analysis"
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    assert "Clients’ quiet withdrawal" in headings and not any("'" in h for h in headings)
