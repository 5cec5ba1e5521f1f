"""Finding a typed phrase in text: what counts as the words someone typed, and where they are.

People type phrases to point at passages (`code apply --match`, the phrases of the coding session,
the demo's quotes). They type what they see or remember, on a keyboard that has straight marks,
while transcripts from Word and Otter hold typographic ones. So a phrase is matched by its words,
not character for character, and by one rule everywhere:

- ’ ‘ and ' are one mark; so are “ ” and "; – — and -; … and ...;
- any run of spaces, non-breaking spaces and line breaks is one space (a phrase copied from a
  wrapped line still finds its passage);
- the phrase is put in the stored form first (see normalise.py);
- the words as typed win; case is ignored only when they are not found as typed (a phrase typed
  from memory often starts a sentence in the text), so a phrase found as typed is never made
  ambiguous by other capitalisations.

The stored text never changes: a hit is the span of the text as it stands. Searching transcripts
(search.py) looks for words rather than phrases, through the search index, whose tokenizer treats
every mark above as a break between words; the same typed words therefore find the same passages
there, in any of their word forms.
"""

from __future__ import annotations

import re

from qualcode.errors import InvalidInput
from qualcode.text.normalise import normalise

Span = tuple[int, int]  # [start, end) in code points of the text searched

# Any run of whitespace between the words of a phrase matches any run of whitespace in the text.
_BETWEEN_WORDS = r"\s+"

# Marks that count as one: a researcher types "don't" where the transcript has "don’t".
ALIKE_MARKS = (("'", "’", "‘"), ('"', "“", "”"), ("-", "–", "—"), ("...", "…"))
_ALIKE_PATTERN = {
    mark: "(?:" + "|".join(re.escape(member) for member in group) + ")" for group in ALIKE_MARKS for mark in group
}
# Longest first, so "..." is one mark and not three full stops.
_ALIKE_MARK = re.compile("(" + "|".join(re.escape(m) for m in sorted(_ALIKE_PATTERN, key=len, reverse=True)) + ")")


class EmptyPhrase(InvalidInput):
    """The phrase has no words to look for (callers say which option it came from)."""

    def __init__(self, message: str = "the phrase needs some words to look for"):
        super().__init__(message)


def phrase_pattern(phrase: str, *, ignore_case: bool = False) -> re.Pattern[str]:
    """The pattern that finds `phrase` in stored text. Raises EmptyPhrase when the phrase is
    only whitespace."""
    words = normalise(phrase).split()
    if not words:
        raise EmptyPhrase()
    pattern = _BETWEEN_WORDS.join(_word_pattern(word) for word in words)
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def find_phrase(text: str, phrase: str, within: Span | None = None) -> list[Span]:
    """Where `phrase` occurs in `text` (or in the part `within`), in order: as typed if it
    occurs so, otherwise ignoring case."""
    lo, hi = within or (0, len(text))
    for ignore_case in (False, True):
        hits = [(m.start(), m.end()) for m in phrase_pattern(phrase, ignore_case=ignore_case).finditer(text, lo, hi)]
        if hits:
            return hits
    return []


def _word_pattern(word: str) -> str:
    # Split keeps the marks (at odd indices); everything between them is matched literally.
    pieces = _ALIKE_MARK.split(word)
    return "".join(_ALIKE_PATTERN[piece] if i % 2 else re.escape(piece) for i, piece in enumerate(pieces))
