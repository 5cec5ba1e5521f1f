"""Reading a project.qde that qualcode wrote while it is being parsed, source by source.

A project of 1,000 transcripts and 200,000 codings has a project.qde of well over 100 MB, and as
one element tree it would take several times that. qualcode writes its files in the schema's
order (users, codebook, variables and cases before the sources; notes, links and sets after), so
each source can be read as soon as it has been parsed and then dropped. A file another program
wrote, or one that declares a document type (and so perhaps entities), is read whole instead, by
the careful path in xmlread.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from qualcode.errors import ImportFormatError
from qualcode.exchange import bundle as b
from qualcode.exchange.refi.archive import QdpxArchive
from qualcode.exchange.refi.notation import written_by_qualcode
from qualcode.exchange.refi.qde_read import ProjectReader
from qualcode.exchange.refi.xmlread import local_name

_HEAD = 64 * 1024  # a document type declaration comes before the root element, well inside this


def stream_own_project(archive: QdpxArchive, member: str, label: str) -> b.Bundle | None:
    """The project as a Bundle, or None when it is not qualcode's own (read it whole then)."""
    parser: XMLPullParser[Element] = XMLPullParser(events=("start", "end"))
    reader: ProjectReader | None = None
    sources: Element | None = None
    depth = number = 0
    first = True
    try:
        for chunk in archive.chunks(member):
            if first:
                if b"<!DOCTYPE" in chunk[:_HEAD] or b"<!ENTITY" in chunk[:_HEAD] or b"\x00" in chunk[:256]:
                    return None
                first = False
            parser.feed(chunk)
            for event, element in cast(Iterator[tuple[str, Element]], parser.read_events()):
                if event == "start":
                    depth += 1
                    if element.tag[:1] == "{":
                        element.tag = element.tag[element.tag.index("}") + 1 :]
                    if depth == 1:
                        element.attrib = {local_name(k): v for k, v in element.attrib.items()}
                        if element.tag != "Project" or not written_by_qualcode(element.get("origin")):
                            return None
                        reader = ProjectReader(element, archive, label)
                    elif depth == 2 and element.tag == "Sources" and reader is not None:
                        reader.begin()
                        sources = element
                    continue
                depth -= 1
                if depth == 2 and sources is not None and reader is not None:  # a source, parsed whole
                    number += 1
                    reader.take_source(element, number)
                    sources.remove(element)
                elif depth == 1 and element is sources:
                    sources = None
        parser.close()
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ImportFormatError(f"{label}: {member} is not well-formed XML (line {line}, column {column})") from None
    if reader is None:
        return None
    if number == 0 and not hasattr(reader, "sources"):
        reader.begin()  # a project without sources
    return reader.finish()
