"""Krippendorff's unitizing alphas over a semantic domain: a set of codes read as the values of
one variable (ATLAS.ti's semantic domain: a parent code's children, or a list of codes).

Each analyst's text is a continuum partitioned into valued units (their spans of the domain's
codes, one value per code) and gaps (text coded with none of them). A domain's codes must not
overlap within an analyst (ATLAS.ti's rule for a semantic domain): a character an analyst coded
with two of them has no single value, so the coefficients are then undefined, with the reason.

Terms as in agreement.md, section 4 (Krippendorff, Mathet, Bouvry & Widlöcher 2016; Krippendorff
2019, section 12.6). m analysts, values c, k (the codes, and the gap ∅):

    l_ck = sum over ordered analyst pairs i != j of the overlap length of i's c-segments with
           j's k-segments, / (m - 1)                                       (observed coincidences)
    l_c. = length every analyst gave value c, summed over analysts;    l.. = m T
    S_c  = sum of l^2 over the units of value c;   S_∅ = summed gap length
    e_ck = l.. (l_c. l_.k - [c = k] S_c) / (l..^2 - sum_c S_c)             (expected coincidences)

    uα   = 1 - (l.. - tr l) / (l.. - tr e)        (the domain's codes as values: boundaries and codes)
    |uα  = uα on the 2 x 2 collapse unit / gap     (ATLAS.ti's α-binary: where the domain is coded)
    cuα  = the same on l* (l restricted to valued x valued: text both analysts coded), with
           e*_ck = l*.. (l*_c. l*_.k - [c = k] Q_c) / (l*..^2 - sum_c Q_c), Q_c = sum over units
           of value c of p^2, p = the unit's length that another analyst also coded (its pairable
           length)                                          (ATLAS.ti's cu-α: which code, given both coded)
    Cuα  = cuα with each semantic domain as one value (ATLAS.ti's Cu-α, across domains)

uα was also checked, once and outside the test suite, against the PyPI package
krippendorff-unitized-alpha 0.1.0 (partitions built here, as agreement.md advises): equal to 1e-16
on 120 random multi-valued continua with 2 to 4 analysts.

cuα's correction term Q follows Krippendorff 2019 eqs. 36-37 as the quallmer R package reads
them; no published worked number for cuα was found, so it is checked against an independent
per-character computation only (tests/test_agreement_domains.py).

Per value, Krippendorff's 1995 formulation (Content Analysis 2004, section 12.4 in the 2nd
edition's pp. 251-256), the other values counted as gaps, on the transcripts joined end to end:

    δ²   = (b1 - b2)^2 + (e1 - e2)^2 for two overlapping units of value k (b begin, e end);
           l^2 for a unit lying wholly in the other analyst's gap; 0 otherwise
    D_o  = 2 sum_{i<j} sum δ² / (m (m - 1) L^2)
    D_e  = (2 / L) sum_units [(N_k - 1)(2l^3 - 3l^2 + l) / 3 + l^2 sum_{gaps h, l_h >= l} (l_h - l + 1)]
           / (m L (m L - 1) - sum_units l (l - 1))
    α_k  = 1 - D_o / D_e;   over the domain, 1 - mean_k D_o / mean_k D_e (as DKPro computes it)

checked against Krippendorff's worked example (2004, p. 254): α_c = .7286, D_o = .0144, D_e =
.0532, α_k = 1, and .8591 over both values.

Everything is interval arithmetic on sorted boundaries: time follows the number of spans.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from qualcode.agreement.coefficients import Stat, undefined
from qualcode.wording import counted

GAP = None  # the value of text an analyst did not code with any of the domain's codes

Value = Hashable
Unit = tuple[int, int, Value]  # start, end (0-based, end-exclusive), value


@dataclass(frozen=True)
class Overlap:
    """Characters one analyst coded with two of a domain's values at once."""

    analyst: int
    transcript: str
    values: tuple[Value, Value]
    characters: int


