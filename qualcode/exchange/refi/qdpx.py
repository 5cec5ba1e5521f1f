"""REFI-QDA project exchange (.qdpx): export a project, import one from any program.

A .qdpx is a zip holding project.qde and the source texts as sources/GUID.txt (UTF-8).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.exchange.bulk import collector_paused
from qualcode.exchange.bundle import Bundle
from qualcode.exchange.incorporate import Options, Outcome, incorporate
from qualcode.exchange.refi import validation
from qualcode.exchange.refi.archive import QdpxArchive
from qualcode.exchange.refi.qde_read import ProjectReader
from qualcode.exchange.refi.qde_stream import stream_own_project
from qualcode.exchange.refi.qde_write import ExportCounts, project_xml
from qualcode.exchange.refi.xmlread import parse_xml
from qualcode.files import write_atomically
from qualcode.store import Project
from qualcode.wording import counted

MAX_SCHEMA_PROBLEMS_SHOWN = 3


@dataclass
class Exported:
    path: Path
    counts: ExportCounts


def default_path(project: Project, suffix: str) -> Path:
    return Path("exports") / f"{project.path.stem}.{suffix}"


def export_qdpx(project: Project, out: Path | None = None, validate: bool = False) -> Exported:
    """Write the whole project as a .qdpx; with `validate`, refuse if it breaks the schema."""
    path = Path(out) if out else default_path(project, "qdpx")
    counts = ExportCounts()
    chunks = project_xml(project, project.path.stem, counts)
    if validate:  # the whole document is needed to check it; otherwise it is streamed
        data = "".join(chunks).encode("utf-8")
        problems = validation.schema_errors(data, "project")
        if problems:
            raise QualcodeError(f"the export does not validate against the REFI-QDA schema: {problems[0]}")
        chunks = iter([data.decode("utf-8")])

    def write(temporary: Path) -> None:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            with archive.open("project.qde", "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk.encode("utf-8"))
            for name, text in counts.sources.items():
                archive.writestr(name, text.encode("utf-8"))

    write_atomically(path, write)
    return Exported(path, counts)


def read_qdpx(path: Path) -> Bundle:
    """A .qdpx from any program as a Bundle; what could not be read is in its warnings."""
    with collector_paused():
        return _read_qdpx(path)


def _read_qdpx(path: Path) -> Bundle:
    with QdpxArchive(path) as archive:
        member, several = archive.project_member()
        streamed = stream_own_project(archive, member, archive.label)
        if streamed is not None:
            streamed.warnings[:0] = [several] if several else []
            if member != "project.qde":
                streamed.notes.insert(0, f"{archive.label} names its project file {member}, not project.qde: read that")
            return streamed
        data = archive.read(member)
        root = parse_xml(data, f"{archive.label}: {member}")
        reader = ProjectReader(root, archive, archive.label)
        schema_warning = None if reader.own else _schema_warning(data, f"{archive.label}: {member}")
        del data  # a large project's XML is big; the tree is all that is needed now
        bundle = reader.read()
    bundle.warnings[:0] = [w for w in (several, schema_warning) if w]
    if member != "project.qde":
        bundle.notes.insert(0, f"{archive.label} names its project file {member}, not project.qde: read that")
    return bundle


def _schema_warning(data: bytes, label: str) -> str | None:
    if not validation.available():
        return None
    problems = validation.schema_errors(data, "project")
    if not problems:
        return None
    shown = "; ".join(problems[:MAX_SCHEMA_PROBLEMS_SHOWN])
    return f"{label} departs from the REFI-QDA schema in {counted(len(problems), 'place')} (read anyway): {shown}"


def import_qdpx(
    project: Project,
    path: Path,
    analyst: str,
    *,
    analyst_map: Mapping[str, str] | None = None,
    rename_prefix: str | None = None,
    dry_run: bool = False,
) -> Outcome:
    bundle = read_qdpx(path)
    options = Options(rename_prefix=rename_prefix, analyst_map=dict(analyst_map or {}))
    return incorporate(project, bundle, analyst, "import qdpx", options, dry_run=dry_run)


def parse_analyst_map(values: list[str] | tuple[str, ...]) -> dict[str, str]:
    """["Anna Smith=Anna", "B=C,D=E"] -> {"Anna Smith": "Anna", "B": "C", "D": "E"}."""
    mapping: dict[str, str] = {}
    for value in values:
        for pair in value.split(","):
            if not pair.strip():
                continue
            source, sep, target = pair.partition("=")
            if not sep or not source.strip() or not target.strip():
                raise QualcodeError(
                    f"--analyst-map '{pair.strip()}' is not NAME=ANALYST (for example \"Anna Smith=Anna\")"
                )
            mapping[source.strip()] = target.strip()
    return mapping
