"""The closed forms behind large comparisons give exactly (to the last bit) what the general
pattern-based coefficients give on the same data."""

from __future__ import annotations

import random

import pytest

from qualcode.agreement.coefficients import presence_coefficients, two_analyst_presence


def general(a: int, b: int, c: int, d: int):
    patterns = {(1, 1): a, (1, 0): b, (0, 1): c, (0, 0): d}
    return presence_coefficients({p: n for p, n in patterns.items() if n})[0]


EDGES = [
    (5, 0, 0, 0),
    (0, 0, 0, 7),
    (0, 3, 0, 0),
    (0, 0, 4, 0),
    (2, 0, 0, 9),
    (0, 3, 4, 0),
    (1, 1, 1, 1),
    (20, 20, 20, 40),
    (0, 20, 0, 80),
]


@pytest.mark.parametrize("table", EDGES)
def test_edge_tables_give_the_general_figures(table):
    assert two_analyst_presence(*table) == general(*table)


def test_random_tables_of_every_size_give_the_general_figures_bit_for_bit():
    rng = random.Random(7)
    for _ in range(3000):
        scale = 10 ** rng.randint(0, 10)  # up to whole codebooks of a large study
        table = tuple(rng.choice([0, rng.randint(0, scale)]) for _ in range(4))
        if not any(table):
            continue
        fast, slow = two_analyst_presence(*table), general(*table)
        assert list(fast) == list(slow), table
        assert {k: (v.value, v.reason) for k, v in fast.items()} == {k: (v.value, v.reason) for k, v in slow.items()}, (
            table
        )
