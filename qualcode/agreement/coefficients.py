"""Agreement coefficients over weighted rating patterns.

Every coefficient here takes *rating patterns*: a mapping from a tuple of ratings, one entry per
analyst in a fixed order (None where that analyst did not rate the unit), to the number of units
that show exactly that pattern. A thousand survey answers and forty-five thousand characters of a
transcript are both just a handful of patterns with large weights, so character-level figures
never need per-character arrays: the span arithmetic in qualcode.agreement.levels counts characters per
"which analysts coded it" pattern and hands the counts to these functions.

Conventions (see /work/shared/agreement.md, sections 2 and 5):

- Percent agreement is the mean over units rated by two or more analysts of the share of agreeing
  analyst pairs (the Fleiss/Gwet definition, not nltk's mean over analyst pairs).
- Cohen's kappa and Scott's pi are two-analyst statistics over units both analysts rated.
- Fleiss' kappa uses Gwet's generalisation when units have different numbers of ratings; with
  complete data it is exactly Fleiss (1971).
- Brennan-Prediger and Gwet's AC1 take q, the number of *possible* categories, from the caller.
- A value that is 0/0 (no variation, nothing to compare) is a Stat with value None and a reason,
  never 0 or 1. AC1 and Brennan-Prediger stay defined without variation (their chance term does
  not depend on it), which is why agreement.md recommends them for skewed codes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

Rating = Hashable
Pattern = tuple[Rating | None, ...]
Patterns = Mapping[Pattern, float]

NO_VARIATION = "undefined (no variation: every rating is in the same category)"
NO_PAIRS = "undefined (no unit was rated by two or more analysts)"
METRICS = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True)
class Stat:
    """A coefficient's value, or None with the reason it is undefined."""

    value: float | None
    reason: str | None = None

    @property
    def defined(self) -> bool:
        return self.value is not None

    def to_dict(self) -> dict[str, float | str | None]:
        return {"value": self.value, "reason": self.reason}


def undefined(reason: str) -> Stat:
    return Stat(None, reason)


def tally_units(units: Iterable[Sequence[Rating | None]]) -> dict[Pattern, int]:
    """Turn one row of ratings per unit (None = missing) into weighted rating patterns."""
    patterns: dict[Pattern, int] = defaultdict(int)
    for unit in units:
        patterns[tuple(unit)] += 1
    return dict(patterns)


@lru_cache(maxsize=4096)
def _unit_profile(pattern: Pattern) -> tuple:
    """What one unit with this pattern contributes; cached because patterns repeat endlessly."""
    counts: dict[Rating, int] = {}
    for rating in pattern:
        if rating is not None:
            counts[rating] = counts.get(rating, 0) + 1
    ratings = sum(counts.values())
    shares = tuple((k, n / ratings) for k, n in counts.items()) if ratings else ()
    # For the Jaccard index ratings are read as coded (truthy) or not.
    coded_by_all = bool(ratings) and all(k for k in counts)
    coded_by_any = any(k for k in counts)
    if ratings < 2:
        return ratings, shares, 0.0, (), coded_by_all, coded_by_any
    agreeing_pairs = sum(n * (n - 1) for n in counts.values()) / (ratings * (ratings - 1))
    # Krippendorff's coincidences: each ordered pair of values within a unit, weighted 1/(m_u - 1).
    coincidences = tuple(
        ((c, k), nc * (nk - (c == k)) / (ratings - 1))
        for c, nc in counts.items()
        for k, nk in counts.items()
        if nc * (nk - (c == k))
    )
    return ratings, shares, agreeing_pairs, coincidences, coded_by_all, coded_by_any


@dataclass(slots=True)  # not frozen: it is built once per table and read only, and creating
class Summary:  # frozen dataclasses costs three times as much, which counts per (code, transcript)
    """Sufficient statistics of a set of rating patterns, computed in one pass."""

    raters: int
    pairable: float  # weight of units with two or more ratings
    agreement: float  # sum over those units of weight x share of agreeing pairs
    rated: float  # weight of units with at least one rating
    shares: dict[Rating, float]  # Gwet's pi_k numerators: sum of weight x n_k / r_i
    coincidences: dict[tuple[Rating, Rating], float]  # Krippendorff's o_ck
    complete: float  # weight of units every analyst rated
    marginals: tuple[dict[Rating, float], ...]  # per analyst, over complete units
    coded_by_all: float  # weight of units where every rating is "coded" (truthy)
    coded_by_any: float  # weight of units where some rating is "coded"


