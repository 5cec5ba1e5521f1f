"""How qualcode words counts, lists and dates, so the terminal and the report say them alike."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Sequence

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def shell_command(*words: str) -> str:
    """A qualcode command as it pastes into a shell: every word quoted as the shell needs it
    ('qualcode -p "My Study 2025" status'); placeholders such as NAME or ... stay as they are."""
    return " ".join(["qualcode", *map(shell_word, words)])


# Characters a shell still reads inside double quotes (! in an interactive bash).
_SPECIAL_IN_DOUBLE_QUOTES = set('"$`\\!')


def shell_word(word: str) -> str:
    """One value (a name, a path) as it pastes into a shell: as it is when nothing in it is
    special, else in double quotes as people write them ("Zoë Ó'Brien"), else in single quotes
    (shlex.quote) when even double quotes would not keep it whole."""
    quoted = shlex.quote(word)
    if quoted == word:
        return word
    if _SPECIAL_IN_DOUBLE_QUOTES.isdisjoint(word):
        return f'"{word}"'
    return quoted


def counted(n: int, noun: str, plural: str | None = None, *, in_words: bool = False) -> str:
    """'1 coding', '3 codings', '1,204 codings'; in_words spells small numbers as prose does
    ('one transcript', 'nine memos', '14 memos')."""
    number = NUMBER_WORDS.get(n, f"{n:,}") if in_words else f"{n:,}"
    return f"{number} {noun if n == 1 else plural or noun + 's'}"


def lines_label(span: str) -> str:
    """'line 4' or 'lines 4-6', for a span of line numbers written '4' or '4-6'."""
    return f"{'lines' if '-' in str(span) else 'line'} {span}"


def join_names(names: Sequence[str], conjunction: str = "and") -> str:
    """'Maya', 'Maya and Tom', 'Maya, Tom and Zoë'."""
    if len(names) < 3:
        return f" {conjunction} ".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def turns_label(first: int | None, last: int | None, speakers: Sequence[str]) -> str:
    """Where a passage lies in a transcript's turns: 'turn 6 (P21)', or for a passage over
    several turns 'turns 6-7, P21 and Interviewer'."""
    if first is None:
        return "no turn"
    if last is None or last == first:
        return f"turn {first}" + (f" ({join_names(list(speakers))})" if speakers else "")
    return f"turns {first}-{last}" + (f", {join_names(list(speakers))}" if speakers else "")


def long_date(iso: str) -> str:
    """A stored UTC timestamp as the reader's local date, e.g. '3 March 2024'."""
    when = dt.datetime.fromisoformat(iso).astimezone()
    return f"{when.day} {when:%B %Y}"


_OPENS_AFTER = " \t\n([{“‘—–-/"


def typographic(text: str) -> str:
    """Straight quotes as printed ones: "a" → “a”, 'a' → ‘a’, it's → it’s. A quote opens at the
    start or after a space or opening bracket, and closes (or is an apostrophe) anywhere else."""
    out = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else " "
        if char == '"':
            out.append("“" if before in _OPENS_AFTER else "”")
        elif char == "'":
            out.append("‘" if before in _OPENS_AFTER else "’")
        else:
            out.append(char)
    return "".join(out)
