"""Analysts: everyone who codes. Every coding, memo and change records its analyst."""

from __future__ import annotations

from typing import Any

from qualcode.analysis.visibility import consensus_names
from qualcode.errors import InvalidInput
from qualcode.names import is_meaningful_name, name_fault
from qualcode.store import Project, new_guid


def add_analyst(project: Project, acting_analyst: str, name: str) -> None:
    """Add an analyst; the change is recorded as made by `acting_analyst`."""
    name = name.strip()
    if not is_meaningful_name(name):
        raise InvalidInput(f"'{name}' is not a usable analyst name: {name_fault(name)}")
    if name.lower() in (n.lower() for n in project.analyst_names()):
        raise InvalidInput(f"analyst '{name}' already exists")
    with project.change(acting_analyst, "analyst add") as change:
        change.insert("analysts", {"name": name, "guid": new_guid(), "created": change.at})


def list_analysts(project: Project) -> list[dict[str, Any]]:
    default = project.default_analyst()
    rows = project.query(
        """
        SELECT a.name, a.created,
               (SELECT count(*) FROM codings c WHERE c.analyst_id = a.id) AS codings,
               (SELECT count(DISTINCT c.transcript_id) FROM codings c WHERE c.analyst_id = a.id) AS transcripts,
               (SELECT count(*) FROM memos m WHERE m.analyst_id = a.id) AS memos
        FROM analysts a ORDER BY a.id
        """
    )
    consensus = consensus_names(project.db)
    for row in rows:
        row["default"] = row["name"] == default
        row["consensus"] = row["name"] in consensus  # made by `compare merge`, not a coder
    return rows
