"""Keeping the corpus right on a large project (default: 1,000 transcripts of 8,000 words, 200,000
codings), with 200 made-up names sprinkled through the transcripts.

    python benchmarks/bench_corpus.py [--count 1000] [--codings 200000] [--keep DIR] [--repeat 3]

Times, as whole processes:
- `transcript pseudonymise --all --map names.csv` replacing the 200 names in every transcript,
  including the search index rebuild and the VACUUM (goal < 30 s), each run on a fresh copy;
- `transcript update` of one 8,000-word transcript carrying 1,000 codings with a new version
  that has 20 edits (goal < 1 s), undone (untimed) between runs.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import QUALCODE, report, run_timed, scratch_folder
from synthetic import build_project, person_names

NAMES = 200
CODINGS_ON_ONE = 1000
EDITS = 20


def run_cpu_timed(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB) of one run: on a machine shared with other work the
    CPU time (user + system) says what the wall time would be on a quiet one."""
    started = time.perf_counter()
    child = os.fork()
    if child == 0:
        os.chdir(cwd)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execvpe(args[0], args, dict(os.environ))
    _, status, usage = os.wait4(child, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed: {' '.join(args)}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def add_codings(project: Path, transcript: str, wanted: int) -> int:
    """Give one transcript `wanted` codings in all (spans over its participant's turns)."""
    connection = sqlite3.connect(project)
    tid = connection.execute("SELECT id FROM transcripts WHERE name = ?", [transcript]).fetchone()[0]
    have = connection.execute("SELECT count(*) FROM codings WHERE transcript_id = ?", [tid]).fetchone()[0]
    turns = connection.execute(
        "SELECT body_start, [end] FROM turns WHERE transcript_id = ? AND is_interviewer = 0", [tid]
    ).fetchall()
    codes = [r[0] for r in connection.execute("SELECT id FROM codes")]
    analyst = connection.execute("SELECT id FROM analysts ORDER BY id LIMIT 1").fetchone()[0]
    rng = random.Random(3)
    rows = set()
    while len(rows) < wanted - have:
        start, end = rng.choice(turns)
        s = rng.randint(start, max(start, end - 40))
        rows.add((tid, rng.choice(codes), analyst, s, min(end, s + rng.randint(20, 300))))
    connection.executemany(
        "INSERT OR IGNORE INTO codings (guid, transcript_id, code_id, analyst_id, start, [end], created)"
        " VALUES (lower(hex(randomblob(16))), ?, ?, ?, ?, ?, '2026-01-01T00:00:00+00:00')",
        sorted(rows),
    )
    connection.commit()
    total = connection.execute("SELECT count(*) FROM codings WHERE transcript_id = ?", [tid]).fetchone()[0]
    connection.close()
    return total


def edited_version(source: Path, out: Path, edits: int) -> None:
    """The transcript with `edits` words changed, spread through it."""
    text = source.read_text(encoding="utf-8")
    words = list(re.finditer(r"(?<=\s)[a-z]{4,}(?=\s)", text))
    chosen = sorted(random.Random(5).sample(words, edits), key=lambda m: m.start(), reverse=True)
    for m in chosen:
        text = text[: m.start()] + "corrected" + text[m.end() :]
    out.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = scratch_folder(args.keep, "qualcode-bench-")
    project = work / "projects" / "bench.qualcode"
    names = person_names(NAMES)
    if not project.exists():
        project.parent.mkdir(parents=True, exist_ok=True)
        build_project(project, args.count, args.words, args.codings, names=names)
    one = f"P{args.count // 2}"
    on_one = add_codings(project, one, CODINGS_ON_ONE)
    pristine = work / "pristine.qualcode"
    if not pristine.exists():
        shutil.copy(project, pristine)
    (work / "names.csv").write_text(
        "name,pseudonym\n"
        + "".join(f"{n},{'[partner]' if i % 4 == 0 else f'Pseud{i:03d}'}\n" for i, n in enumerate(names)),
        encoding="utf-8",
    )
    edited_version(work / "projects" / "bench-sources" / f"{one}.txt", work / f"{one}-edited.txt", EDITS)
    p = ["-p", "bench"]

    update_runs = []
    for _ in range(max(args.repeat, 3)):
        update_runs.append(run_cpu_timed([*QUALCODE, *p, "transcript", "update", one, f"{one}-edited.txt"], work))
        run_timed([*QUALCODE, *p, "undo"], work)

    pseudonymise_runs = []
    for _ in range(args.repeat):
        shutil.copy(pristine, project)
        for extra in ("-wal", "-shm"):
            Path(f"{project}{extra}").unlink(missing_ok=True)
        pseudonymise_runs.append(
            run_cpu_timed([*QUALCODE, *p, "transcript", "pseudonymise", "--all", "--map", "names.csv"], work)
        )
    connection = sqlite3.connect(project)
    left = connection.execute("SELECT count(*) FROM transcripts WHERE text LIKE ?", [f"%{names[0]}%"]).fetchone()[0]
    total = connection.execute("SELECT count(*) FROM codings").fetchone()[0]
    connection.close()
    shutil.copy(pristine, project)
    print(f"project: {args.count} transcripts, {total:,} codings; {one} carries {on_one:,}; in {work}")
    print(f"after pseudonymising, transcripts still holding '{names[0]}': {left}")
    rows = []
    for what, runs, goal in (
        (f"transcript pseudonymise --all ({NAMES} names, with VACUUM)", pseudonymise_runs, "< 30 s"),
        (f"transcript update ({args.words:,} words, {on_one:,} codings, {EDITS} edits)", update_runs, "< 1 s"),
    ):
        rows.append((what, statistics.median(r[0] for r in runs), max(r[2] for r in runs), goal))
        rows.append(("  the same, CPU seconds (user + system)", statistics.median(r[1] for r in runs), None, goal))
    print(f"load average while measuring: {os.getloadavg()[0]:.1f}")
    report(rows)


if __name__ == "__main__":
    main()
