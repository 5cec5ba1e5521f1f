"""Synthetic interview corpora and projects for the benchmarks (not for tests: tests use real-looking samples).

python benchmarks/synthetic.py transcripts OUT_DIR --count 1000 --words 8000
python benchmarks/synthetic.py project OUT.qualcode --count 1000 --words 8000 --codings 200000
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

WORDS = [
    "the",
    "client",
    "and",
    "I",
    "we",
    "were",
    "talking",
    "about",
    "how",
    "it",
    "felt",
    "when",
    "she",
    "left",
    "the",
    "session",
    "early",
    "and",
    "I",
    "think",
    "that",
    "was",
    "a",
    "rupture",
    "really",
    "something",
    "shifted",
    "between",
    "us",
    "trust",
    "safety",
    "anxiety",
    "supervision",
    "boundaries",
    "silence",
    "I",
    "noticed",
    "my",
    "own",
    "reaction",
    "you",
    "know",
    "um",
    "it's",
    "hard",
    "to",
    "describe",
    "maybe",
    "relational",
    "presence",
    "technique",
    "training",
    "therapy",
    "alliance",
    "repair",
    "listening",
    "feeling",
    "stuck",
    "curious",
    "honest",
]
QUESTIONS = [
    "Can you tell me more about that?",
    "How did that feel for you in the room?",
    "What happened next?",
    "How do you make sense of that now?",
]


# A word family as rare as a real content word (about one word in 20,000), in several forms, so a
# search for word forms has a realistic number of hits; every word of WORDS is in most turns.
RARE_FORMS = ["attuned", "attunement", "attuning", "attunes"]
RARE_RATE = 1 / 20_000


def transcript_text(rng: random.Random, words: int, participant: str, rare: random.Random | None = None) -> str:
    """Alternating interviewer questions and long participant answers, about `words` words.
    With `rare`, a word here and there is one of RARE_FORMS (drawn apart, so that `rng` gives
    the same text as without)."""
    turns, written = [], 0
    while written < words:
        turns.append(f"Interviewer: {rng.choice(QUESTIONS)}")
        length = rng.randint(30, 120)
        answer = [rng.choice(WORDS) for _ in range(length)]
        if rare is not None and rare.random() < length * RARE_RATE:
            answer[rare.randrange(length)] = rare.choice(RARE_FORMS)
        turns.append(f"{participant}: {' '.join(answer).capitalize()}.")
        written += length + 7
    return "\n".join(turns) + "\n"


def write_transcripts(
    out: Path, count: int, words: int, seed: int = 1, names: Sequence[str] = (), name_share: float = 0.2
) -> list[Path]:
    """With names: about `name_share` of the word "client" becomes one of them (from a random
    stream of its own, so the texts are otherwise the same as without names)."""
    rng = random.Random(seed)
    name_rng = random.Random(seed + 1)
    rare = random.Random(seed + 2)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, count + 1):
        path = out / f"P{i}.txt"
        text = transcript_text(rng, words, f"P{i}", rare)
        if names:
            text = re.sub(
                r"\bclient\b",
                lambda m: name_rng.choice(names) if name_rng.random() < name_share else m.group(0),
                text,
            )
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def person_names(count: int) -> list[str]:
    """Distinct made-up names of three syllables, so none is the start of another."""
    syllables = ["ka", "ro", "mi", "le", "su", "na", "to", "ve", "di", "an", "bo", "ri"]
    found = [a + b + c for a in syllables for b in syllables for c in syllables]
    return [name.capitalize() for name in random.Random(7).sample(found, count)]


def caption_text(rng: random.Random, cues: int, speakers: tuple[str, ...] = ("Priya Shah", "Owen Hughes")) -> str:
    """A Zoom cloud-recording WebVTT file: numbered cues of about four seconds, each opening with
    the speaker's display name; the speaker changes every few cues."""
    lines = ["WEBVTT", ""]
    speaker, start = speakers[0], 0.0
    for number in range(1, cues + 1):
        if rng.random() < 0.3:
            speaker = rng.choice(speakers)
        length = rng.uniform(2.5, 5.5)
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16)))
        lines += [
            str(number),
            f"{_cue_time(start)} --> {_cue_time(start + length)}",
            f"{speaker}: {words.capitalize()}.",
            "",
        ]
        start += length + rng.uniform(0.0, 0.6)
    return "\n".join(lines)


def _cue_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def write_captions(path: Path, cues: int, seed: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(caption_text(random.Random(seed), cues), encoding="utf-8")
    return path


def build_project(
    path: Path, count: int, words: int, codings: int, codes: int = 200, seed: int = 1, names: Sequence[str] = ()
) -> None:
    """A project with `count` transcripts and `codings` codings split between two analysts,
    built through the library's importer and bulk coding inserts (one transaction)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from qualcode.store import Project, new_guid
    from qualcode.text.ingest import import_transcripts

    folder = path.parent / (path.stem + "-sources")
    paths = write_transcripts(folder, count, words, seed, names)
    project = Project.create(path, "Maya")
    with project.change(None, "analyst add") as change:
        change.insert("analysts", {"name": "Tom", "guid": new_guid(), "created": change.at})
    import_transcripts(project, paths, "Maya")
    rng = random.Random(seed)
    with project.change("Maya", "benchmark codebook") as change:
        for i in range(codes):
            change.insert(
                "codes",
                {
                    "name": f"Code {i:03d}",
                    "guid": new_guid(),
                    "status": "active",
                    "created": change.at,
                    "color": "#0072B2",
                },
                audit=False,
            )
    code_ids = [r[0] for r in project.db.execute("SELECT id FROM codes")]
    turns = project.db.execute("SELECT transcript_id, body_start, [end] FROM turns WHERE is_interviewer = 0").fetchall()
    analysts = [project.analyst_id("Maya"), project.analyst_id("Tom")]
    rows, seen = [], set()
    # Zipf-like code use, so one code has thousands of codings as in real projects.
    weights = [1 / (i + 1) for i in range(len(code_ids))]
    while len(rows) < codings:
        tid, start, end = rng.choice(turns)
        s = rng.randint(start, max(start, end - 40))
        e = min(end, s + rng.randint(20, 400))
        key = (tid, rng.choices(code_ids, weights)[0], analysts[len(rows) % 2], s, e)
        if e > s and key not in seen:
            seen.add(key)
            rows.append((new_guid(), *key, "2026-01-01T00:00:00+00:00"))
    with project.change("Maya", "benchmark codings"):
        project.db.conn.executemany(
            "INSERT INTO codings (guid, transcript_id, code_id, analyst_id, start, [end], created) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    project.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["transcripts", "project"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--codings", type=int, default=200_000)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.what == "transcripts":
        write_transcripts(args.out, args.count, args.words)
    else:
        build_project(args.out, args.count, args.words, args.codings)
    print(f"built {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
