"""Benchmark `qualcode compare agreement` end to end on a large synthetic two-analyst project.

Builds a project file with two analysts, 1,000 transcripts of about 8,000 words (45,000
characters, in speaker turns), 200 codes and 100,000 codings per analyst, then runs
`qualcode compare agreement --level LEVEL` as a subprocess for each level, as a user would, and
prints the wall time and the peak memory (maximum resident set size) of each run. A last run
uses a copy of the project whose transcripts are ten times longer with the same codings, to show
that memory does not grow with the length of the text.

    .venv/bin/python benchmarks/bench_compare.py [--transcripts 1000] [--codes 200]
        [--codings 100000] [--length 45000] [--seed 1] [--keep DIR]

--keep DIR builds the projects in DIR and reuses them on the next run (building takes a while);
without it they go to a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from qualcode.agreement.levels import LEVELS
from qualcode.store import Project, now

ANALYSTS = ("Ana", "Ben")
# Words for synthetic turns; the text's content does not matter, its length and turns do.
PHRASE = (
    "I think the client was very quiet that week and we talked about what had been happening between us "
    "it felt like a rupture in the alliance but also a moment of repair when she said I never listened "
    "and she was right in a way so I said so and we went back to the homework together slowly"
)
WORDS = PHRASE.split()


def synthetic_turns(rng: random.Random, participant: str, length: int) -> tuple[str, list[tuple]]:
    """Alternating interviewer and participant turns until the text reaches `length` characters.
    Returns the text and (number, speaker, is_interviewer, start, body_start, end) per turn."""
    pieces: list[str] = []
    turns: list[tuple] = []
    offset = 0
    number = 0
    while offset < length:
        number += 1
        interviewer = number % 2 == 1
        speaker = "Interviewer" if interviewer else participant
        body = " ".join(rng.choices(WORDS, k=rng.randint(8, 20) if interviewer else rng.randint(40, 160)))
        if pieces:
            pieces.append("\n")
            offset += 1
        label = f"{speaker}: "
        body_start = offset + len(label)
        turns.append((number, speaker, int(interviewer), offset, body_start, body_start + len(body)))
        pieces.append(label + body)
        offset += len(label) + len(body)
    return "".join(pieces), turns


def synthetic_codings(rng: random.Random, lengths: list[int], codes: int, codings: int) -> tuple[list, list]:
    """Ana codes passages at random; Ben recodes most with shifted boundaries, drops some and adds
    his own (as in bench_agreement.py), so agreement is realistic rather than perfect or nil.
    Rows are (transcript index, code index, start, end)."""

    def passage(t: int) -> tuple[int, int]:
        size = rng.randint(60, 1500)
        start = rng.randrange(0, lengths[t] - size)
        return start, start + size

    ana, ben = [], []
    for _ in range(codings):
        t, code = rng.randrange(len(lengths)), rng.randrange(codes)
        start, end = passage(t)
        ana.append((t, code, start, end))
        if rng.random() < 0.8:
            new_start = min(max(0, start + rng.randint(-80, 80)), end - 1)
            new_end = max(min(lengths[t], end + rng.randint(-80, 80)), new_start + 1)
            ben.append((t, code, new_start, new_end))
        else:
            other = rng.randrange(len(lengths))
            ben.append((other, rng.randrange(codes), *passage(other)))
    return ana, ben


def build_project(
    path: Path, transcripts: int, codes: int, codings: int, length: int, seed: int, stretch: int = 1
) -> None:
    """A project file like one two analysts would have after coding a large study.

    Benchmark data goes in with bulk inserts in one transaction: auditing 200,000 codings one by
    one would only measure the audit log. stretch > 1 makes every turn that many times longer
    (same codings, same offsets), for the memory check.
    """
    rng = random.Random(seed)
    project = Project.create(path, ANALYSTS[0])
    db = project.db.conn
    at = now()
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO analysts (name, guid, created) VALUES (?, ?, ?)", [ANALYSTS[1], str(uuid.uuid4()), at])
    analyst_ids = [r[0] for r in db.execute("SELECT id FROM analysts ORDER BY id")]
    db.executemany(
        "INSERT INTO codes (name, guid, status, created) VALUES (?, ?, 'active', ?)",
        [(f"code {j:03d}", str(uuid.uuid4()), at) for j in range(codes)],
    )
    code_ids = [r[0] for r in db.execute("SELECT id FROM codes ORDER BY id")]
    lengths, transcript_ids = [], []
    for i in range(transcripts):
        text, turns = synthetic_turns(rng, f"P{i + 1}", length)
        lengths.append(len(text))  # codings stay within the original text, so both projects get the same
        if stretch > 1:
            text = "\n".join(line + (" " + line.split(": ", 1)[1]) * (stretch - 1) for line in text.split("\n"))
        cursor = db.execute(
            "INSERT INTO transcripts (name, guid, text, text_sha256, char_count, word_count, line_count, turn_count,"
            " imported_at, interviewer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'Interviewer')",
            [
                f"P{i + 1}",
                str(uuid.uuid4()),
                text,
                hashlib.sha256(text.encode()).hexdigest(),
                len(text),
                len(text.split()),
                text.count("\n") + 1,
                len(turns),
                at,
            ],
        )
        transcript_ids.append(cursor.lastrowid)
        # The turn table is what a real import writes; the search index is left out, as no
        # comparison reads it.
        db.executemany(
            "INSERT INTO turns (transcript_id, number, speaker, is_interviewer, start, body_start, [end])"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(cursor.lastrowid, *turn) for turn in turns] if stretch == 1 else _stretched(cursor.lastrowid, text),
        )
    for analyst_id, rows in zip(analyst_ids, synthetic_codings(random.Random(seed + 1), lengths, codes, codings)):
        db.executemany(
            "INSERT OR IGNORE INTO codings (guid, transcript_id, code_id, analyst_id, start, [end], created)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(str(uuid.uuid4()), transcript_ids[t], code_ids[c], analyst_id, s, e, at) for t, c, s, e in rows],
        )
    db.execute("COMMIT")
    project.close()


def _stretched(transcript_id: int, text: str) -> list[tuple]:
    turns, offset = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        speaker = line.split(": ", 1)[0]
        turns.append(
            (
                transcript_id,
                number,
                speaker,
                int(speaker == "Interviewer"),
                offset,
                offset + len(speaker) + 2,
                offset + len(line),
            )
        )
        offset += len(line) + 1
    return turns


def run(project: Path, *args: str) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one qualcode command in its own process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "qualcode", "-p", str(project), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # wait4 reports this child's own resource usage (getrusage(RUSAGE_CHILDREN) would report the
    # largest of all children so far).
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"qualcode {' '.join(args)} failed: {process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--codes", type=int, default=200)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--length", type=int, default=45_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="Build the projects here and reuse them next time.")
    options = parser.parse_args()

    folder = options.keep or Path(tempfile.mkdtemp(prefix="bench-compare-"))
    sizes = f"{options.transcripts}-{options.codes}-{options.codings}-{options.length}-{options.seed}"
    projects = {stretch: folder / f"compare-{sizes}-x{stretch}.qualcode" for stretch in (1, 10)}
    try:
        for stretch, path in projects.items():
            if not path.exists():
                started = time.perf_counter()
                build_project(
                    path, options.transcripts, options.codes, options.codings, options.length, options.seed, stretch
                )
                megabytes = path.stat().st_size / 2**20
                print(f"built {path.name} ({megabytes:.0f} MiB) in {time.perf_counter() - started:.0f} s")
        print(
            f"{options.transcripts} transcripts of about {options.length:,} characters, {options.codes} codes, "
            f"{options.codings:,} codings per analyst\n"
        )
        print(f"{'command':<44}{'seconds':>9}{'peak MiB':>10}")
        total = 0.0
        for level in LEVELS:
            seconds, memory = run(projects[1], "compare", "agreement", "--level", level)
            total += seconds
            print(f"{'compare agreement --level ' + level:<44}{seconds:>9.2f}{memory:>10.1f}")
        print(f"{'all four levels':<44}{total:>9.2f}   (goal: under 5 s)")
        seconds, memory = run(projects[1], "compare", "agreement", "--level", "all")
        print(f"{'compare agreement --level all (one process)':<44}{seconds:>9.2f}{memory:>10.1f}")
        seconds, memory = run(projects[1], "compare", "codes", *ANALYSTS)
        print(f"{'compare codes Ana Ben':<44}{seconds:>9.2f}{memory:>10.1f}")
        seconds, memory = run(projects[10], "compare", "agreement", "--level", "character")
        print(f"{'same codings, text 10x longer: character':<44}{seconds:>9.2f}{memory:>10.1f}")
    finally:
        if options.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
