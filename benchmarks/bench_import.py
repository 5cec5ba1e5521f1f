"""Import, search and start-up on a synthetic corpus (default: 1,000 transcripts of 8,000 words).

    python benchmarks/bench_import.py [--count 1000] [--words 8000] [--cues 2500] [--keep DIR]

Reports: import through the CLI (wall time, peak memory), the same files merely read and parsed
without the database (the ratio shows what storing costs), what building the search index costs
within the import, searches for word forms, phrases, exact words and near words in the library and
as whole `transcript search` processes, the start-up of `qualcode --help` and
`qualcode transcript list`, and one long caption file (a three-hour Zoom recording, about 2,500
cues) imported into a fresh project and merely parsed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import QUALCODE, report, run_timed, scratch_folder
from synthetic import write_captions, write_transcripts


def parse_only(paths: list[Path]) -> float:
    from qualcode.text.importers import parse_file
    from qualcode.text.importers.speakers import guess_interviewer
    from qualcode.text.transcripts import lay_out, word_count

    started = time.perf_counter()
    for path in paths:
        parsed = parse_file(path)
        laid = lay_out(parsed.turns, guess_interviewer(parsed.turns))
        word_count(laid.text)
    return time.perf_counter() - started


def caption_import(work: Path, path: Path, repeat: int = 3) -> tuple[float, float, float, int]:
    """Median seconds to import the caption file through the CLI (a fresh project each time, so
    every run parses and stores it), peak MB, median seconds to parse it alone, and its turns."""
    from qualcode.text.importers import parse_file

    imports, peaks, parses = [], [], []
    turns = 0
    for _ in range(repeat):
        project = work / "projects" / "captions.qualcode"
        project.unlink(missing_ok=True)
        run_timed([*QUALCODE, "init", "captions", "--analyst", "Maya"], work)
        seconds, peak = run_timed([*QUALCODE, "-p", "captions", "transcript", "import", str(path)], work)
        imports.append(seconds)
        peaks.append(peak)
        started = time.perf_counter()
        turns = len(parse_file(path).turns)
        parses.append(time.perf_counter() - started)
    return statistics.median(imports), max(peaks), statistics.median(parses), turns


def search_ms(project_path: Path, expression: str, repeat: int = 7, **options) -> tuple[float, int]:
    from qualcode.store import Project
    from qualcode.text.search import search

    project = Project.open(project_path)
    times, hits = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        hits = len(search(project, expression, **options))
        times.append((time.perf_counter() - started) * 1000)
    project.close()
    return statistics.median(times), hits


def index_build_s(project_path: Path, repeat: int = 3) -> float:
    """Indexing every turn again, as the import does it (slices of the stored text, in batches
    per transcript), on a copy of the project: what the index adds to an import."""
    import shutil
    import sqlite3

    copy = project_path.with_name("index-build.qualcode")
    times = []
    for _ in range(repeat):
        shutil.copyfile(project_path, copy)
        conn = sqlite3.connect(copy, isolation_level=None)
        conn.execute("BEGIN")
        conn.execute("INSERT INTO turns_fts (turns_fts) VALUES ('delete-all')")
        started = time.perf_counter()
        for transcript_id, text in conn.execute("SELECT id, text FROM transcripts").fetchall():
            turns = conn.execute("SELECT id, body_start, [end] FROM turns WHERE transcript_id = ?", [transcript_id])
            conn.executemany(
                "INSERT INTO turns_fts (rowid, body) VALUES (?, ?)", [(i, text[s:e]) for i, s, e in turns.fetchall()]
            )
        conn.execute("COMMIT")
        times.append(time.perf_counter() - started)
        conn.close()
    copy.unlink()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--cues", type=int, default=2500, help="Cues in the long caption file (2,500: three hours).")
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = scratch_folder(args.keep, "qualcode-bench-")
    work.mkdir(parents=True, exist_ok=True)
    paths = write_transcripts(work / "sources", args.count, args.words)
    project = work / "projects" / "bench.qualcode"
    project.unlink(missing_ok=True)
    run_timed([*QUALCODE, "init", "bench", "--analyst", "Maya"], work)
    files = [str(p.relative_to(work)) for p in paths]
    import_s, import_mb = run_timed([*QUALCODE, "-p", "bench", "transcript", "import", *files], work)
    parse_s = parse_only(paths)
    index_s = index_build_s(project)
    word_ms, word_hits = search_ms(project, "attuned")  # finds attunement, attuning, attunes too
    common_ms, common_hits = search_ms(project, "rupture", limit=20)
    phrase_ms, phrase_hits = search_ms(project, "something shifted between us")
    rare_ms, rare_hits = search_ms(project, '"relational presence technique"')
    exact_ms, exact_hits = search_ms(project, "attuned", exact=True)
    near_ms, near_hits = search_ms(project, "attuned therapy", near=5)

    def cli_search(*args: str) -> float:
        return run_timed([*QUALCODE, "-p", "bench", "transcript", "search", *args], work, repeat=7)[0]

    cli_word_s = cli_search("attuned")
    cli_phrase_s = cli_search("something shifted between us")
    cli_common_s = cli_search("rupture really something", "--limit", "20")
    help_s, help_mb = run_timed([*QUALCODE, "--help"], work, repeat=7)
    list_s, list_mb = run_timed([*QUALCODE, "-p", "bench", "transcript", "list"], work, repeat=7)
    captions = write_captions(work / "captions" / "three_hours.vtt", args.cues)
    caption_s, caption_mb, caption_parse_s, caption_turns = caption_import(work, captions)
    print(f"corpus: {args.count} transcripts x {args.words} words in {work}")
    report(
        [
            (f"import {args.count} transcripts (CLI, one transaction)", import_s, import_mb, "< 20 s, < 300 MB"),
            (
                "read and parse the same files, no database",
                parse_s,
                None,
                f"ratio import/parse {import_s / parse_s:.1f}x",
            ),
            (
                "index build within the import",
                index_s,
                None,
                f"adds {index_s / (import_s - index_s):.0%} to the import (< 20%)",
            ),
            (f"search word forms 'attuned', library ({word_hits} hits)", word_ms / 1000, None, "< 0.1 s"),
            (f"search common word, --limit 20, library ({common_hits} hits)", common_ms / 1000, None, "< 0.1 s"),
            (f"search phrase, library ({phrase_hits} hits)", phrase_ms / 1000, None, "< 0.1 s"),
            (f"search quoted phrase, library ({rare_hits} hits)", rare_ms / 1000, None, "< 0.1 s"),
            (f"search --exact 'attuned', library ({exact_hits} hits)", exact_ms / 1000, None, ""),
            (f"search --near 5 'attuned therapy', library ({near_hits} hits)", near_ms / 1000, None, ""),
            ("transcript search attuned (CLI, whole process)", cli_word_s, None, "< 0.2 s"),
            ("transcript search phrase (CLI, whole process)", cli_phrase_s, None, "< 0.2 s"),
            ("transcript search, 3 words, --limit 20 (CLI, whole process)", cli_common_s, None, "< 0.2 s"),
            ("qualcode --help (whole process)", help_s, help_mb, "< 0.2 s"),
            (f"qualcode transcript list, {args.count} transcripts (whole process)", list_s, list_mb, "< 0.2 s"),
            (f"import a {args.cues:,}-cue caption file (CLI, whole process)", caption_s, caption_mb, "< 1 s"),
            (f"parse the same caption file ({caption_turns:,} turns), no database", caption_parse_s, None, ""),
        ]
    )


if __name__ == "__main__":
    main()
