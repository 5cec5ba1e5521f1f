"""Krippendorff's unitizing alphas over a semantic domain (qualcode.agreement.domain_alpha).

The 1995 per-value uα is checked against Krippendorff's worked example (Content Analysis 2004,
p. 254, as DKPro Statistics reproduces it). uα, |uα and cuα have no published worked number we
could retrieve, so they are checked against a second, independent implementation written here:
one value per character per analyst, the coincidence matrices counted character by character and
the expected matrices built cell by cell, as Krippendorff 2019 section 12.6 writes them.
"""

from __future__ import annotations

import random

import pytest

from qualcode.agreement.domain_alpha import (
    DomainTally,
    binary_u_alpha,
    compare_domains,
    cu_alpha,
    domain_1995,
    per_value_1995,
    u_alpha,
)
from qualcode.agreement.results import AgreementError, Span
from qualcode.agreement.unitized import ContinuumTally, coverage_by_mask
from qualcode.agreement.unitized import binary_u_alpha as binary_from_tally

GAP = None


def test_the_1995_per_value_alpha_gives_krippendorffs_worked_example():
    # Krippendorff (2004, p. 254): a continuum from 150 to 450, two observers, values c and k.
    begin = 150
    c = [[(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)]]
    k = [[(180, 240), (300, 350)], [(180, 240), (300, 350)]]
    shifted = {
        name: [[(s - begin, e - begin) for s, e in mine] for mine in units] for name, units in (("c", c), ("k", k))
    }
    per_value = {name: per_value_1995(units, 300) for name, units in shifted.items()}
    assert float(per_value["c"].observed) == pytest.approx(0.0144, abs=0.00005)
    assert float(per_value["c"].expected) == pytest.approx(0.0532, abs=0.00005)
    assert per_value["c"].alpha.value == pytest.approx(0.7286, abs=0.00005)
    assert float(per_value["k"].observed) == 0
    assert float(per_value["k"].expected) == pytest.approx(0.0490, abs=0.00005)
    assert per_value["k"].alpha.value == 1.0
    # The book's .8591 is computed from the rounded D's (1 - .0144 / (.0532 + .0490)); unrounded
    # it is .8587.
    assert domain_1995(per_value).value == pytest.approx(0.8591, abs=0.0005)


# --- the independent, per-character implementation ---------------------------------------------


def per_character(units: list[list[tuple[int, int, str]]], length: int) -> list[list[str | None]]:
    values: list[list[str | None]] = [[GAP] * length for _ in units]
    for mine, row in zip(units, values):
        for start, end, value in mine:
            for x in range(start, end):
                row[x] = value
    return values


def alpha_from_matrices(observed: dict, expected: dict) -> float:
    total_o = sum(observed.values())
    total_e = sum(expected.values())
    trace_o = sum(n for (c, k), n in observed.items() if c == k)
    trace_e = sum(n for (c, k), n in expected.items() if c == k)
    return 1 - (total_o - trace_o) / (total_e - trace_e)


def brute_force(units: list[list[tuple[int, int, str]]], length: int) -> dict[str, float]:
    m = len(units)
    rows = per_character(units, length)
    values = [*sorted({v for row in rows for v in row if v is not GAP}), GAP]
    observed = {(c, k): 0.0 for c in values for k in values}
    for x in range(length):
        for i in range(m):
            for j in range(m):
                if i != j:
                    observed[(rows[i][x], rows[j][x])] += 1 / (m - 1)
    # S_c: units' squared lengths, the gaps' plain lengths.
    correction = dict.fromkeys(values, 0.0)
    for mine in units:
        for start, end, value in mine:
            correction[value] += (end - start) ** 2
    correction[GAP] = sum(row.count(GAP) for row in rows)
    total = sum(observed.values())
    margin = {c: sum(observed[(c, k)] for k in values) for c in values}
    expected = {
        (c, k): total
        * (margin[c] * margin[k] - (correction[c] if c == k else 0))
        / (total**2 - sum(correction.values()))
        for c in values
        for k in values
    }
    u = alpha_from_matrices(observed, expected)
    coded = [v for v in values if v is not GAP]

    def collapse(matrix):
        out = {}
        for (c, k), n in matrix.items():
            key = (c is GAP, k is GAP)
            out[key] = out.get(key, 0.0) + n
        return out

    binary = alpha_from_matrices(collapse(observed), collapse(expected))
    # cuα: valued x valued only, each unit's correction its pairable length squared.
    star = {(c, k): observed[(c, k)] for c in coded for k in coded}
    pairable = dict.fromkeys(coded, 0.0)
    for i, mine in enumerate(units):
        for start, end, value in mine:
            p = sum(1 for x in range(start, end) if any(rows[j][x] is not GAP for j in range(m) if j != i))
            pairable[value] += p * p
    star_total = sum(star.values())
    star_margin = {c: sum(star[(c, k)] for k in coded) for c in coded}
    star_expected = {
        (c, k): star_total
        * (star_margin[c] * star_margin[k] - (pairable[c] if c == k else 0))
        / (star_total**2 - sum(pairable.values()))
        for c in coded
        for k in coded
    }
    return {"u": u, "binary": binary, "cu": alpha_from_matrices(star, star_expected)}


def random_units(rng: random.Random, analysts: int, length: int, values: str) -> list[list[tuple[int, int, str]]]:
    """Per analyst, non-overlapping units of random values, some touching, some shared."""
    result = []
    for _ in range(analysts):
        mine, position = [], 0
        while True:
            position += rng.choice([0, 0, 1, 3, 7])
            size = rng.randint(1, 9)
            if position + size > length:
                break
            mine.append((position, position + size, rng.choice(values)))
            position += size
        result.append(mine)
    return result


