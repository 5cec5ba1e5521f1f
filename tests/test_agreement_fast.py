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


def _random_spans(rng: random.Random, lengths: dict[str, int], analysts: tuple[str, ...]):
    from qualcode.agreement.results import Span

    spans: dict[str, list[Span]] = {name: [] for name in analysts}
    for analyst_spans in spans.values():
        for _ in range(rng.randint(0, 30)):
            # Now and then a transcript the comparison has no length for.
            transcript = rng.choice([*lengths, "elsewhere"]) if rng.random() < 0.1 else rng.choice(list(lengths))
            length = lengths.get(transcript, 50)
            start = rng.randint(0, length)
            end = start if rng.random() < 0.05 else rng.randint(start, length)
            analyst_spans.append(Span(transcript, rng.choice("xyzw"), start, end))
    return spans


def test_arranged_spans_give_the_cells_merges_and_notes_of_the_span_by_span_grouping(monkeypatch):
    from qualcode.agreement import span_arrays
    from qualcode.agreement.grouping import group_into_cells, merge_cells
    from qualcode.agreement.span_arrays import arrange

    monkeypatch.setattr(span_arrays, "_SLICE", 7)  # cells are built a slice of intervals at a time
    from qualcode.agreement.unitized import coverage_by_mask, two_analyst_coverage

    rng = random.Random(3)
    for _ in range(300):
        lengths = {f"T{i}": rng.randint(1, 40) for i in rng.sample(range(9), 5)}  # not in name order
        analysts = ("Ana", "Ben", "Cy")[: rng.randint(2, 3)]
        spans = _random_spans(rng, lengths, analysts)
        codes = rng.choice([None, ["z", "x"], ["w", "v", "y", "x", "z"]])
        expected_notes: list[str] = []
        expected = group_into_cells(spans, list(analysts), lengths, codes, expected_notes)
        expected_merges = merge_cells(expected)
        notes: list[str] = []
        arranged = arrange(spans, list(analysts), lengths, codes, notes)
        cells = arranged.cells()
        assert arranged.merges == expected_merges
        assert notes == expected_notes
        assert cells == expected
        assert arranged.codes == (sorted(expected) if codes is None else codes)
        # Report order: codes as compared, each code's transcripts in the order of the lengths.
        assert [code for code in arranged.codes if code in cells] == list(cells)
        for code, by_transcript in cells.items():
            assert list(by_transcript) == [t for t in lengths if t in expected[code]]
        coded = arranged.coded_length()
        by_all = arranged.coded_by_all()
        flat = [cell for by_transcript in cells.values() for cell in by_transcript.values()]
        for index, cell in enumerate(flat):
            counts = coverage_by_mask(cell, 0)
            assert by_all[index] == counts.get((1 << len(analysts)) - 1, 0)
            assert coded[index].tolist() == [sum(end - start for start, end in intervals) for intervals in cell]
            if len(analysts) == 2:
                first, second = cell
                assert two_analyst_coverage(first, second) == (counts.get(3, 0), counts.get(1, 0), counts.get(2, 0))


def test_arranging_refuses_the_first_span_outside_its_text_in_the_words_of_the_span_by_span_check():
    from qualcode.agreement.grouping import group_into_cells
    from qualcode.agreement.results import AgreementError, Span
    from qualcode.agreement.span_arrays import arrange

    lengths = {"P1": 30, "P2": 12}
    for wrong in (Span("P2", "Trust", 5, 13), Span("P1", "Trust", -1, 4), Span("P2", "Trust", 9, 8)):
        spans = {
            "Ana": [Span("P1", "Trust", 0, 10), Span("elsewhere", "Trust", 0, 99)],
            "Ben": [Span("P1", "Care", 2, 6), wrong, Span("P2", "Care", 40, 50)],
        }
        with pytest.raises(AgreementError) as span_by_span:
            group_into_cells(spans, ["Ana", "Ben"], lengths, None, [])
        with pytest.raises(AgreementError) as arrayed:
            arrange(spans, ["Ana", "Ben"], lengths, None, [])
        assert str(arrayed.value) == str(span_by_span.value)
        assert f"span {wrong.start}-{wrong.end} of code 'Trust' by 'Ben'" in str(arrayed.value)


@pytest.mark.parametrize("offset", [2.5, "3", None, 2**70])
def test_arranging_refuses_offsets_that_are_not_whole_numbers_rather_than_rounding_them(offset):
    from qualcode.agreement.results import AgreementError, Span
    from qualcode.agreement.span_arrays import arrange

    spans = {"Ana": [Span("P1", "Trust", 0, 10)], "Ben": [Span("P1", "Trust", 1, 4), Span("P1", "Care", offset, 9)]}
    with pytest.raises(AgreementError) as refused:
        arrange(spans, ["Ana", "Ben"], {"P1": 30}, None, [])
    assert str(refused.value) == (
        f"span offsets must be whole numbers within the text; got {offset!r} as the start "
        "of a span of code 'Care' in transcript 'P1'"
    )


def test_intervals_are_ordered_by_group_then_start_whether_or_not_one_64_bit_key_holds_both():
    import numpy as np

    from qualcode.agreement.span_arrays import _by_group_then_start

    rng = np.random.default_rng(5)
    start = rng.integers(0, 1000, 500)
    end = start + rng.integers(1, 50, 500)
    for largest_group in (40, 2**60):  # the second overflows group x stride: sorted by two keys
        group = rng.integers(0, 40, 500) * (largest_group // 40)
        order = _by_group_then_start(group, start, int(end.max()) + 1)
        pairs = list(zip(group[order].tolist(), start[order].tolist()))
        assert pairs == sorted(zip(group.tolist(), start.tolist()))
