"""What the importer tests share: the sample folder and small helpers for reading results."""

from __future__ import annotations

from pathlib import Path

SAMPLES = Path(__file__).parent / "data" / "transcripts"


def speakers(parsed) -> list[str | None]:
    return [turn.speaker for turn in parsed.turns]


def write_sample(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
