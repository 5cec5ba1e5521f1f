"""`compare agreement --domain` and `--ci` from the shell: the semantic-domain alphas, bootstrap
intervals that repeat with their seed, and the bad input the issue names."""

from __future__ import annotations

import json

import pytest
from helpers import write

from qualcode.agreement.domain_alpha import DomainTally, cu_alpha, u_alpha
from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts


@pytest.fixture
def study(tmp_path):
    project = Project.create(tmp_path / "projects" / "study.qualcode", "Ana")
    add_analyst(project, "Ana", "Ben")
    paths = [write(tmp_path / f"P{i}.txt", f"Interviewer: hello there.\nP: {f'word{i} ' * 40}\n") for i in range(4)]
    import_transcripts(project, paths, "Ana")
    add_code(project, "Ana", "Feelings")
    add_code(project, "Ana", "Joy", parent="Feelings")
    add_code(project, "Ana", "Fear", parent="Feelings")
    add_code(project, "Ana", "Rupture")
    for i in range(4):
        apply_codes(project, "Ana", ["Joy"], f"P{i}", spans=[(30, 60)])
        apply_codes(project, "Ben", ["Joy"], f"P{i}", spans=[(32, 60 + i)])
        apply_codes(project, "Ana", ["Fear"], f"P{i}", spans=[(70, 100)])
        apply_codes(project, "Ben", ["Fear" if i % 2 else "Joy"], f"P{i}", spans=[(72, 100)])
        apply_codes(project, "Ana", ["Rupture"], f"P{i}", spans=[(100, 150)])
        apply_codes(project, "Ben", ["Rupture"], f"P{i}", spans=[(110, 150 - i * 5)])
    lengths = [
        len(project.db.execute("SELECT text FROM transcripts WHERE name = ?", [f"P{i}"]).fetchone()[0])
        for i in range(4)
    ]
    yield project, lengths
    project.close()


def test_a_parent_codes_children_are_one_domain_with_its_alphas(run, study):
    _, lengths = study
    data = json.loads(run("compare", "agreement", "--domain", "Feelings", "--json").output)
    (row,) = data["domains"]
    assert (row["domain"], row["codes"]) == ("Feelings", ["Fear", "Joy"])
    # The same figures from the tally directly, the transcripts joined end to end.
    tally = DomainTally(2)
    for i, length in enumerate(lengths):
        second = "Fear" if i % 2 else "Joy"
        tally.add_text(
            f"P{i}", length, [[(30, 60, "Joy"), (70, 100, "Fear")], [(32, 60 + i, "Joy"), (72, 100, second)]]
        )
    assert row["coefficients"]["krippendorff_u_alpha"]["value"] == pytest.approx(u_alpha(tally, ["Ana", "Ben"]).value)
    assert row["coefficients"]["krippendorff_cu_alpha"]["value"] == pytest.approx(cu_alpha(tally, ["Ana", "Ben"]).value)
    output = " ".join(run("compare", "agreement", "--domain", "Feelings").output.split())
    assert "Agreement over semantic domains, unitized level: Ana and Ben" in output
    assert "Feelings / Fear 6" in output
    assert "cuα (ATLAS.ti's cu-α)" in output and "uα 1995 (Krippendorff 1995; Content Analysis 2004 §12.4" in output


def test_a_list_domain_of_codes_of_different_parents_is_allowed_and_named(run, study):
    output = " ".join(
        run("compare", "agreement", "--domain", "Joy,Rupture", "--domain", "Fear,Feelings").output.split()
    )
    assert (
        "Domain Joy, Rupture joins codes of different parents: Joy (under Feelings); Rupture (under no parent)."
        in output
    )
    assert "all domains (Cuα)" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--domain", "Rupture"], "--domain Rupture names one code with 0 subcodes"),
        (
            ["--domain", "Feelings", "--domain", "Fear,Rupture"],
            "code Fear is in two domains (Feelings and Fear, Rupture)",
        ),
        (["--ci", "95"], "--ci must be between 0 and 1, e.g. 0.95; got 95; for 95 % write 0.95"),
        (["--ci", "0"], "--ci must be between 0 and 1, e.g. 0.95; got 0"),
        (["--ci", "0.9", "--transcript", "P1"], "needs at least 2 units; 1 transcript is compared"),
    ],
)
def test_bad_domain_and_ci_input_is_one_line_and_a_non_zero_exit(run, study, args, message):
    result = run("compare", "agreement", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bootstrap_intervals_repeat_with_their_seed_and_bracket_the_tables_figure(run, study):
    def intervals(*extra):
        data = json.loads(
            run(
                "compare", "agreement", "--code", "Rupture", "--ci", "0.9", "--resamples", "200", *extra, "--json"
            ).output
        )
        return data, {(i["row"], i["coefficient"]): i for i in data["intervals"]}

    data, first = intervals()
    _, again = intervals()
    _, other = intervals("--seed", "5")
    assert first == again and first != other
    kappa = first[("Rupture", "cohen_kappa")]
    assert kappa["value"] == data["rows"][0]["coefficients"]["cohen_kappa"]["value"]
    assert kappa["lower"] <= kappa["value"] <= kappa["upper"]
    assert (kappa["resamples"], kappa["unit"], kappa["resampled"]) == (200, "unit: character, per code", "transcripts")
    table = " ".join(
        run("compare", "agreement", "--code", "Rupture", "--ci", "0.9", "--resamples", "200").output.split()
    )
    assert "Bootstrap 90% confidence intervals, character level" in table
    assert "200 resamples of the transcripts compared" in table


def test_bootstrap_intervals_are_in_the_csv_beside_their_coefficients(run, study):
    import csv
    import io

    asked = ("compare", "agreement", "--code", "Rupture", "--code", "Joy", "--ci", "0.9", "--resamples", "200")
    data = json.loads(run(*asked, "--json").output)
    expected = {(i["row"], i["coefficient"]): i for i in data["intervals"]}
    # Read as a spreadsheet or R's read.csv reads it: by header, every cell text.
    rows = list(csv.DictReader(io.StringIO(run(*asked, "--csv").output)))
    by_code = {row["code"]: row for row in rows if row["row"] == "code"}
    pooled = next(row for row in rows if row["aggregation"] == "pooled over all codes and transcripts")
    for label, row in (("Rupture", by_code["Rupture"]), ("Joy", by_code["Joy"]), ("all codes pooled", pooled)):
        for coefficient in ("cohen_kappa", "krippendorff_alpha"):
            interval = expected[(label, coefficient)]
            assert row[f"{coefficient}_lower"] == f"{interval['lower']:.3f}"
            assert row[f"{coefficient}_upper"] == f"{interval['upper']:.3f}"
            assert row[f"{coefficient}_defined_resamples"] == str(interval["defined_resamples"])
        assert (row["ci_confidence"], row["ci_resamples"]) == ("0.9", "200")
    # Rows that have no interval of their own (the means over cells and codes) leave the cells empty.
    means = [row for row in rows if row["row"] == "overall" and row is not pooled]
    assert means and all(row["cohen_kappa_lower"] == "" for row in means)
    # Without --ci there are no interval columns.
    assert "cohen_kappa_lower" not in run("compare", "agreement", "--code", "Rupture", "--csv").output.splitlines()[0]
