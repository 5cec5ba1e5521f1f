"""The demo's transcripts read the way qualcode's importers lay their turns out, for check_study.py:
plain text, Markdown, Otter exports, WebVTT captions and the Word transcript, each as speaker turns
of paragraphs, with the text a match must never fall in (preambles, headings) kept apart.

Deliberately independent of the library, so the check does not take the importers' word for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Turn:
    speaker: str
    paragraphs: list[str]


@dataclass
class Transcript:
    name: str
    turns: list[Turn]
    outside_turns: str  # preamble, headings: text a match must never fall in
    text: str = ""  # turns laid end to end; offsets below index into it
    paragraph_spans: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, speaker

    def __post_init__(self) -> None:
        pieces: list[str] = []
        offset = 0
        for turn in self.turns:
            for paragraph in turn.paragraphs:
                self.paragraph_spans.append((offset, offset + len(paragraph), turn.speaker))
                pieces.append(paragraph)
                offset += len(paragraph) + 1
        self.text = "\n".join(pieces)

    def find(self, phrase: str) -> list[tuple[int, int, str]]:
        """Every (start, end, speaker) where phrase lies inside one paragraph of one turn."""
        found = []
        for start, end, speaker in self.paragraph_spans:
            position = self.text.find(phrase, start, end)
            while position != -1:
                found.append((position, position + len(phrase), speaker))
                position = self.text.find(phrase, position + 1, end)
        return found


PLAIN_LABEL = re.compile(r"^([A-Z][A-Za-z0-9]{0,20}):\s+(.*)$", re.DOTALL)
MARKDOWN_LABEL = re.compile(r"^\*\*([^*]+?):\*\*\s+(.*)$", re.DOTALL)
OTTER_HEADER = re.compile(r"^(\S.*?)  (\d{1,2}:\d{2}(?::\d{2})?)$")
VTT_TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")
VTT_VOICE = re.compile(r"^<v ([^>]+)>(.*)</v>$")


def _paragraphs(text: str) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def _labelled(blocks: list[str], label: re.Pattern[str]) -> tuple[list[Turn], str]:
    """Turns from paragraphs that start with a speaker label; unlabelled ones continue a turn."""
    turns: list[Turn] = []
    outside: list[str] = []
    for block in blocks:
        if "\n" in block:
            raise ValueError(f"hard-wrapped paragraph: {block[:60]!r}")
        found = label.match(block)
        if found:
            turns.append(Turn(found.group(1), [found.group(2)]))
        elif turns:
            turns[-1].paragraphs.append(block)
        else:
            outside.append(block)
    return turns, "\n".join(outside)


def _read_plain(path: Path) -> tuple[list[Turn], str]:
    return _labelled(_paragraphs(path.read_text(encoding="utf-8")), PLAIN_LABEL)


def _read_markdown(path: Path) -> tuple[list[Turn], str]:
    blocks = _paragraphs(path.read_text(encoding="utf-8"))
    headings = [block for block in blocks if block.startswith("#")]
    turns, outside = _labelled([block for block in blocks if not block.startswith("#")], MARKDOWN_LABEL)
    return turns, "\n".join([*headings, outside])


def _read_otter(path: Path) -> tuple[list[Turn], str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    turns: list[Turn] = []
    preamble: list[str] = []
    previous_seconds = -1
    for line in lines:
        header = OTTER_HEADER.match(line)
        if header:
            parts = [int(part) for part in header.group(2).split(":")]
            seconds = parts[-1] + 60 * parts[-2] + (3600 * parts[0] if len(parts) == 3 else 0)
            if seconds <= previous_seconds:
                raise ValueError(f"{path.name}: time {header.group(2)} does not increase")
            previous_seconds = seconds
            turns.append(Turn(header.group(1), []))
        elif line.strip():
            (turns[-1].paragraphs if turns else preamble).append(line.strip())
    if not 45 * 60 <= previous_seconds <= 60 * 60:
        raise ValueError(f"{path.name}: last turn starts at {previous_seconds} s, not within 45-60 minutes")
    return turns, "\n".join(preamble)


def _read_vtt(path: Path) -> tuple[list[Turn], str]:
    """Cue texts without tags; a speaker's consecutive cues join with a space, as the importer does."""
    blocks = _paragraphs(path.read_text(encoding="utf-8"))
    if blocks[0] != "WEBVTT":
        raise ValueError(f"{path.name}: no WEBVTT header")
    turns: list[Turn] = []
    previous_end = 0.0
    for block in blocks[1:]:
        cue_id, timing, text = block.split("\n")
        times = VTT_TIMING.match(timing)
        voice = VTT_VOICE.match(text)
        if not (times and voice and re.match(r"^[0-9a-f-]{36}/\d+-\d+$", cue_id)):
            raise ValueError(f"{path.name}: malformed cue {block[:80]!r}")
        values = [int(value) for value in times.groups()]
        start = values[0] * 3600 + values[1] * 60 + values[2] + values[3] / 1000
        end = values[4] * 3600 + values[5] * 60 + values[6] + values[7] / 1000
        if not previous_end <= start < end:
            raise ValueError(f"{path.name}: cue {cue_id} overlaps or runs backwards")
        previous_end = end
        speaker, words = voice.groups()
        if turns and turns[-1].speaker == speaker:
            turns[-1].paragraphs[0] += " " + words
        else:
            turns.append(Turn(speaker, [words]))
    return turns, ""


def _read_docx(path: Path) -> tuple[list[Turn], str]:
    from docx import Document  # python-docx: the only way to read the Word transcript

    turns: list[Turn] = []
    outside: list[str] = []
    for paragraph in Document(str(path)).paragraphs:
        runs = paragraph.runs
        if runs and runs[0].bold and runs[0].text.endswith(":"):
            text = "".join(run.text for run in runs[1:]).strip()
            turns.append(Turn(runs[0].text[:-1], [text]))
        elif paragraph.text.strip():
            outside.append(paragraph.text)
    return turns, "\n".join(outside)


def read_transcript(path: Path) -> Transcript:
    if path.suffix == ".md":
        turns, outside = _read_markdown(path)
    elif path.suffix == ".vtt":
        turns, outside = _read_vtt(path)
    elif path.suffix == ".docx":
        turns, outside = _read_docx(path)
    elif any(OTTER_HEADER.match(line) for line in path.read_text(encoding="utf-8").split("\n")):
        turns, outside = _read_otter(path)
    else:
        turns, outside = _read_plain(path)
    return Transcript(path.stem, turns, outside)
