"""Character positions in another program's text, mapped onto qualcode's stored text.

qualcode stores text in NFC with "\\n" line ends and counts positions in code points. Other
programs' files carry the text as it was (CRLF line ends, a byte-order mark, decomposed accents)
and count positions their own way: REFI-QDA says code points, but MAXQDA and NVivo count a CRLF
line end as two characters, ATLAS.ti as one, and programs built on UTF-16 strings count an emoji
as two. So each source's text is kept with a map from its original units to stored positions,
under each of four conventions, and the convention is chosen from evidence in the file:

1. selections whose recorded text (a quotation name, QualCoder's seltext) agrees with the text
   at the mapped position;
2. selections that fit inside the text at all;
3. what is known of the exporting program (ATLAS.ti counts CRLF as one);
4. selections that start and end at word boundaries, as people select words.

Evidence from the source itself counts first, then evidence pooled over the whole file (one
program wrote it, so one convention usually holds throughout).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Convention:
    utf16: bool = False  # a character outside the Basic Multilingual Plane counts as two units
    crlf_as_one: bool = False  # a CR LF line end counts as one unit (ATLAS.ti) instead of two

    def describe(self) -> str:
        parts = []
        if self.utf16:
            parts.append("counted UTF-16 units (an emoji as two characters)")
        if self.crlf_as_one:
            parts.append("counted a CRLF line end as one character")
        return " and ".join(parts) or "counted code points"


CODE_POINTS = Convention()
CONVENTIONS = (
    CODE_POINTS,
    Convention(crlf_as_one=True),
    Convention(utf16=True),
    Convention(utf16=True, crlf_as_one=True),
)
_SPECIAL = re.compile("\r\n|\r|[\U00010000-\U0010ffff]")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Piece:
    stored: str
    code_points: int
    utf16_units: int
    crlf: bool = False
    plain: bool = False  # a run that maps one unit to one stored character throughout


class SourceText:
    """A source's text as another program wrote it, and the map from its positions to stored ones."""

    def __init__(self, raw: str):
        raw = raw.removeprefix("\ufeff")  # a byte-order mark is not text and no program counts it
        self._pieces = _pieces(raw) if unicodedata.is_normalized("NFC", raw) else _clusters(raw)
        self.stored = "".join(p.stored for p in self._pieces)
        self.has_crlf = any(p.crlf for p in self._pieces)
        self.has_astral = any(p.utf16_units != p.code_points for p in self._pieces)
        self._maps: dict[Convention, tuple[list[int], list[int]]] = {}

    def differs(self, convention: Convention) -> bool:
        """Whether positions under `convention` differ from code points for this text."""
        return (convention.utf16 and self.has_astral) or (convention.crlf_as_one and self.has_crlf)

    def length(self, convention: Convention) -> int:
        return self._map(convention)[0][-1]

    def to_stored(self, start: int, end: int, convention: Convention) -> tuple[int, int] | None:
        """[start, end) in the program's units as stored positions; None if it lies outside the text.

        A position inside a unit that became one stored character (between CR and LF, inside a
        surrogate pair, inside a combining sequence) widens the span to the whole character.
        """
        units, stored = self._map(convention)
        if not 0 <= start < end <= units[-1]:
            return None
        i = bisect.bisect_right(units, start) - 1
        new_start = stored[i] + (start - units[i] if self._pieces[i].plain else 0)
        j = bisect.bisect_right(units, end - 1) - 1
        piece = self._pieces[j]
        new_end = stored[j] + (end - units[j] if piece.plain else len(piece.stored))
        return (new_start, new_end) if new_end > new_start else None

    def _map(self, convention: Convention) -> tuple[list[int], list[int]]:
        """Cumulative starts of every piece, in the convention's units and in stored characters."""
        if convention not in self._maps:
            units, stored = [0], [0]
            for piece in self._pieces:
                count = piece.utf16_units if convention.utf16 else piece.code_points
                if piece.crlf and convention.crlf_as_one:
                    count = 1
                units.append(units[-1] + count)
                stored.append(stored[-1] + len(piece.stored))
            self._maps[convention] = (units, stored)
        return self._maps[convention]


