"""Giving a stored transcript new text: its turns, search index and codings follow, and undo can
bring the old text back.

Used by a re-import with --replace (`transcript update`) and by pseudonymisation. The old text is
kept in transcript_versions (with its turns) so that `undo` can restore it; the audit log holds
texts only by size and fingerprint. Codings move in two steps, parked out of the way first, so
that moving one onto the place another still holds never trips the table's UNIQUE constraint.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.errors import QualcodeError
from qualcode.store import Change
from qualcode.text.realign import Alignment, Edits, align, carry_spans
from qualcode.text.stored_turns import insert_turns, remove_turns, sha256_text
from qualcode.text.transcripts import LaidOut, Turn, spoken_words

Span = tuple[int, int]
# Far beyond any offset: codings are parked here while they move.
_PARKED = 1 << 40


def keep_version(change: Change, transcript_id: int) -> None:
    """Keep the transcript's current text and turns, so undo can bring them back."""
    text, sha = change.db.execute("SELECT text, text_sha256 FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
    turns = [
        list(row)
        for row in change.db.execute(
            "SELECT number, speaker, start, body_start, [end], timestamp, is_interviewer FROM turns"
            " WHERE transcript_id = ? ORDER BY number",
            [transcript_id],
        )
    ]
    change.execute(
        "INSERT OR REPLACE INTO transcript_versions (transcript_id, text_sha256, text, turns_json, kept_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [transcript_id, sha, text, json.dumps(turns), change.at],
    )


def kept_version(change: Change, transcript_id: int, sha: str) -> LaidOut | None:
    """The text (and its turns) a transcript had with this fingerprint, if it was kept."""
    row = change.db.execute(
        "SELECT text, turns_json FROM transcript_versions WHERE transcript_id = ? AND text_sha256 = ?",
        [transcript_id, sha],
    ).fetchone()
    if row is None:
        return None
    turns = [
        Turn(number=n, speaker=s, start=a, body_start=b, end=e, timestamp=t, is_interviewer=bool(i))
        for n, s, a, b, e, t, i in json.loads(row[1])
    ]
    return LaidOut(row[0], turns)


def text_columns(laid_out: LaidOut, words: int | None = None) -> dict[str, Any]:
    """The transcript columns that follow from its text (words: the spoken words, if known)."""
    text = laid_out.text
    return {
        "text": text,
        "text_sha256": sha256_text(text),
        "char_count": len(text),
        "word_count": spoken_words(laid_out) if words is None else words,
        "line_count": text.count("\n") + 1,
        "turn_count": len(laid_out.turns),
    }


def replace_text(
    change: Change,
    transcript_id: int,
    laid_out: LaidOut,
    row: dict[str, Any] | None = None,
    *,
    index: bool = True,
    words: int | None = None,
) -> None:
    """Store new text and turns for a transcript (audited), and its other changed columns.
    index=False leaves the search index to the caller, who rebuilds it whole; words is the
    new count of spoken words when the caller knows it without counting them all again."""
    if index:
        remove_turns(change, transcript_id)
    else:
        change.execute("DELETE FROM turns WHERE transcript_id = ?", [transcript_id])
    change.update("transcripts", transcript_id, {**(row or {}), **text_columns(laid_out, words)})
    if index:
        insert_turns(change, transcript_id, laid_out)
    else:
        insert_turn_rows(change, transcript_id, laid_out.turns)


def insert_turn_rows(change: Change, transcript_id: int, turns: Sequence[Turn]) -> None:
    change.db.conn.executemany(
        "INSERT INTO turns (transcript_id, number, speaker, is_interviewer, start, body_start, [end], timestamp)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (transcript_id, t.number, t.speaker, int(t.is_interviewer), t.start, t.body_start, t.end, t.timestamp)
            for t in turns
        ],
    )


