"""Parsing XML from other programs: safely, and without caring which namespace they wrote.

defusedxml refuses entity declarations and external references, so an XML bomb or a file that
points at /etc/passwd is an error, not a hang or a leak. Namespaces are dropped after parsing:
exporters write "urn:QDA-XML:project:1.0", "urn:QDA-XML:codebook:1:0", an old "0:4", or none.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from qualcode.errors import ImportFormatError


def parse_xml(data: bytes, label: str) -> Element:
    """The root element with namespaces stripped from tags and attribute names."""
    import defusedxml.ElementTree as safe_tree
    from defusedxml import DefusedXmlException

    try:
        root = safe_tree.fromstring(data)
    except DefusedXmlException:
        raise ImportFormatError(
            f"{label} declares XML entities or external references, which qualcode refuses to expand; "
            "export the file again from its program"
        ) from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ImportFormatError(f"{label} is not well-formed XML (line {line}, column {column})") from None
    for element in root.iter():
        element.tag = local_name(element.tag)
        if any(key.startswith("{") for key in element.attrib):
            element.attrib = {local_name(k): v for k, v in element.attrib.items()}
    return root


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else tag


def children(element: Element | None, name: str) -> Iterator[Element]:
    if element is not None:
        yield from (child for child in element if child.tag == name)


def children_of(element: Element | None) -> list[Element]:
    """All child elements; none for a missing element (an Element without children is falsy)."""
    return list(element) if element is not None else []


def child(element: Element | None, name: str) -> Element | None:
    return next(children(element, name), None)


def text_of(element: Element | None) -> str:
    """An element's text with surrounding blank space removed ("" for none)."""
    return (element.text or "").strip() if element is not None else ""