def summarise(patterns: Patterns) -> Summary:
    """One pass over the patterns that every coefficient below is computed from."""
    raters = 0
    pairable = agreement = rated = complete = coded_by_all = coded_by_any = 0.0
    shares: dict[Rating, float] = {}
    coincidences: dict[tuple[Rating, Rating], float] = {}
    marginals: list[dict[Rating, float]] = []
    for pattern, weight in patterns.items():
        if len(pattern) != raters:
            if raters:
                raise ValueError(f"every rating pattern needs one entry per analyst ({raters}); got {pattern!r}")
            raters = len(pattern)
            marginals = [{} for _ in range(raters)]
        if weight <= 0:
            if weight < 0:
                raise ValueError(f"pattern {pattern!r} has a negative weight ({weight})")
            continue
        ratings, unit_shares, agreeing_pairs, unit_coincidences, by_all, by_any = _unit_profile(pattern)
        if not ratings:
            continue
        rated += weight
        if by_any:
            coded_by_any += weight
            if by_all:
                coded_by_all += weight
        for k, share in unit_shares:
            shares[k] = shares.get(k, 0.0) + weight * share
        if ratings < 2:
            continue
        pairable += weight
        agreement += weight * agreeing_pairs
        for pair, amount in unit_coincidences:
            coincidences[pair] = coincidences.get(pair, 0.0) + weight * amount
        if ratings == raters:
            complete += weight
            for marginal, rating in zip(marginals, pattern):
                marginal[rating] = marginal.get(rating, 0.0) + weight
    if raters < 2 and patterns:
        raise ValueError("rating patterns need at least two analysts")
    return Summary(
        raters,
        pairable,
        agreement,
        rated,
        shares,
        coincidences,
        complete,
        tuple(marginals),
        coded_by_all,
        coded_by_any,
    )


def _kappa(observed: float, chance: float) -> float:
    return (observed - chance) / (1 - chance)


def _check_q(q: int, summary: Summary) -> None:
    if isinstance(q, bool) or not isinstance(q, int) or q < 1:
        raise ValueError(f"q, the number of possible categories, must be a positive integer; got {q!r}")
    if len(summary.shares) > q:
        raise ValueError(f"{len(summary.shares)} categories were used but q is {q}")


def _two_analysts(summary: Summary, name: str) -> None:
    if summary.raters != 2:
        raise ValueError(f"{name} compares exactly two analysts; got {summary.raters}")


# Each *_of function computes a coefficient from a Summary, so callers that need several
# coefficients for the same data (every row of a comparison) summarise once.


def percent_agreement_of(s: Summary) -> Stat:
    if not s.pairable:
        return undefined(NO_PAIRS)
    return Stat(s.agreement / s.pairable)


def cohen_kappa_of(s: Summary) -> Stat:
    _two_analysts(s, "Cohen's kappa")
    if not s.complete:
        return undefined("undefined (no unit was rated by both analysts)")
    first, second = s.marginals
    if len(set(first) | set(second)) < 2:
        return undefined(NO_VARIATION)
    n = s.complete
    chance = sum(first[k] * second.get(k, 0.0) for k in first) / (n * n)
    return Stat(_kappa(s.agreement / s.pairable, chance))


def scott_pi_of(s: Summary) -> Stat:
    _two_analysts(s, "Scott's pi")
    if not s.complete:
        return undefined("undefined (no unit was rated by both analysts)")
    first, second = s.marginals
    categories = set(first) | set(second)
    if len(categories) < 2:
        return undefined(NO_VARIATION)
    n = 2 * s.complete
    chance = sum(((first.get(k, 0.0) + second.get(k, 0.0)) / n) ** 2 for k in categories)
    return Stat(_kappa(s.agreement / s.pairable, chance))


def fleiss_kappa_of(s: Summary) -> Stat:
    if not s.pairable:
        return undefined(NO_PAIRS)
    if len(s.shares) < 2:
        return undefined(NO_VARIATION)
    chance = sum((share / s.rated) ** 2 for share in s.shares.values())
    return Stat(_kappa(s.agreement / s.pairable, chance))


def conger_kappa_of(s: Summary) -> Stat:
    """Conger (1980): P_o as Fleiss (the mean share of agreeing pairs), P_e the mean over analyst
    pairs of sum_k p_ik p_jk, each analyst with their own marginals; needs complete data."""
    if not s.complete:
        return undefined("undefined (no unit was rated by every analyst)")
    if s.complete != s.pairable:
        return undefined("undefined (Conger's kappa needs every analyst to rate every unit)")
    categories = set().union(*s.marginals)
    if len(categories) < 2:
        return undefined(NO_VARIATION)
    pairs = list(combinations(s.marginals, 2))
    n = s.complete
    chance = sum(sum(first.get(k, 0.0) * second.get(k, 0.0) for k in categories) for first, second in pairs) / (
        len(pairs) * n * n
    )
    return Stat(_kappa(s.agreement / s.pairable, chance))


