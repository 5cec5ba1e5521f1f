"""The analytic narrative of a theme: the paragraphs of interpretation a results section prints,
written in Markdown and kept in the project (themes.narrative), so re-running the report never
loses them.

The author places extracts by coding id, each on a line of its own or inside a paragraph:

    {{86}}                                  the whole coded passage
    {{86: "first words … last words"}}      cut from the first words to the last words
    {{86: "exact words"}}                   only these words of the passage

("..." may stand for "…", and curly quotes for straight ones.) The report sets each extract
apart as a block quotation attributed "(P6)", in the order written. A reference to a coding that
is gone, or whose trim words are not in the passage, stays in the text and is reported: listed
on the terminal and marked in the report, never silently dropped. A reference that cannot be read
at all (`{{eighty-six}}`, a `{{` never closed) is refused when the narrative is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.analysis.themes import code_ids_of, get_theme, with_subthemes
from qualcode.errors import InvalidInput
from qualcode.store import Project
from qualcode.text.matching import find_phrase

REFERENCE_SYNTAX = '{{ID}} or {{ID: "first words … last words"}}'
_REFERENCE = re.compile(r"\{\{(.*?)\}\}", re.S)
_BODY = re.compile(r"""^\s*(\d+)\s*(?::\s*["“”](.*)["“”]\s*)?$""", re.S)
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")


@dataclass(frozen=True)
class ExtractReference:
    coding_id: int
    trim: str | None  # the author's "first words … last words", if any
    line: int  # 1-based, for messages

    @property
    def written(self) -> str:
        return f'{{{{{self.coding_id}: "{self.trim}"}}}}' if self.trim else f"{{{{{self.coding_id}}}}}"


@dataclass(frozen=True)
class Malformed:
    raw: str
    line: int


Segment = str | ExtractReference | Malformed


def split_narrative(text: str) -> list[Segment]:
    """The narrative as text runs and extract references, in order. A `{{` that is not a
    reference (bad id, unclosed) is a Malformed segment."""
    segments: list[Segment] = []
    position = 0
    for match in _REFERENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        _add_text(segments, text[position : match.start()], text.count("\n", 0, position) + 1)
        body = _BODY.match(match.group(1))
        if body is None or (body.group(2) is not None and not body.group(2).strip()):
            segments.append(Malformed(match.group(0), line))
        else:
            trim = " ".join(body.group(2).split()) if body.group(2) else None
            segments.append(ExtractReference(int(body.group(1)), trim, line))
        position = match.end()
    _add_text(segments, text[position:], text.count("\n", 0, position) + 1)
    return segments


def _add_text(segments: list[Segment], text: str, first_line: int) -> None:
    """Plain text, except that a stray `{{` (never closed) marks the rest of its line malformed."""
    opening = text.find("{{")
    if opening < 0:
        if text:
            segments.append(text)
        return
    end = text.find("\n", opening)
    end = len(text) if end < 0 else end
    if opening:
        segments.append(text[:opening])
    segments.append(Malformed(text[opening:end], first_line + text.count("\n", 0, opening)))
    _add_text(segments, text[end:], first_line + text.count("\n", 0, end))


def references(text: str) -> list[ExtractReference]:
    return [s for s in split_narrative(text) if isinstance(s, ExtractReference)]


def malformed_message(segment: Malformed) -> str:
    shown = segment.raw if len(segment.raw) <= 40 else segment.raw[:37] + "…"
    return f"line {segment.line}: cannot read the extract reference {shown}; write {REFERENCE_SYNTAX}"


# -- cutting an extract to the author's trim -----------------------------------------------


def trimmed(passage: str, trim: str | None) -> str | None:
    """The words of `passage` the trim keeps, with "…" where the passage was cut; the whole
    passage without a trim; None when the trim's words are not in the passage."""
    if not trim:
        return passage.strip()
    parts = [part for part in _ELLIPSIS.split(trim.strip()) if part]
    if not parts:
        return passage.strip()
    first = find_phrase(passage, parts[0])
    if not first:
        return None
    start, end = first[0]
    if len(parts) > 1:
        last = find_phrase(passage, parts[-1], within=(end, len(passage)))
        if not last:
            return None
        end = last[0][1]
    text = passage[start:end].strip()
    if passage[:start].strip():
        text = "…" + text
    if passage[end:].strip():
        text += "…"
    return text


# -- checking and storing ------------------------------------------------------------------


@dataclass
class ReferenceCheck:
    """What a narrative's references point at: notes (allowed, but worth saying) and problems
    (the report will mark a gap)."""

    notes: list[str]
    problems: list[str]


def check_references(project: Project, theme: str, text: str) -> ReferenceCheck:
    target = get_theme(project, theme)
    refs = references(text)
    own_codes = code_ids_of(project, with_subthemes(project, target.id))
    found = _codings(project, [r.coding_id for r in refs])
    notes, problems = [], []
    for ref in refs:
        row = found.get(ref.coding_id)
        if row is None:
            problems.append(f"line {ref.line}: {ref.written} — there is no coding {ref.coding_id} (removed?)")
            continue
        if row["code_id"] not in own_codes:
            notes.append(
                f"line {ref.line}: coding {ref.coding_id} is coded '{row['code']}', which is not in "
                f"'{target.name}' or its subthemes (quoted all the same)"
            )
        if trimmed(row["text"], ref.trim) is None:
            problems.append(f'line {ref.line}: the words "{ref.trim}" are not in coding {ref.coding_id}')
    return ReferenceCheck(notes, problems)


def _codings(project: Project, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    marks = ",".join("?" for _ in set(ids))
    rows = project.db.execute(
        f"""SELECT c.id, c.code_id, k.name, substr(t.text, c.start + 1, c.[end] - c.start)
        FROM codings c JOIN codes k ON k.id = c.code_id JOIN transcripts t ON t.id = c.transcript_id
        WHERE c.id IN ({marks})""",
        list(set(ids)),
    )
    return {r[0]: {"code_id": r[1], "code": r[2], "text": r[3]} for r in rows}


def write_narrative(project: Project, analyst: str, theme: str, text: str) -> ReferenceCheck:
    """Store the narrative of a theme or subtheme (replacing the one before; undo brings it back).
    Refuses an empty narrative and unreadable references, changing nothing."""
    target = get_theme(project, theme)
    body = text.strip()
    if not body:
        raise InvalidInput(f"the narrative of '{target.name}' is empty; nothing changed (--clear removes one)")
    bad = [s for s in split_narrative(body) if isinstance(s, Malformed)]
    if bad:
        raise InvalidInput(malformed_message(bad[0]) + "; nothing changed")
    check = check_references(project, target.name, body)
    with project.change(analyst, "theme write") as change:
        change.update("themes", target.id, {"narrative": body})
    return check


def clear_narrative(project: Project, analyst: str, theme: str) -> None:
    target = get_theme(project, theme)
    if narrative_of(project, target.name) is None:
        raise InvalidInput(f"'{target.name}' has no narrative to remove")
    with project.change(analyst, "theme write --clear") as change:
        change.update("themes", target.id, {"narrative": None})


def narrative_of(project: Project, theme: str) -> str | None:
    target = get_theme(project, theme)
    row = project.db.execute("SELECT narrative FROM themes WHERE id = ?", [target.id]).fetchone()
    return row[0] if row and row[0] else None
