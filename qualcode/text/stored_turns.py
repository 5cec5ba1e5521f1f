"""A stored transcript's turn rows and their entries in the search index, which follow its text.

Turns are derived from the transcript's text, so they are not audited row by row; the search
index (an FTS5 table that keeps no copy of the text, reading a turn's words through the view
turn_bodies when it shows a hit) is written and cleared with them.
"""

from __future__ import annotations

import hashlib

from qualcode.store import Change
from qualcode.text.transcripts import LaidOut


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def insert_turns(change: Change, transcript_id: int, laid_out: LaidOut) -> None:
    """Turns are derived from the transcript's text, so they are not audited row by row.
    They are written in two batches with ids chosen here, so the search index can use the same
    ids without reading each turn back (an import of a thousand transcripts writes ~200,000)."""
    text = laid_out.text
    first_id = change.next_id("turns")
    ids = range(first_id, first_id + len(laid_out.turns))
    change.db.conn.executemany(
        "INSERT INTO turns (id, transcript_id, number, speaker, is_interviewer, start, body_start, [end], timestamp)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                turn_id,
                transcript_id,
                turn.number,
                turn.speaker,
                int(turn.is_interviewer),
                turn.start,
                turn.body_start,
                turn.end,
                turn.timestamp,
            )
            for turn_id, turn in zip(ids, laid_out.turns)
        ],
    )
    change.db.conn.executemany(
        "INSERT INTO turns_fts (rowid, body) VALUES (?, ?)",
        [(turn_id, text[turn.body_start : turn.end]) for turn_id, turn in zip(ids, laid_out.turns)],
    )


def remove_turns(change: Change, transcript_id: int) -> None:
    text = change.db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()[0]
    for turn_id, body_start, end in change.db.execute(
        "SELECT id, body_start, [end] FROM turns WHERE transcript_id = ?", [transcript_id]
    ).fetchall():
        # The index keeps no copy, so it forgets a row only when told the words it indexed:
        # this runs before the transcript's text changes.
        change.execute(
            "INSERT INTO turns_fts (turns_fts, rowid, body) VALUES ('delete', ?, ?)", [turn_id, text[body_start:end]]
        )
    change.execute("DELETE FROM turns WHERE transcript_id = ?", [transcript_id])
