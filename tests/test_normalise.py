"""The one stored form of text: NFC with "\\n" line ends."""

from __future__ import annotations

from qualcode.text.normalise import normalise


def test_accents_are_composed_and_every_line_end_becomes_a_newline():
    assert normalise("Cafe\u0301\r\nnext\rlast\n") == "Caf\u00e9\nnext\nlast\n"


def test_nothing_else_changes():
    # Spaces, other separators and invisible characters are the importers' business, not this.
    text = "\ufeffa\u00a0b\u2028c\v d  \n\n"
    assert normalise(text) == text
