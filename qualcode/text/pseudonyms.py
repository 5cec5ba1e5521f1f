"""A pseudonym map (real name -> pseudonym or "[partner]") and where its names occur in a text.

The map is a CSV file of two columns, the words to replace and what replaces them, with an
optional header row. Names are found as the phrase matcher finds typed phrases (matching.py:
any apostrophe, quote mark or dash for another, any run of whitespace for another), as whole
words, ignoring case, except that a name written with a capital (Rose) leaves the same word in
lower case (the sun rose) alone. The replacement takes the hit's capitals: ANN becomes BETH, and
a name written in lower case that opens a sentence gets a capital replacement. A name split over
two lines is left alone (and listed): replacing it would join the lines, perhaps two turns.

A map is refused, with one line saying why, for an empty name or replacement, a name twice, a
name inside another (Ann and Anna: which should win is the researcher's call, not ours), or a
replacement that holds a speaker label or a line break (it would change who speaks).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from qualcode.errors import InvalidInput
from qualcode.text.importers.encoding import decode_bytes
from qualcode.text.importers.speakers import is_known_label, looks_like_label
from qualcode.text.matching import EmptyPhrase, phrase_pattern
from qualcode.text.normalise import normalise
from qualcode.text.realign import Edit, Edits
from qualcode.text.transcripts import LaidOut, Turn

_LEADING_WORD = re.compile(r"\w+")
HEADER_WORDS = {"name", "names", "real", "original", "identifier", "word", "words", "from", "find"}
# "Label:" at the start or after a space, followed by a space or the end: a speaker label.
_LABEL_IN_TEXT = re.compile(r"(?:^|(?<=\s))([^\s:][^:\n]{0,39}?):(?=\s|$)")


@dataclass(frozen=True)
class Entry:
    name: str
    replacement: str
    row: int  # in the map file, for messages

    @property
    def capitalised(self) -> bool:
        letters = [c for c in self.name if c.isalpha()]
        return bool(letters) and letters[0].isupper()


@dataclass(frozen=True)
class NameHit:
    start: int
    end: int
    found: str
    replacement: str
    entry: Entry
    left_because: str | None = None  # why a hit is left alone


class PseudonymMap:
    """Checked entries, and one pattern that finds any of them."""

    def __init__(self, entries: Sequence[Entry], source: str = "the map"):
        self.entries = list(entries)
        self.source = source
        _check(self.entries, source)
        # Longest first, so of two names at one place the longer would win (the checks refuse
        # a name inside another, but folding can still make two alternatives start alike).
        ordered = sorted(enumerate(self.entries), key=lambda pair: -len(pair[1].name))
        alternatives = "|".join(f"(?P<n{i}>{phrase_pattern(e.name, ignore_case=True).pattern})" for i, e in ordered)
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        # Where a name can start: the letters each name begins with, in lower case. Looking for
        # these with str.find and trying the pattern only there is many times faster than letting
        # the pattern try 200 names at every character of a long transcript.
        firsts = [_LEADING_WORD.match(e.name.lower()) for e in self.entries]
        self._starts = None if not all(firsts) else sorted({m.group(0) for m in firsts if m})

    def __len__(self) -> int:
        return len(self.entries)

    def hits(self, text: str, lo: int = 0, hi: int | None = None) -> tuple[list[NameHit], list[NameHit]]:
        """(hits to replace, hits left alone: a capitalised name's word in lower case, or a name
        split over two lines)."""
        taken, left = [], []
        for m in self._matches(text, lo, len(text) if hi is None else hi):
            entry = self.entries[int((m.lastgroup or "n0")[1:])]
            found = m.group(0)
            hit = NameHit(m.start(), m.end(), found, _with_case(entry, found), entry)
            if entry.capitalised and not _starts_upper(found):
                left.append(replace(hit, left_because="lower case"))
            elif "\n" in found:  # replacing it would join two lines, perhaps two turns
                left.append(replace(hit, left_because="split over two lines"))
            else:
                taken.append(hit)
        return taken, left

    def _matches(self, text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
        """What pattern.finditer(text, lo, hi) finds, found faster (see __init__)."""
        lowered = text.lower()
        if self._starts is None or len(lowered) != len(text):  # a letter whose lower case is longer
            yield from self.pattern.finditer(text, lo, hi)
            return
        candidates: set[int] = set()
        # Only the names whose first word is a word of this text can occur in it.
        present = set(_LEADING_WORD.findall(lowered, lo, hi))
        for start in (s for s in self._starts if s in present):
            at = lowered.find(start, lo, hi)
            while at >= 0:
                candidates.add(at)
                at = lowered.find(start, at + 1, hi)
        reached = lo
        for at in sorted(candidates):
            if at < reached:
                continue
            m = self.pattern.match(text, at, hi)
            if m:
                reached = m.end()
                yield m

    def replace_in(self, text: str | None) -> str | None:
        """The text with every name replaced (for short values: speaker labels, memo bodies)."""
        if not text:
            return text
        return Edits(Edit(h.start, h.end, h.replacement) for h in self.hits(text)[0]).apply(text)

    def apply_to_laid_out(
        self, laid_out: LaidOut, hits: list[NameHit] | None = None
    ) -> tuple[LaidOut, Edits, list[NameHit]]:
        """The transcript with every name replaced (the hits, if already found), its turns (and
        speakers) moved to match."""
        if hits is None:
            hits, _ = self.hits(laid_out.text)
        edits = Edits(Edit(h.start, h.end, h.replacement) for h in hits)
        if not edits:
            return laid_out, edits, hits
        speakers = {s: self.replace_in(s) for s in {t.speaker for t in laid_out.turns}}  # a few, many times over
        turns = [
            Turn(
                number=t.number,
                speaker=speakers[t.speaker],
                start=edits.position(t.start, is_end=False),
                body_start=edits.position(t.body_start, is_end=False),
                end=edits.position(t.end, is_end=True),
                timestamp=t.timestamp,
                is_interviewer=t.is_interviewer,
            )
            for t in laid_out.turns
        ]
        return LaidOut(edits.apply(laid_out.text), turns), edits, hits


def read_map(path: Path) -> PseudonymMap:
    """A pseudonym map from a CSV file (see the module's docstring)."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    text, _ = decode_bytes(path.read_bytes(), str(path))
    return parse_map(text, str(path))


def parse_map(text: str, source: str = "the map") -> PseudonymMap:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(normalise(text)), dialect), start=1)]
    rows = [(number, row) for number, row in rows if any(cell.strip() for cell in row)]
    if rows and rows[0][1] and rows[0][1][0].strip().lower() in HEADER_WORDS:
        rows = rows[1:]
    if not rows:
        raise InvalidInput(f"{source}: no names in it; write one name and its replacement per row (Ann,Beth)")
    entries = []
    for number, row in rows:
        cells = [cell.strip() for cell in row]
        if len(cells) < 2 or len([c for c in cells[2:] if c]):
            raise InvalidInput(f"{source}, row {number}: needs two cells, the name and its replacement (Ann,Beth)")
        entries.append(Entry(cells[0], cells[1], number))
    return PseudonymMap(entries, source)