def rebuild_search_index(change: Change) -> None:
    """Index every turn afresh: after 'delete-all' the index holds no word that is not in a
    transcript now (a contentless index would otherwise keep deleted words until a merge)."""
    change.execute("INSERT INTO turns_fts (turns_fts) VALUES ('delete-all')")
    texts: dict[int, str] = {}
    rows = []
    for turn_id, transcript_id, body_start, end in change.db.execute(
        "SELECT id, transcript_id, body_start, [end] FROM turns ORDER BY transcript_id"
    ).fetchall():
        if transcript_id not in texts:
            texts = {
                transcript_id: change.db.execute(
                    "SELECT text FROM transcripts WHERE id = ?", [transcript_id]
                ).fetchone()[0]
            }
        rows.append((turn_id, texts[transcript_id][body_start:end]))
    change.db.conn.executemany("INSERT INTO turns_fts (rowid, body) VALUES (?, ?)", rows)


def move_codings(change: Change, moves: dict[int, Span], befores: dict[int, dict[str, Any]] | None = None) -> None:
    """Give codings new [start, end) offsets, audited, in two steps (see the module's docstring).
    befores: the codings' rows as they are, if already read."""
    if not moves:
        return
    if befores is None:
        befores = change.rows_by_id("codings", list(moves))
    moves = {cid: span for cid, span in moves.items() if (befores[cid]["start"], befores[cid]["end"]) != span}
    if not moves:
        return
    # Parking is needed only where a coding moves onto the place another one holds now.
    held = {_place(row, (row["start"], row["end"])): cid for cid, row in befores.items()}
    if any(held.get(_place(befores[cid], span), cid) != cid for cid, span in moves.items()):
        change.execute(
            "UPDATE codings SET start = start + ?, [end] = [end] + ? WHERE id IN (SELECT value FROM json_each(?))",
            [_PARKED, _PARKED, json.dumps(list(moves))],
        )
    change.update_many("codings", {cid: {"start": s, "end": e} for cid, (s, e) in moves.items()}, befores)


def _place(row: dict[str, Any], span: Span) -> tuple[int, int, int, int, int]:
    return (row["transcript_id"], row["code_id"], row["analyst_id"], *span)


def remove_coding(change: Change, coding_id: int, successor: int | None, transcript_id: int) -> None:
    """Remove a coding whose text is gone (successor None) or that now covers exactly what
    another of the same code and analyst covers (successor: that one). Its chosen quotes go to
    the successor or go; memos about it are kept, about the successor or the transcript."""
    for quote_id, theme_id in change.db.execute(
        "SELECT id, theme_id FROM theme_quotes WHERE coding_id = ?", [coding_id]
    ).fetchall():
        taken = (
            successor is not None
            and change.db.execute(
                "SELECT 1 FROM theme_quotes WHERE theme_id = ? AND coding_id = ?", [theme_id, successor]
            ).fetchone()
        )
        if successor is None or taken:
            change.delete("theme_quotes", quote_id)
        else:
            change.update("theme_quotes", quote_id, {"coding_id": successor})
    for (memo_id,) in change.db.execute(
        "SELECT id FROM memos WHERE target_type = 'coding' AND target_id = ?", [coding_id]
    ).fetchall():
        if successor is None:
            change.update("memos", memo_id, {"target_type": "transcript", "target_id": transcript_id})
        else:
            change.update("memos", memo_id, {"target_id": successor})
    change.delete("codings", coding_id)


