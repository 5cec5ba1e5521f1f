"""Conger's kappa (1980) for three or more analysts, checked two ways: against irrCAC 0.4.4's
conger() (the value below, which it prints to five decimals, was computed with it outside the
suite) and against the other form of its chance term written out here with numpy; for two
analysts it must be Cohen's kappa (scikit-learn)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from qualcode.agreement.coefficients import conger_kappa, tally_units
from qualcode.agreement.levels import Span, compare_spans

MOODS = [
    ["calm", "calm", "calm"],
    ["calm", "tense", "calm"],
    ["tense", "tense", "tense"],
    ["warm", "warm", "tense"],
    ["warm", "warm", "warm"],
    ["calm", "calm", "warm"],
    ["tense", "calm", "tense"],
    ["warm", "tense", "warm"],
    ["calm", "calm", "calm"],
    ["tense", "tense", "calm"],
    ["warm", "warm", "warm"],
    ["calm", "warm", "calm"],
]


def conger_by_numpy(units: list[list[str]]) -> float:
    """P_e = (sum_k (sum_i p_ik)^2 - sum_i sum_k p_ik^2) / (m (m - 1)): the mean over ordered
    pairs of analysts of sum_k p_ik p_jk, written through the analysts' marginal matrix."""
    ratings = np.array(units)
    categories = sorted(set(ratings.ravel()))
    m = ratings.shape[1]
    shares = np.array([[np.mean(ratings[:, i] == k) for k in categories] for i in range(m)])
    chance = (np.sum(shares.sum(axis=0) ** 2) - np.sum(shares**2)) / (m * (m - 1))
    counts = np.array([[np.sum(row == k) for k in categories] for row in ratings])
    observed = np.mean((np.sum(counts * (counts - 1), axis=1)) / (m * (m - 1)))
    return float((observed - chance) / (1 - chance))


def test_conger_kappa_matches_irrcac_and_the_marginal_matrix_form():
    value = conger_kappa(tally_units(MOODS)).value
    assert round(value, 5) == 0.41259  # irrCAC 0.4.4: CAC(ratings).conger()
    assert value == pytest.approx(conger_by_numpy(MOODS), abs=1e-12)


def test_for_two_analysts_conger_is_cohen():
    pairs = [row[:2] for row in MOODS]
    first, second = zip(*pairs)
    assert conger_kappa(tally_units(pairs)).value == pytest.approx(cohen_kappa_score(first, second), abs=1e-12)


def test_conger_needs_complete_data_and_says_so():
    incomplete = [*MOODS, ["calm", None, "calm"]]
    assert conger_kappa(tally_units(incomplete)).reason == (
        "undefined (Conger's kappa needs every analyst to rate every unit)"
    )


def test_three_analysts_at_character_level_report_conger_kappa():
    # Ana codes 0-40, Ben 10-40, Tom 0-20 of a 100-character text.
    spans = {
        "Ana": [Span("P1", "Rupture", 0, 40)],
        "Ben": [Span("P1", "Rupture", 10, 40)],
        "Tom": [Span("P1", "Rupture", 0, 20)],
    }
    row = compare_spans(spans, {"P1": 100}, "character").rows[0]
    presence = [[int(0 <= x < 40), int(10 <= x < 40), int(0 <= x < 20)] for x in range(100)]
    assert row.coefficients["conger_kappa"].value == pytest.approx(conger_by_numpy(presence), abs=1e-12)
    assert any("Conger's kappa" in note for note in compare_spans(spans, {"P1": 100}, "character").notes)
