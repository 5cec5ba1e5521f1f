"""Text from transcripts, file names and other programs, made safe to show on a terminal.

A transcript or a name can carry control characters: ESC starts a terminal escape sequence
(CSI/OSC can recolour, retitle or rewrite the screen, or hide text), BEL rings, BS and CR
overwrite what was printed, and the bidi overrides make a line read in another order than it is
stored. Shown raw they are code run by the terminal; `visible` turns each into a visible
placeholder (the Unicode control pictures, or <U+202E>) so the reader sees what is there.
"""

from __future__ import annotations

import re
import unicodedata

# Embeddings, overrides and isolates reorder what follows them (the "Trojan Source" characters),
# and the line and paragraph separators break a line where the terminal shows none.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"

# Newline and tab lay text out and are kept; every other C0 character, DEL and the C1 range go.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def _placeholder(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL, ␈ for BS, ␍ for CR
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` with every control character shown as a visible placeholder."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_placeholder, text)


def has_control_characters(text: str) -> bool:
    """True when `text` holds a character that has no place in a name: any control character
    (newline and tab too) or a bidi override."""
    return any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in text)
