"""Writing a project as its folder form (layout.py): the same project always gives the same bytes.

The project is read as `qualcode merge` reads another copy (project_merge.read_project_copy), with
its history (retired and merged codes, the phase log), so what the folder holds is exactly what
importing it, or merging the project, brings in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import InvalidInput
from qualcode.exchange import bundle as b
from qualcode.exchange.folder.layout import (
    FORMAT,
    GITATTRIBUTES,
    GITATTRIBUTES_TEXT,
    MANIFEST,
    RECORD_FILES,
    TRANSCRIPTS_DIR,
    VERSION,
    record_line,
)
from qualcode.exchange.project_merge import read_project_copy
from qualcode.files import write_atomically
from qualcode.store import Project
from qualcode.text.ingest import sha256_text


@dataclass
class FolderCounts:
    transcripts: int
    codes: int
    codings: int
    memos: int
    themes: int
    files_written: int  # files whose bytes changed (a second export of the same project: 0)
    files_removed: int


def manifest_text() -> str:
    return json.dumps({"format": FORMAT, "version": VERSION}) + "\n"


def export_folder(project: Project, folder: Path) -> FolderCounts:
    """Write `project` into `folder` (created if missing; an earlier export there is updated)."""
    folder = Path(folder)
    _check_target(folder)
    bundle = read_project_copy(project.path, history=True)
    files = {MANIFEST: manifest_text(), GITATTRIBUTES: GITATTRIBUTES_TEXT, **_records(bundle)}
    for transcript in bundle.transcripts:
        files[f"{TRANSCRIPTS_DIR}/{transcript.key}.txt"] = transcript.text
    written = 0
    for name in sorted(files):
        data = files[name].encode("utf-8")
        path = folder / name
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            continue  # unchanged: leave the file (and its time) alone
        write_atomically(path, _bytes_writer(data))
        written += 1
    removed = 0
    transcripts = folder / TRANSCRIPTS_DIR
    for stale in sorted(transcripts.glob("*.txt")) if transcripts.is_dir() else []:
        if f"{TRANSCRIPTS_DIR}/{stale.name}" not in files:  # a transcript deleted since the last export
            stale.unlink()
            removed += 1
    return FolderCounts(
        len(bundle.transcripts),
        len(bundle.codes),
        len(bundle.codings),
        len(bundle.memos),
        len(bundle.themes),
        written,
        removed,
    )


def _bytes_writer(data: bytes) -> Callable[[Path], object]:
    return lambda temporary: temporary.write_bytes(data)


def _check_target(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file, not a folder; give a folder to write the project into")
    if folder.is_dir() and not (folder / MANIFEST).is_file():
        others = [p.name for p in folder.iterdir() if p.name not in (".git", GITATTRIBUTES)]
        if others:
            raise InvalidInput(
                f"{folder} holds other files ({', '.join(sorted(others)[:3])}) and no {MANIFEST}: "
                "give an empty folder or one an earlier `export folder` wrote"
            )


def _records(bundle: b.Bundle) -> dict[str, str]:
    lines: dict[str, list[tuple[tuple, str]]] = {name: [] for name in RECORD_FILES}

    def add(file: str, sort_key: tuple, values: dict) -> None:
        lines[file].append((sort_key, record_line(file, values)))

    for analyst in bundle.analysts:
        add("analysts.jsonl", (analyst.key,), {"guid": analyst.key, "name": analyst.name, "created": analyst.created})
    for participant in bundle.participants:
        attributes = participant.attributes  # in the order they were set, as listings show them
        add(
            "participants.jsonl",
            (participant.key,),
            {"guid": participant.key, "name": participant.name, "attributes": attributes},
        )
    for t in bundle.transcripts:
        add(
            "transcripts.jsonl",
            (t.key,),
            {
                "guid": t.key,
                "name": t.name,
                "participant": t.participant_key,
                "text_sha256": sha256_text(t.text),
                "source_name": t.source_name,
                "source_sha256": t.source_sha256,
                "format": t.format,
                "encoding": t.encoding,
                "interviewer": t.interviewer,
                "preamble": t.preamble,
                "imported_at": t.created,
                "imported_by": t.imported_by_key,
            },
        )
        for turn in t.turns or []:
            add(
                "turns.jsonl",
                (t.key, turn.number),
                {
                    "transcript": t.key,
                    "number": turn.number,
                    "speaker": turn.speaker,
                    "interviewer": turn.is_interviewer,
                    "start": turn.start,
                    "body_start": turn.body_start,
                    "end": turn.end,
                    "timestamp": turn.timestamp,
                },
            )
    for code in bundle.codes:
        add(
            "codes.jsonl",
            (code.key,),
            {
                "guid": code.key,
                "name": code.name,
                "parent": code.parent_key,
                "color": code.color,
                "category": not code.codable,
                "status": None if code.status == "active" else code.status,
                "merged_into": code.merged_into_key,
                "created": code.created,
                "description": code.description,
                "inclusion": code.inclusion,
                "exclusion": code.exclusion,
            },
        )
    for c in bundle.codings:
        add(
            "codings.jsonl",
            (c.key,),
            {
                "guid": c.key,
                "transcript": c.transcript_key,
                "code": c.code_key,
                "analyst": c.analyst_key,
                "start": c.start,
                "end": c.end,
                "created": c.created,
            },
        )
    for theme in bundle.themes:
        add(
            "themes.jsonl",
            (theme.key,),
            {
                "guid": theme.key,
                "name": theme.name,
                "parent": theme.parent_key,
                "status": theme.status,
                "position": theme.position,
                "codes": theme.code_keys,  # in the order they joined the theme
                "definition": theme.definition,
                "concept": theme.concept,
            },
        )
    for link in bundle.theme_links:
        add(
            "theme_links.jsonl",
            (link.source_key, link.target_key),
            {"source": link.source_key, "target": link.target_key, "label": link.label},
        )
    positions: dict[str, int] = {}
    for quote in bundle.quotes:  # in each theme's order
        position = positions[quote.theme_key] = positions.get(quote.theme_key, -1) + 1
        add(
            "quotes.jsonl",
            (quote.theme_key, position),
            {"theme": quote.theme_key, "coding": quote.coding_key, "position": position},
        )
    for memo in bundle.memos:
        add(
            "memos.jsonl",
            (memo.key,),
            {
                "guid": memo.key,
                "analyst": memo.analyst_key,
                "kind": memo.kind,
                "target_type": memo.target_type,
                "target": memo.target_key,
                "phase": memo.phase,
                "created": memo.created,
                "updated": memo.updated,
                "body": memo.body,
            },
        )
    for number, move in enumerate(bundle.phase_log):
        add(
            "phase_log.jsonl",
            (move.at, number),
            {"at": move.at, "phase": move.phase, "analyst": move.analyst_key, "note": move.note},
        )
    return {name: "".join(line for _, line in sorted(entries)) for name, entries in lines.items()}
