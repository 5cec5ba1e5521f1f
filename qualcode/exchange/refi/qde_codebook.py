"""Reading a REFI-QDA codebook (the <Codes> of a project or a .qdc) into codes, parents before
children, and giving codes that share a name in the file names of their own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from xml.etree.ElementTree import Element

from qualcode.errors import ImportFormatError
from qualcode.exchange import bundle as b
from qualcode.exchange.guids import key_guid
from qualcode.exchange.refi.notation import split_code_description
from qualcode.exchange.refi.qde_values import ref
from qualcode.exchange.refi.xmlread import child, children, text_of

# Real codebooks nest a handful of levels; reading is recursive, and so is much that follows.
MAX_CODE_DEPTH = 200


def read_code_tree(
    codes: Element | None, own: bool, on_note: Callable[[Element, str, str], None] | None = None
) -> list[b.Code]:
    """Codes (parents before children) from a <Codes> element of a project or a codebook.

    isCodable="false" marks a category: it groups codes and is not applied itself (QualCoder's
    code_cat); the schema's xsd:boolean also allows "0".
    """
    found: list[b.Code] = []

    def walk(element: Element, parent: str | None, depth: int = 1) -> None:
        if depth > MAX_CODE_DEPTH:
            raise ImportFormatError(
                f"codes nest more than {MAX_CODE_DEPTH} levels deep, far deeper than a codebook; "
                "the file is damaged or not a codebook"
            )
        for number, code in enumerate(children(element, "Code"), start=1):
            key = ref(code.get("guid")) or f"{parent or 'code'}/{number}"
            description = text_of(child(code, "Description")) or None
            inclusion = exclusion = None
            if own:
                description, inclusion, exclusion = split_code_description(description)
            name = (code.get("name") or "").strip() or "Unnamed code"
            guid = key_guid(code.get("guid"), "code", key)
            codable = (code.get("isCodable") or "true").strip().lower() not in ("false", "0")
            found.append(
                b.Code(key, name, guid, description, inclusion, exclusion, code.get("color"), parent, codable=codable)
            )
            if on_note is not None:
                for note in children(code, "NoteRef"):
                    on_note(note, "code", key)
            walk(code, key, depth + 1)

    if codes is not None:
        walk(codes, None)
    return found


def shared_code_guids(codes: list[b.Code]) -> list[str]:
    """One warning per GUID that several codes carry: codings naming it cannot tell them apart."""
    by_guid: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        if code.guid:
            by_guid[code.guid].append(code.name)
    return [
        f"{len(names)} codes share the GUID {guid} ({', '.join(repr(n) for n in names)}): codings that "
        "refer to it cannot tell them apart, so check those codings after the import"
        for guid, names in by_guid.items()
        if len(names) > 1
    ]


def distinct_code_names(codes: list[b.Code]) -> list[str]:
    """Give codes that share a name in the file names of their own; one note per shared name.

    Other programs allow "Examples" under "Positive" and again under "Negative"; qualcode's code
    names are unique, and matching both by name would pour the two codes' codings into one. Each
    one under a parent is named after it ("Examples (Negative)"); a top-level one keeps its name.
    """
    by_name: dict[str, list[b.Code]] = defaultdict(list)
    for code in codes:
        by_name[code.name.casefold()].append(code)
    names = {code.key: code.name for code in codes}
    taken = set(by_name)
    # The next number to try after each name, so thousands of codes of one name are numbered in
    # one pass rather than each counting up from 2 again.
    next_number: dict[str, int] = {}
    notes = []
    for same in by_name.values():
        if len(same) < 2:
            continue
        original = same[0].name
        for code in same:
            if code.parent_key is None:
                continue
            name = candidate = f"{code.name} ({names.get(code.parent_key, 'code')})"
            number = next_number.get(name.casefold(), 2)
            while candidate.casefold() in taken:
                candidate, number = f"{name} {number}", number + 1
            next_number[name.casefold()] = number
            taken.add(candidate.casefold())
            code.name = candidate
        seen: set[str] = set()
        number = 2
        for code in same:  # two at the top level: number the later ones
            while code.name.casefold() in seen:
                code.name, number = f"{original} {number}", number + 1
            seen.add(code.name.casefold())
            taken.add(code.name.casefold())
        notes.append(
            f"{len(same)} codes are named '{original}': brought in as " + ", ".join(f"'{c.name}'" for c in same)
        )
    return notes
