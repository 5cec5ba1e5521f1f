"""Searching all transcripts: SQLite FTS5 over turns for words and phrases, regex as a fallback.

Every hit carries its exact span, so `code apply --chars` (or `--from-search`) can code it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from qualcode.errors import InvalidInput
from qualcode.store import Project
from qualcode.text.matching import EmptyPhrase, phrase_pattern
from qualcode.text.transcripts import LineIndex

CONTEXT_CHARS = 60


@dataclass(frozen=True)
class Hit:
    transcript: str
    participant: str | None
    turn: int
    speaker: str | None
    line: int
    start: int
    end: int
    before: str
    match: str
    after: str

    def to_dict(self) -> dict:
        return asdict(self)


def fts_query(phrase: str) -> str | None:
    """The phrase as one quoted FTS5 phrase; None when it has no word characters to index."""
    tokens = re.findall(r"\w+", phrase)
    if not tokens:
        return None
    return '"' + " ".join(tokens) + '"'


def search(
    project: Project,
    phrase: str,
    *,
    regex: bool = False,
    speaker: str | None = None,
    transcript: str | None = None,
    limit: int | None = None,
) -> list[Hit]:
    if regex:
        try:
            pattern = re.compile(phrase, re.IGNORECASE)
        except re.error as error:
            raise InvalidInput(f"not a valid regular expression: {error}") from None
        turn_ids = None
    else:
        try:
            # Whole words only: "alliance" does not find "alliances".
            pattern = re.compile(rf"(?<!\w){phrase_pattern(phrase).pattern}(?!\w)", re.IGNORECASE)
        except EmptyPhrase:
            raise EmptyPhrase("search needs a word or phrase") from None
        query = fts_query(phrase)
        turn_ids = None if query is None else _fts_turn_ids(project, query)
    return _scan(project, pattern, turn_ids, speaker, transcript, limit)


def _fts_turn_ids(project: Project, query: str) -> set[int]:
    return {r[0] for r in project.db.execute("SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?", [query])}


def _scan(
    project: Project,
    pattern: re.Pattern[str],
    turn_ids: set[int] | None,
    speaker: str | None,
    transcript: str | None,
    limit: int | None,
) -> list[Hit]:
    """Find exact spans in candidate turns (all turns when FTS cannot narrow them down)."""
    if turn_ids is not None and not turn_ids:
        return []
    where, params = ["1 = 1"], []
    if speaker:
        where.append("u.speaker = ? COLLATE NOCASE")
        params.append(speaker)
    if transcript:
        where.append("(t.name = ? OR p.name = ?)")
        params += [transcript, transcript]
    if turn_ids is not None:
        where.append("u.id IN (SELECT value FROM json_each(?))")
        params.append("[" + ",".join(map(str, turn_ids)) + "]")
    rows = project.db.execute(
        f"""
        SELECT t.id, t.name, p.name, u.number, u.speaker, u.body_start, u.[end]
        FROM turns u JOIN transcripts t ON t.id = u.transcript_id
        LEFT JOIN participants p ON p.id = t.participant_id
        WHERE {" AND ".join(where)}
        ORDER BY t.name, u.number
        """,
        params,
    ).fetchall()
    hits: list[Hit] = []
    texts: dict[int, tuple[str, LineIndex]] = {}
    for tid, name, participant, number, turn_speaker, body_start, end in rows:
        if tid not in texts:
            text = project.db.execute("SELECT text FROM transcripts WHERE id = ?", [tid]).fetchone()[0]
            texts = {tid: (text, LineIndex(text))}  # rows come grouped by transcript: keep one
        text, lines = texts[tid]
        for m in pattern.finditer(text, body_start, end):
            if m.end() == m.start():
                continue
            hits.append(
                Hit(
                    transcript=name,
                    participant=participant,
                    turn=number,
                    speaker=turn_speaker,
                    line=lines.line_of(m.start()),
                    start=m.start(),
                    end=m.end(),
                    before=_one_line(text[max(body_start, m.start() - CONTEXT_CHARS) : m.start()]),
                    match=m.group(0),
                    after=_one_line(text[m.end() : min(end, m.end() + CONTEXT_CHARS)]),
                )
            )
            if limit and len(hits) >= limit:
                return hits
    return hits


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))
