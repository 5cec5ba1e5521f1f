"""Coding and retrieval on a large project (default: 1,000 transcripts, 200,000 codings, 2 analysts).

    python benchmarks/bench_coding.py [--count 1000] [--codings 200000] [--keep DIR]

Times, as whole processes: one `code apply` from the shell, `extracts` of the most used code
(about 5,000 codings), `matrix` over all codes and participants, and the pass over every
transcript's uncoded turns (`transcript show --uncoded`). Then, in the library, what
blind coding adds: the start of a coding session (open, progress, resume point, the first turn's
codings, the codebook for completion) and `extracts` of that code, each with blind coding off
and on (on a copy of the project), as medians of CPU time.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import QUALCODE, report, run_timed, scratch_folder
from synthetic import build_project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = scratch_folder(args.keep, "qualcode-bench-")
    project = work / "projects" / "bench.qualcode"
    if not project.exists():
        project.parent.mkdir(parents=True, exist_ok=True)
        build_project(project, args.count, args.words, args.codings)
    connection = sqlite3.connect(project)
    code, n = connection.execute(
        "SELECT k.name, count(*) AS n FROM codings c JOIN codes k ON k.id = c.code_id GROUP BY k.id"
        " ORDER BY abs(n - 5000) LIMIT 1"
    ).fetchone()
    total = connection.execute("SELECT count(*) FROM codings").fetchone()[0]
    connection.close()
    p = ["-p", "bench"]
    # Each timed apply is undone (untimed), so the next run is not refused as a duplicate.
    apply_runs = []
    for line in range(1, 6):
        apply_runs.append(
            run_timed([*QUALCODE, *p, "code", "apply", "Code 150", "-t", "P500", "--lines", str(line * 2)], work)
        )
        run_timed([*QUALCODE, *p, "undo"], work)
    apply_s = sorted(s for s, _ in apply_runs)[len(apply_runs) // 2]
    extracts_s, extracts_mb = run_timed([*QUALCODE, *p, "extracts", code], work, repeat=3)
    extracts_json_s, _ = run_timed([*QUALCODE, *p, "extracts", code, "--json"], work, repeat=3)
    matrix_s, matrix_mb = run_timed([*QUALCODE, *p, "matrix"], work, repeat=3)
    uncoded_s, uncoded_mb = run_timed([*QUALCODE, *p, "transcript", "show", "--uncoded"], work, repeat=3)
    print(f"project: {args.count} transcripts, {total:,} codings by 2 analysts, in {work}")
    report(
        [
            ("code apply (one coding, whole process)", apply_s, max(m for _, m in apply_runs), "< 0.3 s"),
            (f"extracts '{code}' ({n:,} codings, as printed)", extracts_s, extracts_mb, "< 1 s"),
            (f"extracts '{code}' --json", extracts_json_s, None, "< 1 s"),
            ("matrix, all codes x participants", matrix_s, matrix_mb, "< 2 s"),
            ("transcript show --uncoded, every transcript", uncoded_s, uncoded_mb, "< 10 s"),
        ]
    )
    blind_overhead(project, code)


def blind_overhead(project: Path, code: str, repeat: int = 15) -> None:
    from qualcode.analysis.blind import start_blind
    from qualcode.analysis.retrieval import extracts
    from qualcode.analysis.session import SessionState
    from qualcode.store import Project

    def session_start(opened: Project) -> None:
        state = SessionState.open(opened, "Tom", "P500")
        state.progress(), state.resume_turn(), state.codings(), state.code_names()

    def median_cpu(function, off: Project, on: Project) -> tuple[float, float]:
        # Off and on alternately, so that a drift in the machine's speed meets both alike.
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(repeat):
            for opened, taken in zip((off, on), times):
                started = time.process_time()
                function(opened)
                taken.append(time.process_time() - started)
        return statistics.median(times[0]), statistics.median(times[1])

    blind_copy = project.with_name("bench-blind.qualcode")
    shutil.copyfile(project, blind_copy)
    opened, blind = Project.open(project), Project.open(blind_copy)
    start_blind(blind, "Maya")
    rows = []
    for label, function in (
        ("code session start (P500, as Tom)", session_start),
        (f"extracts '{code}' (as Tom)", lambda p: extracts(p, code, viewer="Tom")),
    ):
        off, on = median_cpu(function, opened, blind)
        rows.append((label, off, on))
    print(f"\n{'blind coding, library CPU time (median)':<42}{'off':>8}{'on':>8}{'added':>8}")
    for label, off, on in rows:
        print(f"{label:<42}{off:>8.4f}{on:>8.4f}{(on - off) / off:>8.1%}   (goal: under 10%)")
    opened.close(), blind.close()


if __name__ == "__main__":
    main()
