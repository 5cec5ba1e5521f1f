"""How qualcode's own fields travel inside REFI-QDA text, readable in other programs and read back.

REFI-QDA has no place for a code's inclusion and exclusion criteria, a theme, or a memo's kind and
phase. qualcode writes them as plain, labelled text where other programs show it, and reads that
text back when the file came from qualcode:

- a code's Description: the description, then "Inclusion: ..." and "Exclusion: ..." paragraphs;
- a theme is a Set named "Theme: NAME" whose Description holds the definition, then a
  "Central organising concept: ..." paragraph, then "Status: final" (with "; subtheme of: PARENT"
  for a subtheme); its codes are the Set's member codes, its memos its member notes;
- a memo is a Note named "Reflexive memo (phase 2)" or "Familiarisation memo on P3 (phase 1)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

THEME_SET_PREFIX = "Theme: "
_CRITERION = re.compile(r"(?:^|\n\n)(Inclusion|Exclusion): (.*?)(?=\n\n(?:Inclusion|Exclusion): |\Z)", re.DOTALL)
_STATUS = re.compile(r"(?:^|\n\n)Status: (candidate|reviewed|final|discarded)(?:; subtheme of: ([^\n]+))?\s*\Z")
_CONCEPT = re.compile(r"(?:^|\n\n)Central organising concept: (.*)\Z", re.DOTALL)
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
