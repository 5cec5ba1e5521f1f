"""Agreement coefficients against published worked examples and reference packages.

Published values and where they come from:
- Cohen (1960), table on p. 45: 200 units, 3 categories, kappa = .492 (p_o .70, p_c .41).
- Fleiss (1971): 30 patients, 6 psychiatrists, 5 diagnoses, kappa = .430 (R irr's `diagnoses`,
  kappam.fleiss = 0.4302445); Wikipedia's 10 subjects x 14 raters example, kappa = .210.
- Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers x 12 units with
  missing data, alpha = .743 nominal, .815 ordinal, .849 interval, .797 ratio.
- Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., p. 120 (the same 4 x 12 data): percent
  agreement .818, AC1 .775, Brennan-Prediger .773, Fleiss' kappa (Gwet's generalisation) .761;
  and the 3 x 3 abstractors table: Scott's pi .796, AC1 .849; the 4 x 4 diagnosis table: Scott's
  pi .430, AC1 .456 (as reproduced in irrCAC's test suite).
"""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from qualcode.agreement.coefficients import (
    METRICS,
    Means,
    Stat,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    jaccard,
    krippendorff_alpha,
    light_kappa,
    pairwise_cohen_kappa,
    percent_agreement,
    presence_coefficients,
    scott_pi,
    tally_units,
)

N = None
# Krippendorff (2011) reliability data: rows are observers A-D, columns units 1-12.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# Fleiss (1971) data as raw ratings (R package irr, `diagnoses`): 30 patients x 6 raters.
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
]

# Wikipedia's Fleiss example: per subject, how many of 14 raters chose each of 5 categories.
WIKIPEDIA_FLEISS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def table(rows: list[list[int]]) -> dict[tuple[int, int], int]:
    """A two-analyst contingency table (first analyst in rows) as weighted rating patterns."""
    return {(i, j): n for i, row in enumerate(rows) for j, n in enumerate(row)}


def krippendorff_2011() -> dict:
    return tally_units(zip(*KRIPPENDORFF_2011))


def test_cohen_1960_worked_example():
    patterns = table([[88, 14, 18], [10, 40, 10], [2, 6, 12]])
    assert percent_agreement(patterns).value == pytest.approx(0.70)
    assert cohen_kappa(patterns).value == pytest.approx(0.492, abs=5e-4)


def test_fleiss_1971_worked_example():
    assert fleiss_kappa(tally_units(FLEISS_1971)).value == pytest.approx(0.4302445, abs=1e-7)


def test_fleiss_wikipedia_example():
    units = [[k for k, n in enumerate(row) for _ in range(n)] for row in WIKIPEDIA_FLEISS]
    assert fleiss_kappa(tally_units(units)).value == pytest.approx(0.210, abs=5e-4)


