"""Searching all transcripts: the full-text index over turns for words in their forms, regex as an
alternative. What an expression means is in search_query.py.

The index (migration 5) stems English words (Porter, over unicode61 with accents folded) and
reads each turn's words from the stored text through a view, so it keeps no second copy of the
text; FTS5's highlight() marks where each hit lies. With --exact the index only narrows the
turns down, and the words as typed are matched in a small index of those turns built for the
search. Every hit carries its exact span, so `code apply --chars` (or `--from-search`) can code it.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from qualcode.errors import InvalidInput, NotFound
from qualcode.names import natural_key, unknown_name_message
from qualcode.store import Project
from qualcode.text.search_query import SearchSyntaxError, parse_search

CONTEXT_CHARS = 60
INDEX = "turns_fts"
EXACT_INDEX = "exact_search"  # a temporary index, for one --exact search
EXACT_TOKENIZER = "unicode61 remove_diacritics 2"
# Pairs of characters that mark hits in highlight(); the first pair not in a transcript is used.
MARKERS = (("\x02", "\x03"), ("\ue000", "\ue001"), ("\U000f0000", "\U000f0001"))
# Up to this many matching turns, one query marks the hits of them all.
ONE_QUERY_TURNS = 5000
# Letters and digits, as the index counts words (to tell how far apart two NEAR hits are).
WORD = re.compile(r"[^\W_]+")


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
        return dict(vars(self))


@dataclass(frozen=True)
class _Turn:
    number: int
    speaker: str | None
    body_start: int
    end: int


def search(
    project: Project,
    expression: str,
    *,
    regex: bool = False,
    exact: bool = False,
    near: int | None = None,
    speaker: str | None = None,
    transcript: str | None = None,
    limit: int | None = None,
) -> list[Hit]:
    """Hits in transcript order (P2 before P11), then turn and place in the turn.

    regex: `expression` is a regular expression (ignoring case), matched in every turn's words.
    exact: the words as typed only, not their other forms. near: the words (and quoted phrases)
    within this many words of each other. Raises InvalidInput for an expression that cannot be read.
    """
    transcript_ids = _transcripts_named(project, transcript) if transcript else None
    if regex:
        if exact or near is not None:
            raise InvalidInput("--regex matches the pattern as written; leave out --exact and --near")
        try:
            pattern = re.compile(expression, re.IGNORECASE)
        except re.error as error:
            raise InvalidInput(f"not a valid regular expression: {error}") from None
        return _regex_hits(project, pattern, speaker, transcript_ids, limit)
    query = parse_search(expression, near=near)
    texts = _Texts(project)
    if not exact:
        return _indexed_hits(project, texts, INDEX, query.fts(), query.near, speaker, transcript_ids, limit)
    candidates = _matching_turns(project, INDEX, query.candidates(), transcript_ids)
    with _exact_index(project, texts, candidates) as index:
        return _indexed_hits(project, texts, index, query.fts(), query.near, speaker, transcript_ids, limit)


class _Texts(dict[int, str]):
    """Transcripts' stored text, read once per search."""

    def __init__(self, project: Project):
        super().__init__()
        self.project = project

    def __missing__(self, transcript_id: int) -> str:
        text: str = self.project.db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()[0]
        self[transcript_id] = text
        return text


def _transcripts_named(project: Project, name: str) -> list[int]:
    """The transcripts a --transcript option means: by name, or every one of a participant."""
    ids = [
        r[0]
        for r in project.db.execute(
            "SELECT t.id FROM transcripts t LEFT JOIN participants p ON p.id = t.participant_id"
            " WHERE t.name = ? OR p.name = ?",
            [name.strip(), name.strip()],
        )
    ]
    if not ids:
        names = [r[0] for r in project.db.execute("SELECT name FROM transcripts")]
        raise NotFound(unknown_name_message("transcript", name, sorted(names, key=natural_key)))
    return ids


def _speaker_filter(speaker: str | None) -> tuple[str, list[str]]:
    return (" AND u.speaker = ? COLLATE NOCASE", [speaker.strip()]) if speaker else ("", [])


def _matching_turns(project: Project, index: str, fts: str, transcript_ids: list[int] | None) -> dict[int, list[int]]:
    """transcript id -> ids of the turns the index finds in its range of turn ids (ascending).
    The reading of hits checks each turn's transcript and speaker."""
    found = [r[0] for r in _fts(project, f"SELECT rowid FROM {index} WHERE {index} MATCH ? ORDER BY rowid", [fts])]
    matching = {}
    for tid, lo, hi in _turn_ranges(project, transcript_ids) if found else []:
        inside = found[bisect.bisect_left(found, lo) : bisect.bisect_right(found, hi)]
        if inside:
            matching[tid] = inside
    return matching


