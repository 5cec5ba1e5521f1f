"""What bringing a Bundle in will do, worked out before anything is written: the Plan of rows to
insert (New stands for a row not written yet), the Tally of each kind, and the Planning state
every matching step reads and adds to (what is already here, what each incoming key became)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from qualcode.exchange import bundle as b
from qualcode.store import Project, new_guid

KINDS = (
    "analysts", "participants", "attributes", "transcripts", "codes", "codings", "memos",
    "themes", "theme codes", "theme links", "quotes", "phase log",
)  # fmt: skip


class New(NamedTuple):
    """A row the plan will insert; becomes an id when it is written (a tuple: cheap to make by
    the hundred thousand)."""

    kind: str
    key: str


Ref = int | New


@dataclass
class Tally:
    added: int = 0
    matched: int = 0
    conflicts: int = 0
    skipped: int = 0


@dataclass
class Plan:
    analysts: list[tuple[New, str, str, str | None]] = field(default_factory=list)
    participants: list[tuple[New, str, str]] = field(default_factory=list)
    attributes: list[tuple[Ref, str, str]] = field(default_factory=list)
    transcripts: list[tuple[New, b.Transcript, str, str, Ref, Ref | None]] = field(default_factory=list)
    codes: list[tuple[New, dict[str, Any], Ref | None]] = field(default_factory=list)
    updates: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)  # table, id, changes
    themes: list[tuple[New, dict[str, Any], Ref | None]] = field(default_factory=list)
    codings: list[tuple[New, str, Ref, Ref, Ref, int, int, str | None]] = field(default_factory=list)
    theme_codes: list[tuple[Ref, Ref]] = field(default_factory=list)
    theme_links: list[tuple[Ref, Ref, str | None]] = field(default_factory=list)
    quotes: list[tuple[Ref, Ref]] = field(default_factory=list)
    memos: list[tuple[New, dict[str, Any], Ref, Ref | None]] = field(default_factory=list)
    code_status: list[tuple[New, str, Ref | None]] = field(default_factory=list)  # retired, merged into
    replaced_phase_log: list[int] = field(default_factory=list)  # a new project's own first entry
    phase_moves: list[tuple[int, Ref | None, str, str | None]] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)


@dataclass
class Planning:
    """The state the matching steps share, in the order they run (analysts, participants,
    transcripts, codes, themes, codings, theme members, memos): each step maps incoming keys to
    rows here or planned rows, and later steps look them up."""

    project: Project
    incoming: b.Bundle
    acting_id: int  # who is bringing the bundle in: codings and memos without a user are theirs
    rename_prefix: str | None
    analyst_map: dict[str, str]
    only_analysts: list[str] | None
    take_history: bool = False  # a project just created takes the copy's phase log and code history
    tallies: dict[str, Tally] = field(default_factory=lambda: {kind: Tally() for kind in KINDS})
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    plan: Plan = field(default_factory=Plan)
    analyst_refs: dict[str, Ref] = field(default_factory=dict)
    participant_refs: dict[str, Ref] = field(default_factory=dict)
    participants_by_name: dict[str, Ref] = field(default_factory=dict)
    transcript_refs: dict[str, Ref] = field(default_factory=dict)
    transcript_lengths: dict[Ref, int] = field(default_factory=dict)
    code_refs: dict[str, Ref] = field(default_factory=dict)
    categories: dict[Ref, str] = field(default_factory=dict)  # codes that are never applied -> their names
    theme_refs: dict[str, Ref] = field(default_factory=dict)
    coding_refs: dict[str, Ref] = field(default_factory=dict)
    used_guids: dict[str, set[str]] = field(default_factory=dict)
    by_loose_hash: dict[str, dict[str, Any]] | None = None

    def guid(self, table: str, guid: str | None) -> str:
        """The incoming GUID if it is free in `table`, else a new one."""
        if table not in self.used_guids:
            self.used_guids[table] = {r[0] for r in self.project.db.execute(f"SELECT guid FROM [{table}]")}
        used = self.used_guids[table]
        chosen = guid if guid and guid not in used else new_guid()
        used.add(chosen)
        return chosen

    def analyst(self, key: str | None) -> Ref | None:
        """The analyst for an incoming item: None when that analyst's work is left out."""
        if key is None:
            return None if self.only_analysts else self.acting_id
        return self.analyst_refs.get(key)


def free_name(name: str, taken: set[str] | dict[str, Any]) -> str:
    """The name, or the name with the first free number after it: "Interview (2)"."""
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{name} ({number})"
    return candidate


def squash(text: str | None) -> str:
    """Text compared loosely: blank space collapsed, case folded."""
    return " ".join((text or "").split()).casefold()


def parents_first(items: list[Any], parent_of: Callable[[Any], str | None]) -> list[Any]:
    """Items ordered so that a parent comes before its children (cycles are broken)."""
    by_key = {item.key: item for item in items}
    ordered: list[Any] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(item: Any) -> None:
        if item.key in placed or item.key in visiting:
            return
        visiting.add(item.key)
        parent = by_key.get(parent_of(item))
        if parent is not None:
            place(parent)
        visiting.discard(item.key)
        placed.add(item.key)
        ordered.append(item)

    for item in items:
        place(item)
    return ordered