@pytest.mark.parametrize(
    ("metric", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_reliability_matrix(metric, published):
    assert krippendorff_alpha(krippendorff_2011(), metric).value == pytest.approx(published, abs=5e-4)


def test_gwet_handbook_values_on_the_same_data_with_missing_ratings():
    patterns = krippendorff_2011()
    assert percent_agreement(patterns).value == pytest.approx(0.818, abs=5e-4)
    assert gwet_ac1(patterns, q=5).value == pytest.approx(0.775, abs=5e-4)
    assert brennan_prediger(patterns, q=5).value == pytest.approx(0.773, abs=5e-4)
    assert fleiss_kappa(patterns).value == pytest.approx(0.761, abs=5e-4)


@pytest.mark.parametrize(
    ("rows", "q", "scott", "ac1"),
    [
        ([[13, 0, 0], [0, 20, 7], [0, 4, 56]], 3, 0.796, 0.849),
        ([[40, 4, 4, 17], [6, 25, 2, 13], [4, 1, 21, 12], [15, 5, 9, 45]], 4, 0.430, 0.456),
    ],
)
def test_gwet_handbook_two_rater_tables(rows, q, scott, ac1):
    patterns = table(rows)
    assert scott_pi(patterns).value == pytest.approx(scott, abs=5e-4)
    assert gwet_ac1(patterns, q).value == pytest.approx(ac1, abs=5e-4)


def test_kappa_paradox_from_agreement_md():
    # Each analyst marks a different 5% of a 1,000-character text: 90% agreement, kappa about -0.05.
    patterns = {(1, 0): 50, (0, 1): 50, (0, 0): 900}
    assert percent_agreement(patterns).value == pytest.approx(0.90)
    assert cohen_kappa(patterns).value == pytest.approx(-0.0526, abs=1e-4)
    assert gwet_ac1(patterns, 2).value > 0.85
    assert jaccard(patterns).value == 0.0


def random_ratings(rng: random.Random, units: int, raters: int, values: list, missing: float):
    rows = []
    for _ in range(units):
        row = [rng.choice(values) if rng.random() >= missing else None for _ in range(raters)]
        rows.append(row)
    return rows


@pytest.mark.parametrize("seed", range(20))
def test_cohen_kappa_matches_scikit_learn_on_random_data(seed):
    rng = random.Random(seed)
    units = random_ratings(rng, rng.randint(5, 200), 2, list(range(rng.randint(2, 5))), 0.0)
    first, second = zip(*units)
    if len(set(first) | set(second)) < 2:
        pytest.skip("no variation drawn")
    expected = cohen_kappa_score(first, second)
    assert cohen_kappa(tally_units(units)).value == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("metric", METRICS)
def test_krippendorff_alpha_matches_the_krippendorff_package_with_missing_data(seed, metric):
    rng = random.Random(seed)
    raters = rng.randint(2, 5)
    units = random_ratings(rng, rng.randint(3, 60), raters, [1, 2, 3, 5, 8], missing=0.25)
    reliability = np.array([[np.nan if r is None else r for r in row] for row in units]).T
    try:
        expected = krippendorff.alpha(reliability_data=reliability, level_of_measurement=metric)
    except ValueError:
        pytest.skip("the package refuses data without variation")
    assert krippendorff_alpha(tally_units(units), metric).value == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_scott_pi_and_fleiss_kappa_agree_with_textbook_formulas_on_random_data(seed):
    rng = random.Random(seed)
    units = random_ratings(rng, rng.randint(10, 100), 2, ["a", "b", "c"], 0.0)
    first, second = (np.array(column) for column in zip(*units))
    observed = float(np.mean(first == second))
    pooled = np.concatenate([first, second])
    chance = sum(float(np.mean(pooled == k)) ** 2 for k in "abc")
    expected = (observed - chance) / (1 - chance)
    patterns = tally_units(units)
    assert scott_pi(patterns).value == pytest.approx(expected, abs=1e-12)
    # With two analysts and complete data Fleiss' kappa is Scott's pi (Fleiss 1971).
    assert fleiss_kappa(patterns).value == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_gwet_ac1_agrees_with_gwets_formula_on_random_data_with_missing_ratings(seed):
    rng = random.Random(seed)
    q = 4
    units = random_ratings(rng, rng.randint(10, 80), 3, list(range(q)), 0.2)
    rated = [[r for r in row if r is not None] for row in units]
    rated = [row for row in rated if row]
    pi = {k: np.mean([row.count(k) / len(row) for row in rated]) for k in range(q)}
    pairable = [row for row in rated if len(row) >= 2]
    observed = np.mean(
        [sum(row.count(k) * (row.count(k) - 1) for k in range(q)) / (len(row) * (len(row) - 1)) for row in pairable]
    )
    chance = sum(p * (1 - p) for p in pi.values()) / (q - 1)
    expected = (observed - chance) / (1 - chance)
    assert gwet_ac1(tally_units(units), q).value == pytest.approx(expected, abs=1e-12)


def test_weights_are_unit_counts():
    units = [(1, 1)] * 30 + [(1, 0)] * 5 + [(0, 1)] * 7 + [(0, 0)] * 58
    weighted = {(1, 1): 30, (1, 0): 5, (0, 1): 7, (0, 0): 58}
    first, second = zip(*units)
    assert cohen_kappa(weighted).value == pytest.approx(cohen_kappa_score(first, second))
    assert krippendorff_alpha(weighted) == krippendorff_alpha(tally_units(units))


def test_no_variation_is_undefined_with_a_reason_never_0_or_1():
    nobody_coded = {(0, 0): 500}
    for stat in (
        cohen_kappa(nobody_coded),
        scott_pi(nobody_coded),
        fleiss_kappa(nobody_coded),
        krippendorff_alpha(nobody_coded),
    ):
        assert stat.value is None
        assert stat.reason.startswith("undefined (no variation")
    assert jaccard(nobody_coded) == Stat(None, "undefined (no coded text: no analyst coded any unit)")
    # Percent agreement is 100% here; AC1 and Brennan-Prediger do not depend on variation.
    assert percent_agreement(nobody_coded).value == 1.0
    assert gwet_ac1(nobody_coded, 2).value == 1.0
    assert brennan_prediger(nobody_coded, 2).value == 1.0


def test_one_analyst_never_using_a_code_gives_kappa_exactly_zero():
    patterns = {(1, 0): 40, (0, 0): 960}
    assert cohen_kappa(patterns).value == 0.0
    assert percent_agreement(patterns).value == pytest.approx(0.96)


def test_units_rated_once_do_not_count_for_agreement_but_count_for_ac1_shares():
    with_single = {(1, 1): 3, (0, 0): 2, (0, 1): 1, (1, None): 4}
    without = {(1, 1): 3, (0, 0): 2, (0, 1): 1}
    assert percent_agreement(with_single) == percent_agreement(without)
    assert krippendorff_alpha(with_single) == krippendorff_alpha(without)
    assert gwet_ac1(with_single, 2) != gwet_ac1(without, 2)


def test_nothing_rated_twice_is_undefined():
    patterns = {(1, None): 3, (None, 0): 2}
    assert percent_agreement(patterns).reason == "undefined (no unit was rated by two or more analysts)"
    assert krippendorff_alpha(patterns).value is None
    assert cohen_kappa(patterns).reason == "undefined (no unit was rated by both analysts)"


def test_q_must_cover_the_categories_used():
    patterns = table([[5, 1, 0], [0, 4, 2], [1, 0, 3]])
    with pytest.raises(ValueError, match="3 categories were used but q is 2"):
        gwet_ac1(patterns, 2)
    with pytest.raises(ValueError, match="positive integer"):
        brennan_prediger(patterns, 0)
    assert brennan_prediger(patterns, 10).value == pytest.approx((12 / 16 - 0.1) / 0.9)


def test_bad_patterns_are_refused():
    with pytest.raises(ValueError, match="exactly two analysts"):
        cohen_kappa({(1, 1, 0): 3, (0, 0, 0): 1})
    with pytest.raises(ValueError, match="one entry per analyst"):
        fleiss_kappa({(1, 1): 3, (0, 0, 0): 1})
    with pytest.raises(ValueError, match="negative weight"):
        percent_agreement({(1, 1): -1})
    with pytest.raises(ValueError, match="unknown metric"):
        krippendorff_alpha({(1, 1): 1, (0, 1): 1}, "cardinal")
    with pytest.raises(ValueError, match="numeric ratings"):
        krippendorff_alpha({("a", "b"): 1, ("b", "b"): 1}, "interval")


def test_pairwise_cohen_and_lights_kappa_for_three_analysts():
    rng = random.Random(7)
    units = random_ratings(rng, 120, 3, [0, 1], 0.0)
    patterns = tally_units(units)
    pairwise = pairwise_cohen_kappa(patterns)
    assert set(pairwise) == {(0, 1), (0, 2), (1, 2)}
    for (i, j), stat in pairwise.items():
        expected = cohen_kappa_score([u[i] for u in units], [u[j] for u in units])
        assert stat.value == pytest.approx(expected)
    assert light_kappa(pairwise).value == pytest.approx(np.mean([s.value for s in pairwise.values()]))
    undefined_pair = {**pairwise, (1, 2): Stat(None, "undefined (no variation)")}
    assert light_kappa(undefined_pair).reason == ("undefined (Cohen's kappa is undefined for 1 of 3 analyst pairs)")


def test_presence_coefficients_name_the_right_set_for_two_and_three_analysts():
    two, pairs = presence_coefficients({(1, 1): 10, (1, 0): 3, (0, 0): 20})
    assert list(two) == [
        "percent_agreement",
        "cohen_kappa",
        "scott_pi",
        "brennan_prediger",
        "gwet_ac1",
        "krippendorff_alpha",
        "jaccard",
    ]
    assert pairs == {}
    three, pairs = presence_coefficients({(1, 1, 1): 10, (1, 0, 1): 3, (0, 0, 0): 20})
    assert list(three) == [
        "percent_agreement",
        "fleiss_kappa",
        "conger_kappa",
        "light_kappa",
        "brennan_prediger",
        "gwet_ac1",
        "krippendorff_alpha",
        "jaccard",
    ]
    assert len(pairs) == 3
    assert three["jaccard"].value == pytest.approx(10 / 13)


def test_means_skip_undefined_values_and_weight_when_asked():
    means = Means()
    means.add({"k": Stat(0.5)}, weight=100)
    means.add({"k": Stat(1.0)}, weight=300)
    means.add({"k": Stat(None, "undefined (no variation)")}, weight=600)
    assert means.means()["k"].value == pytest.approx(0.75)
    assert means.means(weighted=True)["k"].value == pytest.approx(0.875)
    assert means.defined() == {"k": 2}
    assert means.tables == 3
    empty = Means()
    empty.add({"k": Stat(None, "undefined (no variation)")})
    assert empty.means(unit="code")["k"].reason == "undefined (no code with a defined value)"
