"""Who has a coding session open: each `code session` records its start and end, so that a
reveal (`analyst blind off`, a first `compare`) can say that a co-analyst is still coding blind.

A session that ends in any ordinary way (q, Ctrl-D, Ctrl-C, an error) records its end. One that
cannot (the terminal closed, the machine crashed) leaves its record open; such a record is not
reported once its process is gone (checked on the machine that started it) or once it is older
than STALE_AFTER_HOURS (a process on another machine cannot be checked, and a pid can be reused).
The records are notes, not changes: they are written outside the audit trail and never undone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass

from qualcode.store import Database, Project, now

STALE_AFTER_HOURS = 12


@dataclass(frozen=True)
class OpenSession:
    analyst: str
    transcript: str | None
    started: str  # UTC, ISO 8601


def record_start(project: Project, analyst_id: int, transcript_id: int | None) -> int:
    with project.change(analyst_id, "code session") as change:
        return change.insert(
            "coding_sessions",
            {
                "analyst_id": analyst_id,
                "transcript_id": transcript_id,
                "started": now(),
                "host": socket.gethostname(),
                "pid": os.getpid(),
            },
            audit=False,
        )


def record_end(project: Project, session_id: int) -> None:
    with project.change(None, "code session") as change:
        change.execute("UPDATE coding_sessions SET ended = ? WHERE id = ?", [now(), session_id])


@contextlib.contextmanager
def recorded_session(project: Project, analyst_id: int, transcript_id: int | None) -> Iterator[int]:
    """A coding session's record, open while the block runs and ended however it leaves."""
    session_id = record_start(project, analyst_id, transcript_id)
    try:
        yield session_id
    finally:
        record_end(project, session_id)


def _running(host: str, pid: int) -> bool:
    """False only when the process is known to be gone: on this machine, and not running."""
    if host != socket.gethostname() or os.name != "posix":
        return True  # elsewhere, or where a signal 0 cannot probe it: the age alone decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # running, as another user
    return True


def open_sessions(db: Database, other_than: str | None = None, clock: dt.datetime | None = None) -> list[OpenSession]:
    """The sessions open now, oldest first, leaving out `other_than`'s own (the one revealing)."""
    current = clock or dt.datetime.now(dt.UTC)
    oldest = (current - dt.timedelta(hours=STALE_AFTER_HOURS)).isoformat(timespec="seconds")
    rows = db.execute(
        """
        SELECT a.name, t.name, s.started, s.host, s.pid
        FROM coding_sessions s JOIN analysts a ON a.id = s.analyst_id
        LEFT JOIN transcripts t ON t.id = s.transcript_id
        WHERE s.ended IS NULL AND s.started >= ? ORDER BY s.started, s.id
        """,
        [oldest],
    ).fetchall()
    return [
        OpenSession(analyst, transcript, started)
        for analyst, transcript, started, host, pid in rows
        if (other_than is None or analyst.casefold() != other_than.casefold()) and _running(host, pid)
    ]


def open_session_notes(db: Database, revealing: str) -> list[str]:
    """One line per co-analyst's open session, for a reveal to print: the reveal is allowed,
    and their session goes on showing only their own codings until they start it again."""
    notes = []
    for session in open_sessions(db, other_than=revealing):
        started = dt.datetime.fromisoformat(session.started).astimezone()
        since = (
            started.strftime("%H:%M")
            if started.date() == dt.datetime.now().astimezone().date()
            else (started.strftime("%d %b %H:%M"))
        )
        on = f" on {session.transcript}" if session.transcript else ""
        notes.append(
            f"{session.analyst} has a coding session open{on} since {since}; it goes on showing only "
            f"{session.analyst}'s codings until it is started again"
        )
    return notes
