"""Reading the transcripts stored in a project: lookup by name or participant, listing, turns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qualcode.analysis.visibility import visible_to
from qualcode.errors import InvalidInput, NotFound
from qualcode.names import natural_key, spelled_as_stored, unknown_name_message
from qualcode.store import Project
from qualcode.text.transcripts import LineIndex, Location, Turn, resolve_location


@dataclass
class StoredTranscript:
    id: int
    name: str
    participant: str | None
    text: str
    turns: list[Turn]
    interviewer: str | None

    def resolve(self, location: Location) -> tuple[int, int]:
        return resolve_location(self.text, self.turns, location)

    def turn_at(self, offset: int) -> Turn | None:
        for turn in self.turns:
            if turn.start <= offset < turn.end or (offset == turn.end and turn is self.turns[-1]):
                return turn
        return None

    def turns_of(self, start: int, end: int) -> list[Turn]:
        """The turns a span [start, end) touches, in order."""
        return [t for t in self.turns if t.start < max(end, start + 1) and t.end > start] or [
            t for t in (self.turn_at(start),) if t is not None
        ]

    def locate(self, start: int, end: int) -> dict[str, Any]:
        """Where a span lies, in every unit a reader uses: lines, turn (the first; last_turn the
        last), speaker (of the first turn; speakers: everyone's it covers), characters."""
        first, last = LineIndex(self.text).lines_of(start, end)
        turns = self.turns_of(start, end)
        return {
            "lines": f"{first}-{last}" if last != first else str(first),
            "turn": turns[0].number if turns else None,
            "last_turn": turns[-1].number if turns else None,
            "speaker": turns[0].speaker if turns else None,
            "speakers": list(dict.fromkeys(t.speaker for t in turns if t.speaker)),
            "chars": f"{start}-{end}",
        }


def transcript_names(project: Project) -> list[str]:
    return sorted((r[0] for r in project.db.execute("SELECT name FROM transcripts")), key=natural_key)


def transcript_id(project: Project, name: str) -> int:
    """A transcript by its name, or by its participant when that participant has just one; either
    found whatever the case or the kind of quote ("O'Neil" for "O’Neil")."""
    row = project.db.execute("SELECT id FROM transcripts WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    stored = spelled_as_stored(name, transcript_names(project))
    if stored:
        return project.db.execute("SELECT id FROM transcripts WHERE name = ?", [stored]).fetchone()[0]
    name = spelled_as_stored(name, (r[0] for r in project.db.execute("SELECT name FROM participants"))) or name
    rows = project.db.execute(
        "SELECT t.id, t.name FROM transcripts t JOIN participants p ON p.id = t.participant_id WHERE p.name = ?",
        [name],
    ).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    if len(rows) > 1:
        names = ", ".join(r[1] for r in rows)
        raise InvalidInput(f"participant '{name}' has several transcripts ({names}); name one of them")
    raise NotFound(
        unknown_name_message("transcript", name, transcript_names(project), "qualcode transcript import FILE")
    )


def load_transcript(project: Project, name: str) -> StoredTranscript:
    return load_transcript_by_id(project, transcript_id(project, name))


def load_transcript_by_id(project: Project, tid: int) -> StoredTranscript:
    row = project.db.execute(
        "SELECT t.id, t.name, p.name, t.text, t.interviewer FROM transcripts t"
        " LEFT JOIN participants p ON p.id = t.participant_id WHERE t.id = ?",
        [tid],
    ).fetchone()
    turns = [
        Turn(
            number=r[0], speaker=r[1], start=r[2], body_start=r[3], end=r[4], timestamp=r[5], is_interviewer=bool(r[6])
        )
        for r in project.db.execute(
            "SELECT number, speaker, start, body_start, [end], timestamp, is_interviewer FROM turns"
            " WHERE transcript_id = ? ORDER BY number",
            [tid],
        )
    ]
    return StoredTranscript(row[0], row[1], row[2], row[3], turns, row[4])


def list_transcripts(project: Project, viewer: str | None = None) -> list[dict[str, Any]]:
    """Every transcript with its size and how much of it is coded: under blind coding, counting
    only the codings `viewer` may see (qualcode.analysis.visibility)."""
    clause, params = visible_to(project.db, viewer, codes=False).codings_clause()
    rows = project.query(
        f"""
        SELECT t.name, p.name AS participant, t.format, t.turn_count AS turns, t.word_count AS words,
               t.line_count AS lines, t.interviewer,
               (SELECT count(*) FROM codings c WHERE c.transcript_id = t.id {clause}) AS codings,
               (SELECT count(DISTINCT c.analyst_id) FROM codings c WHERE c.transcript_id = t.id {clause}) AS analysts,
               t.source_name AS source, t.imported_at
        FROM transcripts t LEFT JOIN participants p ON p.id = t.participant_id
        """,
        [*params, *params],
    )
    return sorted(rows, key=lambda r: natural_key(r["name"]))
