"""Parsing XML from other programs: safely, and without caring which namespace they wrote.

Entities are the danger in XML from elsewhere (a "billion laughs" bomb, an external entity that
reads /etc/passwd), and entities can only be declared in a document type declaration. A document
without one (every REFI-QDA exporter's) is parsed by ElementTree's fast C parser, which then
cannot meet an entity it would expand; anything with a DOCTYPE or ENTITY, or in an encoding where
a byte scan cannot see them (UTF-16, UTF-32), goes through defusedxml, which refuses entity
declarations and external references. Namespaces are dropped after parsing: exporters write
"urn:QDA-XML:project:1.0", "urn:QDA-XML:codebook:1:0", an old "0:4", or none at all.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError, fromstring

import defusedxml.ElementTree as safe_tree
from defusedxml import DefusedXmlException

from qualcode.errors import ImportFormatError


def _needs_defused(data: bytes) -> bool:
    head = data[:256]
    return b"\x00" in head or b"<!DOCTYPE" in data or b"<!ENTITY" in data


def parse_xml(data: bytes, label: str) -> Element:
    """The root element with namespaces stripped from tags and attribute names."""

    try:
        root = safe_tree.fromstring(data) if _needs_defused(data) else fromstring(data)
    except DefusedXmlException:
        raise ImportFormatError(
            f"{label} declares XML entities or external references, which qualcode refuses to expand; "
            "export the file again from its program"
        ) from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ImportFormatError(f"{label} is not well-formed XML (line {line}, column {column})") from None
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and tag[:1] == "{":
            element.tag = tag[tag.index("}") + 1 :]
    # Namespaced attributes (xsi:schemaLocation) sit on the root; elsewhere none that is read.
    root.attrib = {local_name(k): v for k, v in root.attrib.items()}
    return root


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else tag


def children(element: Element | None, name: str) -> list[Element]:
    return element.findall(name) if element is not None else []


def children_of(element: Element | None) -> list[Element]:
    """All child elements; none for a missing element (an Element without children is falsy)."""
    return list(element) if element is not None else []


def child(element: Element | None, name: str) -> Element | None:
    return element.find(name) if element is not None else None


def text_of(element: Element | None) -> str:
    """An element's text with surrounding blank space removed ("" for none)."""
    return (element.text or "").strip() if element is not None else ""
