"""The two-analyst presence coefficients of many 2x2 tables at once, in arrays.

two_analyst_value_arrays() is coefficients.two_analyst_values applied to every (code, transcript)
cell of a comparison: the same expressions, operation for operation, on float64 arrays. Each
+ - * / of numpy's float64 is the IEEE operation Python's float performs, and a whole number
below 2**53 converts to the same float in both, so every value is the same to the last bit.
Two things need care to stay so:

- x ** 2 in Python calls the C library's pow(), which is not always the correctly rounded x * x
  (about one value in a thousand differs in the last bit), and numpy's own power may use other
  code on some processors: the squares are taken with Python's float power itself.
- Sums over cells are added one after another in cell order (sequential_sum), as the loop that
  came before added them: numpy's sum() adds pairwise, which gives other last bits.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

Array = np.ndarray


def two_analyst_value_arrays(a: Array, b: Array, c: Array, d: Array) -> tuple[list[Array], Array, Array]:
    """The values of two_analyst_values for each table (a both, b the first analyst only, c the
    second only, d neither; whole-number arrays, a + b + c + d > 0), in PRESENCE_NAMES order;
    where kappa, pi and alpha are defined (both categories occur); and where Jaccard is (some
    unit is coded). Undefined values are 0.0, so that adding them to a sum changes nothing."""
    n = (a + b + c + d).astype(np.float64)
    observed = (a + d) / n
    split = b + c
    half_split = split * 0.5
    yes = (a + half_split) / n  # Gwet's pi_k
    no = (d + half_split) / n
    chance = yes * (1 - yes) + no * (1 - no)
    ac1 = (observed - chance) / (1 - chance)
    brennan_prediger = (observed - 0.5) / (1 - 0.5)
    any_coded = a + split
    coded = any_coded > 0
    jaccard = np.zeros(len(n))
    np.divide(a, any_coded, out=jaccard, where=coded)  # int / int, each exact as a float first
    varied = (split > 0) | ((a > 0) & (d > 0))
    first_yes, first_no = (a + b).astype(np.float64), (c + d).astype(np.float64)
    second_yes, second_no = (a + c).astype(np.float64), (b + d).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):  # cells without variation: set to 0 below
        chance = (first_yes * second_yes + first_no * second_no) / (n * n)
        kappa = (observed - chance) / (1 - chance)
        pooled = 2 * n  # Scott's pooled ratings, and Krippendorff's n (the pairable values)
        chance = python_squares((first_yes + second_yes) / pooled) + python_squares((first_no + second_no) / pooled)
        pi = (observed - chance) / (1 - chance)
        pairs = pooled
        coded_values, uncoded_values = (2 * a + split).astype(np.float64), (2 * d + split).astype(np.float64)
        alpha = 1 - (pairs - 1) * (pairs - (2 * a + 2 * d)) / (
            pairs * pairs - (coded_values * coded_values + uncoded_values * uncoded_values)
        )
    values = [
        observed,
        np.where(varied, kappa, 0.0),
        np.where(varied, pi, 0.0),
        brennan_prediger,
        ac1,
        np.where(varied, alpha, 0.0),
        jaccard,
    ]
    return values, varied, coded


def python_squares(values: Array) -> Array:
    """x ** 2 of each value, computed by Python's float (see the module's note)."""
    return np.fromiter(map(float.__pow__, values.tolist(), repeat(2)), dtype=np.float64, count=len(values))


def sequential_sum(values: Array, start: float = 0.0) -> float:
    """start + values[0] + values[1] + ..., added strictly in that order (np.add.accumulate is
    sequential by definition: each partial sum is the one before plus the next value)."""
    if not len(values):
        return start
    return float(np.add.accumulate(np.concatenate(([start], values)))[-1])