def _pieces(raw: str) -> list[_Piece]:
    """NFC text as plain runs and the few characters that map differently (line ends, astral)."""
    pieces: list[_Piece] = []
    position = 0
    for match in _SPECIAL.finditer(raw):
        if match.start() > position:
            run = raw[position : match.start()]
            pieces.append(_Piece(run, len(run), len(run), plain=True))
        token = match.group()
        if token == "\r\n":
            pieces.append(_Piece("\n", 2, 2, crlf=True))
        elif token == "\r":
            pieces.append(_Piece("\n", 1, 1))
        else:
            pieces.append(_Piece(token, 1, 2))
        position = match.end()
    if position < len(raw):
        run = raw[position:]
        pieces.append(_Piece(run, len(run), len(run), plain=True))
    return pieces


def _clusters(raw: str) -> list[_Piece]:
    """Pieces for text not in NFC: each base character with its combining marks is one piece,
    normalised on its own, so a position maps to the start or end of its character."""
    pieces: list[_Piece] = []
    i, n = 0, len(raw)
    while i < n:
        if raw.startswith("\r\n", i):
            pieces.append(_Piece("\n", 2, 2, crlf=True))
            i += 2
            continue
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        cluster = raw[i:j]
        stored = "\n" if cluster == "\r" else unicodedata.normalize("NFC", cluster)
        astral = sum(1 for c in cluster if ord(c) > 0xFFFF)
        pieces.append(_Piece(stored, len(cluster), len(cluster) + astral))
        i = j
    return pieces


@dataclass(frozen=True)
class Selection:
    """A selection as the file gives it: positions, and the text it claims to cover if it says."""

    start: int
    end: int
    hint: str | None = None


@dataclass
class _Evidence:
    agreeing: int = 0
    fitting: int = 0
    boundaries: int = 0

    def add(self, other: _Evidence) -> None:
        self.agreeing += other.agreeing
        self.fitting += other.fitting
        self.boundaries += other.boundaries


def _hint_key(hint: str | None) -> str | None:
    if not hint:
        return None
    key = _SPACE.sub(" ", _ELLIPSIS.sub("", hint.replace("\u2029", "\n").strip())).strip().casefold()
    return key if len(key) >= 4 and any(c.isalpha() for c in key) else None


def _evidence(source: SourceText, selections: Sequence[Selection], convention: Convention) -> _Evidence:
    found = _Evidence()
    text = source.stored
    for selection in selections:
        span = source.to_stored(selection.start, selection.end, convention)
        if span is None:
            continue
        found.fitting += 1
        start, end = span
        if (start == 0 or not (text[start - 1].isalnum() and text[start].isalnum())) and (
            end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
        ):
            found.boundaries += 1
        key = _hint_key(selection.hint)
        if key:
            covered = _SPACE.sub(" ", text[start:end]).strip().casefold()
            if covered.startswith(key) or (len(covered) >= 4 and key.startswith(covered)):
                found.agreeing += 1
    return found


def choose_conventions(
    sources: Sequence[tuple[SourceText, Sequence[Selection]]], prefer_crlf_as_one: bool | None = None
) -> list[Convention]:
    """The convention each source's positions most likely use (see the module docstring)."""
    per_source: list[dict[Convention, _Evidence]] = []
    pooled = {c: _Evidence() for c in CONVENTIONS}
    for source, selections in sources:
        base = _evidence(source, selections, CODE_POINTS)
        # A convention that changes nothing for this text has exactly code points' evidence.
        found = {c: _evidence(source, selections, c) if source.differs(c) else base for c in CONVENTIONS}
        for convention in CONVENTIONS:
            pooled[convention].add(found[convention])
        per_source.append(found)
    chosen = []
    for (source, _), found in zip(sources, per_source):

        def rank(convention: Convention, found: dict[Convention, _Evidence] = found) -> tuple:
            prior = prefer_crlf_as_one is not None and convention.crlf_as_one == prefer_crlf_as_one
            return (
                found[convention].agreeing,
                found[convention].fitting,
                pooled[convention].agreeing,
                pooled[convention].fitting,
                prior,
                pooled[convention].boundaries,
                -CONVENTIONS.index(convention),
            )

        candidates = [c for c in CONVENTIONS if c == CODE_POINTS or source.differs(c)]
        best = max(candidates, key=rank)
        # Report only what matters for this text: UTF-16 counting changes nothing without emoji.
        chosen.append(Convention(best.utf16 and source.has_astral, best.crlf_as_one and source.has_crlf))
    return chosen