@pytest.mark.parametrize("analysts", [2, 3])
def test_interval_arithmetic_agrees_with_a_per_character_count(analysts):
    rng = random.Random(analysts)
    for _ in range(25):
        length = rng.randint(20, 60)
        units = random_units(rng, analysts, length, "ABC")
        tally = DomainTally(analysts)
        tally.add_text("T", length, units)
        expected = brute_force(units, length)
        names = [f"analyst {i}" for i in range(analysts)]
        assert u_alpha(tally, names).value == pytest.approx(expected["u"], abs=1e-12)
        assert binary_u_alpha(tally, names).value == pytest.approx(expected["binary"], abs=1e-12)
        assert cu_alpha(tally, names).value == pytest.approx(expected["cu"], abs=1e-12)


def test_texts_add_up_as_one_continuum_joined_end_to_end():
    rng = random.Random(7)
    first, second = random_units(rng, 2, 30, "AB"), random_units(rng, 2, 40, "AB")
    tally = DomainTally(2)
    tally.add_text("T1", 30, first)
    tally.add_text("T2", 40, second)
    joined = [a + [(s + 30, e + 30, v) for s, e, v in b] for a, b in zip(first, second)]
    expected = brute_force(joined, 70)
    assert u_alpha(tally, ["x", "y"]).value == pytest.approx(expected["u"], abs=1e-12)
    assert cu_alpha(tally, ["x", "y"]).value == pytest.approx(expected["cu"], abs=1e-12)


def test_binary_alpha_of_a_domain_is_the_unitized_levels_alpha_of_its_codes_united():
    """|uα over a domain is qualcode.agreement.unitized's |uα (a separate implementation, with its
    own closed form) on each analyst's units of any of the domain's codes."""
    rng = random.Random(3)
    for _ in range(10):
        length = rng.randint(30, 80)
        units = random_units(rng, 3, length, "AB")
        tally = DomainTally(3)
        tally.add_text("T", length, units)
        merged = [[(s, e) for s, e, _ in mine] for mine in units]
        continuum = ContinuumTally(3)
        coded_by: dict[int, int] = {}
        for mask, n in coverage_by_mask(merged, length).items():
            coded_by[mask.bit_count()] = coded_by.get(mask.bit_count(), 0) + n
        continuum.add_text(length, [iv for mine in merged for iv in mine], coded_by)
        assert binary_u_alpha(tally, ["a", "b", "c"]).value == pytest.approx(
            binary_from_tally(continuum).value, abs=1e-12
        )


def test_identical_coding_gives_one_and_codes_that_overlap_within_an_analyst_give_the_reason():
    same = [[(0, 10, "A"), (10, 20, "B")], [(0, 10, "A"), (10, 20, "B")]]
    tally = DomainTally(2)
    tally.add_text("T", 50, same)
    assert u_alpha(tally, ["Ana", "Ben"]).value == 1.0
    assert cu_alpha(tally, ["Ana", "Ben"]).value == 1.0
    overlapping = DomainTally(2)
    overlapping.add_text("P4", 50, [[(0, 10, "A"), (5, 20, "B")], [(0, 10, "A")]])
    reason = u_alpha(overlapping, ["Ana", "Ben"]).reason
    assert reason == (
        "undefined (Ana coded 5 characters with two of the domain's values at once, first A and B in P4; "
        "a semantic domain's codes must not overlap within an analyst)"
    )


def test_compare_domains_gives_each_domain_its_codes_and_the_domains_as_values():
    spans = {
        "Ana": [Span("T1", "A", 0, 10), Span("T1", "B", 20, 30), Span("T2", "X", 0, 5), Span("T2", "Y", 10, 20)],
        "Ben": [Span("T1", "A", 0, 12), Span("T1", "A", 20, 30), Span("T2", "X", 0, 5), Span("T2", "Y", 12, 20)],
    }
    result = compare_domains(spans, {"T1": 40, "T2": 40}, {"first": ["A", "B"], "second": ["X", "Y"]})
    assert [row.domain for row in result.rows] == ["first", "second"]
    first_units = [[(0, 10, "A"), (20, 30, "B")], [(0, 12, "A"), (20, 30, "A")]]
    expected = brute_force(first_units, 80)  # T2 is a gap for this domain
    assert result.rows[0].coefficients["krippendorff_u_alpha"].value == pytest.approx(expected["u"], abs=1e-12)
    assert result.rows[0].coefficients["krippendorff_cu_alpha"].value == pytest.approx(expected["cu"], abs=1e-12)
    # Across domains each domain is one value: T1's codes are "first", T2's "second".
    as_values = [
        [(0, 10, "first"), (20, 30, "first"), (40, 45, "second"), (50, 60, "second")],
        [(0, 12, "first"), (20, 30, "first"), (40, 45, "second"), (52, 60, "second")],
    ]
    across = brute_force(as_values, 80)
    assert result.overall is not None
    assert result.overall.coefficients["krippendorff_cu_alpha"].value == pytest.approx(across["cu"], abs=1e-12)
    assert [(row.code, row.units) for row in result.code_rows] == [("A", 3), ("B", 1), ("X", 2), ("Y", 2)]
    with pytest.raises(AgreementError, match="code 'A' is in two domains"):
        compare_domains(spans, {"T1": 40}, {"first": ["A", "B"], "second": ["A", "X"]})