@dataclass
class DomainTally:
    """The sufficient statistics of uα, |uα and cuα for one set of values, added text by text.

    Integers throughout (coincidences are kept before the division by m - 1), so every figure
    is exact until its last division.
    """

    analysts: int
    length: int = 0  # T, summed over the texts added
    pairs: dict[tuple[Value, Value], int] = field(default_factory=dict)  # (m - 1) l_ck
    lengths: dict[Value, int] = field(default_factory=dict)  # l_c. (per value, over analysts)
    squares: dict[Value, int] = field(default_factory=dict)  # S_c for units
    pairable_squares: dict[Value, int] = field(default_factory=dict)  # Q_c
    units: int = 0
    overlaps: list[Overlap] = field(default_factory=list)

    def add_text(self, transcript: str, length: int, units: Sequence[Sequence[Unit]]) -> None:
        """Add one text: per analyst, their units (start, end, value); gaps are what is left."""
        m = self.analysts
        ordered = [sorted(mine) for mine in units]
        clean = True
        for index, mine in enumerate(ordered):
            reach, reaching = -1, None  # the furthest end so far, and its value
            for start, end, value in mine:
                if start < reach:
                    clean = False
                    self.overlaps.append(Overlap(index, transcript, (reaching, value), min(reach, end) - start))
                if end > reach:
                    reach, reaching = end, value
        if not clean:
            return  # the text has no partition into values; the coefficients will say so
        self.length += length
        lengths, squares = self.lengths, self.squares
        for mine in ordered:
            for start, end, value in mine:
                size = end - start
                lengths[value] = lengths.get(value, 0) + size
                squares[value] = squares.get(value, 0) + size * size
            self.units += len(mine)
        lengths[GAP] = lengths.get(GAP, 0) + length * m - sum(end - start for mine in ordered for start, end, _ in mine)
        self._sweep(length, ordered)

    def _sweep(self, length: int, ordered: list[list[Unit]]) -> None:
        """Coincidences and pairable lengths by one pass over every analyst's boundaries."""
        m = self.analysts
        events: list[tuple[int, int, int, Value]] = []  # position, 0 = end before 1 = start, analyst, value
        for index, mine in enumerate(ordered):
            for start, end, value in mine:
                events.append((start, 1, index, value))
                events.append((end, 0, index, value))
        events.sort(key=lambda event: (event[0], event[1]))
        current: list[Value] = [GAP] * m
        pairable = [0] * m  # the current unit's pairable length, per analyst
        coded = 0  # analysts with a value at the current position
        previous = 0
        pairs, pairable_squares = self.pairs, self.pairable_squares

        def add_segment(size: int) -> None:
            for i in range(m):
                for j in range(m):
                    if i != j:
                        key = (current[i], current[j])
                        pairs[key] = pairs.get(key, 0) + size
            if coded >= 2:
                for i in range(m):
                    if current[i] is not GAP:
                        pairable[i] += size

        for position, kind, index, value in events:
            if position > previous:
                add_segment(position - previous)
                previous = position
            if kind == 0:
                p = pairable[index]
                pairable_squares[value] = pairable_squares.get(value, 0) + p * p
                pairable[index] = 0
                current[index] = GAP
                coded -= 1
            else:
                current[index] = value
                coded += 1
        if length > previous:
            add_segment(length - previous)

    def observed(self) -> dict[tuple[Value, Value], float]:
        """l_ck, for display."""
        return {key: n / (self.analysts - 1) for key, n in self.pairs.items()}


def overlap_reason(tally: DomainTally, analysts: Sequence[str]) -> str:
    first = tally.overlaps[0]
    characters = sum(o.characters for o in tally.overlaps)
    a, b = first.values
    return (
        f"undefined ({analysts[first.analyst]} coded {counted(characters, 'character')} with two of the domain's values "
        f"at once, first {a} and {b} in {first.transcript}; a semantic domain's codes must not overlap within "
        "an analyst)"
    )


def _alpha(observed_disagreement: Fraction, expected_disagreement: Fraction, reason: str) -> Stat:
    if not expected_disagreement:
        return undefined(reason)
    return Stat(float(1 - observed_disagreement / expected_disagreement))