def free_marginal_kappa(observed: float, q: int) -> Stat:
    """Brennan-Prediger's kappa from an observed agreement share: chance agreement is 1/q."""
    if q == 1:
        return undefined("undefined (only one possible category, so chance agreement is 1)")
    return Stat(_kappa(observed, 1 / q))


def brennan_prediger_of(s: Summary, q: int) -> Stat:
    _check_q(q, s)
    if not s.pairable:
        return undefined(NO_PAIRS)
    return free_marginal_kappa(s.agreement / s.pairable, q)


def gwet_ac1_of(s: Summary, q: int) -> Stat:
    _check_q(q, s)
    if not s.pairable:
        return undefined(NO_PAIRS)
    if q == 1:
        return undefined("undefined (only one possible category, so AC1's chance term is 0/0)")
    pis = [share / s.rated for share in s.shares.values()]
    chance = sum(p * (1 - p) for p in pis) / (q - 1)
    return Stat(_kappa(s.agreement / s.pairable, chance))


def _difference(metric: str, values: list, totals: dict) -> dict[tuple, float]:
    """Krippendorff's squared difference delta^2 for every ordered pair of observed values."""
    try:
        if metric == "interval":
            return {(c, k): float((c - k) ** 2) for c in values for k in values}
        if metric == "ratio":
            return {(c, k): float(((c - k) / (c + k)) ** 2) if c + k else 0.0 for c in values for k in values}
        ordered = sorted(values)
        position = {v: i for i, v in enumerate(ordered)}
        cumulative = [0.0]
        for v in ordered:
            cumulative.append(cumulative[-1] + totals[v])
        deltas = {}
        for c in ordered:
            for k in ordered:
                lo, hi = sorted((position[c], position[k]))
                between = cumulative[hi + 1] - cumulative[lo]
                deltas[(c, k)] = (between - (totals[c] + totals[k]) / 2) ** 2 if c != k else 0.0
        return deltas
    except TypeError as error:
        raise ValueError(f"the {metric} metric needs numeric ratings: {error}") from None


def krippendorff_alpha_of(s: Summary, metric: str = "nominal") -> Stat:
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    if not s.pairable:
        return undefined(NO_PAIRS)
    totals: dict[Rating, float] = {}
    matching = 0.0
    for (c, k), amount in s.coincidences.items():
        totals[c] = totals.get(c, 0.0) + amount
        if c == k:
            matching += amount
    values = list(totals)
    if len(values) < 2:
        return undefined(NO_VARIATION)
    n = sum(totals.values())
    if metric == "nominal":  # delta is 0 on the diagonal and 1 elsewhere: no delta table needed
        return Stat(1 - (n - 1) * (n - matching) / (n * n - sum([t * t for t in totals.values()])))
    delta = _difference(metric, values, totals)
    observed = sum(amount * delta[pair] for pair, amount in s.coincidences.items())
    expected = sum(totals[c] * totals[k] * delta[(c, k)] for c in values for k in values)
    if not expected:
        return undefined(NO_VARIATION)
    return Stat(1 - (n - 1) * observed / expected)


def jaccard_of(s: Summary) -> Stat:
    """Units every analyst coded over units any analyst coded (binary ratings, 1 = coded)."""
    if not s.coded_by_any:
        return undefined("undefined (no coded text: no analyst coded any unit)")
    return Stat(s.coded_by_all / s.coded_by_any)


# The public one-call forms.


def percent_agreement(patterns: Patterns) -> Stat:
    """Mean over units rated at least twice of the share of agreeing analyst pairs."""
    return percent_agreement_of(summarise(patterns))


def cohen_kappa(patterns: Patterns) -> Stat:
    """Cohen (1960): two analysts, each with their own marginals, over units both rated."""
    return cohen_kappa_of(summarise(patterns))


def scott_pi(patterns: Patterns) -> Stat:
    """Scott (1955): two analysts, pooled marginals, over units both rated."""
    return scott_pi_of(summarise(patterns))


def fleiss_kappa(patterns: Patterns) -> Stat:
    """Fleiss (1971), in Gwet's generalisation when units have unequal numbers of ratings."""
    return fleiss_kappa_of(summarise(patterns))


