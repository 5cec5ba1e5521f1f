"""Benchmark qualcode.agreement.levels on a large synthetic two-analyst study.

Two analysts, 1,000 transcripts of about 45,000 characters (8,000 words), 200 codes and 100,000
codings each. Times every level of compare_spans for all codes, all four at once with compare_levels (which
groups the spans once, as `compare agreement --level all` does), then the same character-level
counts computed the naive way (per-character presence vectors with numpy), checks that both give
the same a/b/c/d for every code, and prints the ratio. The naive side stops at the counts while
compare_spans also computes every coefficient per code and per (code, transcript) cell, so the
ratio understates the difference.
Peak memory of each level is measured in a second pass under tracemalloc (which slows Python
down, so it is kept out of the timings). A last run makes every transcript ten times longer with
the same codings, to show that time and memory follow the number of spans, not the text length.

    .venv/bin/python benchmarks/bench_agreement.py [--transcripts 1000] [--codes 200]
        [--codings 100000] [--length 45000] [--seed 1] [--repeat 1]
        [--dump FILE | --check-against FILE]

--repeat N times each level N times and prints medians. --dump FILE writes every figure of every
level (as compare_levels gives them, with and without per-transcript rows, for two and for three
analysts) to FILE; --check-against FILE recomputes them and fails unless each one is identical, so
a faster implementation can be checked against the figures of the one it replaces. To time the
one it replaces side by side, export it (git archive OLD qualcode | tar -x -C DIR) and run this
script with PYTHONPATH=DIR, then without.

The naive comparison uses numpy the plain way (a boolean per character); the library uses it on
spans and cells, never per character.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import tracemalloc
from collections import defaultdict

from qualcode.agreement.levels import LEVELS, Span, compare_levels, compare_spans

ANALYSTS = ("Ana", "Ben")


def synthetic_study(transcripts: int, codes: int, codings: int, length: int, seed: int):
    """Ana codes passages at random; Ben recodes most of them with shifted boundaries, drops
    some, and adds passages of his own, so agreement is realistic rather than perfect or nil."""
    rng = random.Random(seed)
    names = [f"T{i:04d}" for i in range(transcripts)]
    code_names = [f"code {j:03d}" for j in range(codes)]
    lengths = {name: length + rng.randint(-length // 10, length // 10) for name in names}

    def passage(transcript: str) -> tuple[int, int]:
        size = rng.randint(60, 1500)
        start = rng.randrange(0, lengths[transcript] - size)
        return start, start + size

    ana, ben = [], []
    for _ in range(codings):
        transcript, code = rng.choice(names), rng.choice(code_names)
        start, end = passage(transcript)
        ana.append(Span(transcript, code, start, end))
        if rng.random() < 0.8:
            shift_start, shift_end = rng.randint(-80, 80), rng.randint(-80, 80)
            new_start = min(max(0, start + shift_start), end - 1)
            new_end = max(min(lengths[transcript], end + shift_end), new_start + 1)
            ben.append(Span(transcript, code, new_start, new_end))
        else:
            other = rng.choice(names)
            ben.append(Span(other, rng.choice(code_names), *passage(other)))
    return {"Ana": ana, "Ben": ben}, lengths


def naive_character_counts(spans, lengths, codes):
    """Per-code a/b/c/d from one boolean presence vector per analyst, code and transcript."""
    import numpy as np

    index = {code: i for i, code in enumerate(codes)}
    by_transcript: dict[str, list[list[Span]]] = defaultdict(lambda: [[], []])
    for which, analyst in enumerate(ANALYSTS):
        for span in spans[analyst]:
            by_transcript[span.transcript][which].append(span)
    totals = np.zeros((len(codes), 4), dtype=np.int64)
    for transcript, length in lengths.items():
        presence = np.zeros((2, len(codes), length), dtype=bool)
        for which, analyst_spans in enumerate(by_transcript.get(transcript, [[], []])):
            for span in analyst_spans:
                presence[which, index[span.code], span.start : span.end] = True
        a_coded, b_coded = presence
        both = (a_coded & b_coded).sum(axis=1)
        only_a = (a_coded & ~b_coded).sum(axis=1)
        only_b = (~a_coded & b_coded).sum(axis=1)
        totals[:, 0] += both
        totals[:, 1] += only_a
        totals[:, 2] += only_b
        totals[:, 3] += length - both - only_a - only_b
    return {code: tuple(int(x) for x in totals[i]) for code, i in index.items()}


def every_figure(spans, lengths) -> dict:
    """Every figure of every level, as plain JSON (floats written exactly, as repr does)."""
    third = {"Cy": [Span(s.transcript, s.code, s.start, min(s.end + 7, lengths[s.transcript])) for s in spans["Ben"]]}
    figures = {}
    for name, study in (("two analysts", spans), ("three analysts", {**spans, **third})):
        for by_transcript in (False, True):
            results = compare_levels(study, lengths, LEVELS, by_transcript=by_transcript)
            figures[f"{name}, by transcript: {by_transcript}"] = {level: r.to_dict() for level, r in results.items()}
    # Through JSON and back, so what is compared is what the file holds.
    return json.loads(json.dumps(figures))


def check_figures(figures: dict, path: str) -> None:
    with open(path, encoding="utf-8") as file:
        expected = json.load(file)
    for key in expected:
        for level in expected[key]:
            assert figures[key][level] == expected[key][level], f"{key}, {level}: figures differ from {path}"
    assert figures.keys() == expected.keys()
    print(f"every figure of every level is identical to those in {path}")


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def peak_memory(function, *args, **kwargs) -> float:
    tracemalloc.start()
    function(*args, **kwargs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--codes", type=int, default=200)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--length", type=int, default=45_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="time each level this many times; medians shown")
    parser.add_argument("--dump", metavar="FILE", help="write every figure of every level to FILE and stop")
    parser.add_argument("--check-against", metavar="FILE", help="check every figure against FILE and stop")
    options = parser.parse_args()

    spans, lengths = synthetic_study(options.transcripts, options.codes, options.codings, options.length, options.seed)
    print(
        f"{len(lengths)} transcripts, {sum(lengths.values()):,} characters, {options.codes} codes, "
        f"{len(spans['Ana']):,} + {len(spans['Ben']):,} codings"
    )
    if options.dump or options.check_against:
        figures = every_figure(spans, lengths)
        if options.dump:
            with open(options.dump, "w", encoding="utf-8") as file:
                json.dump(figures, file)
            print(f"figures written to {options.dump}")
        else:
            check_figures(figures, options.check_against)
        return

    seconds, results = {}, {}
    runs: dict[str, list[float]] = defaultdict(list)
    for _ in range(options.repeat):  # interleaved, so a burst of load on the machine hits every level alike
        for level in LEVELS:
            results[level], elapsed = timed(compare_spans, spans, lengths, level)
            runs[level].append(elapsed)
        together, elapsed = timed(compare_levels, spans, lengths, LEVELS)
        runs["together"].append(elapsed)
    seconds = {level: statistics.median(times) for level, times in runs.items()}
    together_seconds = seconds.pop("together")
    # compare_levels must give exactly what compare_spans gives level by level.
    for level in LEVELS:
        assert together[level] == results[level], level
    longer = {name: 10 * n for name, n in lengths.items()}
    _, longer_seconds = timed(compare_spans, spans, longer, "character")
    codes = [row.code for row in results["character"].rows]
    naive_runs = []
    for _ in range(options.repeat):
        naive, elapsed = timed(naive_character_counts, spans, lengths, codes)
        naive_runs.append(elapsed)
    naive_seconds = statistics.median(naive_runs)

    # The interval sweep and the presence vectors must agree on every cell before timings mean anything.
    for row in results["character"].rows:
        counts = row.counts
        expected = naive[row.code]
        assert (counts["a"], counts["b"], counts["c"], counts["d"]) == expected, row.code

    memory = {level: peak_memory(compare_spans, spans, lengths, level) for level in LEVELS}

    print(f"\n{'level':<22}{'seconds':>9}{'peak MiB':>10}")
    for level in LEVELS:
        print(f"{level:<22}{seconds[level]:>9.2f}{memory[level]:>10.1f}")
    total = sum(seconds.values())
    print(f"{'four levels, one by one':<22}{total:>9.2f}")
    print(
        f"{'all four at once':<22}{together_seconds:>9.2f}   (compare_levels, as compare agreement --level all; goal: under 2 s)"
    )
    print(f"{'naive numpy character':<22}{naive_seconds:>9.2f}")
    print(f"ratio naive / interval at character level: {naive_seconds / seconds['character']:.1f}x")

    pooled = results["character"].overall[0].coefficients
    print(
        f"\ncharacter level, pooled: kappa {pooled['cohen_kappa'].value:.3f}, "
        f"alpha {pooled['krippendorff_alpha'].value:.3f}, jaccard {pooled['jaccard'].value:.3f}; "
        f"segment level, pooled: {results['segment'].overall[0].coefficients['percent_agreement'].value:.3f}; "
        f"unitized pooled |u-alpha {results['unitized'].overall[0].coefficients['krippendorff_binary_u_alpha'].value:.3f}"
    )

    longer_memory = peak_memory(compare_spans, spans, longer, "character")
    print(
        f"same codings, transcripts 10x longer: character level {longer_seconds:.2f} s, "
        f"peak {longer_memory:.1f} MiB (vs {seconds['character']:.2f} s, {memory['character']:.1f} MiB)"
    )


if __name__ == "__main__":
    main()
