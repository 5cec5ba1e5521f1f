"""Themes at scale: `theme list`, `theme review` and the PNG map for 40 themes, 400 codes and 200,000 codings.

    python benchmarks/bench_themes.py [--transcripts 100] [--words 8000] [--codings 200000]
        [--codes 400] [--themes 10] [--subthemes 3] [--repeat 3] [--keep DIR]

Builds a synthetic project (benchmarks/synthetic.py: transcripts through the importer, codings as
bulk inserts in one transaction, Zipf-like code use, two analysts), then THEMES top-level themes
with SUBTHEMES subthemes each (40 themes in all by default). Every code sits in a subtheme, one in
ten also in a second theme, and the top-level themes are linked in a ring; codings fall at random
in participants' turns, so passages of different themes overlap and the review's overlap and
shared-code sections have work to do. Times each command as a whole CLI process (start-up
included), median of --repeat runs, with its peak memory:

    theme list                      goal < 5 s
    theme review                    goal < 5 s
    map --format png                goal < 5 s
    map --format png --include codes   (for information: 440 labels)
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import QUALCODE, report, run_timed, scratch_folder
from synthetic import build_project

LINK_LABELS = ["shapes", "protects against", "feeds", "is eased by", "complicates"]


def add_themes(path: Path, themes: int, subthemes: int, seed: int = 1) -> None:
    """Themes over the synthetic codes, written through the audited store in one command."""
    from qualcode.store import Project, new_guid

    rng = random.Random(seed)
    project = Project.open(path)
    code_ids = [r[0] for r in project.db.execute("SELECT id FROM codes ORDER BY id")]
    leaves: list[int] = []
    with project.change("Maya", "theme add") as change:
        tops = []
        for t in range(themes):
            top = change.insert(
                "themes",
                {
                    "name": f"Theme {t + 1:02d}: how therapists hold anxiety in the room",
                    "guid": new_guid(),
                    "status": rng.choice(["candidate", "reviewed", "final"]),
                    "position": t + 1,
                    "created": change.at,
                    "created_by": change.analyst_id,
                },
            )
            tops.append(top)
            for s in range(subthemes):
                leaves.append(
                    change.insert(
                        "themes",
                        {
                            "name": f"Subtheme {t + 1:02d}.{s + 1} of the pattern",
                            "guid": new_guid(),
                            "parent_id": top,
                            "status": "candidate",
                            "position": s + 1,
                            "created": change.at,
                            "created_by": change.analyst_id,
                        },
                    )
                )
        for i, code_id in enumerate(code_ids):
            change.insert("theme_codes", {"theme_id": leaves[i % len(leaves)], "code_id": code_id})
            if i % 10 == 0:
                change.insert("theme_codes", {"theme_id": leaves[(i + 7) % len(leaves)], "code_id": code_id})
        for a, b in zip(tops, tops[1:] + tops[:1]):
            change.insert("theme_links", {"source_id": a, "target_id": b, "label": rng.choice(LINK_LABELS)})
    project.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transcripts", type=int, default=100)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--codes", type=int, default=400)
    parser.add_argument("--themes", type=int, default=10)
    parser.add_argument("--subthemes", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = scratch_folder(args.keep, "qualcode-bench-themes-")
    projects = work / "projects"
    projects.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (projects / f"bench.qualcode{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    build_project(projects / "bench.qualcode", args.transcripts, args.words, args.codings, codes=args.codes)
    add_themes(projects / "bench.qualcode", args.themes, args.subthemes)
    with sqlite3.connect(projects / "bench.qualcode") as db:
        passages = db.execute(
            "SELECT count(*) FROM (SELECT DISTINCT transcript_id, start, [end] FROM codings)"
        ).fetchone()[0]
        themes = db.execute("SELECT count(*) FROM themes").fetchone()[0]
    print(
        f"built {args.transcripts} transcripts x {args.words} words, {args.codes} codes, {args.codings:,} codings"
        f" ({passages:,} passages), {themes} themes in {time.perf_counter() - started:.0f} s ({work})"
    )
    project = [*QUALCODE, "-p", "bench"]
    rows = []
    for what, command, goal in (
        (f"theme list ({themes} themes)", ["theme", "list"], "< 5 s"),
        (f"theme review ({themes} themes, {args.codings:,} codings)", ["theme", "review"], "< 5 s"),
        ("map --format png", ["map", "--format", "png", "--out", "exports/map.png"], "< 5 s"),
        (
            f"map --format png --include codes ({args.codes} codes)",
            ["map", "--format", "png", "--include", "codes", "--out", "exports/map-codes.png"],
            "info",
        ),
    ):
        seconds, peak = run_timed([*project, *command], work, repeat=args.repeat)
        rows.append((what, seconds, peak, goal))
    report(rows)


if __name__ == "__main__":
    main()