def u_alpha(tally: DomainTally, analysts: Sequence[str]) -> Stat:
    """uα over the tally's values (the domain's codes) and the gap."""
    if tally.overlaps:
        return undefined(overlap_reason(tally, analysts))
    m = tally.analysts
    total = m * tally.length  # l..
    if not total or not sum(n for value, n in tally.lengths.items() if value is not GAP):
        return undefined("undefined (no variation: no analyst used the domain's codes)")
    agreeing = sum(n for (c, k), n in tally.pairs.items() if c == k)
    observed = Fraction(m * (m - 1) * tally.length - agreeing, m - 1)  # l.. - tr l
    correction = sum(tally.squares.values()) + tally.lengths.get(GAP, 0)  # sum over c of S_c
    expected = Fraction(
        total * (total * total - sum(n * n for n in tally.lengths.values())), total * total - correction
    )
    return _alpha(observed, expected, "undefined (no variation: one value throughout)")


def binary_u_alpha(tally: DomainTally, analysts: Sequence[str]) -> Stat:
    """|uα: the values collapsed into one (coded with any of them) against the gap."""
    if tally.overlaps:
        return undefined(overlap_reason(tally, analysts))
    m = tally.analysts
    total = m * tally.length
    gaps = tally.lengths.get(GAP, 0)
    coded = total - gaps
    if not coded:
        return undefined("undefined (no variation: no analyst used the domain's codes)")
    if not gaps:
        return undefined("undefined (no variation: every analyst coded all of the text)")
    split = sum(n for (c, k), n in tally.pairs.items() if (c is GAP) != (k is GAP))
    observed = Fraction(split, m - 1)
    correction = sum(tally.squares.values()) + gaps
    expected = Fraction(total * 2 * coded * gaps, total * total - correction)
    return _alpha(observed, expected, "undefined (no variation)")


def cu_alpha(tally: DomainTally, analysts: Sequence[str]) -> Stat:
    """cuα: agreement on which value, over the text two analysts both coded with the values."""
    if tally.overlaps:
        return undefined(overlap_reason(tally, analysts))
    m = tally.analysts
    both = {key: n for key, n in tally.pairs.items() if key[0] is not GAP and key[1] is not GAP}
    total = sum(both.values())  # (m - 1) l*..
    if not total:
        return undefined("undefined (no text was coded with the domain's codes by two analysts)")
    margins: dict[Value, int] = {}
    for (c, _), n in both.items():
        margins[c] = margins.get(c, 0) + n
    if len(margins) < 2:
        return undefined("undefined (no variation: only one of the values was used where analysts overlap)")
    agreeing = sum(n for (c, k), n in both.items() if c == k)
    # In units of l*: divide the integer pair counts by m - 1 once, exactly.
    star_total = Fraction(total, m - 1)
    observed = star_total - Fraction(agreeing, m - 1)
    q = sum(tally.pairable_squares.get(c, 0) for c in margins)
    margin_squares = sum(Fraction(n, m - 1) ** 2 for n in margins.values())
    denominator = star_total * star_total - q
    if denominator <= 0:
        return undefined("undefined (no pairable text beyond single units)")
    expected = star_total - star_total * (margin_squares - q) / denominator
    return _alpha(observed, expected, "undefined (no variation)")


# --- Krippendorff 1995 / 2004: per value ------------------------------------------------------


@dataclass(frozen=True)
class PerValue1995:
    observed: Fraction  # D_o
    expected: Fraction  # D_e
    units: int

    @property
    def alpha(self) -> Stat:
        if not self.expected:
            return undefined("undefined (no variation: no analyst used this code)")
        return Stat(float(1 - self.observed / self.expected))