def _turn_ranges(project: Project, transcript_ids: list[int] | None) -> list[tuple[int, int, int]]:
    """(transcript id, first turn id, last turn id) of each transcript. A transcript's turns are
    inserted together, ids in the order of the turns (ingest.insert_turns), so these few index
    lookups tell which transcript a turn found is in without reading the turns."""
    where = f" WHERE t.id IN ({', '.join('?' for _ in transcript_ids)})" if transcript_ids is not None else ""
    rows = project.db.execute(
        "SELECT t.id, (SELECT id FROM turns WHERE transcript_id = t.id ORDER BY number LIMIT 1),"
        " (SELECT id FROM turns WHERE transcript_id = t.id ORDER BY number DESC LIMIT 1)"
        f" FROM transcripts t{where}",
        transcript_ids or [],
    ).fetchall()
    return [(tid, min(first, last), max(first, last)) for tid, first, last in rows if first is not None]


def _fts(project: Project, sql: str, params: list) -> list[tuple]:
    try:
        return project.db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as error:
        if "fts5" in str(error) or "syntax" in str(error):  # parse_search should have refused it
            raise SearchSyntaxError(
                'cannot read this search; write words, "a phrase" in quotes, rupt* for a prefix, or AND, OR, NOT between them'
            ) from None
        raise


def _in_transcript_order(project: Project, transcript_ids: list[int]) -> list[tuple[int, str, str | None]]:
    if not transcript_ids:
        return []
    rows = project.db.execute(
        "SELECT t.id, t.name, p.name FROM transcripts t LEFT JOIN participants p ON p.id = t.participant_id"
        f" WHERE t.id IN ({', '.join('?' for _ in transcript_ids)})",
        transcript_ids,
    ).fetchall()
    return sorted(rows, key=lambda row: natural_key(row[1]))


def _indexed_hits(
    project: Project,
    texts: _Texts,
    index: str,
    fts: str,
    near: int | None,
    speaker: str | None,
    transcript_ids: list[int] | None,
    limit: int | None,
) -> list[Hit]:
    matching = _matching_turns(project, index, fts, transcript_ids)
    # Where every hit is wanted, or few turns match, one query marks them all; otherwise each
    # transcript is asked in turn, so a --limit on a common word stops early.
    at_once = None
    if matching and (limit is None or sum(map(len, matching.values())) <= ONE_QUERY_TURNS):
        first, last = min(ids[0] for ids in matching.values()), max(ids[-1] for ids in matching.values())
        at_once = _marked_turns(project, index, fts, speaker, first, last)
    hits: list[Hit] = []
    for tid, name, participant in _in_transcript_order(project, list(matching)):
        text = texts[tid]
        wanted = matching[tid]
        if at_once is not None and MARKERS[0][0] not in text and MARKERS[0][1] not in text:
            marks, rows = MARKERS[0], at_once.get(tid, [])
        else:  # asked alone, with marks the transcript does not hold
            marks = next(pair for pair in MARKERS if pair[0] not in text and pair[1] not in text)
            rows = _marked_turns(project, index, fts, speaker, wanted[0], wanted[-1], tid, marks).get(tid, [])
        for number, turn_speaker, body_start, end, marked in rows:
            turn = _Turn(number, turn_speaker, body_start, end)
            spans = _marked_spans(marked, *marks)
            if near is not None:
                spans = _joined_within(text[body_start:end], spans, near)
            for start, stop in spans:
                hits.append(_hit(name, participant, turn, text, body_start + start, body_start + stop))
                if limit and len(hits) >= limit:
                    return hits
    return hits


