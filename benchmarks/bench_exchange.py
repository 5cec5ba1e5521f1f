"""REFI-QDA export and import, and merging two copies, on a large synthetic project.

    python benchmarks/bench_exchange.py [--count 1000] [--words 8000] [--codings 200000] [--keep DIR]

Builds a project of COUNT transcripts with CODINGS codings by two analysts, then times, each as a
whole CLI process: `export qdpx`; `import qdpx` of that file into a fresh project; and `merge` of
a second copy in which two other analysts coded the same transcripts (imported separately, so
transcripts match by content and codes by name, and every coding is new).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import QUALCODE, report, run_timed
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


def count(project: Path, table: str) -> int:
    with sqlite3.connect(project) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="qualcode-bench-exchange-"))
    projects = work / "projects"
    projects.mkdir(parents=True, exist_ok=True)
    for name in ("study", "fresh", "copy"):
        for suffix in ("", "-wal", "-shm"):
            (projects / f"{name}.qualcode{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    build_project(projects / "study.qualcode", args.count, args.words, args.codings)
    co_analysts_copy(projects / "study.qualcode", projects / "copy.qualcode")
    print(
        f"built {args.count} transcripts x {args.words} words, {args.codings:,} codings in {time.perf_counter() - started:.0f} s ({work})"
    )

    qdpx = work / "exports" / "study.qdpx"
    export_s, export_mb = run_timed([*QUALCODE, "-p", "study", "export", "qdpx", "--out", str(qdpx)], work)
    run_timed([*QUALCODE, "init", "fresh", "--analyst", "Jo"], work)
    import_s, import_mb = run_timed([*QUALCODE, "-p", "fresh", "import", "qdpx", str(qdpx)], work)
    imported = count(projects / "fresh.qualcode", "codings")
    merge_s, merge_mb = run_timed([*QUALCODE, "-p", "study", "merge", str(projects / "copy.qualcode")], work)
    merged = count(projects / "study.qualcode", "codings")
    print(
        f"qdpx: {qdpx.stat().st_size / 1024**2:.1f} MB; imported {imported:,} codings; after the merge {merged:,} codings"
    )
    report(
        [
            (f"export qdpx, {args.count} transcripts, {args.codings:,} codings", export_s, export_mb, "< 20 s"),
            ("import that qdpx into a fresh project", import_s, import_mb, "< 20 s"),
            (f"merge a co-analysts' copy (+{merged - args.codings:,} codings)", merge_s, merge_mb, "< 20 s"),
        ]
    )


if __name__ == "__main__":
    main()
