"""Helpers for names typed by people: suggestions for typos, and checks for usable names."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from qualcode.errors import InvalidInput
from qualcode.terminal_text import has_control_characters


def suggestions(name: str, known: list[str], limit: int = 3) -> list[str]:
    lowered = {k.lower(): k for k in known}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=limit, cutoff=0.5)
    prefix = [k for k in known if k.lower().startswith(name.lower()) and k.lower() not in close]
    return ([lowered[c] for c in close] + prefix)[:limit]


# Word processors and other programs' exports turn ' and " into typographic quotes, which a
# keyboard in a shell does not type: a name is found however its quotes and apostrophes are set.
_QUOTES_ALIKE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
    }
)


def name_key(name: str) -> str:
    """What two spellings of one name share: case, surrounding spaces and the kind of quote aside."""
    return name.strip().translate(_QUOTES_ALIKE).casefold()


def spelled_as_stored(typed: str, known: Iterable[str]) -> str | None:
    """The stored name that `typed` is, once case and straight or typographic quotes are set aside
    ("Client's anger" for "Client’s anger"): the one spelled exactly as typed if there is one,
    else the first alike; None when none is."""
    key, exact, alike = name_key(typed), typed.strip(), None
    for name in known:
        if name == exact:
            return name
        if alike is None and name_key(name) == key:
            alike = name
    return alike


def unknown_name_message(kind: str, name: str, known: list[str], how_to_add: str | None = None) -> str:
    close = suggestions(name, known)
    message = f"unknown {kind} '{name}'"
    if close:
        message += "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    elif how_to_add:
        message += f"; add it with `{how_to_add}`"
    return message


def one_of(value: str, allowed: Sequence[str], what: str, listing: str) -> str:
    """`value` as one of a fixed set of words (ignoring case and spaces around it), or an
    InvalidInput naming the nearest word and them all: "unknown memo kind 'reflexiv'; did you
    mean 'reflexive'? kinds: …"."""

    cleaned = value.strip().lower()
    if cleaned not in allowed:
        close = suggestions(cleaned, list(allowed), limit=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise InvalidInput(f"unknown {what} '{value}'; {hint}{listing}: {', '.join(allowed)}")
    return cleaned


def is_meaningful_name(name: str) -> bool:
    """A name needs at least one letter or digit: blank or punctuation-only names are refused,
    and so are names with control characters (a terminal would run them as escape sequences)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in name) and not has_control_characters(name)


def name_fault(name: str) -> str:
    """Why `is_meaningful_name` refuses `name`, as the end of a sentence."""
    if has_control_characters(name):
        return "it holds control characters (escape codes, bidi overrides, tabs or newlines)"
    return "it needs a letter or a digit"


def natural_key(name: str) -> list:
    """Sort key that puts P2 before P10, as a reader expects pseudonyms to be ordered."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name or "")]
