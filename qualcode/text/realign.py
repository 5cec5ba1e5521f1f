"""Moving coded spans from one version of a text to the next: edits, and the word-level alignment.

A corrected transcript is the old text with some passages changed. Both versions are cut into
words and punctuation marks and aligned (difflib over lines first, then over the words of the
lines that differ, which keeps a long transcript's alignment fast and faithful). The alignment
becomes a list of character edits that turn the old text into the new one exactly; every span
(a coding) is carried through them. A span whose words are all still there moves silently; one
whose words partly changed is kept on the new words and reported; one none of whose words are
left is lost. Pseudonymisation builds the same edits from the names it replaces.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

Span = tuple[int, int]

# Words (with inner apostrophes) and runs of punctuation are what the alignment compares;
# whitespace between them is carried along.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]+")


@dataclass(frozen=True)
class Edit:
    """Old text [start, end) becomes `replacement` (an empty range inserts, an empty
    replacement deletes)."""

    start: int
    end: int
    replacement: str


class Edits:
    """Non-overlapping edits of one text, in order, and where each old position ends up."""

    def __init__(self, edits: Iterable[Edit]):
        self.edits = sorted(edits, key=lambda e: (e.start, e.end))
        self.starts = [e.start for e in self.edits]
        # new_starts[i]: where edit i's replacement begins in the new text
        self.new_starts: list[int] = []
        shift = 0
        for edit in self.edits:
            self.new_starts.append(edit.start + shift)
            shift += len(edit.replacement) - (edit.end - edit.start)

    def __bool__(self) -> bool:
        return bool(self.edits)

    def apply(self, text: str) -> str:
        pieces, last = [], 0
        for edit in self.edits:
            pieces += [text[last : edit.start], edit.replacement]
            last = edit.end
        pieces.append(text[last:])
        return "".join(pieces)

    def position(self, offset: int, *, is_end: bool) -> int:
        """Where an old offset lands. An offset inside a replaced range goes to the start of the
        replacement for a span's start and to its end for a span's end, so the span keeps the
        new words; text inserted exactly at a span's edge stays outside it."""
        i = bisect.bisect_right(self.starts, offset) - 1
        # an insertion at this very offset sorts after a range starting here; look at both
        while i >= 0:
            edit = self.edits[i]
            new_start = self.new_starts[i]
            new_end = new_start + len(edit.replacement)
            if offset >= edit.end:
                if edit.start == edit.end == offset:
                    return new_start if is_end else new_end
                return offset + (new_end - edit.end)
            # edit.start <= offset < edit.end
            if offset == edit.start:
                return new_start
            return new_end if is_end else new_start
        return offset

    def span(self, start: int, end: int) -> Span:
        return self.position(start, is_end=False), self.position(end, is_end=True)


@dataclass(frozen=True)
class Alignment:
    """The edits from the old text to the new, and which old words survive unchanged."""

    edits: Edits
    token_starts: list[int]
    token_ends: list[int]
    kept: list[bool]

    def words_kept(self, start: int, end: int) -> tuple[int, int]:
        """(words of [start, end) still in the new text, words in it at all)."""
        first = bisect.bisect_right(self.token_ends, start)
        last = bisect.bisect_left(self.token_starts, end)
        return sum(self.kept[first:last]), last - first


def align(old: str, new: str) -> Alignment:
    """Align two versions of a text word by word (see the module's docstring)."""
    old_tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(old)]
    new_tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(new)]
    pairs = _token_pairs(old, new, old_tokens, new_tokens)
    kept = [False] * len(old_tokens)
    edits: list[Edit] = []
    previous: tuple[int, int] | None = None  # the last pair of equal tokens (old index, new index)
    for i, j in [*pairs, (len(old_tokens), len(new_tokens))]:
        old_from = old_tokens[previous[0]][1] if previous else 0
        new_from = new_tokens[previous[1]][1] if previous else 0
        old_to = old_tokens[i][0] if i < len(old_tokens) else len(old)
        new_to = new_tokens[j][0] if j < len(new_tokens) else len(new)
        if old[old_from:old_to] != new[new_from:new_to]:
            edits.append(Edit(old_from, old_to, new[new_from:new_to]))
        if i < len(old_tokens):
            kept[i] = True
        previous = (i, j)
    return Alignment(Edits(edits), [s for s, _ in old_tokens], [e for _, e in old_tokens], kept)