def conger_kappa(patterns: Patterns) -> Stat:
    """Conger (1980) / Hubert: Fleiss' observed agreement with each analyst's own marginals; the
    multi-analyst generalisation of Cohen's kappa (equal to it for two analysts)."""
    return conger_kappa_of(summarise(patterns))


def brennan_prediger(patterns: Patterns, q: int) -> Stat:
    """Brennan & Prediger (1981) kappa_n = Bennett's S = Randolph's free-marginal kappa."""
    return brennan_prediger_of(summarise(patterns), q)


def gwet_ac1(patterns: Patterns, q: int) -> Stat:
    """Gwet (2008) AC1; singly rated units count towards pi_k but not towards agreement."""
    return gwet_ac1_of(summarise(patterns), q)


def krippendorff_alpha(patterns: Patterns, metric: str = "nominal") -> Stat:
    """Krippendorff's alpha for any number of analysts, missing ratings allowed."""
    return krippendorff_alpha_of(summarise(patterns), metric)


def jaccard(patterns: Patterns) -> Stat:
    """Jaccard index of coded units: agreement on coded text only (QualCoder's 'agree coded')."""
    return jaccard_of(summarise(patterns))


def pairwise_cohen_kappa(patterns: Patterns) -> dict[tuple[int, int], Stat]:
    """Cohen's kappa for every pair of analysts (by position in the patterns)."""
    raters = len(next(iter(patterns), ()))
    result = {}
    for i, j in combinations(range(raters), 2):
        pair: dict[Pattern, float] = defaultdict(float)
        for pattern, weight in patterns.items():
            pair[(pattern[i], pattern[j])] += weight
        result[(i, j)] = cohen_kappa(pair)
    return result


def light_kappa(pairwise: Mapping[tuple[int, int], Stat]) -> Stat:
    """Light (1971): the plain mean of the pairwise Cohen's kappas."""
    missing = [pair for pair, stat in pairwise.items() if not stat.defined]
    if not pairwise:
        return undefined("undefined (no analyst pairs)")
    if missing:
        return undefined(f"undefined (Cohen's kappa is undefined for {len(missing)} of {len(pairwise)} analyst pairs)")
    return Stat(sum(stat.value for stat in pairwise.values()) / len(pairwise))  # type: ignore[misc]


def presence_coefficients(patterns: Patterns) -> tuple[dict[str, Stat], dict[tuple[int, int], Stat]]:
    """The coefficients agreement.md asks for on binary presence ratings (1 = coded), at once.

    Two analysts: percent agreement, Cohen's kappa (= NVivo's kappa), Scott's pi,
    Brennan-Prediger, Gwet's AC1, Krippendorff's alpha and Jaccard. Three or more: Fleiss',
    Conger's and Light's kappa take the place of Cohen and Scott, and the pairwise Cohen's kappas come
    back as the second value. Brennan-Prediger and AC1 use q = 2 (coded or not coded).
    """
    s = summarise(patterns)
    pairwise: dict[tuple[int, int], Stat] = {}
    stats = {"percent_agreement": percent_agreement_of(s)}
    if s.raters == 2:
        stats["cohen_kappa"] = cohen_kappa_of(s)
        stats["scott_pi"] = scott_pi_of(s)
    else:
        stats["fleiss_kappa"] = fleiss_kappa_of(s)
        stats["conger_kappa"] = conger_kappa_of(s)
        pairwise = pairwise_cohen_kappa(patterns) if patterns else {}
        stats["light_kappa"] = light_kappa(pairwise)
    stats["brennan_prediger"] = brennan_prediger_of(s, 2)
    stats["gwet_ac1"] = gwet_ac1_of(s, 2)
    stats["krippendorff_alpha"] = krippendorff_alpha_of(s)
    stats["jaccard"] = jaccard_of(s)
    return stats, pairwise


PRESENCE_NAMES = (
    "percent_agreement",
    "cohen_kappa",
    "scott_pi",
    "brennan_prediger",
    "gwet_ac1",
    "krippendorff_alpha",
    "jaccard",
)


TwoAnalystValues = tuple[float, float | None, float | None, float, float, float | None, float | None]


