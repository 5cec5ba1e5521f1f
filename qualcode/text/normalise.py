"""The one form text is stored and matched in: Unicode NFC with "\\n" line ends.

Transcripts, memos and the phrases people type are all put in this form, so a passage typed
with a decomposed accent or pasted with Windows line ends still lines up with the stored text,
and offsets mean the same thing everywhere. Importers clean source files further (invisible
characters, odd spaces, blank lines: see importers/base.py), on top of this.
"""

from __future__ import annotations

import re
import unicodedata

# CR LF first, so a Windows line end becomes one "\n", not two.
_LINE_ENDS = re.compile(r"\r\n|\r")


def normalise(text: str) -> str:
    """NFC and "\\n" line ends."""
    return unicodedata.normalize("NFC", _LINE_ENDS.sub("\n", text))