def _token_pairs(
    old: str, new: str, old_tokens: list[tuple[int, int]], new_tokens: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """(old index, new index) of every token the two versions share, in order: lines aligned
    first, then the tokens of each stretch of lines that differ."""
    old_lines, new_lines = _token_lines(old, old_tokens), _token_lines(new, new_tokens)
    old_words = [old[s:e] for s, e in old_tokens]
    new_words = [new[s:e] for s, e in new_tokens]
    old_keys = [tuple(old_words[a:b]) for a, b in old_lines]
    new_keys = [tuple(new_words[a:b]) for a, b in new_lines]
    pairs: list[tuple[int, int]] = []
    lines = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        old_from = old_lines[i1][0] if i1 < len(old_lines) else len(old_tokens)
        old_to = old_lines[i2 - 1][1] if i2 > i1 else old_from
        new_from = new_lines[j1][0] if j1 < len(new_lines) else len(new_tokens)
        new_to = new_lines[j2 - 1][1] if j2 > j1 else new_from
        if tag == "equal":
            pairs += zip(range(old_from, old_to), range(new_from, new_to))
        elif tag == "replace":
            words = difflib.SequenceMatcher(
                None, old_words[old_from:old_to], new_words[new_from:new_to], autojunk=False
            )
            for block in words.get_matching_blocks():
                pairs += [(old_from + block.a + k, new_from + block.b + k) for k in range(block.size)]
    return pairs


def _token_lines(text: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[first, last) token index of each line that has tokens."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    lines: list[tuple[int, int]] = []
    first = 0
    for k, (start, _) in enumerate(tokens):
        if k > first and bisect.bisect_left(breaks, start) != bisect.bisect_left(breaks, tokens[first][0]):
            lines.append((first, k))
            first = k
    if tokens:
        lines.append((first, len(tokens)))
    return lines


@dataclass(frozen=True)
class CarriedSpan:
    """Where one span went: status is "same" (its words unchanged), "changed" (some of its
    words changed; kept on the new words) or "lost" (none of its words are left)."""

    old: Span
    new: Span | None
    status: str
    old_text: str
    new_text: str


def carry_spans(old: str, new: str, alignment: Alignment | Edits, spans: dict[int, Span]) -> dict[int, CarriedSpan]:
    """Carry each span (by id) through the edits from `old` to `new`."""
    edits = alignment.edits if isinstance(alignment, Alignment) else alignment
    carried: dict[int, CarriedSpan] = {}
    for key, (start, end) in spans.items():
        old_text = old[start:end]
        new_start, new_end = _trim(new, *edits.span(start, end))
        new_text = new[new_start:new_end] if new_end > new_start else ""
        if _squashed(old_text) == _squashed(new_text) and new_text:
            status = "same"
        elif not new_text.strip() or (isinstance(alignment, Alignment) and _nothing_kept(alignment, start, end)):
            status = "lost"
        else:
            status = "changed"
        carried[key] = CarriedSpan(
            (start, end), None if status == "lost" else (new_start, new_end), status, old_text, new_text
        )
    return carried


def _nothing_kept(alignment: Alignment, start: int, end: int) -> bool:
    kept, words = alignment.words_kept(start, end)
    return words > 0 and kept == 0


def _squashed(text: str) -> str:
    return " ".join(text.split())


def _trim(text: str, start: int, end: int) -> Span:
    """A span moved onto replaced text can begin or end on the whitespace around it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
