"""`qualcode export themes|codebook|extracts|journal`: each format read back as a co-author would."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from helpers import (
    ANXIETY_THEME,
    BODY_P3,
    QUIET,
    REPAIR_P2,
    REPAIR_P6,
    RUPTURE_DEFINITION,
    RUPTURE_THEME,
    TALKING,
    WITHDRAWN_P2,
    WITHDRAWN_P6,
    build_study,
)
from openpyxl import load_workbook

from qualcode.exporters.table_text import latex_escape, to_latex, to_markdown
from qualcode.exporters.tables import Column, Table


@pytest.fixture
def study(project, tmp_path):
    return build_study(project, tmp_path)


def export(run, *args: str) -> str:
    result = run("-p", "study", "export", *args)
    assert result.exit_code == 0, result.output
    return result.output


# -- the table of themes --------------------------------------------------------------------


def test_themes_csv_has_one_row_per_theme_with_n_and_N_as_numbers(run, study):
    rows = list(csv.DictReader(io.StringIO(export(run, "themes", "--counts", "--format", "csv", "--out", "-"))))
    assert rows == [
        {
            "Theme": RUPTURE_THEME,
            "Subthemes": f"{QUIET}; {TALKING}",
            "Definition": RUPTURE_DEFINITION,
            "Participants (n)": "2",
            "Participants (N)": "3",
            "Extracts": "5",
        },
        {
            "Theme": ANXIETY_THEME,
            "Subthemes": "",
            "Definition": "[definition to be written]",
            "Participants (n)": "1",
            "Participants (N)": "3",
            "Extracts": "1",
        },
    ]


def test_themes_markdown_is_a_pipe_table_with_a_caption_and_note(run, study):
    lines = export(run, "themes", "--counts", "--format", "md", "--out", "-").splitlines()
    assert lines[0] == "Table: Themes and subthemes"
    assert lines[2] == "| Theme | Subthemes | Definition | n/N | Extracts |"
    assert lines[3] == "|---|---|---|---:|---:|"
    assert lines[4] == f"| {RUPTURE_THEME} | {QUIET}; {TALKING} | {RUPTURE_DEFINITION} | 2/3 | 5 |"
    assert lines[-1].startswith("*Note.* These are the two themes marked final")


def test_themes_latex_uses_booktabs(run, study):
    latex = export(run, "themes", "--counts", "--format", "latex", "--out", "-").splitlines()
    for rule in (r"\toprule", r"\midrule", r"\bottomrule"):
        assert latex.count(rule) == 1
    assert latex.index(r"\toprule") < latex.index(r"\midrule") < latex.index(r"\bottomrule")
    assert r"Theme & Subthemes & Definition & n/N & Extracts \\" in latex
    assert f"{RUPTURE_THEME} & {QUIET} \\newline {TALKING} & {RUPTURE_DEFINITION} & 2/3 & 5 \\\\" in latex
    assert r"\caption{Themes and subthemes}" in latex and r"\label{tab:themes}" in latex


def test_latex_escapes_special_characters():
    assert latex_escape("Fees & costs: 100% of $5_000 #1 {a} ~x^2 \\") == (
        r"Fees \& costs: 100\% of \$5\_000 \#1 \{a\} \textasciitilde{}x\textasciicircum{}2 \textbackslash{}"
    )
    assert latex_escape('a "quite wooden" persona ("blank screen")') == "a ``quite wooden'' persona (``blank screen'')"
    table = Table("Costs & fees", [Column("a", "A_1")], [{"a": "50%"}])
    latex = to_latex(table)
    assert r"\caption{Costs \& fees}" in latex and r"A\_1 \\" in latex and r"50\% \\" in latex


def test_markdown_cells_keep_pipes_and_newlines_from_breaking_the_table():
    table = Table("T", [Column("a", "A"), Column("b", "B")], [{"a": "either | or", "b": "two\nlines"}])
    assert to_markdown(table).splitlines()[4] == r"| either \| or | two lines |"


def test_themes_xlsx_cells_read_back_with_openpyxl(run, study):
    assert export(run, "themes", "--counts", "--out", "tables/themes.xlsx").strip() == "wrote tables/themes.xlsx"
    sheet = load_workbook("tables/themes.xlsx").active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Theme", "Subthemes", "Definition", "Participants (n)", "Participants (N)", "Extracts"]
    assert rows[1] == [RUPTURE_THEME, f"{QUIET}\n{TALKING}", RUPTURE_DEFINITION, 2, 3, 5]
    assert rows[2][:2] == [ANXIETY_THEME, None]
    assert rows[-1][0].startswith("Note. These are the two themes marked final")
    assert sheet.freeze_panes == "A2"


def test_themes_docx_is_a_word_table_with_a_caption(run, study):
    export(run, "themes", "--counts", "--format", "docx")
    document = Document("exports/study-themes.docx")
    caption = next(p for p in document.paragraphs if p.style.name == "Caption")
    assert caption.text == "Table 1. Themes and subthemes"
    # Numbered by a SEQ field, as Word's Insert Caption does, with "Table 1." in bold.
    assert "SEQ Table" in caption._p.xml
    assert [r.text for r in caption.runs if r.bold] == ["Table ", "1", ". "]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Theme", "Subthemes", "Definition", "n/N", "Extracts"]
    assert [c.text for c in table.rows[1].cells] == [
        RUPTURE_THEME,
        f"{QUIET}\n{TALKING}",
        RUPTURE_DEFINITION,
        "2/3",
        "5",
    ]
    assert all(run_.bold for cell in table.rows[0].cells for run_ in cell.paragraphs[0].runs)


# -- codebook, extracts, journal --------------------------------------------------------------


def test_codebook_csv_markdown_and_docx(run, study):
    rows = {r["Code"]: r for r in csv.DictReader(io.StringIO(export(run, "codebook", "--out", "-")))}
    assert rows["Withdrawal"] == {
        "Code": "Withdrawal",
        "Parent": "Rupture",
        "Description": "The client goes quiet or away",
        "Codings": "3",
        "Participants": "2",
        "Themes": QUIET,
    }
    assert rows["Measures"]["Themes"] == "Outcome measures as pressure"
    markdown = export(run, "codebook", "--format", "md", "--out", "-").splitlines()
    assert "| Felt sense |  | Bodily reactions as information | 1 | 1 | Anxiety in the room |" in markdown
    export(run, "codebook", "--format", "docx", "--out", "book.docx")
    table = Document("book.docx").tables[0]
    assert ["Repair", "", "Working a rupture through", "2", "2", TALKING] in [
        [c.text for c in r.cells] for r in table.rows
    ]


def test_extracts_of_a_theme_include_its_subthemes_codes(run, study):
    rows = list(csv.DictReader(io.StringIO(export(run, "extracts", "--theme", RUPTURE_THEME, "--out", "-"))))
    texts = [(r["Participant"], r["Code"], r["Analyst"], r["Extract"]) for r in rows]
    assert ("P6", "Withdrawal", "Maya", WITHDRAWN_P6) in texts and ("P6", "Withdrawal", "Tom", WITHDRAWN_P6) in texts
    assert ("P2", "Repair", "Tom", REPAIR_P2) in texts and ("P6", "Repair", "Maya", REPAIR_P6) in texts
    assert len(rows) == 6  # five passages, one coded by both analysts
    assert [r["Transcript"] for r in rows] == ["P2", "P2", "P2", "P6", "P6", "P6"]


def test_extracts_of_a_code_as_xlsx_and_markdown(run, study):
    assert export(run, "extracts", "--code", "withdrawal", "--format", "xlsx").strip() == (
        "wrote exports/study-extracts-withdrawal.xlsx"
    )
    sheet = load_workbook("exports/study-extracts-withdrawal.xlsx").active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Coding", "Code", "Participant", "Transcript", "Lines", "Speaker", "Analyst", "Extract"]
    assert [r[2] for r in rows[1:]] == ["P2", "P6", "P6"] and rows[1][7] == WITHDRAWN_P2
    assert isinstance(rows[1][0], int)
    markdown = export(run, "extracts", "--code", "Repair", "--format", "md", "--out", "-")
    assert markdown.splitlines()[0] == "Table: Extracts coded 'Repair'"
    assert f"| Repair | P6 | P6 | 4 | P6 | Maya | {REPAIR_P6} |" in markdown


def test_extracts_refuse_a_code_and_a_theme_at_once_and_unknown_names(run, study):
    both = run("-p", "study", "export", "extracts", "--code", "Repair", "--theme", RUPTURE_THEME)
    assert both.exit_code == 2 and "choose --code or --theme, not both" in both.output
    unknown = run("-p", "study", "export", "extracts", "--code", "Repiar")
    assert unknown.exit_code == 1 and "Repair" in unknown.output
    assert not Path("exports").exists()


def test_journal_as_markdown_and_word(run, study):
    markdown = export(run, "journal", "--out", "-")
    assert markdown.startswith("# Reflexive journal: Study")
    assert "Reading P6 I noticed how quickly I sided with the therapist." in markdown
    assert "Went back from phase 5 (defining and naming themes) to phase 4 (reviewing themes)." in markdown
    only_tom = export(run, "journal", "--by", "Tom", "--out", "-")
    assert "Decided to keep Withdrawal under Rupture." in only_tom and "Reading P6" not in only_tom
    assert export(run, "journal", "--format", "docx").strip() == "wrote exports/study-journal.docx"
    document = Document("exports/study-journal.docx")
    text = [p.text for p in document.paragraphs]
    assert text[0] == "Reflexive journal: Study" and document.paragraphs[0].style.name == "Title"
    assert "Decided to keep Withdrawal under Rupture." in text
    header = next(p for p in document.paragraphs if "· Tom · decision" in p.text)
    assert header.runs[0].bold and header.text.endswith("— phase 4 (reviewing themes)")


# -- formats and files ----------------------------------------------------------------------


def test_format_follows_the_file_name_and_defaults_to_csv(run, study):
    assert export(run, "themes", "--out", "paper/themes.tex").strip() == "wrote paper/themes.tex"
    assert r"\toprule" in Path("paper/themes.tex").read_text()
    assert export(run, "themes").strip() == "wrote exports/study-themes.csv"
    # Reflexive TA: no frequencies unless asked for, by the command or the project.
    assert Path("exports/study-themes.csv").read_text().startswith("Theme,Subthemes,Definition\n")
    assert run("-p", "study", "config", "counts", "on").exit_code == 0
    export(run, "themes")
    assert Path("exports/study-themes.csv").read_text().startswith("Theme,Subthemes,Definition,Participants (n)")


def test_wrong_formats_are_refused_with_the_choices(run, study):
    spreadsheet = run("-p", "study", "export", "themes", "--format", "xlsx", "--out", "-")
    assert (
        spreadsheet.exit_code == 1
        and "xlsx is not a text format; write it to a file with --out PATH" in spreadsheet.output
    )
    unknown = run("-p", "study", "export", "codebook", "--format", "latex")
    assert unknown.exit_code == 1 and "unknown format 'latex'; choose one of csv, md, docx" in unknown.output
    unclear = run("-p", "study", "export", "themes", "--out", "themes.pdf")
    assert unclear.exit_code == 1 and "add --format (csv|md|latex|docx|xlsx)" in unclear.output


def test_an_unwritable_path_is_one_line_and_nothing_is_left(run, study, tmp_path):
    (tmp_path / "blocker").write_text("not a folder")
    result = run("-p", "study", "export", "themes", "--format", "docx", "--out", "blocker/themes.docx")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: cannot write blocker/themes.docx: blocker is a file, not a folder (choose another --out)"
    ]
    folder = tmp_path / "out"
    folder.mkdir()
    result = run("-p", "study", "export", "themes", "--format", "csv", "--out", str(folder))
    assert result.exit_code == 1 and "is a folder; give a file name" in result.output
    assert list(folder.iterdir()) == []


# -- layout ---------------------------------------------------------------------------------

POINTS_PER_EMU = 1 / 12700


def audit_like_table(rows: int = 12) -> Table:
    """Dates and commands that fit on one line, beside a column of long lists of names."""
    names = "Approach and technique, Working with difference, Anxiety in the room, and 25 more"
    return Table(
        "Audit trail",
        [Column("at", "When (UTC)"), Column("command", "Command"), Column("names", "Codes named")],
        [{"at": f"2026-03-{i + 1:02d} 09:37–10:12", "command": "code apply ×5", "names": names} for i in range(rows)],
    )


def test_word_table_keeps_dates_and_commands_on_one_line_and_gives_long_text_the_rest(tmp_path):
    from qualcode.exporters.table_files import write_table

    write_table(audit_like_table(), "docx", tmp_path / "audit.docx")
    document = Document(str(tmp_path / "audit.docx"))
    widths = [column.w * POINTS_PER_EMU for column in document.tables[0]._tbl.tblGrid.gridCol_lst]
    section = document.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) * POINTS_PER_EMU
    assert sum(widths) == pytest.approx(text_width, abs=1)
    # 9 pt text is at least 4.5 pt a character, and Word keeps 0.05 inch (3.6 pt) free on each side.
    at, command, names = widths
    assert at >= len("2026-03-01 09:37–10:12") * 4.5 + 7.2
    assert command >= len("code apply ×5") * 4.5 + 7.2
    assert names > at and names > command


def test_printed_tables_leave_out_a_column_empty_in_every_row_spreadsheets_keep_it(tmp_path):
    from qualcode.exporters.table_files import write_table
    from qualcode.exporters.table_text import to_csv

    table = Table(
        "Themes",
        [Column("theme", "Theme"), Column("subthemes", "Subthemes"), Column("n", "Extracts", numeric=True)],
        [{"theme": "Rupture", "subthemes": None, "n": 4}, {"theme": "Repair", "subthemes": [], "n": 2}],
    )
    assert to_markdown(table).splitlines()[2] == "| Theme | Extracts |"
    assert "Subthemes" not in to_latex(table)
    assert to_csv(table).splitlines()[0] == "Theme,Subthemes,Extracts"
    write_table(table, "docx", tmp_path / "t.docx")
    assert [c.text for c in Document(str(tmp_path / "t.docx")).tables[0].rows[0].cells] == ["Theme", "Extracts"]


def test_a_wide_table_in_a_word_file_of_its_own_is_on_landscape_pages(run, study, tmp_path):
    from qualcode.exporters.table_files import write_table

    # A codebook as long words make it (the demo's): six columns do not fit upright without
    # breaking headers inside words.
    headers = ["Code", "Parent", "Description", "Codings", "Participants", "Themes"]
    row = {
        "c0": "Relationship-building",
        "c1": "Approach and technique",
        "c2": "Non-compliance, lateness read as",
        "c3": 12,
        "c4": 6,
        "c5": "Repair through metacommunication",
    }
    table = Table("Codebook", [Column(f"c{i}", h, numeric=i in (3, 4)) for i, h in enumerate(headers)], [row])
    write_table(table, "docx", tmp_path / "book.docx")
    document = Document(str(tmp_path / "book.docx"))
    page = document.sections[0]
    assert page.page_width > page.page_height
    # No header is broken inside a word: each column is wider than its header in 9 pt bold (at
    # least 5 pt a character) and the cell margins.
    widths = [c.w * POINTS_PER_EMU for c in document.tables[0]._tbl.tblGrid.gridCol_lst]
    assert all(width >= len(header) * 5 + 7.2 for width, header in zip(widths, headers))
    export(run, "themes", "--format", "docx", "--out", "themes.docx")
    page = Document("themes.docx").sections[0]
    assert page.page_width < page.page_height  # five columns fit upright


def test_latex_text_columns_share_the_line_and_numbers_take_their_own_width(run, study):
    latex = export(run, "themes", "--counts", "--format", "latex", "--out", "-")
    spec = next(line for line in latex.splitlines() if line.startswith(r"\begin{tabularx}{\linewidth}"))
    factors = [float(f) for f in re.findall(r"\\hsize=([0-9.]+)\\hsize\}X", spec)]
    assert len(factors) == 3 and sum(factors) == pytest.approx(3, abs=0.001)  # Theme, Subthemes, Definition
    assert spec.endswith("rr}")  # n/N and Extracts
    assert r"\end{tabularx}" in latex and r"\usepackage{tabularx}" in latex


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("geometry", ["", r"\usepackage[margin=1in]{geometry}"])
def test_latex_table_compiles_within_the_text_width(run, study, tmp_path, geometry):
    export(run, "themes", "--format", "latex", "--out", "themes.tex")
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{booktabs,array,tabularx}"
        + geometry
        + "\\begin{document}\\input{themes.tex}\\end{document}\n"
    )
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    log = (tmp_path / "paper.log").read_text(errors="replace")
    assert "Overfull \\hbox" not in log


def test_xlsx_columns_fit_their_content_and_numbers_sit_at_the_top_of_the_row(run, study):
    export(run, "themes", "--counts", "--out", "themes.xlsx")
    sheet = load_workbook("themes.xlsx").active
    widths = {
        sheet.cell(1, i).value: sheet.column_dimensions[sheet.cell(1, i).column_letter].width for i in range(1, 7)
    }
    assert all(10 <= width <= 70 for width in widths.values())
    assert widths["Definition"] > widths["Theme"] >= len(RUPTURE_THEME)  # a theme's name on one line
    assert widths["Participants (n)"] >= len("Participants (n)")
    for cell in sheet[2]:
        assert cell.alignment.vertical == "top"
    assert sheet["C2"].alignment.wrap_text


def test_codebook_carries_inclusion_and_exclusion_criteria_and_an_example_on_request(run, study, project):
    from qualcode.analysis.coding import add_code

    add_code(
        project,
        "Maya",
        "Humour",
        description="Laughing about the work",
        inclusion="The participant jokes about therapy",
        exclusion="Laughter reported of a client",
    )
    rows = {r["Code"]: r for r in csv.DictReader(io.StringIO(export(run, "codebook", "--out", "-")))}
    assert rows["Humour"]["Include when"] == "The participant jokes about therapy"
    assert rows["Humour"]["Exclude when"] == "Laughter reported of a client"
    assert "Example extract" not in rows["Humour"]
    with_examples = csv.DictReader(io.StringIO(export(run, "codebook", "--examples", "--out", "-")))
    examples = {r["Code"]: r["Example extract"] for r in with_examples}
    assert examples["Felt sense"] == f"“{BODY_P3}” (P3)"
    assert examples["Humour"] == ""  # no coded passage to show


def test_printed_tables_group_digits_as_prose_does_and_spreadsheets_keep_numbers(tmp_path):
    from qualcode.exporters.table_files import write_table
    from qualcode.wording import counted

    table = Table(
        "Transcripts",
        [
            Column("coding_id", "Coding", numeric=True, grouped=False),
            Column("p", "Participant"),
            Column("words", "Words", numeric=True),
        ],
        [{"coding_id": 1204, "p": "P6", "words": 14494}, {"coding_id": 7, "p": "P2", "words": 980}],
    )
    assert counted(14494, "word") == "14,494 words"  # what the prose says of the same count
    markdown = to_markdown(table).splitlines()
    assert markdown[4:6] == ["| 1204 | P6 | 14,494 |", "| 7 | P2 | 980 |"]
    latex = to_latex(table)
    assert r"1204 & P6 & 14,494 \\" in latex and r"7 & P2 & 980 \\" in latex
    write_table(table, "docx", tmp_path / "t.docx")
    rows = [[c.text for c in row.cells] for row in Document(str(tmp_path / "t.docx")).tables[0].rows]
    assert rows[1:] == [["1204", "P6", "14,494"], ["7", "P2", "980"]]
    write_table(table, "xlsx", tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert sheet["C2"].value == 14494 and sheet["C2"].number_format == "#,##0"
    assert sheet["A2"].value == 1204 and sheet["A2"].number_format == "General"
    assert write_table(table, "csv", tmp_path / "t.csv").read_text().splitlines()[1] == "1204,P6,14494"
