"""REFI-QDA codebook exchange (.qdc): codes, their hierarchy, colours and descriptions.

Importing merges into the codebook here by name: a code of the same name is the same code (a
different description is reported), new codes are added under their parents.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import ImportFormatError, InvalidInput
from qualcode.exchange.bundle import Bundle
from qualcode.exchange.incorporate import Outcome, incorporate
from qualcode.exchange.refi import validation
from qualcode.exchange.refi.notation import written_by_qualcode
from qualcode.exchange.refi.qde_codebook import distinct_code_names, read_code_tree, shared_code_guids
from qualcode.exchange.refi.qde_write import codebook_xml
from qualcode.exchange.refi.qdpx import default_path
from qualcode.exchange.refi.xmlread import child, children, parse_xml
from qualcode.files import write_atomically
from qualcode.store import Project
from qualcode.wording import counted

MAX_CODEBOOK_BYTES = 64 * 1024**2


def export_qdc(project: Project, out: Path | None = None, validate: bool = False) -> tuple[Path, int]:
    """Write the codebook as .qdc; returns the path and the number of codes."""
    xml, count = codebook_xml(project)
    if not count:
        raise InvalidInput("the codebook is empty: add codes first (qualcode code add NAME)")
    data = xml.encode("utf-8")
    if validate:
        problems = validation.schema_errors(data, "codebook")
        if problems:
            raise InvalidInput(f"the codebook does not validate against the REFI-QDA schema: {problems[0]}")
    path = Path(out) if out else default_path(project, "qdc")
    write_atomically(path, lambda temporary: temporary.write_bytes(data))
    return path, count


def read_qdc(path: Path) -> Bundle:
    path = Path(path)
    if not path.is_file():
        raise ImportFormatError(f"{path}: no such file")
    if path.stat().st_size > MAX_CODEBOOK_BYTES:
        raise ImportFormatError(
            f"{path.name} is larger than any codebook ({path.stat().st_size / 1024**2:,.0f} MB); refused"
        )
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise ImportFormatError(
            f"{path.name} is a zip, not a codebook; import a whole project with `qualcode import qdpx`"
        )
    root = parse_xml(data, path.name)
    if root.tag == "Project":
        raise ImportFormatError(f"{path.name} is a REFI-QDA project, not a codebook; use `qualcode import qdpx`")
    if root.tag != "CodeBook":
        raise ImportFormatError(f"{path.name} is not a REFI-QDA codebook: its XML root is <{root.tag}>, not <CodeBook>")
    origin = root.get("origin") or ""
    own = written_by_qualcode(origin)
    bundle = Bundle(path.name, codes=read_code_tree(child(root, "Codes"), own))
    bundle.warnings.extend(shared_code_guids(bundle.codes))
    bundle.notes.extend(distinct_code_names(bundle.codes))
    if origin:
        bundle.notes.append(f"{path.name} was written by {origin}")
    groups = [(s.get("name") or "").strip() or "(unnamed)" for s in children(child(root, "Sets"), "Set")]
    if groups:  # ATLAS.ti writes its code groups here
        shown = ", ".join(groups[:5]) + (", …" if len(groups) > 5 else "")
        bundle.warnings.append(
            f"skipped {counted(len(groups), 'set')} of codes ({shown}): a codebook brings in codes only"
        )
    if not own and validation.available():
        problems = validation.schema_errors(data, "codebook")
        if problems:
            bundle.warnings.append(
                f"{path.name} departs from the REFI-QDA codebook schema in {counted(len(problems), 'place')} (read anyway): {problems[0]}"
            )
    if not bundle.codes:
        raise ImportFormatError(f"{path.name} holds no codes")
    return bundle


def import_qdc(project: Project, path: Path, analyst: str, dry_run: bool = False) -> Outcome:
    return incorporate(project, read_qdc(path), analyst, "import qdc", dry_run=dry_run)