def settle_codings(
    change: Change,
    transcript_id: int,
    moves: dict[int, Span],
    lost: Sequence[int],
    rows: dict[int, dict[str, Any]] | None = None,
) -> dict[int, int]:
    """Remove the lost codings, move the others, and fold together codings that now cover the
    same words with the same code and analyst (the older one stays). Returns folded -> kept.
    rows: every coding of the transcript as it is, if already read."""
    gone = set(lost)
    for coding_id in sorted(gone):
        remove_coding(change, coding_id, None, transcript_id)
    place: dict[tuple[int, int, int, int], int] = {}
    folded: dict[int, int] = {}
    current = (
        [(r["id"], r["code_id"], r["analyst_id"], r["start"], r["end"]) for _, r in sorted(rows.items())]
        if rows is not None
        else change.db.execute(
            "SELECT id, code_id, analyst_id, start, [end] FROM codings WHERE transcript_id = ? ORDER BY id",
            [transcript_id],
        ).fetchall()
    )
    for coding_id, code_id, analyst_id, start, end in current:
        if coding_id in gone:
            continue
        new_start, new_end = moves.get(coding_id, (start, end))
        key = (code_id, analyst_id, new_start, new_end)
        if key in place:
            folded[coding_id] = place[key]
        else:
            place[key] = coding_id
    for coding_id, kept in folded.items():
        remove_coding(change, coding_id, kept, transcript_id)
        moves.pop(coding_id, None)
    move_codings(change, moves, None if rows is None else {cid: rows[cid] for cid in moves})
    return folded


@dataclass(frozen=True)
class CodingMove:
    """One coding carried to a transcript's new text (status as realign.CarriedSpan's)."""

    coding_id: int
    code: str
    analyst: str
    status: str
    old: Span
    new: Span | None
    old_text: str
    new_text: str
    row: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # the coding as it was

    def to_dict(self) -> dict[str, Any]:
        return {
            "coding": self.coding_id,
            "code": self.code,
            "analyst": self.analyst,
            "status": self.status,
            "old_chars": f"{self.old[0]}-{self.old[1]}",
            "new_chars": f"{self.new[0]}-{self.new[1]}" if self.new else None,
            "old_text": self.old_text,
            "new_text": self.new_text,
        }


class LostCodings(QualcodeError):
    """Codings whose text is gone from a replacement: the command stops unless told to drop them."""

    def __init__(self, transcript: str, lost: list[CodingMove]):
        self.transcript = transcript
        self.lost = lost
        super().__init__(
            f"'{transcript}': the text of {len(lost)} coding{'s' if len(lost) != 1 else ''} is gone from the new "
            "version (listed above); nothing was changed. Pass --drop-lost to remove them"
        )


def plan_coding_moves(
    change: Change, transcript_id: int, old_text: str, new_text: str, edits: Edits | None = None
) -> list[CodingMove]:
    """Where each of a transcript's codings goes on its new text: aligned word by word, or
    through the given edits (pseudonymisation knows exactly what it replaced)."""
    cursor = change.db.execute(
        "SELECT c.*, k.name, a.name FROM codings c JOIN codes k ON k.id = c.code_id"
        " JOIN analysts a ON a.id = c.analyst_id WHERE c.transcript_id = ? ORDER BY c.start, c.id",
        [transcript_id],
    )
    columns = [d[0] for d in cursor.description][:-2]
    rows = [(dict(zip(columns, r[:-2])), r[-2], r[-1]) for r in cursor.fetchall()]
    if not rows:
        return []
    how: Alignment | Edits = edits if edits is not None else align(old_text, new_text)
    carried = carry_spans(old_text, new_text, how, {row["id"]: (row["start"], row["end"]) for row, _, _ in rows})
    moves = []
    for row, code, analyst in rows:
        c = carried[row["id"]]
        moves.append(CodingMove(row["id"], code, analyst, c.status, c.old, c.new, c.old_text, c.new_text, row))
    return moves


def apply_coding_moves(change: Change, transcript_id: int, moves: list[CodingMove]) -> dict[int, int]:
    """Move the codings as planned, removing the lost ones; returns folded -> kept coding ids."""
    spans = {m.coding_id: m.new for m in moves if m.new is not None}
    lost = [m.coding_id for m in moves if m.new is None]
    return settle_codings(change, transcript_id, spans, lost, {m.coding_id: m.row for m in moves})