def per_value_1995(units: Sequence[Sequence[tuple[int, int]]], length: int) -> PerValue1995:
    """D_o, D_e and α_k for one value: per analyst, their units of it (merged, sorted) on one
    continuum of this length (the transcripts joined end to end)."""
    m = len(units)
    observed = 0
    for i in range(m):
        for j in range(i + 1, m):
            observed += _pair_distance(units[i], units[j])
    d_o = Fraction(2 * observed, m * (m - 1) * length * length) if length else Fraction(0)
    all_units = [end - start for mine in units for start, end in mine]
    gaps = sorted(size for mine in units for size in _gaps(mine, length))
    # Suffix sums over gaps sorted by length: sum over gaps with l_h >= l of (l_h - l + 1).
    suffix_count = len(gaps)
    suffix_sum = [0] * (suffix_count + 1)
    for index in range(suffix_count - 1, -1, -1):
        suffix_sum[index] = suffix_sum[index + 1] + gaps[index]
    n_k = len(all_units)
    total = Fraction(0)
    for size in all_units:
        first = bisect_left(gaps, size)
        fitting = suffix_count - first
        total += Fraction((n_k - 1) * (2 * size**3 - 3 * size**2 + size), 3)
        total += size * size * (suffix_sum[first] - (size - 1) * fitting)
    denominator = m * length * (m * length - 1) - sum(size * (size - 1) for size in all_units)
    d_e = Fraction(2, length) * total / denominator if length and denominator else Fraction(0)
    return PerValue1995(d_o, d_e, n_k)


def _gaps(mine: Sequence[tuple[int, int]], length: int) -> Iterable[int]:
    position = 0
    for start, end in mine:
        if start > position:
            yield start - position
        position = end
    if length > position:
        yield length - position


def _pair_distance(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]) -> int:
    """Sum of δ² between two analysts' units of one value: overlapping units cost the squared
    differences of their boundaries, a unit meeting none of the other's units its length squared."""
    total = 0
    matched_second = [False] * len(second)
    j = 0
    for start, end in first:
        while j < len(second) and second[j][1] <= start:
            j += 1
        k = j
        met = False
        while k < len(second) and second[k][0] < end:
            other_start, other_end = second[k]
            total += (start - other_start) ** 2 + (end - other_end) ** 2
            matched_second[k] = met = True
            k += 1
        if not met:
            total += (end - start) ** 2
    total += sum((end - start) ** 2 for (start, end), met in zip(second, matched_second) if not met)
    return total


def domain_1995(per_value: Mapping[str, PerValue1995]) -> Stat:
    """Over a domain's values: 1 - mean D_o / mean D_e."""
    if not per_value:
        return undefined("undefined (no values)")
    observed = sum((v.observed for v in per_value.values()), Fraction(0))
    expected = sum((v.expected for v in per_value.values()), Fraction(0))
    if not expected:
        return undefined("undefined (no variation: no analyst used the domain's codes)")
    return Stat(float(1 - observed / expected))


def stat_dict(stats: Mapping[str, Stat]) -> dict[str, Any]:
    return {name: stat.to_dict() for name, stat in stats.items()}


# --- A comparison over semantic domains --------------------------------------------------------

U_ALPHA = "krippendorff_u_alpha"
BINARY_U_ALPHA = "krippendorff_binary_u_alpha"
CU_ALPHA = "krippendorff_cu_alpha"
U_ALPHA_1995 = "krippendorff_u_alpha_1995"


@dataclass(frozen=True)
class DomainRow:
    """One semantic domain's coefficients (or, for the overall row, the domains' as values)."""

    domain: str
    codes: tuple[str, ...]
    counts: dict[str, float]
    coefficients: dict[str, Stat]

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "codes": list(self.codes),
            "counts": dict(self.counts),
            "coefficients": stat_dict(self.coefficients),
        }


@dataclass(frozen=True)
class CodeRow:
    """One code of a domain: Krippendorff's 1995 per-value uα with its D_o and D_e."""

    domain: str
    code: str
    units: int
    observed: float
    expected: float
    alpha: Stat

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "code": self.code,
            "units": self.units,
            "observed_disagreement": self.observed,
            "expected_disagreement": self.expected,
            U_ALPHA_1995: self.alpha.to_dict(),
        }


@dataclass(frozen=True)
class DomainResult:
    analysts: list[str]
    rows: list[DomainRow]
    code_rows: list[CodeRow]
    overall: DomainRow | None  # None with a single domain: Cuα needs two or more
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": "unitized",
            "analysts": list(self.analysts),
            "domains": [row.to_dict() for row in self.rows],
            "codes": [row.to_dict() for row in self.code_rows],
            "overall": self.overall.to_dict() if self.overall else None,
            "notes": list(self.notes),
        }


