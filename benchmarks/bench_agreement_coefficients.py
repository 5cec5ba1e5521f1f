"""Benchmark the semantic-domain alphas and the bootstrap intervals on the agreement benchmark.

The study of bench_agreement.py (2 analysts, 1,000 transcripts, 200 codes, 100,000 codings each).
Times, as medians of --repeat runs, in the library:

- compare_domains over a 10-code domain (codes 000-009: uα, |uα, cuα, the 1995 per-code uα),
  from the whole study's spans. The synthetic codings of one analyst overlap at random, which a
  semantic domain forbids, so first (untimed) each analyst keeps only the domain spans that
  overlap none of their earlier ones in the same transcript;
- bootstrap intervals with 1,000 resamples on one code (code 000) at character, document and
  unitized level, as `compare agreement --ci 0.95 --code "code 000"` computes them (grouping the
  spans included).

    .venv/bin/python benchmarks/bench_agreement_coefficients.py [--transcripts 1000] [--codes 200]
        [--codings 100000] [--length 45000] [--seed 1] [--repeat 3] [--resamples 1000]
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench_agreement import synthetic_study

from qualcode.agreement.bootstrap import level_intervals
from qualcode.agreement.domain_alpha import compare_domains
from qualcode.agreement.grouping import group_into_cells, merge_cells


def exclusive(spans, domain):
    """Each analyst's spans with the domain's codes made mutually exclusive (first come first kept)."""
    wanted = set(domain)
    result = {}
    for analyst, mine in spans.items():
        kept, taken = [], {}
        for span in mine:
            if span.code in wanted:
                others = taken.setdefault(span.transcript, [])
                if any(span.start < end and start < span.end for start, end in others):
                    continue
                others.append((span.start, span.end))
            kept.append(span)
        result[analyst] = kept
    return result


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--codes", type=int, default=200)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--length", type=int, default=45_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    spans, lengths = synthetic_study(args.transcripts, args.codes, args.codings, args.length, args.seed)
    domain = [f"code {j:03d}" for j in range(10)]
    clean = exclusive(spans, domain)
    dropped = sum(map(len, spans.values())) - sum(map(len, clean.values()))
    print(f"{args.transcripts} transcripts, {args.codes} codes, {args.codings} codings per analyst")
    print(f"domain of {len(domain)} codes; {dropped} overlapping domain spans dropped to make it exclusive")
    seconds, result = median_time(lambda: compare_domains(clean, lengths, {"domain": domain}), args.repeat)
    row = result.rows[0]
    figures = ", ".join(f"{name} {stat.value:.4f}" for name, stat in row.coefficients.items() if stat.value is not None)
    print(f"multi-valued u-alpha over the domain: {seconds:.2f} s median ({figures}; {row.counts['units']} units)")
    analysts = list(spans)
    for level in ("character", "document", "unitized"):

        def intervals(level=level):
            cells = group_into_cells(spans, analysts, lengths, ["code 000"], [])
            merge_cells(cells)
            return level_intervals(cells, ["code 000"], analysts, lengths, level, 0.95, args.resamples, 1)

        seconds, found = median_time(intervals, args.repeat)
        shown = "; ".join(
            f"{i.coefficient} {i.value:.4f} [{i.lower:.4f}, {i.upper:.4f}]" for i in found if i.row == "code 000"
        )
        print(f"--ci 0.95, {args.resamples} resamples, one code, {level} level: {seconds:.2f} s median ({shown})")


if __name__ == "__main__":
    main()
