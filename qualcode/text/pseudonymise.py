"""Pseudonymising transcripts in a project so that the replaced names survive nowhere in its file.

One audited transaction replaces the names (pseudonyms.py finds them) in the transcripts' text,
speaker labels, interviewer and preamble, and in memos when asked; every coding moves exactly
with the text (chosen quotes follow their codings; memos point at rows, not offsets). Then:
- the audit log keeps counts and fingerprints, never the replaced words: texts are fingerprinted
  already, and the other values the run changed (labels, preambles, memo bodies) are replaced in
  every audit row that holds them, earlier ones included;
- kept earlier versions of texts that hold a name are cleared (undo cannot bring them back);
- the search index is rebuilt from the new text;
- after the commit, with SQLite's secure_delete on, VACUUM rewrites the file without free pages
  and the write-ahead log is truncated, so no old page holding a name is left in either file.
Pseudonymisation cannot be undone: that is its point.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.store import Change, Project
from qualcode.text.corpus import load_transcript_by_id, transcript_id
from qualcode.text.pseudonyms import NameHit, PseudonymMap
from qualcode.text.rewrite import apply_coding_moves, plan_coding_moves, rebuild_search_index, replace_text
from qualcode.text.transcripts import LaidOut, LineIndex, word_count

COMMAND = "transcript pseudonymise"
CONTEXT_CHARS = 40


@dataclass(frozen=True)
class Hit:
    """One name found, in context, as the dry run lists it."""

    where: str  # a transcript's name, or "memo 12"
    line: int
    before: str
    found: str
    replacement: str
    after: str
    replaced: bool
    left_because: str | None  # when not replaced: "lower case", "split over two lines"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class PseudonymReport:
    hits: list[Hit] = field(default_factory=list)
    transcripts: int = 0  # transcripts changed
    memos: int = 0  # memos changed
    codings_moved: int = 0
    versions_cleared: int = 0
    # Transcripts whose name or source file name holds a name of the map: left for the
    # researcher to rename (`transcript rename`), since names are how they point at them.
    named_after: list[str] = field(default_factory=list)

    @property
    def replaced(self) -> list[Hit]:
        return [h for h in self.hits if h.replaced]

    @property
    def left_alone(self) -> list[Hit]:
        return [h for h in self.hits if not h.replaced]


def pseudonymise(
    project: Project,
    analyst: str,
    names: Sequence[str] | None,
    mapping: PseudonymMap,
    *,
    memos: bool = False,
    dry_run: bool = False,
    on_transcript: Callable[[], None] | None = None,
) -> PseudonymReport:
    """Replace the map's names in the transcripts named (None: all), and in memos if asked.
    dry_run lists every hit and changes nothing."""
    ids = (
        [r[0] for r in project.db.execute("SELECT id FROM transcripts ORDER BY name")]
        if names is None
        else list(dict.fromkeys(transcript_id(project, n) for n in names))
    )
    report = PseudonymReport()
    for name, source in project.db.execute("SELECT name, source_name FROM transcripts ORDER BY name").fetchall():
        if mapping.hits(name)[0] or mapping.hits(source or "")[0]:
            report.named_after.append(name)
    if dry_run:
        for tid in ids:
            stored = load_transcript_by_id(project, tid)
            taken, left = mapping.hits(stored.text)
            report.hits += _in_context(stored.name, stored.text, taken, left)
            if on_transcript:
                on_transcript()
        if memos:
            for memo_id, body in project.db.execute("SELECT id, body FROM memos ORDER BY id").fetchall():
                taken, left = mapping.hits(body)
                report.hits += _in_context(f"memo {memo_id}", body, taken, left)
        return report
    project.db.execute("PRAGMA secure_delete = ON")
    with project.change(analyst, COMMAND) as change:
        for tid in ids:
            _transcript(change, tid, mapping, report)
            if on_transcript:
                on_transcript()
        if memos:
            _memos(change, mapping, report)
        if report.transcripts:
            rebuild_search_index(change)
        report.versions_cleared = _clear_versions(change, mapping)
        _scrub_trail(change, mapping, memos)
        change.note(
            "pseudonymise",
            {
                "names": len(mapping),
                "map_sha256": _map_fingerprint(mapping),
                "replacements": len(report.replaced),
                "transcripts": report.transcripts,
                "memos": report.memos,
                "codings moved": report.codings_moved,
            },
        )
    clear_free_pages(project)
    return report


def clear_free_pages(project: Project) -> None:
    """Rewrite the file without the pages that held replaced words, and empty the write-ahead
    log, whose old frames would otherwise keep them (outside any transaction, after the commit)."""
    project.db.execute("VACUUM")
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _transcript(change: Change, tid: int, mapping: PseudonymMap, report: PseudonymReport) -> None:
    text, interviewer, preamble = change.db.execute(
        "SELECT text, interviewer, preamble FROM transcripts WHERE id = ?", [tid]
    ).fetchone()
    taken, left = mapping.hits(text)
    name = change.db.execute("SELECT name FROM transcripts WHERE id = ?", [tid]).fetchone()[0]
    report.hits += _in_context(name, text, taken, left)
    row = {"interviewer": mapping.replace_in(interviewer), "preamble": mapping.replace_in(preamble)}
    if not taken:
        if row != {"interviewer": interviewer, "preamble": preamble}:
            change.update("transcripts", tid, row)
        return
    stored = load_transcript_by_id(change.project, tid)
    laid_out, edits, _ = mapping.apply_to_laid_out(LaidOut(stored.text, stored.turns), taken)
    moves = plan_coding_moves(change, tid, text, laid_out.text, edits)
    # Spoken words change by the words of the names replaced in turns' bodies (labels are not counted).
    bodies = [(t.body_start, t.end) for t in stored.turns]
    words = change.db.execute("SELECT word_count FROM transcripts WHERE id = ?", [tid]).fetchone()[0] + sum(
        word_count(h.replacement) - word_count(h.found) for h in taken if _inside(bodies, h.start)
    )
    replace_text(change, tid, laid_out, row, index=False, words=words)
    apply_coding_moves(change, tid, moves)
    report.transcripts += 1
    report.codings_moved += sum(1 for m in moves if m.new != m.old)


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether offset lies in one of the sorted, separate spans (all of the text if none)."""
    if not spans:
        return True
    at = bisect.bisect_right([start for start, _ in spans], offset) - 1
    return at >= 0 and spans[at][0] <= offset < spans[at][1]


