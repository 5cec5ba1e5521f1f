"""Single values of a REFI-QDA project as qualcode reads them: references by GUID, times, a
source's file name as a transcript name, a case's or source's variable values, and the users a
value names."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from xml.etree.ElementTree import Element

from qualcode.exchange.guids import normalise_guid
from qualcode.exchange.refi.xmlread import child, children, text_of

_FILE_SUFFIXES = (
    ".txt", ".docx", ".doc", ".odt", ".rtf", ".md", ".pdf", ".htm", ".html",
    ".m4a", ".mp3", ".wav", ".ogg", ".flac", ".mp4", ".mov", ".wmv", ".avi", ".webm",
)  # fmt: skip
# QualCoder names a recording's transcript "interview.m4a.transcribed" (and, imported, "interview.m4a.txt").
_TRANSCRIBED = ".transcribed"


def document_name(name: str) -> str:
    """A source's name as a transcript name: "Interview B03.docx" -> "Interview B03",
    "night round.m4a.transcribed" -> "night round"."""
    name = name.strip()
    stem = name[: -len(_TRANSCRIBED)] if name.lower().endswith(_TRANSCRIBED) else name
    while True:
        shorter, suffix = posixpath.splitext(stem)
        if suffix.lower() not in _FILE_SUFFIXES or not shorter.strip():
            break
        stem = shorter.strip()
    return stem.strip() or name


def ref(value: str | None) -> str | None:
    """How one element refers to another: by GUID, compared without case, braces or odd hyphens.

    Only a key for matching references (checked as a GUID once per item, by key_guid): this is
    called for every reference in the file, so it is kept to string operations.
    """
    if value is None:
        return None
    key = value.strip()
    if key[:1] == "{" and key[-1:] == "}":
        key = key[1:-1]
    if not key.isascii():
        key = normalise_guid(key) or key
    return key.lower() or None


def ascii_position(text: str | None) -> int:
    """A REFI-QDA position: ASCII digits only. int() would also take "١٢", "１２", "1_2" or "+12",
    which no exporter writes and which would place a coding where nobody put it."""
    value = (text or "").strip(" \t\r\n")
    if not (value.isascii() and value.isdigit()):  # as [0-9]+, without a regular expression
        raise ValueError(f"not a position: {text!r}")
    return int(value)


@functools.lru_cache(maxsize=4096)  # programs stamp many codings with the same second
def stored_time(value: str | None) -> str | None:
    """An xsd:dateTime as qualcode stores times (ISO, UTC offset); None if unreadable."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def variable_values(element: Element, variables: dict[str, str]) -> dict[str, str]:
    """The values an element (a case or a source) gives the project's variables, by variable name."""
    values = {}
    for variable_value in children(element, "VariableValue"):
        variable = child(variable_value, "VariableRef")
        name = variables.get(ref(variable.get("targetGUID")) or "") if variable is not None else None
        value = text_of(next((c for c in variable_value if c.tag != "VariableRef"), None))
        if name and value:
            values[name] = value
    return values


class Users:
    """The project's users, and which of them an attribute such as creatingUser names."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self._named: dict[str | None, str | None] = {}  # attribute value -> user key, for speed

    def add(self, key: str) -> None:
        self.keys.add(key)

    def first(self, *values: str | None) -> str | None:
        """The first of `values` that names a known user."""
        for value in values:
            if value not in self._named:
                key = ref(value)
                self._named[value] = key if key in self.keys else None
            if self._named[value]:
                return self._named[value]
        return None
