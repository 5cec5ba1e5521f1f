"""Reading a project folder (layout.py) into a Bundle, refusing a tree that is not consistent.

A folder comes from a git checkout that people edit and merge by hand, so it is checked whole
before anything is brought in, and the first problem is named with its file and line: a line
that is not a record, a merge-conflict marker left in a file, two records or files claiming one
GUID, a reference to something missing, a position past its transcript's text, or a transcript
whose text no longer matches the checksum its codings were made on. The limits on hostile files
of .qdpx archives apply: no file may lie outside the folder (symbolic links included), and no
file, nor the whole tree, may be larger than a project's text could be.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qualcode.errors import ImportFormatError
from qualcode.exchange import bundle as b
from qualcode.exchange.bulk import collector_paused
from qualcode.exchange.folder.layout import FIELDS, FORMAT, MANIFEST, TRANSCRIPTS_DIR, VERSION
from qualcode.exchange.guids import normalise_guid
from qualcode.exchange.incorporate import Options, Outcome, incorporate
from qualcode.exchange.incorporate_history import is_new_project
from qualcode.exchange.refi.archive import MAX_TOTAL_BYTES
from qualcode.store import Project
from qualcode.text.ingest import sha256_text
from qualcode.text.transcripts import Turn

MAX_FILE_BYTES = 512 * 1024**2
_CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


class FolderReader:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.label = self.folder.name or str(self.folder)
        self.root = self.folder.resolve()
        self.total = 0
        self.seen: dict[str, str] = {}  # GUID -> "file:line" that claimed it

    def fail(self, where: str, message: str) -> ImportFormatError:
        return ImportFormatError(f"{self.label}/{where}: {message}; nothing was brought in")

    # -- files -----------------------------------------------------------------------------

    def _path(self, name: str, required: bool) -> Path | None:
        """The file `name` inside the folder, its size counted against the limits."""
        path = self.folder / name
        if not path.exists() and not path.is_symlink():
            if required:
                raise self.fail(name, "missing (is this a folder `qualcode export folder` wrote?)")
            return None
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise self.fail(name, "refused: it points outside the folder")
        if not resolved.is_file():
            raise self.fail(name, "is not a file")
        size = resolved.stat().st_size
        self.total += size
        if size > MAX_FILE_BYTES or self.total > MAX_TOTAL_BYTES:
            raise self.fail(
                name, f"larger than the {MAX_FILE_BYTES / 1024**2:,.0f} MB a project's file can be; refused as unsafe"
            )
        return resolved

    def lines(self, name: str, required: bool = True) -> Iterator[tuple[int, str]]:
        """(number, line) of a text file, one at a time (a project's codings file is large),
        without its line end; a merge-conflict marker or bytes that are not UTF-8 are refused."""
        path = self._path(name, required)
        if path is None:
            return
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise self.fail(f"{name}:{number}", "not UTF-8 text") from None
                if number == 1:
                    line = line.removeprefix("\ufeff")
                line = line.removesuffix("\n").removesuffix("\r")  # a checkout may add either
                if line.startswith(_CONFLICT_MARKERS) and (len(line) == 7 or line[7] == " "):
                    raise self.fail(
                        f"{name}:{number}", "a merge-conflict marker is left in the file; resolve the conflict first"
                    )
                yield number, line

    def text(self, name: str, required: bool = True) -> str | None:
        """A whole file's text (a transcript), exactly, but for line ends a checkout changed."""
        path = self._path(name, required)
        if path is None:
            return None
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            bad_line = data[: error.start].count(b"\n") + 1
            raise self.fail(f"{name}:{bad_line}", "not UTF-8 text") from None
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
        for number, line in enumerate(text.split("\n"), start=1):
            if line.startswith(_CONFLICT_MARKERS) and (len(line) == 7 or line[7] == " "):
                raise self.fail(
                    f"{name}:{number}", "a merge-conflict marker is left in the file; resolve the conflict first"
                )
        return text

    def records(self, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """("file:line", record) for each line of a .jsonl file, its fields checked."""
        fields = FIELDS[name]
        known = {field for field, _, _ in fields}
        for number, line in self.lines(name):
            if not line.strip():
                continue
            where = f"{name}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise self.fail(where, f"not a JSON record ({error.msg})") from None
            if not isinstance(record, dict):
                raise self.fail(where, "not a JSON object")
            unknown = sorted(set(record) - known)
            if unknown:
                raise self.fail(where, f"unknown field '{unknown[0]}' (the fields are: {', '.join(sorted(known))})")
            for field, kind, required in fields:
                value = record.get(field)
                if value is None:
                    if required:
                        raise self.fail(where, f"the field '{field}' is missing")
                    continue
                ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
                if kind is float and isinstance(value, int) and not isinstance(value, bool):
                    record[field], ok = float(value), True
                if not ok:
                    raise self.fail(
                        where, f"'{field}' should be {_KIND_NAMES[kind]}, not {json.dumps(value, ensure_ascii=False)}"
                    )
            yield where, record

    def guid(self, where: str, value: str) -> str:
        guid = normalise_guid(value)
        if guid is None:
            raise self.fail(where, f"'{value}' is not a GUID")
        return guid

    def claim(self, where: str, value: str) -> str:
        """A record's own GUID, which no other record or file may claim."""
        guid = self.guid(where, value)
        if guid in self.seen:
            raise self.fail(where, f"GUID {guid} is claimed twice (also at {self.seen[guid]})")
        self.seen[guid] = where
        return guid

    # -- the project -----------------------------------------------------------------------

    def read(self) -> b.Bundle:
        if not self.folder.is_dir():
            raise ImportFormatError(f"{self.folder}: no such folder")
        manifest = self.text(MANIFEST) or ""
        try:
            header = json.loads(manifest)
        except json.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise self.fail(f"{MANIFEST}:1", f'not a qualcode project folder (expected format "{FORMAT}")')
        if header.get("version") != VERSION:
            raise self.fail(
                f"{MANIFEST}:1", f"version {header.get('version')} is not one this qualcode reads (upgrade qualcode)"
            )
        out = b.Bundle(self.label)
        analysts = self._people(out, "analysts.jsonl")
        participants = self._people(out, "participants.jsonl")
        lengths = self._transcripts(out, participants, analysts)
        codes = self._codes(out)
        self._codings(out, lengths, codes, analysts)
        self._themes(out, codes, {c.key for c in out.codings})
        self._memos(out, analysts)
        # The files are in GUID order (for merging); rows go in in the order they were made, so
        # their numbers (memo ids in listings) come back as they were.
        out.codings.sort(key=lambda c: (c.created or "", c.key))
        out.memos.sort(key=lambda m: (m.created or "", m.key))
        for where, r in self.records("phase_log.jsonl"):
            if not 1 <= r["phase"] <= 6:
                raise self.fail(where, f"phase {r['phase']} is not one of the six phases (1-6)")
            out.phase_log.append(
                b.PhaseMove(r["phase"], self._ref(where, r.get("analyst"), analysts, "analyst"), r["at"], r.get("note"))
            )
        return out

    def _ref(self, where: str, value: str | None, known: set[str] | dict[str, Any], what: str) -> str | None:
        if value is None:
            return None
        guid = self.guid(where, value)
        if guid not in known:
            raise self.fail(where, f"names {what} {guid}, which is not in the folder")
        # 200,000 codings name a few hundred transcripts, codes and analysts: one string each.
        return sys.intern(guid)

    def _people(self, out: b.Bundle, name: str) -> set[str]:
        keys = set()
        for where, r in self.records(name):
            key = self.claim(where, r["guid"])
            keys.add(key)
            if name == "analysts.jsonl":
                out.analysts.append(b.Analyst(key, r["name"], key, r.get("created")))
            else:
                attributes = r.get("attributes") or {}
                if not all(isinstance(v, str) for v in attributes.values()):
                    raise self.fail(where, "attribute values should be text")
                out.participants.append(b.Participant(key, r["name"], key, dict(attributes)))
        return keys

    def _transcripts(self, out: b.Bundle, participants: set[str], analysts: set[str]) -> dict[str, int]:
        lengths: dict[str, int] = {}
        files = self._transcript_files()
        for where, r in self.records("transcripts.jsonl"):
            key = self.claim(where, r["guid"])
            file = files.pop(key, None)
            if file is None:
                raise self.fail(where, f"its text {TRANSCRIPTS_DIR}/{key.upper()}.txt is missing")
            text = self.text(file) or ""
            if not unicodedata.is_normalized("NFC", text) or sha256_text(text) != r["text_sha256"]:
                raise self.fail(
                    file, f"its text is not the one its codings were made on (text_sha256 at {where}); restore it"
                )
            lengths[key] = len(text)
            out.transcripts.append(
                b.Transcript(
                    key,
                    r["name"],
                    text,
                    key,
                    self._ref(where, r.get("participant"), participants, "participant"),
                    r.get("source_name"),
                    r.get("format") or "text",
                    r.get("encoding"),
                    r.get("interviewer"),
                    r.get("preamble"),
                    r.get("source_sha256"),
                    [],
                    created=r.get("imported_at"),
                    imported_by_key=self._ref(where, r.get("imported_by"), analysts, "analyst"),
                )
            )
        for key, file in files.items():
            raise self.fail(file, f"no line of transcripts.jsonl names this transcript ({key})")
        by_key = {t.key: t for t in out.transcripts}
        for where, r in self.records("turns.jsonl"):
            transcript = by_key[self._ref(where, r["transcript"], lengths, "transcript") or ""]
            if not 0 <= r["start"] <= r["body_start"] <= r["end"] <= lengths[transcript.key]:
                raise self.fail(
                    where, f"the turn's positions are not within its text of {lengths[transcript.key]} characters"
                )
            assert transcript.turns is not None
            transcript.turns.append(
                Turn(
                    r["number"],
                    r.get("speaker"),
                    r["start"],
                    r["body_start"],
                    r["end"],
                    r.get("timestamp"),
                    bool(r.get("interviewer")),
                )
            )
        return lengths

    def _transcript_files(self) -> dict[str, str]:
        """GUID -> the file holding that transcript's text; two files for one GUID are refused."""
        folder = self.folder / TRANSCRIPTS_DIR
        if not folder.exists():
            return {}
        if not folder.resolve().is_relative_to(self.root) or not folder.is_dir():
            raise self.fail(TRANSCRIPTS_DIR, "refused: not a folder inside the project folder")
        files: dict[str, str] = {}
        for path in sorted(folder.iterdir()):
            name = f"{TRANSCRIPTS_DIR}/{path.name}"
            guid = normalise_guid(path.stem) if path.suffix == ".txt" else None
            if guid is None:
                raise self.fail(name, "not a transcript (transcripts are named GUID.txt)")
            if guid in files:
                raise self.fail(name, f"GUID {guid} is claimed twice (also by {files[guid]})")
            files[guid] = name
        return files

    def _codes(self, out: b.Bundle) -> set[str]:
        rows = list(self.records("codes.jsonl"))
        keys = {self.claim(where, r["guid"]) for where, r in rows}
        for where, r in rows:
            status = r.get("status") or "active"
            if status not in ("active", "merged", "retired"):
                raise self.fail(where, f"status '{status}' is not active, merged or retired")
            out.codes.append(
                b.Code(
                    self.guid(where, r["guid"]),
                    r["name"],
                    self.guid(where, r["guid"]),
                    r.get("description"),
                    r.get("inclusion"),
                    r.get("exclusion"),
                    r.get("color"),
                    self._ref(where, r.get("parent"), keys, "code"),
                    created=r.get("created"),
                    status=status,
                    merged_into_key=self._ref(where, r.get("merged_into"), keys, "code"),
                    codable=not r.get("category"),
                )
            )
        return keys

    def _codings(self, out: b.Bundle, lengths: dict[str, int], codes: set[str], analysts: set[str]) -> None:
        categories = {c.key: c.name for c in out.codes if not c.codable}
        for where, r in self.records("codings.jsonl"):
            key = self.claim(where, r["guid"])
            transcript = self._ref(where, r["transcript"], lengths, "transcript") or ""
            code = self._ref(where, r["code"], codes, "code")
            analyst = self._ref(where, r["analyst"], analysts, "analyst")
            if code in categories:
                raise self.fail(
                    where, f"applies '{categories[code]}', which codes.jsonl marks as a category (never applied)"
                )
            if not 0 <= r["start"] < r["end"] <= lengths[transcript]:
                raise self.fail(
                    where,
                    f"positions {r['start']}-{r['end']} are not within the transcript's {lengths[transcript]} characters",
                )
            created = r.get("created")
            out.codings.append(
                b.Coding(
                    key, transcript, code or "", analyst, r["start"], r["end"], created and sys.intern(created), key
                )
            )

    def _themes(self, out: b.Bundle, codes: set[str], codings: set[str]) -> None:
        rows = list(self.records("themes.jsonl"))
        keys = {self.claim(where, r["guid"]) for where, r in rows}
        for where, r in rows:
            members = [self._ref(where, c, codes, "code") or "" for c in r.get("codes") or [] if isinstance(c, str)]
            key = self.guid(where, r["guid"])
            out.themes.append(
                b.Theme(
                    key,
                    r["name"],
                    key,
                    r.get("definition"),
                    r.get("concept"),
                    self._ref(where, r.get("parent"), keys, "theme"),
                    r.get("status") or "candidate",
                    r.get("position"),
                    members,
                )
            )
        for where, r in self.records("theme_links.jsonl"):
            source, target = self._ref(where, r["source"], keys, "theme"), self._ref(where, r["target"], keys, "theme")
            out.theme_links.append(b.ThemeLink(source or "", target or "", r.get("label")))
        for where, r in self.records("quotes.jsonl"):
            theme, coding = (
                self._ref(where, r["theme"], keys, "theme"),
                self._ref(where, r["coding"], codings, "coding"),
            )
            out.quotes.append(b.Quote(theme or "", coding or ""))

    def _memos(self, out: b.Bundle, analysts: set[str]) -> None:
        targets = {
            "transcript": {t.key for t in out.transcripts},
            "code": {c.key for c in out.codes},
            "theme": {t.key for t in out.themes},
            "coding": {c.key for c in out.codings},
        }
        for where, r in self.records("memos.jsonl"):
            key = self.claim(where, r["guid"])
            target_type = r.get("target_type")
            if target_type is not None and target_type not in targets:
                raise self.fail(where, f"target_type '{target_type}' is not one of {', '.join(targets)}")
            target = self._ref(where, r.get("target"), targets[target_type], target_type) if target_type else None
            out.memos.append(
                b.Memo(
                    key,
                    r["body"],
                    self._ref(where, r["analyst"], analysts, "analyst"),
                    r["kind"],
                    target_type,
                    target,
                    r.get("phase"),
                    r.get("created"),
                    r.get("updated"),
                    key,
                )
            )


_KIND_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    dict: "an object",
    list: "a list",
}


def read_folder(folder: Path) -> b.Bundle:
    return FolderReader(folder).read()


def import_folder(
    project: Project, folder: Path, analyst: str, *, rename_prefix: str | None = None, dry_run: bool = False
) -> Outcome:
    """Bring a project folder in. A project just created becomes the project the folder holds
    (its phase log and code history too); any other takes what `qualcode merge` of that project
    would bring, so importing a git-merged tree is the same as merging the copies."""
    with collector_paused():
        bundle = read_folder(folder)
    if not is_new_project(project):
        coded = {c.code_key for c in bundle.codings}
        bundle.codes = [c for c in bundle.codes if c.status == "active" or c.key in coded]
        for code in bundle.codes:
            code.status, code.merged_into_key = "active", None
    options = Options(rename_prefix=rename_prefix, history=True)
    return incorporate(project, bundle, analyst, "import folder", options, dry_run=dry_run)