def _memos(change: Change, mapping: PseudonymMap, report: PseudonymReport) -> None:
    for memo_id, body in change.db.execute("SELECT id, body FROM memos ORDER BY id").fetchall():
        taken, left = mapping.hits(body)
        report.hits += _in_context(f"memo {memo_id}", body, taken, left)
        if taken:
            change.update("memos", memo_id, {"body": mapping.replace_in(body)})
            report.memos += 1


def _clear_versions(change: Change, mapping: PseudonymMap) -> int:
    cleared = 0
    for version_id, text, turns_json in change.db.execute(
        "SELECT id, text, turns_json FROM transcript_versions"
    ).fetchall():
        if mapping.hits(text)[0] or mapping.hits(turns_json)[0]:
            change.execute("DELETE FROM transcript_versions WHERE id = ?", [version_id])
            cleared += 1
    return cleared


# The values pseudonymisation changes besides the texts (which the trail only fingerprints).
_SCRUBBED = {"transcripts": ("interviewer", "preamble"), "memos": ("body",)}


def _scrub_trail(change: Change, mapping: PseudonymMap, memos: bool) -> None:
    """Replace the names in the audit rows that hold the values this run changed."""
    tables = ["transcripts", *(["memos"] if memos else [])]
    for audit_id, entity, before, after in change.db.execute(
        f"SELECT id, entity, before, after FROM audit_log WHERE entity IN ({', '.join('?' for _ in tables)})",
        tables,
    ).fetchall():
        scrubbed = [_scrub(value, _SCRUBBED[entity], mapping) for value in (before, after)]
        if scrubbed != [before, after]:
            change.execute("UPDATE audit_log SET before = ?, after = ? WHERE id = ?", [*scrubbed, audit_id])


def _scrub(value: str | None, columns: tuple[str, ...], mapping: PseudonymMap) -> str | None:
    if value is None:
        return None
    row = json.loads(value)
    changed = {k: mapping.replace_in(row[k]) for k in columns if isinstance(row.get(k), str)}
    if all(row[k] == v for k, v in changed.items()):
        return value
    return json.dumps({**row, **changed}, ensure_ascii=False, sort_keys=True)


def _map_fingerprint(mapping: PseudonymMap) -> str:
    """Which map was used, without its words: the researcher can check their file against it."""
    joined = "\n".join(f"{e.name}\t{e.replacement}" for e in mapping.entries)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def _in_context(where: str, text: str, taken: list[NameHit], left: list[NameHit]) -> list[Hit]:
    if not taken and not left:
        return []
    lines = LineIndex(text)
    found = [(h, True) for h in taken] + [(h, False) for h in left]
    return [
        Hit(
            where=where,
            line=lines.line_of(h.start),
            before=text[max(text.rfind("\n", 0, h.start) + 1, h.start - CONTEXT_CHARS) : h.start],
            found=h.found,
            replacement=h.replacement,
            after=text[h.end : min(_line_end(text, h.end), h.end + CONTEXT_CHARS)],
            replaced=replaced,
            left_because=h.left_because,
        )
        for h, replaced in sorted(found, key=lambda pair: pair[0].start)
    ]


def _line_end(text: str, offset: int) -> int:
    found = text.find("\n", offset)
    return len(text) if found < 0 else found
