"""GUIDs as REFI-QDA writes them and as qualcode stores them.

qualcode stores every GUID in lower case without braces (uuid4 text). REFI-QDA's schema accepts
either case, with or without braces; qualcode writes upper case, as ATLAS.ti and MAXQDA do, and
compares without regard to case, so a file that went out and came back matches what is stored.
Items that have no GUID of their own in qualcode (a selection, a variable, a theme link) get one
derived from what they are, so the same item has the same GUID in every export.
"""

from __future__ import annotations

import re
import uuid

_PLAIN_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
# Exporters and PDF copies of the specification sometimes carry Unicode hyphens inside GUIDs.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-"})

# Namespace for GUIDs derived from qualcode items (uuid5): fixed, so derivations never change.
QUALCODE_NAMESPACE = uuid.UUID("6f1c5a52-2d0e-4a8e-9a43-2b1f0c7d9e11")


def normalise_guid(value: str | None) -> str | None:
    """The stored form (lower case, no braces) of a GUID, or None when `value` is not one."""
    if not value:
        return None
    if len(value) == 36 and _PLAIN_GUID.match(value):  # nearly every GUID: skip the lenient path
        lowered = value.lower()
        return value if lowered == value else lowered  # one string, not two, for each of 200,000 codings
    match = _GUID.match(value.strip().translate(_HYPHENS))
    return match.group(1).lower() if match else None


def refi_guid(stored: str) -> str:
    """A stored GUID as qualcode writes it into REFI-QDA files."""
    return stored.upper()


def derived_guid(*parts: object) -> str:
    """A GUID that is always the same for the same parts (e.g. "selection", transcript, 10, 40)."""
    return str(uuid.uuid5(QUALCODE_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def key_guid(identifier: str | None, *scope: object) -> str:
    """The GUID to store for an item another program identified by `identifier`.

    A valid GUID is kept (so a later import of the same file matches it); anything else (MAXQDA
    and others sometimes write short ids) is turned into a GUID derived from it and its scope.
    """
    return normalise_guid(identifier) or derived_guid("foreign", *scope, identifier or "")
