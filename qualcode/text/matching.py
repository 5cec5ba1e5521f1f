"""Finding a typed phrase in text: what counts as the words someone typed, and where they are.

People type phrases to point at passages (`--match`), to search transcripts, and to code a phrase
in the coding session. They type what they see or remember, so a phrase is matched by its words
and not character for character: any run of whitespace between the words matches any run in the
text (a phrase copied from a wrapped line still finds its passage), and the phrase is put in the
stored form first (see normalise.py). The callers differ in the rest, and say so by keyword:

- find_phrase: the words as typed, otherwise ignoring case (`--match`, the demo's quotes);
  with quote_marks_alike, failing both, also any apostrophe or quote mark (the coding session);
- phrase_pattern(ignore_case=True, whole_words=True): transcript search, which scans many
  turns with one pattern.

Every rule lives here, so changing what counts as "the same words" is a change to this module.
"""

from __future__ import annotations

import re

from qualcode.errors import InvalidInput
from qualcode.text.normalise import normalise

Span = tuple[int, int]  # [start, end) in code points of the text searched

# Any run of whitespace between the words of a phrase matches any run of whitespace in the text.
_BETWEEN_WORDS = r"\s+"

# Marks that count as one with quote_marks_alike: a researcher types "don't" where the
# transcript has "don’t". Each mark of a group is matched by a pattern for any of the group.
_ALIKE_GROUPS = (("'", "’", "‘"), ('"', "“", "”"))
_ALIKE_PATTERN = {
    mark: "(?:" + "|".join(re.escape(member) for member in group) + ")" for group in _ALIKE_GROUPS for mark in group
}
# Longest first, so a mark of several characters ("...") would win over a shorter one (".").
_ALIKE_MARK = re.compile("(" + "|".join(re.escape(m) for m in sorted(_ALIKE_PATTERN, key=len, reverse=True)) + ")")


class EmptyPhrase(InvalidInput):
    """The phrase has no words to look for (callers say which option it came from)."""

    def __init__(self, message: str = "the phrase needs some words to look for"):
        super().__init__(message)


def phrase_pattern(
    phrase: str, *, ignore_case: bool = False, quote_marks_alike: bool = False, whole_words: bool = False
) -> re.Pattern[str]:
    """The pattern that finds `phrase` in stored text.

    whole_words: the match may not begin or end inside a word ("alliance" does not find
    "alliances"). Raises EmptyPhrase when the phrase is only whitespace.
    """
    words = normalise(phrase).split()
    if not words:
        raise EmptyPhrase()
    pattern = _BETWEEN_WORDS.join(_word_pattern(word, quote_marks_alike) for word in words)
    if whole_words:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def find_phrase(text: str, phrase: str, within: Span | None = None, *, quote_marks_alike: bool = False) -> list[Span]:
    """Where `phrase` occurs in `text` (or in the part `within`), in order.

    As typed if it occurs so, otherwise ignoring case (a phrase typed from memory often starts a
    sentence in the text); with quote_marks_alike, failing both, ignoring case and which
    apostrophe or quote mark was typed. The first way that finds anything gives the hits, so a
    phrase found as typed is never made ambiguous by looser matches.
    """
    lo, hi = within or (0, len(text))
    tries = [{"ignore_case": False}, {"ignore_case": True}]
    if quote_marks_alike:
        tries.append({"ignore_case": True, "quote_marks_alike": True})
    for rules in tries:
        pattern = phrase_pattern(phrase, **rules)
        hits = [(m.start(), m.end()) for m in pattern.finditer(text, lo, hi)]
        if hits:
            return hits
    return []


def _word_pattern(word: str, quote_marks_alike: bool) -> str:
    if not quote_marks_alike:
        return re.escape(word)
    # Split keeps the marks (at odd indices); everything between them is matched literally.
    pieces = _ALIKE_MARK.split(word)
    return "".join(_ALIKE_PATTERN[piece] if i % 2 else re.escape(piece) for i, piece in enumerate(pieces))
