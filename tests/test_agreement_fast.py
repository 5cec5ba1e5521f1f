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


def test_grouping_and_merging_at_once_gives_the_cells_and_merges_of_the_two_steps():
    from qualcode.agreement.grouping import group_and_merge, group_into_cells, merge_cells
    from qualcode.agreement.results import Span
    from qualcode.agreement.unitized import coverage_by_mask, two_analyst_coverage

    rng = random.Random(3)
    for _ in range(300):
        lengths = {f"T{i}": rng.randint(1, 40) for i in range(5)}
        spans: dict[str, list[Span]] = {name: [] for name in ("Ana", "Ben", "Cy")[: rng.randint(2, 3)]}
        for analyst_spans in spans.values():
            for _ in range(rng.randint(0, 30)):
                transcript = rng.choice(list(lengths))
                start = rng.randint(0, lengths[transcript])
                analyst_spans.append(
                    Span(transcript, rng.choice("xyz"), start, rng.randint(start, lengths[transcript]))
                )
        analysts = list(spans)
        cells, merges = group_and_merge(spans, analysts, lengths, None, [])
        expected = group_into_cells(spans, analysts, lengths, None, [])
        assert merges == merge_cells(expected)
        assert cells == expected
        assert [list(by_transcript) for by_transcript in cells.values()] == [list(e) for e in expected.values()]
        for by_transcript in cells.values():
            for first, second, *_ in by_transcript.values():  # and the overlaps of two analysts' cells
                counts = coverage_by_mask([first, second], 0)
                assert two_analyst_coverage(first, second) == (counts.get(3, 0), counts.get(1, 0), counts.get(2, 0))