def compare_domains(
    spans: Mapping[str, Iterable[Any]],
    lengths: Mapping[str, int],
    domains: Mapping[str, Sequence[str]],
) -> DomainResult:
    """The unitizing alphas of each semantic domain (name -> its codes) and across domains.

    spans: analyst -> Span objects (transcript, code, start, end); lengths: transcript -> text
    length (only these transcripts count, joined end to end in this order). A code may belong
    to one domain only. Raises AgreementError for input it cannot use.
    """
    from qualcode.agreement.grouping import check_arguments, group_into_cells, merge_cells
    from qualcode.agreement.results import AgreementError
    from qualcode.agreement.unitized import merge_intervals

    analysts = check_arguments(spans, lengths, 1.0, None)
    owner: dict[str, str] = {}
    for name, codes in domains.items():
        if len(set(codes)) < 2:
            raise AgreementError(f"semantic domain {name!r} needs two or more codes; got {len(set(codes))}")
        for code in codes:
            if code in owner and owner[code] != name:
                raise AgreementError(
                    f"code {code!r} is in two domains ({owner[code]!r} and {name!r}); domains must not share codes"
                )
            owner[code] = name
    notes: list[str] = []
    cells = group_into_cells(spans, analysts, lengths, list(owner), notes)
    merges = merge_cells(cells)
    if merges:
        notes.append(
            f"{counted(merges, 'overlapping span')} of the same code by the same analyst"
            f" {'was' if merges == 1 else 'were'} merged first."
        )
    m = len(analysts)
    total_length = sum(lengths.values())
    offsets, position = {}, 0
    for transcript, length in lengths.items():
        offsets[transcript] = position
        position += length

    def tally_of(values: Mapping[str, Sequence[str]]) -> DomainTally:
        """values: value -> the codes whose spans carry it (one code, or a whole domain)."""
        tally = DomainTally(m)
        used = [t for t in lengths if any(t in cells.get(code, {}) for codes in values.values() for code in codes)]
        for transcript in used:
            units: list[list[Unit]] = [[] for _ in range(m)]
            for value, codes in values.items():
                for i in range(m):
                    intervals = [iv for code in codes for iv in cells.get(code, {}).get(transcript, [[]] * m)[i]]
                    if len(codes) > 1:
                        intervals = merge_intervals(intervals)
                    units[i].extend((start, end, value) for start, end in intervals)
            tally.add_text(transcript, lengths[transcript], units)
        rest = total_length - sum(lengths[t] for t in used)
        if rest:
            tally.add_text("", rest, [[] for _ in range(m)])
        return tally

    def counts(tally: DomainTally) -> dict[str, float]:
        return {
            "units": tally.units,
            "coded_length": tally.length * m - tally.lengths.get(GAP, 0) if not tally.overlaps else 0,
            "text_length": total_length,
            "overlapping_characters": sum(o.characters for o in tally.overlaps),
        }

    rows, code_rows = [], []
    for name, codes in domains.items():
        codes = list(dict.fromkeys(codes))
        tally = tally_of({code: [code] for code in codes})
        per_value = {}
        for code in codes:
            joined = [
                [(offsets[t] + s, offsets[t] + e) for t, cell in cells.get(code, {}).items() for s, e in cell[i]]
                for i in range(m)
            ]
            per_value[code] = value = per_value_1995(joined, total_length)
            code_rows.append(
                CodeRow(name, code, value.units, float(value.observed), float(value.expected), value.alpha)
            )
        coefficients = {
            U_ALPHA: u_alpha(tally, analysts),
            BINARY_U_ALPHA: binary_u_alpha(tally, analysts),
            CU_ALPHA: cu_alpha(tally, analysts),
            U_ALPHA_1995: domain_1995(per_value),
        }
        rows.append(DomainRow(name, tuple(codes), counts(tally), coefficients))
    overall = None
    if len(domains) > 1:
        tally = tally_of({name: list(codes) for name, codes in domains.items()})
        overall = DomainRow(
            "all domains",
            tuple(domains),
            counts(tally),
            {
                U_ALPHA: u_alpha(tally, analysts),
                BINARY_U_ALPHA: binary_u_alpha(tally, analysts),
                CU_ALPHA: cu_alpha(tally, analysts),
            },
        )
    return DomainResult(analysts, rows, code_rows, overall, notes)
