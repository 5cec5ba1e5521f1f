"""A theme's narrative (Markdown with extract references, qualcode.analysis.theme_narrative) as
the report's blocks: paragraphs with emphasis, list items, and each extract set apart with its
attribution, in the order the author wrote them.

Only the Markdown an analytic paragraph needs is read: paragraphs (separated by a blank line),
*italic* or _italic_, **bold**, and lists ("- item", "* item", "1. item"). Anything else is kept
as written text. A reference that cannot be quoted becomes a 'gap' block saying why, and a line
for the terminal, so nothing the author placed disappears without a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from qualcode.analysis.theme_narrative import ExtractReference, Malformed, split_narrative, trimmed
from qualcode.analysis.theme_quotes import passages_by_coding_id
from qualcode.report.content import NarrativeBlock, Quote, Run

_LIST_ITEM = re.compile(r"^\s{0,3}(?:([-*+])|(\d+)[.)])\s+(.*)$")
_EMPHASIS = re.compile(
    r"\*\*(?P<b1>.+?)\*\*|(?<!\w)__(?P<b2>.+?)__(?!\w)|\*(?!\s)(?P<i1>.+?)(?<!\s)\*|(?<!\w)_(?!\s)(?P<i2>.+?)(?<!\s)_(?!\w)"
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


@dataclass
class NarrativeResult:
    blocks: list[NarrativeBlock]
    problems: list[str] = field(default_factory=list)  # gaps in the report
    notes: list[str] = field(default_factory=list)  # allowed, worth saying
    quoted: list[dict[str, Any]] = field(default_factory=list)  # the passages quoted, for QuotedPassages


def narrative_blocks(project: Any, theme: str, text: str, own_codes: set[str]) -> NarrativeResult:
    """The blocks of `theme`'s narrative. `own_codes` are the names of the codes in the theme
    and its subthemes: an extract coded otherwise is quoted with a note."""
    segments = split_narrative(text)
    ids = [s.coding_id for s in segments if isinstance(s, ExtractReference)]
    passages = {row["coding_id"]: row for row in passages_by_coding_id(project, list(dict.fromkeys(ids)))}
    result = NarrativeResult([])
    for segment in segments:
        if isinstance(segment, str):
            result.blocks += markdown_blocks(segment)
        elif isinstance(segment, Malformed):
            result.blocks.append(NarrativeBlock("gap", [Run(f"[unreadable extract reference {segment.raw}]")]))
            result.problems.append(f"theme '{theme}', line {segment.line}: cannot read {segment.raw}")
        else:
            result.blocks.append(_extract_block(segment, passages.get(segment.coding_id), theme, own_codes, result))
    return result


def _extract_block(
    ref: ExtractReference, row: dict[str, Any] | None, theme: str, own_codes: set[str], result: NarrativeResult
) -> NarrativeBlock:
    where = f"theme '{theme}', line {ref.line}"
    if row is None:
        result.problems.append(f"{where}: {ref.written} — no coding {ref.coding_id} (removed?); marked in the report")
        return NarrativeBlock("gap", [Run(f"[extract {ref.coding_id} not found: the coding was removed]")])
    text = trimmed(row["text"], ref.trim)
    if text is None:
        result.problems.append(
            f'{where}: the words "{ref.trim}" are not in coding {ref.coding_id}; marked in the report'
        )
        return NarrativeBlock("gap", [Run(f'[extract {ref.coding_id}: the words "{ref.trim}" are not in the passage]')])
    if row["code"] not in own_codes:
        result.notes.append(f"{where}: coding {ref.coding_id} is coded '{row['code']}', a code from outside the theme")
    result.quoted.append(row)
    source = row["participant"] or row["transcript"]
    return NarrativeBlock("quote", quote=Quote(ref.coding_id, text, source, row["transcript"], row["code"]))


def markdown_blocks(text: str) -> list[NarrativeBlock]:
    """Paragraphs and list items of a stretch of Markdown without references."""
    blocks: list[NarrativeBlock] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        items: list[tuple[str, list[str]]] = []  # (kind, lines) of each block in the chunk
        for line in lines:
            item = _LIST_ITEM.match(line)
            if item:
                items.append(("bullet" if item.group(1) else "number", [item.group(3)]))
            elif items and items[-1][0] != "paragraph":
                items[-1][1].append(line)  # a list item's continuation line
            elif items:
                items[-1][1].append(line)
            else:
                items.append(("paragraph", [_HEADING.sub("", line)]))
        for kind, parts in items:
            blocks.append(NarrativeBlock(kind, inline_runs(" ".join(" ".join(parts).split()))))
    return blocks


def inline_runs(text: str) -> list[Run]:
    """Text with Markdown emphasis as runs."""
    runs: list[Run] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position : match.start()]))
        bold = match.group("b1") or match.group("b2")
        runs.append(Run(bold, bold=True) if bold else Run(match.group("i1") or match.group("i2"), italic=True))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return runs


def plain_text(runs: Iterable[Run]) -> str:
    return "".join(run.text for run in runs)
