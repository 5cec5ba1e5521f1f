"""The Word report with every appendix, for a project with 20 final themes and 2,000 extracts.

    python benchmarks/bench_report.py [--themes 20] [--codings 2000] [--transcripts 20] [--keep DIR]
                                      [--narrative-words 1000] [--narrative-extracts 10]

Builds a synthetic project (benchmarks/synthetic.py) whose codes all sit in themes: THEMES final
themes, each with two subthemes of three codes, definitions and concepts, chosen quotes for every
other theme, a journal of a few hundred memos and phase moves. Then times, as a whole CLI process,
`qualcode report --include journal,agreement,codebook,audit` (goal: under 20 s) and reports its
peak memory and the size of the .docx. Then every theme and subtheme gets an analytic narrative
(`theme write`: NARRATIVE_WORDS words in paragraphs with emphasis and a list, citing
NARRATIVE_EXTRACTS of its codings, one of them trimmed) and the report is timed again (goal: under 5 s).
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

SUBTHEMES_PER_THEME = 2
CODES_PER_SUBTHEME = 3


def add_themes_and_journal(path: Path, themes: int, memos: int, seed: int = 1) -> None:
    """Themes over the synthetic codes, through the audited store as the commands would write them."""
    from qualcode.analysis.memos import add_memo
    from qualcode.analysis.phases import set_phase
    from qualcode.store import Project, new_guid

    rng = random.Random(seed)
    project = Project.open(path)
    code_ids = [r[0] for r in project.db.execute("SELECT id FROM codes ORDER BY id")]
    for phase in (2, 3, 4, 5):
        set_phase(project, "Maya", phase)
    set_phase(project, "Tom", 4, note="Two candidate themes overlapped; back to reviewing them against the data.")
    set_phase(project, "Maya", 5)
    next_code = 0
    for t in range(themes):
        with project.change("Maya", "theme add") as change:
            parent = change.insert(
                "themes",
                {
                    "name": f"Theme {t + 1:02d}: how therapists hold the relationship in view",
                    "guid": new_guid(),
                    "definition": "Participants describe "
                    + " ".join(
                        rng.choice(["trust", "rupture", "repair", "presence", "technique", "anxiety"])
                        for _ in range(25)
                    )
                    + ".",
                    "concept": "What holds the theme together, in one sentence an author would refine.",
                    "status": "final",
                    "position": t + 1,
                    "created": change.at,
                    "created_by": change.analyst_id,
                },
            )
            for s in range(SUBTHEMES_PER_THEME):
                sub = change.insert(
                    "themes",
                    {
                        "name": f"Subtheme {t + 1:02d}.{s + 1}",
                        "guid": new_guid(),
                        "parent_id": parent,
                        "definition": "A narrower pattern within the theme.",
                        "concept": "Its organising idea.",
                        "status": "final",
                        "position": s + 1,
                        "created": change.at,
                        "created_by": change.analyst_id,
                    },
                )
                for _ in range(CODES_PER_SUBTHEME):
                    change.insert("theme_codes", {"theme_id": sub, "code_id": code_ids[next_code % len(code_ids)]})
                    next_code += 1
    # Authors chose two quotes for every other theme.
    for theme_id in [r[0] for r in project.db.execute("SELECT id FROM themes WHERE parent_id IS NULL")][::2]:
        codings = [
            r[0]
            for r in project.db.execute(
                "SELECT c.id FROM codings c JOIN theme_codes tc ON tc.code_id = c.code_id JOIN themes s ON s.id = tc.theme_id"
                " WHERE s.parent_id = ? ORDER BY c.id LIMIT 2",
                [theme_id],
            )
        ]
        with project.change("Maya", "theme quote") as change:
            for position, coding_id in enumerate(codings, start=1):
                change.insert("theme_quotes", {"theme_id": theme_id, "coding_id": coding_id, "position": position})
    for i in range(memos):
        add_memo(
            project,
            rng.choice(["Maya", "Tom"]),
            f"Journal entry {i}: "
            + " ".join(rng.choice(["I", "noticed", "the", "theme", "shift", "again"]) for _ in range(60)),
            kind=rng.choice(["reflexive", "decision"]),
        )
    project.close()


def add_narratives(path: Path, words: int, cited: int, seed: int = 2) -> int:
    """A narrative for every theme and subtheme, through the library as `theme write` stores it;
    returns how many were written."""
    from qualcode.analysis.theme_narrative import write_narrative
    from qualcode.analysis.themes import code_ids_of, with_subthemes
    from qualcode.store import Project

    rng = random.Random(seed)
    vocabulary = [
        "participants",
        "described",
        "the",
        "relationship",
        "as",
        "a",
        "place",
        "where",
        "trust",
        "rupture",
        "and",
        "repair",
        "were",
        "negotiated",
    ]
    project = Project.open(path)
    themes = project.db.execute("SELECT id, name FROM themes ORDER BY id").fetchall()
    for theme_id, name in themes:
        codes = sorted(code_ids_of(project, with_subthemes(project, theme_id)))
        marks = ",".join("?" for _ in codes)
        codings = [
            r[0]
            for r in project.db.execute(
                f"SELECT id FROM codings WHERE code_id IN ({marks}) ORDER BY id LIMIT ?", [*codes, cited]
            )
        ]
        per_paragraph = max(1, words // (len(codings) + 1))
        parts = []
        for i, coding_id in enumerate(codings):
            sentence = " ".join(rng.choice(vocabulary) for _ in range(per_paragraph))
            parts.append(f"This account suggests *{sentence}* and **more**.")
            if i == 1:
                parts.append("- one reading of it;\n- another reading.")
            parts.append(f"{{{{{coding_id}}}}}")
        parts.append(" ".join(rng.choice(vocabulary) for _ in range(per_paragraph)) + ".")
        write_narrative(project, "Maya", name, "\n\n".join(parts))
    project.close()
    return len(themes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--themes", type=int, default=20)
    parser.add_argument("--codings", type=int, default=2000)
    parser.add_argument("--transcripts", type=int, default=20)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--memos", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--narrative-words", type=int, default=1000)
    parser.add_argument("--narrative-extracts", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it (the report stays in its exports/).")
    args = parser.parse_args()
    work = scratch_folder(args.keep, "qualcode-bench-report-")
    projects = work / "projects"
    projects.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (projects / f"bench.qualcode{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    codes = args.themes * SUBTHEMES_PER_THEME * CODES_PER_SUBTHEME
    build_project(projects / "bench.qualcode", args.transcripts, args.words, args.codings, codes=codes)
    add_themes_and_journal(projects / "bench.qualcode", args.themes, args.memos)
    with sqlite3.connect(projects / "bench.qualcode") as db:
        passages = db.execute(
            "SELECT count(DISTINCT transcript_id || ':' || start || ':' || [end]) FROM codings"
        ).fetchone()[0]
        batches = db.execute("SELECT count(DISTINCT batch) FROM audit_log").fetchone()[0]
    print(
        f"built {args.transcripts} transcripts x {args.words} words, {args.codings:,} codings ({passages:,} passages),"
        f" {args.themes} themes x {SUBTHEMES_PER_THEME} subthemes, {args.memos} memos, {batches} audited commands"
        f" in {time.perf_counter() - started:.0f} s ({work})"
    )
    out = work / "exports" / "bench-report.docx"
    seconds, peak = run_timed(
        [*QUALCODE, "-p", "bench", "report", "--include", "journal,agreement,codebook,audit", "--out", str(out)],
        work,
        repeat=args.repeat,
    )
    print(f"report: {out.stat().st_size / 1024:.0f} KB")
    rows = [(f"report, {args.themes} themes, {args.codings:,} extracts, all appendices", seconds, peak, "< 20 s")]
    written = add_narratives(projects / "bench.qualcode", args.narrative_words, args.narrative_extracts)
    with_narratives, peak = run_timed(
        [*QUALCODE, "-p", "bench", "report", "--include", "all", "--out", str(out)], work, repeat=args.repeat
    )
    print(f"report with {written} narratives: {out.stat().st_size / 1024:.0f} KB")
    rows.append(
        (
            f"report, {written} narratives of {args.narrative_words:,} words citing {args.narrative_extracts}",
            with_narratives,
            peak,
            "< 5 s",
        )
    )
    report(rows)


if __name__ == "__main__":
    main()
