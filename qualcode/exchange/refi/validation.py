"""Checking REFI-QDA XML against the standard's schemas (shipped in qualcode/exchange/refi/schemas).

lxml does the checking; it is optional at run time (python-docx brings it in practice), so
callers ask `available()` first. Files from other programs are only warned about: real exporters
deviate from the schema and their files are still worth reading.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

from qualcode.errors import QualcodeError

SCHEMA_FILES = {"project": "Project-mrt2019.xsd", "codebook": "Codebook-mrt2019.xsd"}
NAMESPACES = {"project": "urn:QDA-XML:project:1.0", "codebook": "urn:QDA-XML:codebook:1.0"}


def available() -> bool:
    try:
        import lxml.etree  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def _schema(kind: str) -> Any:
    from lxml import etree

    source = resources.files("qualcode").joinpath("exchange", "refi", "schemas", SCHEMA_FILES[kind])
    with resources.as_file(source) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def schema_errors(xml: bytes, kind: str) -> list[str]:
    """Each way `xml` departs from the REFI-QDA `kind` schema ("project" or "codebook"), one line each."""
    if not available():
        raise QualcodeError("checking against the REFI-QDA schemas needs lxml: pip install lxml")
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        document = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed: {error}"]
    namespace = etree.QName(document).namespace
    if namespace != NAMESPACES[kind]:
        # Nothing else can be checked: the schema declares no element outside its namespace.
        found = f"namespace '{namespace}'" if namespace else "no namespace"
        return [f"line {document.sourceline}: its elements are in {found}, not '{NAMESPACES[kind]}'"]
    schema = _schema(kind)
    if schema.validate(document):
        return []
    return [f"line {e.line}: {_readable(e.message)}" for e in schema.error_log]


def _readable(message: str) -> str:
    """lxml's message without namespaces in element names or the GUID pattern spelled out."""
    message = re.sub(r"\{urn:QDA-XML:[^}]*\}", "", message)
    return re.sub(r"is not accepted by the pattern '\(\[0-9a-fA-F\]\{8\}[^']*'", "is not a GUID", message)
