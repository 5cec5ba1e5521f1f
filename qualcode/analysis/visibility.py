"""Who may see whose codings and codes: blind (independent) coding, and the consensus analyst.

The one place that rule lives. Under blind coding (`qualcode analyst blind on`) each analyst sees
only their own codings, and the codes they created, in every reading of the project (the coding
session, transcripts, extracts, matrices, co-occurrence, code counts, themes, completion). With a
shared codebook the codes are visible to all and the codings still are not. The consensus analyst
that `compare merge` makes is the team's, not a co-analyst: visible to everyone, always. Blind
coding ends with a reveal (`blind off`, or confirming `compare`), logged in the journal.

The settings live in the settings table: blind_coding and shared_codebook ("on" / "off") and
consensus_analysts (a JSON list of analyst guids, so the mark survives a project merge).

Every reader takes the viewer (the acting analyst) and asks visible_to() for a Visibility, whose
SQL fragments it adds to its query; a viewer of None (a Python caller that asks for no filter)
sees everything, as does everyone while blind coding is off.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from qualcode.errors import InvalidInput
from qualcode.store import Database

BLIND = "blind_coding"
SHARED_CODEBOOK = "shared_codebook"
CONSENSUS = "consensus_analysts"
REVEAL_NOTE = "codes revealed for comparison"


@dataclass(frozen=True)
class Visibility:
    """What one viewer may see: analyst ids and code ids, None meaning all of them."""

    analyst_ids: tuple[int, ...] | None = None
    code_ids: frozenset[int] | None = None  # a set: sees_code is asked once per code in listings

    @property
    def filtered(self) -> bool:
        return self.analyst_ids is not None

    def codings_clause(self, column: str = "c.analyst_id") -> tuple[str, list[int]]:
        """' AND <column> IN (…)' keeping the codings this viewer may see ('' when all)."""
        return _in_clause(column, self.analyst_ids)

    def codes_clause(self, column: str = "k.id") -> tuple[str, list[int]]:
        """' AND <column> IN (…)' keeping the codes this viewer may see ('' when all)."""
        return _in_clause(column, None if self.code_ids is None else tuple(sorted(self.code_ids)))

    def sees_analyst(self, analyst_id: int) -> bool:
        return self.analyst_ids is None or analyst_id in self.analyst_ids

    def sees_code(self, code_id: int) -> bool:
        return self.code_ids is None or code_id in self.code_ids


EVERYTHING = Visibility()


def _in_clause(column: str, ids: tuple[int, ...] | None) -> tuple[str, list[int]]:
    if ids is None:
        return "", []
    if not ids:
        return " AND 0", []
    return f" AND {column} IN ({','.join('?' for _ in ids)})", list(ids)


def setting(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def is_blind(db: Database) -> bool:
    return setting(db, BLIND) == "on"


def codebook_shared(db: Database) -> bool:
    return setting(db, SHARED_CODEBOOK) == "on"


def consensus_ids(db: Database) -> set[int]:
    """Ids of the analysts `compare merge` made (the consensus analysts)."""
    guids = json.loads(setting(db, CONSENSUS) or "[]")
    if not guids:
        return set()
    marks = ",".join("?" for _ in guids)
    return {row[0] for row in db.execute(f"SELECT id FROM analysts WHERE guid IN ({marks})", guids)}


def consensus_names(db: Database) -> set[str]:
    ids = consensus_ids(db)
    return {row[1] for row in db.execute("SELECT id, name FROM analysts") if row[0] in ids}


def coders(db: Database) -> list[str]:
    """The analysts who code independently: everyone but the consensus analysts, in added order."""
    ids = consensus_ids(db)
    return [
        name for analyst_id, name in db.execute("SELECT id, name FROM analysts ORDER BY id") if analyst_id not in ids
    ]


def visible_to(db: Database, viewer: str | None, codes: bool = True) -> Visibility:
    """What `viewer` may see now (EVERYTHING when coding is not blind or viewer is None).

    codes=False leaves the codes unfiltered: for readers of codings only, where a visible coding
    shows its code anyway, and working out the visible codes would cost a query.
    """
    if viewer is None:
        return EVERYTHING
    # One query for the three settings: this runs at the start of every reading command.
    settings = dict(
        db.execute(f"SELECT key, value FROM settings WHERE key IN ('{BLIND}', '{SHARED_CODEBOOK}', '{CONSENSUS}')")
    )
    if settings.get(BLIND) != "on":
        return EVERYTHING
    guids = json.loads(settings.get(CONSENSUS) or "[]")
    analysts = tuple(
        sorted(
            analyst_id
            for analyst_id, name, guid in db.execute("SELECT id, name, guid FROM analysts")
            if guid in guids or name.casefold() == viewer.casefold()
        )
    )
    if not analysts:
        return EVERYTHING  # an unknown analyst is refused by the command itself
    if not codes or settings.get(SHARED_CODEBOOK) == "on":
        return Visibility(analysts, None)
    marks = ",".join("?" for _ in analysts)
    # A viewer's codes: those they (or a consensus analyst) created, those nobody in particular
    # created (an imported codebook), and any they have coded with.
    # (EXISTS per code goes through the codings_code index: a look-up per code, not a scan.)
    code_rows = db.execute(
        f"""
        SELECT k.id FROM codes k WHERE k.created_by IS NULL OR k.created_by IN ({marks})
        OR EXISTS (SELECT 1 FROM codings c WHERE c.code_id = k.id AND c.analyst_id IN ({marks}))
        """,
        [*analysts, *analysts],
    ).fetchall()
    return Visibility(analysts, frozenset(r[0] for r in code_rows))


def completion_viewer(db: Database, analyst_option: str | None) -> str | None:
    """The analyst a shell completion speaks for: --analyst, QUALCODE_ANALYST or the default."""
    return analyst_option or os.environ.get("QUALCODE_ANALYST") or setting(db, "default_analyst")


def label(name: str | None, consensus: set[str]) -> str | None:
    """An analyst's name as listings show it: the consensus analyst says so."""
    if name is not None and name in consensus:
        return f"{name} (consensus)"
    return name


def coded_by(db: Database, viewer: str | None, requested: str | None) -> str | None:
    """Whose codings a reader that counts one analyst's codings (the theme commands) counts:
    the one asked for, or under blind coding the viewer's own; asking for another analyst's
    while coding is blind is refused."""
    if viewer is None or not is_blind(db):
        return requested
    if requested is not None and requested.casefold() != viewer.casefold():
        if requested.casefold() not in {name.casefold() for name in consensus_names(db)}:
            raise InvalidInput(
                f"coding is blind: you see only your own codings, not {requested}'s "
                "(`qualcode analyst blind off` reveals them)"
            )
        return requested
    return viewer


def coding_mode(db: Database) -> dict[str, object]:
    """The setting as `status` and `phase` show it: blind or not, codebook shared or not, the
    consensus analysts, and one line for people."""
    blind, shared = is_blind(db), codebook_shared(db)
    consensus = sorted(consensus_names(db), key=str.casefold)
    if blind:
        line = "blind coding: each analyst sees only their own codings" + (
            " (the codebook is shared)" if shared else " and codes"
        )
    else:
        line = "open coding: every analyst's codings are visible to all"
    return {"blind": blind, "shared_codebook": shared, "consensus_analysts": consensus, "line": line}
