"""Import, search and start-up on a synthetic corpus (default: 1,000 transcripts of 8,000 words).

    python benchmarks/bench_import.py [--count 1000] [--words 8000] [--cues 2500] [--keep DIR]

Reports: import through the CLI (wall time, peak memory), the same files merely read and parsed
without the database (the ratio shows what storing costs), a phrase search, the start-up of
`qualcode --help` and `qualcode transcript list`, and one long caption file (a three-hour Zoom
recording, about 2,500 cues) imported into a fresh project and merely parsed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import QUALCODE, report, run_timed
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


def search_ms(project_path: Path, phrase: str, repeat: int = 7) -> tuple[float, int]:
    from qualcode.store import Project
    from qualcode.text.search import search

    project = Project.open(project_path)
    times, hits = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        hits = len(search(project, phrase))
        times.append((time.perf_counter() - started) * 1000)
    project.close()
    return statistics.median(times), hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--cues", type=int, default=2500, help="Cues in the long caption file (2,500: three hours).")
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    paths = write_transcripts(work / "sources", args.count, args.words)
    project = work / "projects" / "bench.qualcode"
    project.unlink(missing_ok=True)
    run_timed([*QUALCODE, "init", "bench", "--analyst", "Maya"], work)
    files = [str(p.relative_to(work)) for p in paths]
    import_s, import_mb = run_timed([*QUALCODE, "-p", "bench", "transcript", "import", *files], work)
    parse_s = parse_only(paths)
    phrase_ms, phrase_hits = search_ms(project, "something shifted between us")
    rare_ms, rare_hits = search_ms(project, "relational presence technique")
    cli_search_s, _ = run_timed(
        [*QUALCODE, "-p", "bench", "transcript", "search", "rupture really something", "--limit", "20"], work, repeat=5
    )
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
            (f"search phrase, library ({phrase_hits} hits)", phrase_ms / 1000, None, "< 0.1 s"),
            (f"search phrase, library ({rare_hits} hits)", rare_ms / 1000, None, "< 0.1 s"),
            ("transcript search --limit 20 (CLI, whole process)", cli_search_s, None, ""),
            ("qualcode --help (whole process)", help_s, help_mb, "< 0.2 s"),
            (f"qualcode transcript list, {args.count} transcripts (whole process)", list_s, list_mb, "< 0.2 s"),
            (f"import a {args.cues:,}-cue caption file (CLI, whole process)", caption_s, caption_mb, "< 1 s"),
            (f"parse the same caption file ({caption_turns:,} turns), no database", caption_parse_s, None, ""),
        ]
    )


if __name__ == "__main__":
    main()
