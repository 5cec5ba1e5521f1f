"""Comparing co-analysts from the shell: agreement tables, disagreements, code correspondence,
consensus merge, and the bad input the issue names.

The study is small enough to work every figure out by hand. P1 is exactly 100 characters:

    Interviewer: How did it start?                                        (characters 0-30)
    P1: I kept pushing the homework, she kept agreeing, then went silent.  (31-100, words from 35)

    Rupture     Ana 35-75, Ben 55-95   -> a = 20, b = 20, c = 20, d = 40
    Repair      Ana 80-100             -> a = 0,  b = 20, c = 0,  d = 80
    Withdrawal  Ben 85-100             -> a = 0,  b = 0,  c = 15, d = 85

P2 is coded by Ana only and P3 by nobody, so both are left out by default. Tom is an analyst
with no codings; Humour is a code nobody used.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from helpers import squash, write

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes, merge_codes
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.wording import counted

P1 = "Interviewer: How did it start?\nP1: I kept pushing the homework, she kept agreeing, then went silent."
P2 = "Interviewer: And later?\nP2: We talked about what had been happening between us."
P3 = "Interviewer: Anything else?\nP3: No, that is all."


@pytest.fixture
def study(tmp_path):
    project = Project.create(tmp_path / "projects" / "study.qualcode", "Ana")
    add_analyst(project, "Ana", "Ben")
    add_analyst(project, "Ana", "Tom")
    paths = [write(tmp_path / f"{name}.txt", text + "\n") for name, text in (("P1", P1), ("P2", P2), ("P3", P3))]
    import_transcripts(project, paths, "Ana")
    for code in ("Rupture", "Repair", "Withdrawal", "Humour"):
        add_code(project, "Ana", code)
    apply_codes(project, "Ana", ["Rupture"], "P1", spans=[(35, 75)])
    apply_codes(project, "Ben", ["Rupture"], "P1", spans=[(55, 95)])
    apply_codes(project, "Ana", ["Repair"], "P1", spans=[(80, 100)])
    apply_codes(project, "Ben", ["Withdrawal"], "P1", spans=[(85, 100)])
    apply_codes(project, "Ana", ["Rupture"], "P2", spans=[(28, 79)])  # all of P2's answer
    yield project
    project.close()


# Textbook formulas for one 2x2 table (a both, b first only, c second only, d neither),
# written out here so the tool's figures are checked against an independent computation.


def cohen(a: int, b: int, c: int, d: int) -> float:
    n = a + b + c + d
    observed = (a + d) / n
    chance = ((a + b) / n) * ((a + c) / n) + ((c + d) / n) * ((b + d) / n)
    return (observed - chance) / (1 - chance)


def krippendorff_nominal(a: int, b: int, c: int, d: int) -> float:
    # Two coders, no missing values: coincidences o_11 = 2a, o_00 = 2d, o_01 = o_10 = b + c.
    n = 2 * (a + b + c + d)
    coded, uncoded = 2 * a + b + c, 2 * d + b + c
    return 1 - (n - 1) * (b + c) / (coded * uncoded)


def gwet_ac1(a: int, b: int, c: int, d: int) -> float:
    n = a + b + c + d
    observed = (a + d) / n
    share = ((a + b) / n + (a + c) / n) / 2
    chance = 2 * share * (1 - share)  # q = 2: (1 / (q - 1)) * sum of pi_k (1 - pi_k)
    return (observed - chance) / (1 - chance)


def figures(a: int, b: int, c: int, d: int) -> str:
    values = [
        (a + d) / (a + b + c + d),
        cohen(a, b, c, d),
        krippendorff_nominal(a, b, c, d),
        gwet_ac1(a, b, c, d),
        a / (a + b + c),
    ]
    return " ".join(f"{count:,}" for count in (a, b, c, d)) + " " + " ".join(f"{v + 0.0:.3f}" for v in values)


def audit_count(project: Project) -> int:
    return project.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def consensus_spans(project: Project, analyst: str = "Consensus") -> set[tuple[str, str, int, int]]:
    return {
        tuple(row)
        for row in project.db.execute(
            "SELECT t.name, k.name, c.start, c.[end] FROM codings c JOIN transcripts t ON t.id = c.transcript_id"
            " JOIN codes k ON k.id = c.code_id JOIN analysts a ON a.id = c.analyst_id WHERE a.name = ?",
            [analyst],
        )
    }


# -- agreement ---------------------------------------------------------------------------------


def test_character_level_table_matches_the_hand_computed_figures(run, study):
    result = run("compare", "agreement")
    assert result.exit_code == 0, result.output
    table = squash(result.output)
    assert "Agreement at character level: Ana and Ben" in table
    assert "code a (both) b (Ana) c (Ben) d (none) agreement Cohen κ α AC1 Jaccard" in table
    # A coded 35-75 and B 55-95 in a 100-character text: a = 20, b = 20, c = 20, d = 40, so
    # percent agreement .600 and kappa (.6 - .52) / .48.
    assert f"Rupture {figures(20, 20, 20, 40)}" in table
    assert figures(20, 20, 20, 40).startswith("20 20 20 40 0.600 0.167")
    # Ben never used Repair: kappa is exactly 0, which is defined, while agreement is 80 %.
    assert f"Repair {figures(0, 20, 0, 80)}" in table
    assert f"Withdrawal {figures(0, 0, 15, 85)}" in table
    # Pooled over the three codes: one 2x2 table of 300 characters.
    assert f"all codes pooled {figures(20, 40, 35, 205)}" in table


def test_output_names_the_transcripts_left_out_and_frames_figures_for_discussion(run, study):
    output = " ".join(run("compare", "agreement").output.split())
    assert "Transcripts compared (1): P1." in output
    assert "Left out (2): P2 (not coded by Ben), P3 (not coded by either analyst)." in output
    assert "prompts for discussion, not a quality gate" in output
    assert "For information, not as a pass mark: Krippendorff (2004) suggests relying on α ≥ .800" in output
    assert "fail" not in output.lower() and "pass " not in output.lower().replace("pass mark", "")


def test_json_gives_counts_coefficients_and_transcripts_with_reasons(run, study):
    data = json.loads(run("compare", "agreement", "--json").output)
    assert data["level"] == "character" and data["analysts"] == ["Ana", "Ben"]
    rupture = next(row for row in data["rows"] if row["code"] == "Rupture")
    assert rupture["counts"] == {"a": 20, "b": 20, "c": 20, "d": 40, "n": 100}
    assert rupture["coefficients"]["cohen_kappa"]["value"] == pytest.approx(cohen(20, 20, 20, 40))
    assert rupture["coefficients"]["krippendorff_alpha"]["value"] == pytest.approx(krippendorff_nominal(20, 20, 20, 40))
    assert data["included_transcripts"] == ["P1"]
    assert data["excluded_transcripts"] == [
        {"transcript": "P2", "reason": "not coded by Ben"},
        {"transcript": "P3", "reason": "not coded by either analyst"},
    ]


def test_all_transcripts_counts_text_only_one_analyst_coded(run, study):
    data = json.loads(run("compare", "agreement", "--all-transcripts", "--code", "Rupture", "--json").output)
    assert data["included_transcripts"] == ["P1", "P2"]
    assert data["excluded_transcripts"] == [{"transcript": "P3", "reason": "not coded by either analyst"}]
    # P2 (79 characters) adds the 51 characters Ana coded to b and the other 28 to d.
    assert data["rows"][0]["counts"] == {"a": 20, "b": 20 + 51, "c": 20, "d": 40 + 28, "n": 179}


WIDE = {"COLUMNS": "160"}  # counts and figures side by side in one table


def test_undefined_values_read_undefined_with_the_reason_in_a_footnote(run, study):
    table = squash(run("compare", "agreement", "--level", "document", env=WIDE).output)
    # Both analysts used Rupture in the one transcript compared: no variation, so kappa and
    # alpha are undefined rather than 1; percent agreement and AC1 stay defined.
    assert "Rupture 1 0 0 0 1.000 undefined¹ undefined¹ 1.000 1.000" in table
    assert "¹ undefined: no variation: every analyst used this code in every transcript" in table
    assert "Counts: a = transcripts both analysts coded with the code, b = the first analyst only" in (
        " ".join(table.split())
    )
    # The mean over codes says which of its figures cover fewer codes than the table shows.
    assert "mean over codes = unweighted mean of the 3 code rows (Cohen κ and α over the 2 where defined)" in (
        " ".join(table.split())
    )
    assert f"Repair 0 1 0 0 {0.0:.3f} 0.000" in table


def test_one_code_in_one_transcript_reads_in_the_singular(run, study):
    caption = " ".join(run("compare", "agreement", "--code", "Rupture").output.split())
    assert "mean over cells = unweighted mean over 1 cell (a cell is one code in one transcript)" in caption
    assert "mean over codes = unweighted mean of the 1 code row." in caption


def test_an_80_column_terminal_gets_figures_and_counts_as_two_tables_that_fit(run, study):
    output = run("compare", "agreement", "--by-transcript", "--all-transcripts", env={"COLUMNS": "80"}).output
    assert max(len(line) for line in output.splitlines()) <= 80
    table = squash(output)
    # The figures first, then the counts behind them; the overall means have no counts.
    # Rupture over P1 and P2 (79 characters, 51 of them coded by Ana alone): a = 20, b = 71,
    # c = 20, d = 68.
    assert f"Rupture {figures(20, 71, 20, 68).split(' ', 4)[4]}" in table
    assert "Counts behind the figures\ncode a (both) b (Ana) c (Ben) d (none)" in table
    assert "\nRupture 20 71 20 68\n" in table
    assert "all codes pooled 20 91 35 391\n" in table
    assert "mean over codes" not in table.split("Counts behind the figures")[1].split("Per transcript")[0]
    assert "\nRupture P2 0 51 0 28\n" in table


def test_segment_level_counts_agreements_and_uses_the_codebook_size_as_q(run, study):
    strict = squash(run("compare", "agreement", "--level", "segment").output)
    # Rupture's two segments overlap by 20 / 60 characters (intersection over union), below 0.9.
    assert "Rupture 0 2 0.000" in strict
    q = 4  # Rupture, Repair, Withdrawal and Humour are the active codebook
    assert f"all codes pooled 0 4 0.000 {(0 - 1 / q) / (1 - 1 / q):.3f}" in strict
    lenient = squash(run("compare", "agreement", "--level", "segment", "--threshold", "0.3").output)
    assert "Rupture 2 2 1.000 1.000" in lenient
    assert f"all codes pooled 2 4 0.500 {(0.5 - 1 / q) / (1 - 1 / q):.3f}" in lenient
    assert "at least 0.3" in " ".join(lenient.split())
    assert (
        "chance agreement 1/q with q = 4, the size of the codebook (MAXQDA would take the 3 codes in the table)"
        in " ".join(lenient.split())
    )


def test_unitized_level_matches_the_coincidence_formulas(run, study):
    # Krippendorff 2016 / 2019 section 12.6, two analysts, T = 100. Ana: unit 35-75, gaps of 35
    # and 25; Ben: unit 55-95, gaps of 55 and 5. Observed coincidences over ordered pairs:
    unit_unit, unit_gap, gap_gap = 2 * 20, 2 * 20, 2 * (35 + 5)
    total = unit_unit + 2 * unit_gap + gap_gap  # m T = 200
    units, gaps = unit_unit + unit_gap, unit_gap + gap_gap
    denominator = total**2 - (40**2 + 40**2) - (35 + 25 + 55 + 5)
    expected_trace = total * (units * units - (40**2 + 40**2)) / denominator + total * (gaps * gaps - 120) / denominator
    alpha = 1 - (total - (unit_unit + gap_gap)) / (total - expected_trace)
    table = squash(run("compare", "agreement", "--level", "unitized", "--code", "Rupture").output)
    assert f"Rupture 2 80 100 {alpha:.3f}" in table
    assert f"{alpha:.3f}" == "0.236"


def test_level_all_and_csv_give_every_level(run, study):
    output = run("compare", "agreement", "--level", "all").output
    for level in ("document", "character", "segment", "unitized"):
        assert f"Agreement at {level} level: Ana and Ben" in output
    levels = json.loads(run("compare", "agreement", "--level", "all", "--json").output)
    assert [data["level"] for data in levels] == ["document", "character", "segment", "unitized"]
    assert levels[2]["parameters"] == {"threshold": 0.9, "q": 4}
    rows = list(csv.DictReader(io.StringIO(run("compare", "agreement", "--level", "all", "--csv").output)))
    assert {row["level"] for row in rows} == {"document", "character", "segment", "unitized"}
    rupture = next(r for r in rows if r["level"] == "character" and r["row"] == "code" and r["code"] == "Rupture")
    assert (rupture["a"], rupture["b"], rupture["c"], rupture["d"]) == ("20", "20", "20", "40")
    assert rupture["cohen_kappa"] == "0.167" and rupture["percent_agreement"] == "0.600"
    segment = next(r for r in rows if r["level"] == "segment" and r["row"] == "overall")
    assert (segment["threshold"], segment["q"]) == ("0.9", "4")  # how the segment figures were formed
    assert rupture["threshold"] == rupture["q"] == ""
    document = next(r for r in rows if r["level"] == "document" and r["code"] == "Rupture")
    assert document["cohen_kappa"] == "undefined"
    assert "cohen_kappa: undefined: no variation" in document["undefined_because"]


def test_by_transcript_adds_a_row_per_code_and_transcript(run, study):
    table = squash(
        run("compare", "agreement", "--by-transcript", "--all-transcripts", "--code", "Rupture", env=WIDE).output
    )
    assert "Per transcript" in table
    assert f"Rupture P1 {figures(20, 20, 20, 40)}" in table
    assert f"Rupture P2 {figures(0, 51, 0, 28)}" in table


def test_codings_of_a_merged_code_count_under_the_code_that_absorbed_them(run, study):
    merge_codes(study, "Ana", "Withdrawal", "Repair")
    data = json.loads(run("compare", "agreement", "--json").output)
    assert [row["code"] for row in data["rows"]] == ["Repair", "Rupture"]
    assert data["rows"][0]["counts"] == {"a": 15, "b": 5, "c": 0, "d": 80, "n": 100}


def test_three_analysts_with_codings_need_to_be_named(run, study):
    apply_codes(study, "Tom", ["Rupture"], "P1", spans=[(35, 60)])
    result = run("compare", "agreement")
    assert result.exit_code == 1
    assert "3 analysts have codings (Ana, Ben, Tom): choose whom to compare, e.g. --analysts Ana,Ben" in result.output
    three = squash(run("compare", "agreement", "--analysts", "Ana,Ben,Tom", "--code", "Rupture").output)
    # Too wide for 100 columns with Conger's kappa too: the figures, then the counts behind them.
    assert "code agreement Fleiss κ Conger κ Light κ α AC1 Jaccard" in three
    assert "code by all by some by none" in three
    # Tom coded 35-60: all three coded 55-60 (5), some coded 35-55 and 60-95 (55), none 40.
    assert "Rupture 5 55 40" in three
    assert "Cohen κ per pair of analysts, all codes pooled: Ana and Ben 0.167;" in " ".join(three.split())


# -- disagreements --------------------------------------------------------------------------


def test_disagreements_show_passage_speaker_turn_and_what_each_analyst_did(run, study):
    output = " ".join(run("compare", "disagreements", "Ana", "Ben").output.split())
    assert "#1 only Ana · line 2 · turn 2 · P1 · characters 80-100" in output
    assert P1[80:100] in output
    assert "Ben coded it with Rupture, Withdrawal instead." in output
    assert "#2 boundaries differ · line 2 · turn 2 · P1 · characters 35-95" in output
    assert f"Ana coded characters 35-75; only Ana: “{P1[35:55]}”." in output
    assert f"Ben coded characters 55-95; only Ben: “{P1[75:95]}”." in output
    assert "#3 only Ben · line 2 · turn 2 · P1 · characters 85-100" in output
    assert "Ana coded it with Repair instead." in output
    assert "3 passages to discuss in 1 transcript: 1 only Ana, 1 only Ben, 1 boundaries differ" in output
    assert "Left out (2): P2 (not coded by Ben), P3 (not coded by either analyst)." in output


def test_disagreements_in_a_narrow_terminal_keep_each_passage_indented_and_apart(run, study):
    lines = run("compare", "disagreements", "Ana", "Ben", env={"COLUMNS": "50"}).output.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("#2 "))
    start = next(i for i, line in enumerate(lines) if i > heading and line.startswith("  "))
    end = next(i for i, line in enumerate(lines) if i > start and not line.strip())
    item = lines[start:end]
    # The passage and what each analyst did wrap under the item, indented; a blank line and
    # the next code's heading follow.
    assert len(item) > 4 and all(line.startswith("  ") for line in item)
    assert lines[end + 1] == "Withdrawal" and lines[end + 2].startswith("#3 only Ben")
    assert " ".join(" ".join(item).split()).endswith(f"Ben coded characters 55-95; only Ben: “{P1[75:95]}”.")


def test_discussion_sheet_has_a_checkbox_text_and_room_for_each_decision(run, study, tmp_path):
    result = run("compare", "disagreements", "Ana", "Ben", "--format", "md")
    assert result.output == "wrote exports/study-disagreements-Ana-Ben.md\n"
    sheet = (tmp_path / "exports" / "study-disagreements-Ana-Ben.md").read_text(encoding="utf-8")
    assert sheet.startswith("# Coding disagreements: Ana and Ben\n")
    assert "| code | only Ana | only Ben | boundaries differ |" in sheet
    assert "| Rupture | 0 | 0 | 1 |" in sheet
    assert "| **all codes (3 passages)** | 1 | 1 | 1 |" in sheet
    assert sheet.count("- [ ] ") == 3 and sheet.count("**Decision:**") == 3
    assert "## P1\n\n### Repair\n\n- [ ] **1. Only Ana** · line 2 · turn 2 · P1 · characters 80-100\n" in sheet
    assert f"  > {P1[35:95]}\n" in sheet
    assert f"only Ben: “{P1[75:95]}”" in sheet
    assert [p.name for p in (tmp_path / "exports").iterdir()] == ["study-disagreements-Ana-Ben.md"]  # no temporary file


def test_a_passage_inside_the_other_analysts_says_so(run, study):
    apply_codes(study, "Ben", ["Repair"], "P1", spans=[(85, 95)])
    sheet = " ".join(
        run("compare", "disagreements", "Ana", "Ben", "--code", "Repair", "--format", "md", "--out", "-").output.split()
    )
    assert "**1. Boundaries differ** · line 2 · turn 2 · P1 · characters 80-100" in sheet
    assert f"Ana coded characters 80-100; only Ana: “{P1[80:85]}” … “{P1[95:100]}”." in sheet
    assert "Ben coded characters 85-95, all of it also coded by Ana." in sheet


def test_sheet_grouped_by_code_to_stdout_and_json(run, study):
    sheet = run(
        "compare",
        "disagreements",
        "Ana",
        "Ben",
        "--format",
        "md",
        "--out",
        "-",
        "--group-by",
        "code",
        "--all-transcripts",
    ).output
    assert sheet.index("## Rupture\n\n### P1") < sheet.index("### P2")
    assert "Ben did not code it." in sheet  # Ana's Rupture in P2
    data = json.loads(run("compare", "disagreements", "Ana", "Ben", "--json", "--code", "Rupture").output)
    assert [item["kind"] for item in data["disagreements"]] == ["boundaries differ"]
    item = data["disagreements"][0]
    assert (item["start"], item["end"], item["text"]) == (35, 95, P1[35:95])
    assert item["speakers"] == ["P1"] and item["turns"] == "2"
    assert item["only"] == {"Ana": [[35, 55]], "Ben": [[75, 95]]}


def test_sheet_goes_where_out_says_creating_folders(run, study, tmp_path):
    result = run("compare", "disagreements", "Ana", "Ben", "--format", "md", "--out", "meeting/may.md")
    assert result.output == "wrote meeting/may.md\n"
    assert (tmp_path / "meeting" / "may.md").read_text(encoding="utf-8").count("- [ ] ") == 3


# -- code correspondence -----------------------------------------------------------------------


def test_code_correspondence_finds_best_matches_both_ways(run, study):
    data = json.loads(run("compare", "codes", "Ana", "Ben", "--json").output)
    ana = {m["code"]: m for m in data["first"]}
    ben = {m["code"]: m for m in data["second"]}
    # Ana's Repair (80-100) and Ben's Withdrawal (85-100) share 15 of 20 characters.
    assert (ana["Repair"]["best"], ana["Repair"]["jaccard"], ana["Repair"]["mutual"]) == ("Withdrawal", 15 / 20, True)
    assert ana["Rupture"]["best"] == "Rupture" and ana["Rupture"]["jaccard"] == pytest.approx(20 / 60)
    # Ben's Rupture overlaps Ana's Rupture (20 / 60) and Ana's Repair (15 / 45) equally; more shared text wins.
    assert (ben["Rupture"]["best"], ben["Rupture"]["shared"]) == ("Rupture", 20)
    assert data["no_counterpart"] == {"Ana": [], "Ben": []}
    table = squash(run("compare", "codes", "Ana", "Ben").output)
    assert "Repair 20 Withdrawal 0.750 15 yes" in table


def test_codes_below_the_minimum_have_no_counterpart(run, study):
    table = " ".join(run("compare", "codes", "Ana", "Ben", "--min", "0.5").output.split())
    assert "Rupture 40 no counterpart (nearest: Rupture) 0.333 20" in table
    assert "Ana's codes with no counterpart: Rupture." in table
    rows = list(csv.DictReader(io.StringIO(run("compare", "codes", "Ana", "Ben", "--min", "0.5", "--csv").output)))
    withdrawal = next(r for r in rows if r["analyst"] == "Ben" and r["code"] == "Withdrawal")
    assert (withdrawal["best_match"], withdrawal["jaccard"]) == ("Repair", "0.750")


# -- consensus merge ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule, expected",
    [
        ("union", {("P1", "Rupture", 35, 95), ("P1", "Repair", 80, 100), ("P1", "Withdrawal", 85, 100)}),
        ("intersection", {("P1", "Rupture", 55, 75)}),
        # Ana's spans, and Ben's Withdrawal because Ana did not use Withdrawal in P1.
        ("prefer-A", {("P1", "Rupture", 35, 75), ("P1", "Repair", 80, 100), ("P1", "Withdrawal", 85, 100)}),
    ],
)
def test_merge_rules_give_the_consensus_these_spans(run, study, rule, expected):
    before = {name: consensus_spans(study, name) for name in ("Ana", "Ben")}
    result = run("compare", "merge", "Ana", "Ben", "--into", "Consensus", "--rule", rule)
    assert result.exit_code == 0, result.output
    assert consensus_spans(study) == expected
    assert {name: consensus_spans(study, name) for name in ("Ana", "Ben")} == before
    assert (
        f"created analyst Consensus with {counted(len(expected), 'coding')} on 1 transcript, rule {rule}"
        in result.output
    )


def test_merge_reports_per_code_and_records_a_decision_memo(run, study):
    data = json.loads(run("compare", "merge", "Ana", "Ben", "--into", "Consensus", "--json").output)
    assert data["codes"] == [
        {"code": "Repair", "first": 1, "second": 0, "consensus": 1},
        {"code": "Rupture", "first": 1, "second": 1, "consensus": 1},
        {"code": "Withdrawal", "first": 0, "second": 1, "consensus": 1},
    ]
    memo = study.db.execute(
        "SELECT kind, target_type, phase, body FROM memos WHERE id = ?", [data["memo_id"]]
    ).fetchone()
    assert memo[:3] == ("decision", None, 1)
    assert "by the rule 'union'" in memo[3] and "- Rupture: 1 / 1 / 1" in memo[3]
    assert "Left out (2): P2 (not coded by Ben), P3 (not coded by either analyst)." in memo[3]
    audited = study.db.execute(
        "SELECT DISTINCT entity FROM audit_log WHERE command = 'compare merge' AND action = 'insert'"
    ).fetchall()
    # The settings row marks Consensus as the consensus analyst (qualcode.analysis.visibility).
    assert {row[0] for row in audited} == {"analysts", "codings", "memos", "settings"}


def test_merge_into_an_analyst_with_codings_needs_replace_and_undo_restores(run, study):
    run("compare", "merge", "Ana", "Ben", "--into", "Consensus")
    union = consensus_spans(study)
    again = run("compare", "merge", "Ana", "Ben", "--into", "Consensus", "--rule", "intersection")
    assert again.exit_code == 1
    assert "Consensus already has 3 codings; pass --replace" in again.output
    assert consensus_spans(study) == union
    run("compare", "merge", "Ana", "Ben", "--into", "Consensus", "--rule", "intersection", "--replace")
    assert consensus_spans(study) == {("P1", "Rupture", 55, 75)}
    assert run("undo").exit_code == 0
    assert consensus_spans(study) == union


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["compare", "agreement", "--analysts", "Ana,ana"], "Ana is named twice: compare Ana with another analyst"),
        (["compare", "disagreements", "Ben", "Ben"], "Ben is named twice"),
        (["compare", "codes", "Ana", "Ana"], "Ana is named twice"),
        (["compare", "merge", "Ana", "Ana", "--into", "Consensus"], "Ana is named twice"),
        (["compare", "agreement", "--analysts", "Ana,Tom"], "Tom has no codings yet, so there is nothing to compare"),
        (["compare", "disagreements", "Ana", "Tom", "--format", "md"], "Tom has no codings yet"),
        (["compare", "merge", "Tom", "Ben", "--into", "Consensus"], "Tom has no codings yet"),
        (["compare", "agreement", "--analysts", "Ana,Bne"], "unknown analyst 'Bne'; did you mean 'Ben'?"),
        (["compare", "codes", "Ana", "Benjamin"], "unknown analyst 'Benjamin'"),
        (["compare", "agreement", "--threshold", "0"], "--threshold must be above 0 and at most 1"),
        (["compare", "agreement", "--threshold", "1.5"], "--threshold must be above 0 and at most 1"),
        # MAXQDA users think in percentages.
        (["compare", "agreement", "--threshold", "90"], "got 90; for 90 % write 0.9"),
        (["compare", "agreement", "--analysts", " , "], "--analysts names no analyst; name two or more"),
        (["compare", "codes", "Ana", "Ben", "--min", "0"], "--min must be above 0 and at most 1"),
        (
            ["compare", "agreement", "--code", "Humour"],
            "neither Ana nor Ben used code 'Humour' in the 1 transcript compared",
        ),
        (
            ["compare", "disagreements", "Ana", "Ben", "--code", "Humour", "--format", "md"],
            "neither Ana nor Ben used code 'Humour'",
        ),
        (
            ["compare", "merge", "Ana", "Ben", "--into", "Consensus", "--code", "Humour"],
            "neither Ana nor Ben used code 'Humour'",
        ),
        (["compare", "agreement", "--code", "Ruptur"], "unknown code 'Ruptur'; did you mean 'Rupture'"),
        (["compare", "merge", "Ana", "Ben", "--into", "ben"], "the consensus needs an analyst of its own, not ben"),
        (
            ["compare", "agreement", "--transcript", "P3"],
            "Ana and Ben have not coded any transcript in common (P3 not coded by either analyst); choose transcripts",
        ),
        (
            ["compare", "codes", "Ana", "Ben", "--transcript", "P2"],
            "(P2 not coded by Ben); code the same transcripts first, or pass --all-transcripts",
        ),
        (["compare", "agreement", "--transcript", "P9"], "unknown transcript 'P9'"),
    ],
)
def test_bad_input_gives_one_line_and_changes_nothing(run, study, tmp_path, args, message):
    audit_before = audit_count(study)
    analysts_before = study.analyst_names()
    result = run(*args)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert result.output.strip().count("\n") == 0
    assert audit_count(study) == audit_before
    assert study.analyst_names() == analysts_before
    assert not (tmp_path / "exports").exists()


def test_comparison_never_writes_to_the_project(run, study):
    audit_before = audit_count(study)
    run("compare", "agreement", "--level", "all")
    run("compare", "disagreements", "Ana", "Ben", "--format", "md")
    run("compare", "codes", "Ana", "Ben")
    assert audit_count(study) == audit_before
    assert study.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 5


def test_a_table_that_would_break_a_code_name_is_split_instead(monkeypatch):
    """Names are never folded mid-word in the whole table: figures and counts go in two tables."""
    from qualcode.cli.compare_render import _fitted

    headers = ["code", "a (both)", "b (Ann)", "c (Ben)", "d (none)", "agreement", "Cohen κ", "α", "AC1", "Jaccard"]
    row = ["Metacommunication", "719", "202", "289", "78,459", "0.994", "0.742", "0.742", "0.994", "0.594"]
    whole_width = _fitted("t", headers, 1, 4, [[row]], 200)
    assert len(whole_width) == 1
    narrower = _fitted("t", headers, 1, 4, [[row]], whole_width[0].width - 1)
    assert len(narrower) == 2


def test_the_report_describes_a_consensus_as_the_named_analysts_agreement(run, study, tmp_path):
    from docx import Document

    run("compare", "merge", "Ana", "Ben", "--into", "Consensus")
    assert run("report", "--out", "r.docx").exit_code == 0
    text = " ".join(p.text for p in Document(str(tmp_path / "r.docx")).paragraphs)
    assert re.search(r"\b(Two|Three) analysts \((Ana and Ben|Ana, Ben and Tom)\) coded", text)
    assert "Consensus) coded" not in text and "Ana, Ben and Consensus" not in text
    assert "Ana and Ben agreed a consensus reading, kept as the codings of ‘Consensus’." in text
    assert "one decision memo" in text and "reflexive journal entr" not in text


def test_an_all_codes_comparison_names_the_codes_used_by_neither(run, study):
    shown = run("compare", "agreement")
    assert shown.exit_code == 0, shown.output
    words = " ".join(shown.output.split())
    assert (
        "Codes used by neither analyst on these transcripts (1), with nothing to agree on and so no figures: Humour."
        in words
    )
    assert json.loads(run("compare", "agreement", "--json").output)["used_by_neither"] == ["Humour"]
    # Asked for by name, a code is compared or refused; the listing is for all-codes comparisons.
    assert json.loads(run("compare", "agreement", "--code", "Rupture", "--json").output)["used_by_neither"] == []
