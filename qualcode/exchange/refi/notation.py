"""How qualcode's own fields travel inside REFI-QDA text, readable in other programs and read back.

REFI-QDA has no place for a code's inclusion and exclusion criteria, a theme, or a memo's kind and
phase. qualcode writes them as plain, labelled text where other programs show it, and reads that
text back when the file came from qualcode:

- a code's Description: the description, then "Inclusion: ..." and "Exclusion: ..." paragraphs;
- a theme is a Set named "Theme: NAME" whose Description holds the definition, then a
  "Central organising concept: ..." paragraph, then "Status: final" (with "; subtheme of: PARENT"
  for a subtheme); its codes are the Set's member codes, its memos its member notes;
- a memo is a Note named "Reflexive memo (phase 2)" or "Familiarisation memo on P3 (phase 1)",
  its text both inside the Note and in sources/GUID.txt (plainTextPath), where QualCoder, ATLAS.ti,
  MAXQDA and NVivo read a note's text; a memo on a coding is also the Description of the coding's
  PlainTextSelection, where QualCoder reads coding memos;
- the times of a transcript's turns are a Note named "Turn times of NAME" on its TextSource, one
  line per timed turn: "Turn 12 at 00:04:10" (seconds with a fraction when they have one);
- when each code was created is one Note named "Code dates", a line per code:
  "Created 2024-05-01T09:30:00+00:00: Trust".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

THEME_SET_PREFIX = "Theme: "
_CRITERION = re.compile(r"(?:^|\n\n)(Inclusion|Exclusion): (.*?)(?=\n\n(?:Inclusion|Exclusion): |\Z)", re.DOTALL)
_STATUS = re.compile(r"(?:^|\n\n)Status: (candidate|reviewed|final|discarded)(?:; subtheme of: ([^\n]+))?\s*\Z")
_CONCEPT = re.compile(r"(?:^|\n\n)Central organising concept: (.*)\Z", re.DOTALL)
TURN_TIMES_PREFIX = "Turn times of "
_TURN_TIME = re.compile(r"^Turn (\d+) at (\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)$")
CODE_DATES_NOTE = "Code dates"
_CODE_DATE = re.compile(r"^Created (\S+): (.+)$")
_MEMO_NAME = re.compile(r"^([A-Za-z]+) memo(?: on .*)? \(phase ([1-6])\)$", re.DOTALL)
# qualcode writes origin="qualcode 0.1.0"; QualCoder writes origin="QualCoder 3.6", which must not match.
_OWN_ORIGIN = re.compile(r"^qualcode(?:\s|$)", re.IGNORECASE)


def written_by_qualcode(origin: str | None) -> bool:
    """Whether a REFI-QDA file's origin attribute says qualcode wrote it (so its conventions apply)."""
    return bool(_OWN_ORIGIN.match((origin or "").strip()))


def code_description(description: str | None, inclusion: str | None, exclusion: str | None) -> str | None:
    parts = [p for p in ((description or "").strip(),) if p]
    parts += [
        f"{label}: {value.strip()}"
        for label, value in (("Inclusion", inclusion), ("Exclusion", exclusion))
        if value and value.strip()
    ]
    return "\n\n".join(parts) or None


def split_code_description(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(description, inclusion, exclusion) from a Description written by code_description."""
    text = (text or "").strip()
    found = {}
    first = len(text)
    for match in _CRITERION.finditer(text):
        found[match.group(1)] = match.group(2).strip() or None
        first = min(first, match.start())
    return text[:first].strip() or None, found.get("Inclusion"), found.get("Exclusion")


@dataclass
class ThemeText:
    definition: str | None
    concept: str | None
    status: str
    parent: str | None


def theme_description(definition: str | None, concept: str | None, status: str, parent: str | None) -> str:
    parts = [p for p in ((definition or "").strip(),) if p]
    if concept and concept.strip():
        parts.append(f"Central organising concept: {concept.strip()}")
    parts.append(f"Status: {status}" + (f"; subtheme of: {parent}" if parent else ""))
    return "\n\n".join(parts)


def parse_theme_description(text: str | None) -> ThemeText:
    text = (text or "").strip()
    status, parent = "candidate", None
    match = _STATUS.search(text)
    if match:
        status, parent = match.group(1), match.group(2)
        text = text[: match.start()].rstrip()
    concept = None
    match = _CONCEPT.search(text)
    if match:
        concept = match.group(1).strip() or None
        text = text[: match.start()].rstrip()
    return ThemeText(text or None, concept, status, parent.strip() if parent else None)


def memo_note_name(kind: str, phase: int, target: str | None) -> str:
    return f"{kind.capitalize()} memo" + (f" on {target}" if target else "") + f" (phase {phase})"


def parse_memo_note_name(name: str | None) -> tuple[str, int] | None:
    """(kind, phase) from a Note name written by memo_note_name."""
    match = _MEMO_NAME.match((name or "").strip())
    return (match.group(1).lower(), int(match.group(2))) if match else None


def turn_times_text(times: list[tuple[int, float]]) -> str:
    """Times are kept to the millisecond, as caption formats give them."""
    lines = []
    for number, seconds in times:
        whole, milliseconds = divmod(round(seconds * 1000), 1000)
        hours, rest = divmod(whole, 3600)
        stamp = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        if milliseconds:
            stamp += f".{milliseconds:03d}".rstrip("0")
        lines.append(f"Turn {number} at {stamp}")
    return "\n".join(lines)


def parse_turn_times(text: str) -> dict[int, float] | None:
    """turn number -> seconds from a Note written by turn_times_text; None when it is not one."""
    times = {}
    for line in text.strip().splitlines():
        match = _TURN_TIME.match(line.strip())
        if not match:
            return None
        number, hours, minutes, seconds = match.groups()
        times[int(number)] = round(int(hours) * 3600 + int(minutes) * 60 + float(seconds), 3)
    return times or None


def code_dates_text(dates: list[tuple[str, str]]) -> str:
    return "\n".join(f"Created {created}: {name}" for name, created in dates)


def parse_code_dates(text: str) -> dict[str, str] | None:
    """code name (case folded) -> when it was created, from a Note written by code_dates_text."""
    dates = {}
    for line in text.strip().splitlines():
        match = _CODE_DATE.match(line.strip())
        if not match:
            return None
        dates[match.group(2).strip().casefold()] = match.group(1)
    return dates or None
