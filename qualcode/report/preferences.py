"""A project's defaults for what it writes: whether tables and the report give frequencies
(counts of extracts and participants), and the paper size. Kept in the settings table, set with
`qualcode config KEY VALUE`, overridden per command (--counts/--no-counts, --paper).

Reflexive thematic analysis treats a theme's importance as a matter of interpretation, not of
how many extracts it has, and reviewers object to numbers in its results; so counts are off unless
the project or the command asks for them. The paper is A4 except where the locale is the US or
Canada, the places that print on Letter.
"""

from __future__ import annotations

import os

from qualcode.errors import InvalidInput
from qualcode.store import Project, set_setting

PAPER_SIZES = ("a4", "letter")
LETTER_TERRITORIES = ("US", "CA")
PREFERENCES = {"counts": ("on", "off"), "paper": PAPER_SIZES}


def check_paper(paper: str) -> str:
    chosen = paper.strip().lower()
    if chosen not in PAPER_SIZES:
        raise InvalidInput(f"unknown paper size '{paper}'; choose a4 or letter")
    return chosen


def locale_paper() -> str:
    """Letter where the locale's territory is the US or Canada (en_US.UTF-8, fr_CA), else A4."""
    for variable in ("LC_ALL", "LC_PAPER", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            territory = value.split(".")[0].partition("_")[2].upper()
            return "letter" if territory in LETTER_TERRITORIES else "a4"
    return "a4"


def paper_for(project: Project, paper: str | None) -> str:
    if paper:
        return check_paper(paper)
    stored = project.setting("paper")
    return check_paper(stored) if stored else locale_paper()


def counts_for(project: Project, counts: bool | None) -> bool:
    if counts is not None:
        return counts
    return project.setting("counts") == "on"


def set_preference(project: Project, analyst: str, key: str, value: str) -> str:
    """Store a project default; returns it as stored."""
    if key not in PREFERENCES:
        raise InvalidInput(f"unknown setting '{key}'; qualcode config sets {', '.join(PREFERENCES)}")
    chosen = value.strip().lower()
    if chosen not in PREFERENCES[key]:
        raise InvalidInput(f"{key} is {' or '.join(PREFERENCES[key])}, not '{value}'")
    set_setting(project, analyst, key, chosen)
    return chosen


def preferences(project: Project) -> dict[str, str]:
    """Each preference with its value in effect (stored, or the default)."""
    return {"counts": "on" if counts_for(project, None) else "off", "paper": paper_for(project, None)}