def _marked_turns(
    project: Project,
    index: str,
    fts: str,
    speaker: str | None,
    first: int,
    last: int,
    transcript_id: int | None = None,
    marks: tuple[str, str] = MARKERS[0],
) -> dict[int, list[tuple[int, str | None, int, int, str]]]:
    """transcript id -> (number, speaker, body start, end, words with hits marked) of each turn
    the index finds among turn ids first to last, in order."""
    where, speaker_params = _speaker_filter(speaker)
    params: list[str | int] = [*speaker_params]
    if transcript_id is not None:
        where += " AND u.transcript_id = ?"
        params.append(transcript_id)
    found: dict[int, list[tuple[int, str | None, int, int, str]]] = {}
    for tid, number, turn_speaker, body_start, end, marked in _fts(
        project,
        f"SELECT u.transcript_id, u.number, u.speaker, u.body_start, u.[end], highlight({index}, 0, ?, ?)"
        f" FROM {index} f JOIN turns u ON u.id = f.rowid"
        f" WHERE {index} MATCH ? AND f.rowid BETWEEN ? AND ?{where} ORDER BY u.transcript_id, u.number",
        [*marks, fts, first, last, *params],
    ):
        found.setdefault(tid, []).append((number, turn_speaker, body_start, end, marked))
    return found


def _marked_spans(marked: str, mark_open: str, mark_close: str) -> list[tuple[int, int]]:
    """Where highlight() put its marks, as spans of the unmarked text."""
    spans: list[tuple[int, int]] = []
    offset, start = 0, None
    for piece in re.split(f"({re.escape(mark_open)}|{re.escape(mark_close)})", marked):
        if piece == mark_open:
            start = offset
        elif piece == mark_close:
            if start is not None and offset > start:
                spans.append((start, offset))
            start = None
        else:
            offset += len(piece)
    return spans


def _joined_within(body: str, spans: list[tuple[int, int]], distance: int) -> list[tuple[int, int]]:
    """A NEAR search's hit runs from its first word to its last: spans no more than `distance`
    words apart are one hit."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and len(WORD.findall(body, joined[-1][1], start)) <= distance:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _hit(name: str, participant: str | None, turn: _Turn, text: str, start: int, end: int) -> Hit:
    return Hit(
        transcript=name,
        participant=participant,
        turn=turn.number,
        speaker=turn.speaker,
        line=text.count("\n", 0, start) + 1,  # cheaper than a line index for a few hits
        start=start,
        end=end,
        before=_one_line(text[max(turn.body_start, start - CONTEXT_CHARS) : start]),
        match=text[start:end],
        after=_one_line(text[end : min(turn.end, end + CONTEXT_CHARS)]),
    )


@contextlib.contextmanager
def _exact_index(project: Project, texts: _Texts, candidates: dict[int, list[int]]) -> Iterator[str]:
    """A temporary index of the candidate turns' words as written (no stems), for --exact."""
    db = project.db
    db.execute(f"DROP TABLE IF EXISTS temp.{EXACT_INDEX}")
    db.execute(f"CREATE VIRTUAL TABLE temp.{EXACT_INDEX} USING fts5(body, tokenize='{EXACT_TOKENIZER}')")
    try:
        for tid, turn_ids in candidates.items():
            text = texts[tid]
            bounds = db.execute(
                f"SELECT id, body_start, [end] FROM turns WHERE transcript_id = ?"
                f" AND id IN ({', '.join('?' for _ in turn_ids)})",
                [tid, *turn_ids],
            ).fetchall()
            db.conn.executemany(
                f"INSERT INTO temp.{EXACT_INDEX} (rowid, body) VALUES (?, ?)",
                [(turn_id, text[start:end]) for turn_id, start, end in bounds],
            )
        yield EXACT_INDEX
    finally:
        db.execute(f"DROP TABLE IF EXISTS temp.{EXACT_INDEX}")


def _regex_hits(
    project: Project, pattern: re.Pattern[str], speaker: str | None, transcript_ids: list[int] | None, limit: int | None
) -> list[Hit]:
    by_speaker, params = _speaker_filter(speaker)
    if transcript_ids is None:
        transcript_ids = [r[0] for r in project.db.execute("SELECT id FROM transcripts")]
    hits: list[Hit] = []
    for tid, name, participant in _in_transcript_order(project, transcript_ids):
        text = project.db.execute("SELECT text FROM transcripts WHERE id = ?", [tid]).fetchone()[0]
        for number, turn_speaker, body_start, end in project.db.execute(
            f"SELECT u.number, u.speaker, u.body_start, u.[end] FROM turns u WHERE u.transcript_id = ?{by_speaker}"
            " ORDER BY u.number",
            [tid, *params],
        ):
            turn = _Turn(number, turn_speaker, body_start, end)
            for m in pattern.finditer(text, body_start, end):
                if m.end() == m.start():
                    continue
                hits.append(_hit(name, participant, turn, text, m.start(), m.end()))
                if limit and len(hits) >= limit:
                    return hits
    return hits


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))