def two_analyst_values(a: int, b: int, c: int, d: int) -> TwoAnalystValues:
    """The values of two_analyst_presence, in PRESENCE_NAMES order (None where undefined).

    a: units both analysts coded, b: the first only, c: the second only, d: neither. For two
    analysts every quantity summarise() accumulates is a whole or half number, so it is exact
    whatever the order of the patterns, and each value below is the same floating-point
    expression as its *_of function on those quantities: the same figures to the last bit
    (tests/test_agreement_fast.py checks them against presence_coefficients). a + b + c + d > 0.
    """
    n = float(a + b + c + d)  # units pairable = rated = complete
    observed = float(a + d) / n
    split = b + c
    # Both categories occur among the ratings unless every unit is coded by both or by neither.
    if split or (a and d):
        first_yes, first_no, second_yes, second_no = float(a + b), float(c + d), float(a + c), float(b + d)
        chance = (first_yes * second_yes + first_no * second_no) / (n * n)
        cohen: float | None = (observed - chance) / (1 - chance)
        pooled = 2 * n
        chance = ((first_yes + second_yes) / pooled) ** 2 + ((first_no + second_no) / pooled) ** 2
        scott: float | None = (observed - chance) / (1 - chance)
        pairs = 2 * n  # Krippendorff's n: the pairable values
        coded, uncoded = float(2 * a + split), float(2 * d + split)
        alpha: float | None = 1 - (pairs - 1) * (pairs - float(2 * a + 2 * d)) / (
            pairs * pairs - (coded * coded + uncoded * uncoded)
        )
    else:
        cohen = scott = alpha = None
    yes = (float(a) + float(split) * 0.5) / n  # Gwet's pi_k
    no = (float(d) + float(split) * 0.5) / n
    chance = yes * (1 - yes) + no * (1 - no)
    any_coded = a + split
    return (
        observed,
        cohen,
        scott,
        (observed - 0.5) / (1 - 0.5),
        (observed - chance) / (1 - chance),
        alpha,
        float(a) / float(any_coded) if any_coded else None,
    )


NO_CODED_UNITS = undefined("undefined (no coded text: no analyst coded any unit)")
SAME_CATEGORY = undefined(NO_VARIATION)
_UNDEFINED_PRESENCE = (None, SAME_CATEGORY, SAME_CATEGORY, None, None, SAME_CATEGORY, NO_CODED_UNITS)


def two_analyst_presence(both: int, first_only: int, second_only: int, neither: int) -> dict[str, Stat]:
    """presence_coefficients()[0] for two analysts' binary ratings given as the 2x2 table, in
    closed form for the hundreds of thousands of (code, transcript) cells of a large comparison
    (see two_analyst_values). The table must not be empty."""
    values = two_analyst_values(both, first_only, second_only, neither)
    return {
        name: Stat(value) if value is not None else _UNDEFINED_PRESENCE[i]  # type: ignore[misc]
        for i, (name, value) in enumerate(zip(PRESENCE_NAMES, values))
    }


class Means:
    """Running means of each coefficient over tables (cells, codes), skipping undefined values.

    Keeps the unweighted and the weighted mean at once, so one pass over the cells feeds both.
    """

    def __init__(self) -> None:
        self.tables = 0
        # name -> [sum of values, tables with a value, sum of weight x value, sum of weights]
        self.totals: dict[str, list[float]] = {}

    def add(self, stats: Mapping[str, Stat], tables: int = 1, weight: float = 0.0) -> None:
        """Add `tables` tables that share these figures; weight is their combined weight."""
        self.tables += tables
        totals = self.totals
        for name, stat in stats.items():
            entry = totals.get(name)
            if entry is None:
                entry = totals[name] = [0.0, 0, 0.0, 0.0]
            value = stat.value
            if value is not None and tables:
                entry[0] += value * tables
                entry[1] += tables
                if weight:
                    entry[2] += value * weight
                    entry[3] += weight

    @classmethod
    def from_totals(cls, tables: int, totals: dict[str, list[float]]) -> Means:
        """Means already summed elsewhere in the same order and arithmetic as add() (a caller's
        unrolled loop over hundreds of thousands of tables)."""
        means = cls()
        means.tables, means.totals = tables, totals
        return means

    def defined(self) -> dict[str, int]:
        """How many tables had a value for each coefficient."""
        return {name: int(entry[1]) for name, entry in self.totals.items()}

    def means(self, weighted: bool = False, unit: str = "table") -> dict[str, Stat]:
        result = {}
        for name, (total, defined, weighted_total, weights) in self.totals.items():
            if weighted and weights:
                result[name] = Stat(weighted_total / weights)
            elif not weighted and defined:
                result[name] = Stat(total / defined)
            else:
                result[name] = undefined(f"undefined (no {unit} with a defined value)")
        return result