def _check(entries: list[Entry], source: str) -> None:
    for entry in entries:
        where = f"{source}, row {entry.row}"
        if not entry.name:
            raise InvalidInput(f"{where}: the name is empty (replacement '{entry.replacement}')")
        if not entry.replacement:
            raise InvalidInput(f"{where}: '{entry.name}' has no replacement; write a pseudonym or '[description]'")
        if "\n" in entry.replacement or _holds_label(entry.replacement):
            raise InvalidInput(
                f"{where}: the replacement '{entry.replacement}' holds a speaker label; it would change who speaks"
            )
    for a in entries:
        try:
            # inside: at the start of a word of the other name ("Ann" in "Anna", "Ann Smith"; not "Joanne")
            inside = re.compile(r"(?<!\w)" + phrase_pattern(a.name, ignore_case=True).pattern, re.IGNORECASE)
        except EmptyPhrase:
            raise InvalidInput(f"{source}, row {a.row}: the name is empty") from None
        for b in entries:
            if a is b or not inside.search(b.name):
                continue
            if inside.fullmatch(b.name) or (b.row > a.row and _same_name(a, b)):
                raise InvalidInput(f"{source}: '{a.name}' is there twice (rows {a.row} and {b.row})")
            raise InvalidInput(
                f"{source}: '{a.name}' (row {a.row}) is inside '{b.name}' (row {b.row}); "
                "keep one of them, so that what replaces the longer name is not in doubt"
            )


def _same_name(a: Entry, b: Entry) -> bool:
    return phrase_pattern(b.name, ignore_case=True).fullmatch(a.name) is not None


def _holds_label(replacement: str) -> bool:
    for m in _LABEL_IN_TEXT.finditer(replacement):
        label = m.group(1).strip()
        if is_known_label(label) or looks_like_label(label):
            return True
    return False


def _starts_upper(found: str) -> bool:
    letters = [c for c in found if c.isalpha()]
    return bool(letters) and letters[0].isupper()


def _with_case(entry: Entry, found: str) -> str:
    letters = [c for c in found if c.isalpha()]
    replacement = entry.replacement
    if replacement.startswith("["):
        return replacement
    if len(letters) > 1 and all(c.isupper() for c in letters) and not entry.name.isupper():
        return replacement.upper()
    if not entry.capitalised and letters and letters[0].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
