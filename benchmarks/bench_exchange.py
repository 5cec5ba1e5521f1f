"""REFI-QDA export and import, the folder form, and merging two copies, on a large synthetic project.

    python benchmarks/bench_exchange.py [--count 1000] [--words 8000] [--codings 200000] [--repeat 3] [--keep DIR]

Builds a project of COUNT transcripts with CODINGS codings by two analysts, then times, each as a
whole CLI process: `export qdpx`; `import qdpx` of that file into a fresh project; `export folder`
(into an empty folder, then again over it); `import folder` of that tree into a fresh project; and `merge` of
a second copy in which two other analysts coded the same transcripts (imported separately, so
transcripts match by content and codes by name, and every coding is new).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import QUALCODE, report, run_timed, scratch_folder
from synthetic import build_project


def co_analysts_copy(source: Path, target: Path) -> None:
    """The same study coded by two other analysts on another machine: new GUIDs everywhere."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as db:
        db.execute("VACUUM INTO ?", [str(target)])
    with sqlite3.connect(target) as db:
        db.execute("UPDATE analysts SET name = CASE name WHEN 'Maya' THEN 'Sam' ELSE 'Lee' END")
        db.execute("UPDATE settings SET value = 'Sam' WHERE key = 'default_analyst'")
        for table in ("analysts", "participants", "transcripts", "codes", "codings"):
            ids = [r[0] for r in db.execute(f"SELECT id FROM {table}")]
            db.executemany(f"UPDATE {table} SET guid = ? WHERE id = ?", [(str(uuid.uuid4()), i) for i in ids])


def median_of_fresh(work: Path, name: str, command: list[str], repeat: int) -> tuple[float, float]:
    """An import into a project just created, `repeat` times (each into a new one)."""
    times, peaks = [], []
    for _ in range(repeat):
        for suffix in ("", "-wal", "-shm"):
            (work / "projects" / f"{name}.qualcode{suffix}").unlink(missing_ok=True)
        run_timed([*QUALCODE, "init", name, "--analyst", "Jo"], work)
        seconds, peak = run_timed([*QUALCODE, "-p", name, *command], work)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def count(project: Path, table: str) -> int:
    with sqlite3.connect(project) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each command (medians are reported).")
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = scratch_folder(args.keep, "qualcode-bench-exchange-")
    projects = work / "projects"
    projects.mkdir(parents=True, exist_ok=True)
    for name in ("study", "fresh", "copy", "clone"):
        for suffix in ("", "-wal", "-shm"):
            (projects / f"{name}.qualcode{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    build_project(projects / "study.qualcode", args.count, args.words, args.codings)
    co_analysts_copy(projects / "study.qualcode", projects / "copy.qualcode")
    print(
        f"built {args.count} transcripts x {args.words} words, {args.codings:,} codings in {time.perf_counter() - started:.0f} s ({work})"
    )

    qdpx = work / "exports" / "study.qdpx"
    repeat = args.repeat
    export_s, export_mb = run_timed([*QUALCODE, "-p", "study", "export", "qdpx", "--out", str(qdpx)], work, repeat)
    import_s, import_mb = median_of_fresh(work, "fresh", ["import", "qdpx", str(qdpx)], repeat)
    imported = count(projects / "fresh.qualcode", "codings")
    tree = work / "exports" / "study-tree"
    shutil.rmtree(tree, ignore_errors=True)
    folder_s, folder_mb = run_timed([*QUALCODE, "-p", "study", "export", "folder", str(tree)], work)
    again_s, again_mb = run_timed([*QUALCODE, "-p", "study", "export", "folder", str(tree)], work, repeat)
    tree_mb = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file()) / 1024**2
    read_s, read_mb = median_of_fresh(work, "clone", ["import", "folder", str(tree)], repeat)
    cloned = count(projects / "clone.qualcode", "codings")
    merge_s, merge_mb = run_timed([*QUALCODE, "-p", "study", "merge", str(projects / "copy.qualcode")], work)
    merged = count(projects / "study.qualcode", "codings")
    print(
        f"qdpx: {qdpx.stat().st_size / 1024**2:.1f} MB; imported {imported:,} codings; folder: {tree_mb:.1f} MB,"
        f" imported {cloned:,} codings; after the merge {merged:,} codings"
    )
    report(
        [
            (f"export qdpx, {args.count} transcripts, {args.codings:,} codings", export_s, export_mb, "< 20 s"),
            ("import that qdpx into a fresh project", import_s, import_mb, "< 20 s"),
            ("export folder into an empty folder", folder_s, folder_mb, "< 20 s"),
            ("export folder again over it (nothing changed)", again_s, again_mb, "< 20 s"),
            ("import that folder into a fresh project", read_s, read_mb, "< 20 s"),
            (f"merge a co-analysts' copy (+{merged - args.codings:,} codings)", merge_s, merge_mb, "< 20 s"),
        ]
    )


if __name__ == "__main__":
    main()
