"""The Word report, read back with python-docx as an author would see it in Word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from helpers import (
    ANXIETY_THEME,
    BODY_P3,
    CANDIDATE_THEME,
    INTERVIEWER_P2,
    QUIET,
    REPAIR_P2,
    REPAIR_P6,
    RUPTURE_DEFINITION,
    RUPTURE_THEME,
    TALKING,
    WITHDRAWN_P2,
    WITHDRAWN_P6,
    build_study,
    write,
)

from qualcode.analysis.theme_quotes import choose_quote
from qualcode.analysis.themes import set_theme_status


@pytest.fixture
def study(project, tmp_path):
    ids = build_study(project, tmp_path)
    choose_quote(project, "Maya", RUPTURE_THEME, ids["repair_p6"])
    return ids


def write_report(run, *options: str) -> tuple[Document, str]:
    result = run("-p", "study", "report", "--out", "out/report.docx", *options)
    assert result.exit_code == 0, result.output
    return Document("out/report.docx"), result.output


def styled(document: Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def table_headed(document: Document, first_header: str):
    found = [t for t in document.tables if t.rows[0].cells[0].text == first_header]
    assert found, f"no table headed {first_header!r}"
    return found[0]


def rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_report_has_title_sections_and_a_heading_per_theme_and_subtheme(run, study):
    document, output = write_report(run)
    assert output.strip().endswith("wrote out/report.docx")
    assert styled(document, "Title") == ["Study: thematic analysis"]
    assert styled(document, "Heading 1") == ["Data and analysis", "Themes"]
    assert styled(document, "Heading 2") == [RUPTURE_THEME, ANXIETY_THEME]
    assert styled(document, "Heading 3") == [QUIET, TALKING]
    assert document.core_properties.title == "Study: thematic analysis"
    assert document.core_properties.author == "Maya; Tom"


def test_table_of_themes_prints_subthemes_definition_participants_and_extracts(run, study):
    document, _ = write_report(run, "--counts")
    themes = table_headed(document, "Theme")
    assert rows_of(themes)[0] == ["Theme", "Subthemes", "Definition", "n/N", "Extracts"]
    rupture, anxiety = themes.rows[1:]
    # Five distinct passages from P6 and P2 of the three participants (see test_report_study).
    assert [c.text for c in rupture.cells] == [RUPTURE_THEME, f"{QUIET}\n{TALKING}", RUPTURE_DEFINITION, "2/3", "5"]
    assert [p.text for p in rupture.cells[1].paragraphs] == [QUIET, TALKING]  # one paragraph each
    assert [c.text for c in anxiety.cells] == [ANXIETY_THEME, "", "[definition to be written]", "1/3", "1"]
    # A real Word table: its header row repeats on every page.
    assert themes.rows[0]._tr.trPr.xpath("./w:tblHeader")


def test_a_chosen_quote_is_a_quotation_attributed_to_its_pseudonym(run, study):
    document, _ = write_report(run)
    quotes = styled(document, "Quote")
    assert f"{REPAIR_P6} (P6)" in quotes
    paragraph = next(p for p in document.paragraphs if p.text == f"{REPAIR_P6} (P6)")
    assert paragraph.runs[-1].text == " (P6)" and paragraph.runs[-1].italic is False


def test_without_chosen_quotes_extracts_are_spread_over_participants_and_never_repeated(run, study):
    document, output = write_report(run, "--quotes", "3")
    quotes = styled(document, "Quote")
    # Quiet withdrawal: the P6 passage (coded by Maya and by Tom) once, then P2's.
    assert f"{WITHDRAWN_P6} (P6)" in quotes and f"{WITHDRAWN_P2} (P2)" in quotes
    assert sum(q.startswith(WITHDRAWN_P6) for q in quotes) == 1
    # Repair: P6's repair is already the theme's chosen quote, so the subtheme quotes P2 only.
    assert quotes.count(f"{REPAIR_P6} (P6)") == 1 and f"{REPAIR_P2} (P2)" in quotes
    # The interviewer's question, coded Rupture, is never put in a participant's mouth.
    assert not any(INTERVIEWER_P2 in q for q in quotes)
    body = [p.text for p in document.paragraphs]
    after_quiet = body[body.index(QUIET) :]
    assert any(text.startswith("[Extracts picked by the report") for text in after_quiet)
    assert not any("qualcode theme" in text for text in body)  # no shell commands in the body
    assert f"warning: subtheme '{QUIET}' of '{RUPTURE_THEME}': no chosen quotes (the report picked extracts)" in output


def test_quotes_option_limits_the_extracts_per_theme(run, study):
    document, _ = write_report(run, "--quotes", "1")
    quotes = styled(document, "Quote")
    assert sum(q.startswith((WITHDRAWN_P6, WITHDRAWN_P2)) for q in quotes) == 1
    document, _ = write_report(run, "--quotes", "0")
    assert styled(document, "Quote") == [f"{REPAIR_P6} (P6)"]  # chosen quotes are always shown


def test_the_thematic_map_is_an_inline_figure_with_a_numbered_caption(run, study):
    document, _ = write_report(run)
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width > 0
    captions = styled(document, "Caption")
    assert "Figure 1. Thematic map of the final themes and their final subthemes." in captions
    picture = next(i for i, p in enumerate(document.paragraphs) if p._p.xpath(".//pic:pic"))
    assert document.paragraphs[picture + 1].text.startswith("Figure 1.")  # the caption is under the figure
    footer = document.sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml
    assert captions[:2] == ["Table 1. Participants", "Table 2. Themes and subthemes"]


def test_participant_table_lists_the_interviewed_participants_with_their_attributes(run, study):
    document, _ = write_report(run)
    participants = rows_of(table_headed(document, "Participant"))
    assert participants[0] == ["Participant", "Orientation", "Years", "Words"]
    assert [row[:3] for row in participants[1:]] == [
        ["P2", "integrative", "16"],
        ["P3", "person-centred", "8"],
        ["P6", "psychodynamic", "27"],
    ]
    assert any("without a transcript in the project (P9)" in p.text for p in document.paragraphs)


def test_summary_tells_the_data_set_and_the_phase_log_as_methods(run, study):
    document, _ = write_report(run)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The data set holds three interview transcripts" in text
    assert "three participants (P2, P3, P6)" in text
    assert "Two analysts (Maya and Tom) coded" in text
    assert (
        "the analysis went back to reviewing themes (phase 4). Maya noted: “The anxiety theme rests on one participant.”"
        in text
    )
    assert "the analysis is in phase 4, reviewing themes" in text


def test_missing_definitions_are_marked_in_italics_and_listed_on_the_terminal(run, study):
    document, output = write_report(run)
    marked = [
        run_
        for p in document.paragraphs
        for run_ in p.runs
        if run_.text in ("[definition to be written]", "[central organising concept to be written]")
    ]
    assert len(marked) == 2 and all(r.italic for r in marked)  # the anxiety theme lacks both
    assert (
        f"warning: theme '{ANXIETY_THEME}': no definition; no central organising concept;"
        " no chosen quotes (the report picked extracts)"
    ) in output
    assert f"{BODY_P3} (P3)" in styled(document, "Quote")


def test_only_final_themes_are_reported_when_any_is_final(run, study, project):
    document, _ = write_report(run)
    assert CANDIDATE_THEME not in styled(document, "Heading 2")
    assert "These are the two themes marked final, with their subthemes." in [p.text for p in document.paragraphs]
    for theme in (RUPTURE_THEME, ANXIETY_THEME):
        set_theme_status(project, "Maya", theme, "reviewed")
    document, _ = write_report(run)
    assert styled(document, "Heading 2") == [RUPTURE_THEME, ANXIETY_THEME, CANDIDATE_THEME]
    assert any(p.text.startswith("No theme is marked final yet") for p in document.paragraphs)


def test_appendices_on_request(run, study):
    document, _ = write_report(run, "--include", "journal,audit,codebook,agreement")
    assert styled(document, "Heading 1")[2:] == [
        "Appendix A. Codebook",
        "Appendix B. Agreement between analysts",
        "Appendix C. Reflexive journal",
        "Appendix D. Audit trail",
    ]
    codebook_table, *agreement = [t for t in document.tables if t.rows[0].cells[0].text == "Code"]
    codebook = {row[0]: row for row in rows_of(codebook_table)}
    # Withdrawal: Maya's P6 and P2 codings and Tom's P6 coding, from two participants.
    assert codebook["Withdrawal"] == ["Withdrawal", "Rupture", "The client goes quiet or away", "3", "2", QUIET]
    assert len(agreement) == 2  # document and character level
    # Document level over the transcripts both coded (P6 and P2; Tom did not code P3): Maya used
    # Withdrawal in both, Tom in P6 only, so a = 1 (both), b = 1 (Maya only), c = 0, d = 0.
    withdrawal = next(row for row in rows_of(agreement[0]) if row[0] == "Withdrawal")
    assert withdrawal[1:5] == ["1", "1", "0", "0"]
    assert "Table 4. Agreement at document level: Maya and Tom" in styled(document, "Caption")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Reading P6 I noticed how quickly I sided with the therapist." in text
    assert "Decided to keep Withdrawal under Rupture." in text
    audit = rows_of(table_headed(document, "When (UTC)"))
    assert audit[0] == ["When (UTC)", "What was done"]
    done = [row[1] for row in audit[1:]]
    # Each transcript (and its participant of the same name) once; who did what, in words.
    assert "Maya imported the transcripts ‘P6’, ‘P2’ and ‘P3’" in done
    assert "Maya added the codes ‘Rupture’, ‘Withdrawal’, ‘Repair’, ‘Felt sense’ and ‘Measures’ (in 5 steps)" in done
    assert f"Maya defined the themes ‘{RUPTURE_THEME}’, ‘{QUIET}’ and ‘{TALKING}’ (in 3 steps)" in done
    assert not any(re.search(r"\b(insert|update|delete) [a-z_]+", row) for row in done)  # no table names
    # The wide appendices are on landscape pages; the journal is back in portrait.
    # The map has a page of its own (a section), after the themes and before the appendices.
    orientations = [s.page_width > s.page_height for s in document.sections]
    assert orientations[0] is False and orientations[2:] == [True, False]


def test_agreement_appendix_with_one_analyst_says_there_is_nothing_to_compare(run, project, tmp_path):
    from qualcode.analysis.coding import apply_codes
    from qualcode.text.ingest import import_transcripts
    from qualcode.text.transcripts import Location

    import_transcripts(
        project, [write(tmp_path / "P1.txt", "Interviewer: Hello?\nP1: I was nervous at first.\n")], "Maya"
    )
    apply_codes(project, "Maya", ["Nerves"], "P1", [Location(match="nervous")], create=True)
    document, _ = write_report(run, "--include", "agreement")
    assert "Only Maya has coded the transcripts, so there is no agreement between analysts to report." in [
        p.text for p in document.paragraphs
    ]


def test_an_empty_project_gets_a_short_report_saying_what_is_missing(run, project):
    result = run("-p", "study", "report", "--include", "all")
    assert result.exit_code == 0
    assert "missing: no transcripts: import them with `qualcode transcript import FILES`" in result.output
    assert "missing: no codes" in result.output and "missing: no themes" in result.output
    assert result.output.strip().endswith("wrote exports/study-report.docx")
    document = Document("exports/study-report.docx")
    text = [p.text for p in document.paragraphs]
    assert "This report is incomplete. The project has:" in text
    assert styled(document, "List Bullet")[0] == "no transcripts"
    assert not any("`" in t or "qualcode theme" in t or "qualcode code" in t for t in text)  # no shell commands
    assert "The project has no themes yet." in text
    assert "The codebook has no codes yet." in text
    assert "No analyst has coded the transcripts, so there is no agreement between analysts to report." in text
    assert not document.inline_shapes


def test_an_unwritable_output_path_is_one_line_and_leaves_nothing(run, study, tmp_path):
    (tmp_path / "blocker").write_text("a file where a folder should be")
    result = run("-p", "study", "report", "--out", "blocker/report.docx")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot write blocker/report.docx")
    assert len(result.output.strip().splitlines()) == 1
    assert (tmp_path / "blocker").read_text() == "a file where a folder should be"


def test_a_failure_while_writing_keeps_the_previous_report_and_no_partial_file(run, study, monkeypatch, tmp_path):
    write_report(run)
    before = Path("out/report.docx").read_bytes()

    def broken(content, path):
        Path(path).write_bytes(b"half a document")
        raise RuntimeError("disk full")

    monkeypatch.setattr("qualcode.report.gather.render_report", broken)
    with pytest.raises(RuntimeError):
        run("-p", "study", "report", "--out", "out/report.docx")
    assert Path("out/report.docx").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.docx"]


def test_bad_options_are_refused_before_anything_is_written(run, study):
    result = run("-p", "study", "report", "--include", "journal,apendix")
    assert result.exit_code == 1
    assert "unknown appendix 'apendix'; --include takes codebook, agreement, journal, audit or all" in result.output
    result = run("-p", "study", "report", "--out", "report.pdf")
    assert result.exit_code == 1 and "give --out a name ending in .docx" in result.output
    assert not Path("exports").exists() and not Path("report.pdf").exists()


def test_json_result_for_scripts(run, study):
    import json

    result = run("-p", "study", "report", "--out", "out/r.docx", "--include", "all", "--json")
    data = json.loads(result.output)
    assert data["path"] == "out/r.docx" and data["themes"] == 2
    assert data["appendices"] == ["codebook", "agreement", "journal", "audit"]
    assert data["missing"] == []
    assert any(w.startswith(f"theme '{ANXIETY_THEME}'") for w in data["warnings"])


def test_a_final_subtheme_under_a_theme_not_final_is_reported_as_a_theme(run, study, project):
    for theme in (RUPTURE_THEME, ANXIETY_THEME):
        set_theme_status(project, "Maya", theme, "reviewed")
    set_theme_status(project, "Maya", QUIET, "final")
    document, _ = write_report(run)
    assert styled(document, "Heading 2") == [QUIET]
    assert [c.text for c in table_headed(document, "Theme").rows[1].cells][:1] == [QUIET]
    # The map cannot show it among final themes (its parent is not final), so it maps every theme in play.
    assert len(document.inline_shapes) == 1
    assert any(c.startswith("Figure 1. Thematic map of the themes in play") for c in styled(document, "Caption"))


def test_a_theme_without_codes_is_marked_and_listed(run, study, project):
    from qualcode.analysis.themes import add_theme

    add_theme(project, "Maya", "Supervision as a second room")
    set_theme_status(project, "Maya", "Supervision as a second room", "final")
    document, output = write_report(run)
    assert "[No extracts: no codes are assigned to this theme yet.]" in [p.text for p in document.paragraphs]
    assert (
        "warning: theme 'Supervision as a second room': no definition; no central organising concept;"
        " no extracts (no codes assigned)"
    ) in output


def test_agreement_tables_are_capitalised_like_the_others_and_their_note_is_whole_sentences(run, study, project):
    from qualcode.compare.codings import compare_agreement
    from qualcode.compare.figures import agreement_table

    document, _ = write_report(run, "--include", "agreement")
    document_level = next(t for t in document.tables if t.rows[0].cells[0].text == "Code")
    headers = [cell.text for cell in document_level.rows[0].cells]
    assert "Agreement" in headers and "agreement" not in headers
    assert "a (both)" in headers  # the symbols the note explains keep their case
    labels = [row.cells[0].text for row in document_level.rows]
    assert "All codes pooled" in labels and "all codes pooled" not in labels
    # Each line the terminal prints on its own is a sentence of the note, with its full stop.
    caption = agreement_table(compare_agreement(project, ["Maya", "Tom"], ["document"])[0]).caption
    note = next(p.text for p in document.paragraphs if p.text.startswith("Note. Document level"))
    for line in caption:
        line = line.replace("`", "").strip()
        assert (line if line.endswith(".") else line + ".") in note


def test_journal_appendix_names_kinds_and_targets_in_words(run, project):
    from qualcode.analysis.memos import add_memo
    from qualcode.analysis.themes import add_theme

    add_theme(project, "Maya", QUIET)
    add_memo(project, "Maya", "Kept the subthemes apart.", kind="decision", on=f"theme:{QUIET}")
    document, _ = write_report(run, "--include", "journal")
    text = [p.text for p in document.paragraphs]
    header = next(t for t in text if "· Maya · decision memo" in t)
    assert header.endswith(f"— phase 1 (familiarisation), on the theme ‘{QUIET}’")
    assert any(t.endswith("· Maya · phase change — phase 1 (familiarisation)") for t in text)
    # qualcode's own note on the first phase reads as a sentence; the analysts' words are untouched.
    assert "Project created." in text and "project created" not in text
    assert "Kept the subthemes apart." in text


def test_a_one_participant_study_and_a_theme_without_extracts_read_correctly(run, project, tmp_path):
    from qualcode.analysis.coding import apply_codes
    from qualcode.analysis.themes import add_theme
    from qualcode.text.ingest import import_transcripts
    from qualcode.text.transcripts import Location

    import_transcripts(
        project, [write(tmp_path / "P1.txt", "Interviewer: Hello?\nP1: I was nervous at first.\n")], "Maya"
    )
    apply_codes(project, "Maya", ["Nerves"], "P1", [Location(match="I was nervous at first.")], create=True)
    add_theme(project, "Maya", "First nerves", codes=["Nerves"])
    add_theme(project, "Maya", "Still to build")
    document, _ = write_report(run, "--counts")
    text = [p.text for p in document.paragraphs]
    assert "1 extract from 1 of 1 participant; codes: Nerves; status: candidate." in text
    assert "Status: candidate." in text  # not "0 extracts from 0 of 1 participants"
    assert not any(t.startswith("0 extracts") for t in text)
    assert "[No extracts: no codes are assigned to this theme yet.]" in text
    # The table of themes leaves out the Subthemes column: no theme has any.
    themes = table_headed(document, "Theme")
    assert [c.text for c in themes.rows[0].cells] == ["Theme", "Definition", "n/N", "Extracts"]
    # Without counts (the default for reflexive TA) the same section says it in words.
    document, _ = write_report(run)
    text = [p.text for p in document.paragraphs]
    assert "Extracts from across the data set; codes: Nerves; status: candidate." in text
    assert not any(re.search(r"\d+ extracts? from", t) for t in text)
    assert [c.text for c in table_headed(document, "Theme").rows[0].cells] == ["Theme", "Definition"]
