"""Importing a QualCoder project (the PROJECT.qda folder with its data.qda SQLite file).

What comes in, with QualCoder's dates: text sources (documents, PDFs' extracted text, audio/video
transcripts), the code hierarchy (categories from code_cat stay categories, which are never
applied; code_name codes sit under them, or under another code in v16's sub-codes; a code's or
category's memo is its description), codings from code_text (their owner becomes the analyst),
journals, source, case, coding and project memos, annotations, cases with their attributes
(participants), and file attributes (given to the participant the file belongs to). Pictures and
recordings have no text, so they and their codings (code_image, code_av) stay out, but memos
written on them are kept, saying what they were on; what has no place here at all (important
marks, attribute memos, graphs, stored queries, references, passage links) is named, one line
per kind.

QualCoder's database version (project.databaseversion) is checked first: versions v1 to v17 are
known and read, tolerating the columns that differ between them (v1 to v3 have no code_text.ctid,
so a coding is known by its rowid; avid and important came in v2 and v3, code_name.supercid in
v16; v17 changed only the graph tables); any other version is refused, since its tables may mean
something else. Positions (pos0, pos1) are Python string indices into
source.fulltext, which QualCoder also records as seltext; the seltext is checked, and the
positions converted if they were counted another way (positions.py), so emoji and CRLF line ends
cannot shift a coding. A coding whose text does not match is reported and left out.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

from qualcode.errors import ImportFormatError
from qualcode.exchange import bundle as b
from qualcode.exchange.incorporate import Options, Outcome, incorporate
from qualcode.exchange.incorporate_transcripts import default_participant
from qualcode.exchange.positions import (
    CODE_POINTS,
    Convention,
    Selection,
    SourceText,
    choose_conventions,
)
from qualcode.exchange.refi.qde_values import document_name, stored_time
from qualcode.store import Project
from qualcode.wording import counted

KNOWN_VERSIONS = tuple(f"v{n}" for n in range(1, 18))
_MEDIA_PREFIXES = ("/images/", "/audio/", "/video/", "images:", "audio:", "video:")


def _connect(path: Path) -> tuple[sqlite3.Connection, str]:
    """A read-only connection to the project's data.qda, and the label messages use."""
    path = Path(path)
    database = path / "data.qda" if path.is_dir() else path
    label = path.name
    if not database.is_file():
        raise ImportFormatError(
            f"{path}: no QualCoder project here (a QualCoder project is a folder like study.qda holding data.qda)"
        )
    with open(database, "rb") as handle:
        head = handle.read(16)
    if head.startswith(b"PK\x03\x04"):  # a project folder zipped to send it, or a REFI-QDA export
        raise ImportFormatError(
            f"{label} is a zip archive: unzip it and give the PROJECT.qda folder inside "
            "(or, for a REFI-QDA export, use `qualcode import qdpx`)"
        )
    if head != b"SQLite format 3\x00":
        what = f"{label}: data.qda is" if database != path else f"{label} is"
        raise ImportFormatError(f"{what} not an SQLite database, so not a QualCoder project")
    connection = sqlite3.connect(f"file:{quote(str(database.resolve()))}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection, label


class _Tables:
    """The tables of one QualCoder database, read whatever columns its version has."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def count(self, table: str, counted: str = "*") -> int:
        """How many rows (or distinct values) a table has; 0 when this version has no such table."""
        if table not in self.names:
            return 0
        try:
            return self.connection.execute(f"SELECT count({counted}) FROM [{table}]").fetchone()[0]
        except sqlite3.OperationalError:  # a column this version lacks
            return 0

    def rows(self, table: str, columns: tuple[str, ...], key: str | None = None) -> list[dict[str, Any]]:
        """The rows with the columns this version has (None for the others). `key`, if given, is
        an id column that older versions lack: the row's rowid stands in for it there."""
        if table not in self.names:
            return []
        present = {r[1] for r in self.connection.execute(f"PRAGMA table_info([{table}])")}
        selected = [f"[{c}]" for c in columns if c in present]
        if key and key not in present:
            selected.append(f"rowid AS [{key}]")
            present.add(key)
        found = self.connection.execute(f"SELECT {', '.join(selected) or '1'} FROM [{table}]").fetchall()
        return [{c: (row[c] if c in present else None) for c in columns} for row in found]


def _check_version(tables: _Tables, label: str) -> str:
    required = {"project", "source", "code_name", "code_text"}
    if not required <= tables.names:
        missing = ", ".join(sorted(required - tables.names))
        raise ImportFormatError(f"{label} is not a QualCoder project: its database has no {missing} table")
    rows = tables.rows("project", ("databaseversion", "about"))
    version = (rows[0]["databaseversion"] or "").strip() if rows else ""
    if version not in KNOWN_VERSIONS:
        shown = f"version '{version}'" if version else "no version"
        raise ImportFormatError(
            f"{label} is a QualCoder database of {shown}, which qualcode does not know (it reads v1 to {KNOWN_VERSIONS[-1]}); "
            "export it from QualCoder as REFI-QDA (.qdpx) and import that instead"
        )
    return version


def read_qualcoder(path: Path) -> b.Bundle:
    connection, label = _connect(path)
    try:
        tables = _Tables(connection)
        version = _check_version(tables, label)
        return _Reader(tables, label, version).read()
    except sqlite3.DatabaseError as error:
        raise ImportFormatError(f"{label}: data.qda cannot be read ({error})") from None
    finally:
        connection.close()


class _Reader:
    def __init__(self, tables: _Tables, label: str, version: str):
        self.tables = tables
        self.out = b.Bundle(label, notes=[f"{label} is a QualCoder project, database {version}"])
        self.owners: dict[str, str] = {}
        self.conventions: dict[int, Convention] = {}  # per source, as its codings showed

    def _owner(self, name: str | None) -> str | None:
        name = (name or "").strip()
        if not name:
            return None
        key = f"owner:{name.casefold()}"
        if key not in self.owners:
            self.owners[key] = name
            self.out.analysts.append(b.Analyst(key, name))
        return key

    def read(self) -> b.Bundle:
        self._codes()
        texts = self._sources()
        self._codings(texts)
        self._cases(texts)
        self._memos(texts)
        self._media_work()
        self._unmapped()
        return self.out

    def _codes(self) -> None:
        categories = self.tables.rows("code_cat", ("catid", "name", "memo", "supercatid", "date"))
        codes = self.tables.rows("code_name", ("cid", "name", "memo", "catid", "color", "supercid", "owner", "date"))
        code_names = {(c["name"] or "").strip().casefold() for c in codes}
        for category in categories:
            name = (category["name"] or "").strip()
            if (
                name.casefold() in code_names
            ):  # QualCoder keeps categories and codes apart; qualcode's names are one list
                self.out.notes.append(
                    f"category '{name}' shares its name with a code: brought in as '{name} (category)'"
                )
                name = f"{name} (category)"
            parent = f"cat:{category['supercatid']}" if category["supercatid"] is not None else None
            self.out.codes.append(
                b.Code(
                    f"cat:{category['catid']}",
                    name,
                    description=category["memo"] or None,
                    parent_key=parent,
                    created=stored_time(category["date"]),
                    codable=False,
                )
            )
        for code in codes:
            if code["supercid"] is not None:
                parent = f"code:{code['supercid']}"
            else:
                parent = f"cat:{code['catid']}" if code["catid"] is not None else None
            self.out.codes.append(
                b.Code(
                    f"code:{code['cid']}",
                    code["name"] or "",
                    description=code["memo"] or None,
                    color=code["color"],
                    parent_key=parent,
                    created=stored_time(code["date"]),
                )
            )

    def _sources(self) -> dict[int, tuple[b.Transcript, SourceText]]:
        texts: dict[int, tuple[b.Transcript, SourceText]] = {}
        media = 0
        self.media_names: dict[int, str] = {}
        for source in self.tables.rows("source", ("id", "name", "fulltext", "mediapath", "memo", "owner", "date")):
            fulltext = source["fulltext"]
            if not fulltext or not fulltext.strip():
                mediapath = source["mediapath"] or ""
                if mediapath.startswith(_MEDIA_PREFIXES):
                    media += 1
                    self.media_names[source["id"]] = source["name"] or f"source {source['id']}"
                else:
                    self.out.warnings.append(f"skipped source '{source['name']}': it has no text")
                if (source["memo"] or "").strip():  # the file's memo is the analyst's, kept without its file
                    self.out.memos.append(
                        b.Memo(
                            f"source-memo:{source['id']}",
                            f"Memo on {source['name']} (not brought in: qualcode holds text only):\n\n{source['memo']}",
                            self._owner(source["owner"]),
                            created=stored_time(source["date"]),
                        )
                    )
                continue
            text = SourceText(fulltext)
            name = document_name(source["name"] or "") or f"Source {source['id']}"
            transcript = b.Transcript(
                f"source:{source['id']}",
                name,
                text.stored,
                source_name=source["name"],
                format="qualcoder",
                created=stored_time(source["date"]),
                imported_by_key=self._owner(source["owner"]),
            )
            texts[source["id"]] = (transcript, text)
            self.out.transcripts.append(transcript)
            if source["memo"] and source["memo"].strip():
                self.out.memos.append(
                    b.Memo(
                        f"source-memo:{source['id']}",
                        source["memo"],
                        self._owner(source["owner"]),
                        "familiarisation",
                        "transcript",
                        transcript.key,
                        created=stored_time(source["date"]),
                    )
                )
        if media:
            self.out.warnings.append(
                f"skipped {counted(media, 'image, audio or video source')}: qualcode holds text only"
            )
        return texts

    def _codings(self, texts: dict[int, tuple[b.Transcript, SourceText]]) -> None:
        rows = self.tables.rows(
            "code_text", ("ctid", "cid", "fid", "seltext", "pos0", "pos1", "owner", "date", "memo"), key="ctid"
        )
        by_source: dict[int, list[dict[str, Any]]] = defaultdict(list)
        missing: Counter[str] = Counter()
        code_ids = {c.key for c in self.out.codes}
        for row in rows:
            if row["fid"] not in texts:
                missing["a source that is not text or does not exist"] += 1
            elif f"code:{row['cid']}" not in code_ids:
                missing["a code that does not exist"] += 1
            elif not isinstance(row["pos0"], int) or not isinstance(row["pos1"], int):
                missing["a source without whole-number positions"] += 1
            else:
                by_source[row["fid"]].append(row)
        for what, count in missing.items():
            self.out.warnings.append(f"skipped {counted(count, 'coding')} that point to {what}")
        order = list(by_source)
        evidence = [
            (texts[fid][1], [Selection(r["pos0"], r["pos1"], r["seltext"]) for r in by_source[fid]]) for fid in order
        ]
        conventions = choose_conventions(evidence)
        converted: Counter[str] = Counter()
        for fid, convention in zip(order, conventions):
            self.conventions[fid] = convention
            transcript, text = texts[fid]
            if text.differs(convention):
                converted[convention.describe()] += 1
            for row in by_source[fid]:
                span = text.to_stored(row["pos0"], row["pos1"], convention)
                recorded = " ".join((row["seltext"] or "").replace("\u2029", "\n").split())
                if span is None or (recorded and " ".join(text.stored[span[0] : span[1]].split()) != recorded):
                    where = "outside the text" if span is None else "the text there is not the text QualCoder recorded"
                    self.out.warnings.append(
                        f"skipped a coding in '{transcript.name}' at {row['pos0']}-{row['pos1']}: {where}"
                    )
                    continue
                key = f"ctid:{row['ctid']}"
                self.out.codings.append(
                    b.Coding(
                        key,
                        transcript.key,
                        f"code:{row['cid']}",
                        self._owner(row["owner"]),
                        *span,
                        stored_time(row["date"]),
                    )
                )
                if row["memo"] and row["memo"].strip():
                    self.out.memos.append(
                        b.Memo(
                            f"coding-memo:{row['ctid']}",
                            row["memo"],
                            self._owner(row["owner"]),
                            "coding",
                            "coding",
                            key,
                            created=stored_time(row["date"]),
                        )
                    )
        for description, count in converted.items():
            self.out.notes.append(
                f"positions in {counted(count, 'source')} {description}; converted to qualcode's positions"
            )

    def _cases(self, texts: dict[int, tuple[b.Transcript, SourceText]]) -> None:
        attributes = self.tables.rows("attribute", ("name", "attr_type", "value", "id"))
        case_values: dict[int, dict[str, str]] = defaultdict(dict)
        file_values: dict[int, dict[str, str]] = defaultdict(dict)
        for row in attributes:
            value = "" if row["value"] is None else str(row["value"]).strip()
            if not row["name"] or not value:
                continue
            (case_values if row["attr_type"] == "case" else file_values)[row["id"]][row["name"]] = value
        participants: dict[str, b.Participant] = {}
        for case in self.tables.rows("cases", ("caseid", "name", "memo", "owner", "date")):
            key = f"case:{case['caseid']}"
            participants[key] = b.Participant(
                key, case["name"] or f"Case {case['caseid']}", attributes=case_values.get(case["caseid"], {})
            )
            if case["memo"] and case["memo"].strip():
                self.out.memos.append(
                    b.Memo(
                        f"case-memo:{case['caseid']}",
                        f"Case memo for {participants[key].name}:\n\n{case['memo']}",
                        self._owner(case["owner"]),
                        created=stored_time(case["date"]),
                    )
                )
        self.out.participants.extend(participants.values())
        cover: dict[int, Counter[str]] = defaultdict(Counter)
        for link in self.tables.rows("case_text", ("caseid", "fid", "pos0", "pos1")):
            if f"case:{link['caseid']}" in participants and link["fid"] in texts:
                cover[link["fid"]][f"case:{link['caseid']}"] += max(1, (link["pos1"] or 0) - (link["pos0"] or 0))
        for fid, (transcript, _) in texts.items():
            if cover.get(fid):
                ranked = cover[fid].most_common()
                transcript.participant_key = ranked[0][0]
                if len(ranked) > 1:
                    self.out.warnings.append(
                        f"'{transcript.name}' is linked to {len(ranked)} cases; it belongs to "
                        f"{participants[ranked[0][0]].name}, which covers most of it"
                    )
            values = file_values.get(fid)
            if not values:
                continue
            target = participants.get(transcript.participant_key or "")
            if target is None:
                target = b.Participant(f"file:{fid}", default_participant(transcript) or transcript.name)
                self.out.participants.append(target)
                participants[target.key] = target
                transcript.participant_key = target.key
            for name, value in values.items():
                if target.attributes.setdefault(name, value) != value:
                    self.out.warnings.append(
                        f"participant {target.name}: '{name}' is '{target.attributes[name]}' as a case attribute and "
                        f"'{value}' as an attribute of '{transcript.name}'; kept '{target.attributes[name]}'"
                    )

    def _media_work(self) -> None:
        """Codings of pictures (code_image) and recordings (code_av) have no text to lie on: they
        are named, and a memo written on one is kept, saying what it was on."""
        code_names = {c.key: c.name for c in self.out.codes}
        skipped = 0
        for table, key in (("code_image", "imid"), ("code_av", "avid")):
            for row in self.tables.rows(table, (key, "id", "cid", "memo", "owner", "date")):
                skipped += 1
                if not (row["memo"] or "").strip():
                    continue
                on = self.media_names.get(row["id"], "a source that is gone")
                code = code_names.get(f"code:{row['cid']}", "a code that is gone")
                self.out.memos.append(
                    b.Memo(
                        f"{table}-memo:{row[key]}",
                        f"Memo on a coding of {on} with '{code}' (not brought in: qualcode codes text only):"
                        f"\n\n{row['memo']}",
                        self._owner(row["owner"]),
                        created=stored_time(row["date"]),
                    )
                )
        if skipped:
            self.out.warnings.append(
                f"skipped {counted(skipped, 'coding')} of pictures, audio or video (their memos are kept): qualcode codes text only"
            )

    def _unmapped(self) -> None:
        """One line per kind of QualCoder's work that has no place in qualcode."""
        rows = self.tables.rows
        important = sum(1 for r in rows("code_text", ("important",)) if r["important"])
        if important:
            self.out.warnings.append(
                f"{counted(important, 'coding')} {'is' if important == 1 else 'are'} marked important in QualCoder: "
                "qualcode has no such mark, so "
                + ("it came in as an ordinary coding" if important == 1 else "they came in as ordinary codings")
            )
        described = sum(1 for r in rows("attribute_type", ("memo",)) if (r["memo"] or "").strip())
        if described:
            self.out.warnings.append(
                f"skipped the memos of {counted(described, 'attribute')}: qualcode's attributes have none"
            )
        linked = sum(1 for r in rows("case_text", ("memo",)) if (r["memo"] or "").strip())
        if linked:
            self.out.warnings.append(f"skipped {counted(linked, 'memo')} on links of files to cases")
        for table, rows_counted, noun, plural, rest in (
            ("graph", "*", "graph", None, " (qualcode draws its own thematic map from themes)"),
            ("stored_sql", "*", "stored SQL query", "stored SQL queries", ""),
            ("ris", "DISTINCT risid", "reference", None, " of the bibliography (RIS)"),
            ("link", "*", "link", None, " between passages"),
        ):
            count = self.tables.count(table, rows_counted)
            if count:
                self.out.warnings.append(f"skipped {counted(count, noun, plural)}{rest}")

    def _memos(self, texts: dict[int, tuple[b.Transcript, SourceText]]) -> None:
        for journal in self.tables.rows("journal", ("jid", "name", "jentry", "date", "owner")):
            body = "\n\n".join(p for p in ((journal["name"] or "").strip(), (journal["jentry"] or "").strip()) if p)
            self.out.memos.append(
                b.Memo(
                    f"journal:{journal['jid']}",
                    body,
                    self._owner(journal["owner"]),
                    "reflexive",
                    created=stored_time(journal["date"]),
                )
            )
        for note in self.tables.rows("annotation", ("anid", "fid", "pos0", "pos1", "memo", "owner", "date")):
            if note["fid"] not in texts or not (note["memo"] or "").strip():
                continue
            transcript, text = texts[note["fid"]]
            span = text.to_stored(note["pos0"] or 0, note["pos1"] or 0, self.conventions.get(note["fid"], CODE_POINTS))
            quoted = f"On “{' '.join(text.stored[span[0] : span[1]].split())}”: " if span else ""
            self.out.memos.append(
                b.Memo(
                    f"annotation:{note['anid']}",
                    quoted + note["memo"],
                    self._owner(note["owner"]),
                    "familiarisation",
                    "transcript",
                    transcript.key,
                    created=stored_time(note["date"]),
                )
            )
        project = self.tables.rows("project", ("memo",))
        if project and (project[0]["memo"] or "").strip():
            self.out.memos.append(b.Memo("project-memo", f"Project memo ({self.out.label}):\n\n{project[0]['memo']}"))


def import_qualcoder(
    project: Project,
    path: Path,
    analyst: str,
    *,
    analyst_map: dict[str, str] | None = None,
    rename_prefix: str | None = None,
    dry_run: bool = False,
) -> Outcome:
    bundle = read_qualcoder(path)
    options = Options(rename_prefix=rename_prefix, analyst_map=dict(analyst_map or {}))
    return incorporate(project, bundle, analyst, "import qualcoder", options, dry_run=dry_run)
