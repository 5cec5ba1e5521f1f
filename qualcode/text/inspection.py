"""How a transcript file would be read, without importing it: `qualcode transcript inspect`.

Researchers do not edit exports before importing them; when a file comes out wrong they need
to see why at once: which format and tool it was taken for, which speakers were found and how
often, who was taken for the interviewer and on what grounds, what the first turns look like,
and what was kept as the preamble or left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from qualcode.errors import QualcodeError
from qualcode.text.importers import AS_FOUND, SpeakerChoice, parse_file
from qualcode.text.importers.speakers import interviewer_guess
from qualcode.text.ingest import participant_from_speakers, transcript_files
from qualcode.text.transcripts import lay_out, spoken_words, word_count

FIRST_TURNS = 5
_SHOWN_CHARS = 160


@dataclass
class SpeakerFound:
    label: str
    turns: int
    words: int
    interviewer: bool


@dataclass
class TurnShown:
    number: int
    speaker: str | None
    timestamp: float | None
    text: str  # shortened to a line's worth


@dataclass
class Inspection:
    path: str
    error: str | None = None  # why the file cannot be imported; the rest is then empty
    format: str | None = None
    tool: str | None = None
    encoding: str | None = None
    turns: int = 0
    words: int = 0
    speakers: list[SpeakerFound] = field(default_factory=list)
    interviewer: str | None = None
    interviewer_reason: str = ""
    participant: str | None = None  # the pseudonym the speakers show, if they do ("P3")
    first_turns: list[TurnShown] = field(default_factory=list)
    preamble: str | None = None
    dropped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def inspect_files(
    paths: Sequence[Path], fmt: str | None = None, speakers: SpeakerChoice = AS_FOUND, first: int = FIRST_TURNS
) -> list[Inspection]:
    """One Inspection per file (folders give their transcript files), in the order given."""
    return [inspect_file(path, fmt, speakers, first) for path in transcript_files(paths)]


def inspect_file(
    path: Path, fmt: str | None = None, speakers: SpeakerChoice = AS_FOUND, first: int = FIRST_TURNS
) -> Inspection:
    """How `transcript import` would read the file; a file it would refuse has `error` set."""
    path = Path(path)
    try:
        parsed = parse_file(path, fmt, speakers)
    except QualcodeError as error:
        return Inspection(str(path), error=str(error))
    interviewer, reason = interviewer_guess(parsed.turns, parsed.interviewer_named)
    laid_out = lay_out(parsed.turns, interviewer)
    counts = Counter(t.speaker for t in parsed.turns if t.speaker)
    words: Counter[str] = Counter()
    for turn in parsed.turns:
        if turn.speaker:
            words[turn.speaker] += word_count(turn.text)
    return Inspection(
        str(path),
        format=parsed.format,
        tool=parsed.tool,
        encoding=parsed.encoding,
        turns=len(parsed.turns),
        words=spoken_words(laid_out),
        speakers=[SpeakerFound(s, n, words[s], s == interviewer) for s, n in counts.items()],
        interviewer=interviewer,
        interviewer_reason=reason,
        participant=participant_from_speakers(laid_out, interviewer),
        first_turns=[
            TurnShown(n, t.speaker, t.timestamp, _shortened(t.text)) for n, t in enumerate(parsed.turns[:first], 1)
        ],
        preamble=parsed.preamble,
        dropped=list(parsed.dropped),
        warnings=list(parsed.warnings),
    )


def _shortened(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOWN_CHARS else flat[: _SHOWN_CHARS - 1].rstrip() + "…"
