"""Coding units: the passage a search hit stands for when it is coded.

A qualitative code belongs to a meaningful passage, not to a word cut out of it, so a hit found by
search is coded as its sentence unless the researcher asks for the hit itself (`match`) or the
whole speaker turn (`turn`). Sentences are read from the punctuation of the turn: one ends at
. ! ? or … followed by a space and a capital (or digit, or opening quote), and at a line break.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qualcode.names import one_of
from qualcode.text.transcripts import Turn

UNITS = ("match", "sentence", "turn")
DEFAULT_UNIT = "sentence"
UNIT_NOUNS = {"match": ("hit", "hits"), "sentence": ("sentence", "sentences"), "turn": ("turn", "turns")}

# The end of a sentence: its mark (and closing quotes or brackets), then the space before the next,
# which starts with a capital or digit (perhaps after an opening quote); or a line break.
_SENTENCE_END = re.compile(r"(?:[.!?]+|…)[\"”’')\]]*(?=\s+[\"“‘'(\[]?(\w))|\n")
# Abbreviations whose full stop does not end a sentence, though a name follows.
_ABBREVIATIONS = re.compile(r"(?:^|\W)(?:Dr|Mr|Mrs|Ms|Mx|Prof|St|Sr|Jr|vs|e\.g|i\.e|cf)\.$", re.IGNORECASE)


def check_unit(unit: str) -> str:
    return one_of(unit, UNITS, "unit", "units")


def unit_span(text: str, turn: Turn, start: int, end: int, unit: str) -> tuple[int, int]:
    """The passage of `unit` around the span [start, end) of a hit inside `turn`."""
    if unit == "match":
        return start, end
    body = _trimmed(text, turn.body_start, turn.end)
    if unit == "turn":
        return body
    return sentence_span(text, body, start, end)


def sentence_span(text: str, within: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """From the start of the sentence that holds `start` to the end of the one that holds the
    last character before `end`, inside `within` (a turn's words)."""
    ends = sentence_ends(text, within)
    first = max((e for e in ends if e <= start), default=within[0])
    last = min((e for e in ends if e >= end), default=within[1])
    return _trimmed(text, first, last)


def sentence_ends(text: str, within: tuple[int, int]) -> Sequence[int]:
    """Offsets where a sentence ends in text[within] (after its mark, before the space)."""
    found = []
    for m in _SENTENCE_END.finditer(text, *within):
        if m.group(1) is None:  # a line break
            found.append(m.start())
            continue
        following = m.group(1)
        if not (following.isupper() or following.isdigit()):
            continue  # "e.g. the", "I was... you know": the sentence goes on
        if _ABBREVIATIONS.search(text, max(within[0], m.start() - 6), m.end()):
            continue
        found.append(m.end())
    return found


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
