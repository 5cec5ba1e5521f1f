"""Writing a project as REFI-QDA XML: project.qde (with its source texts) and codebook .qdc.

What goes where (see notation.py for the text conventions):

- analysts -> Users; codes -> CodeBook (hierarchy, colour, Description);
- participants -> Cases, their attributes -> Variables (Text) with VariableValues, their
  transcripts -> SourceRefs;
- transcripts -> TextSource with plainTextPath internal://GUID.txt, the text in sources/GUID.txt;
- codings -> PlainTextSelection (one per passage an analyst coded, positions in code points, end
  exclusive, creatingUser the analyst) holding one Coding per code;
- memos -> Notes, their text in the Note and in sources/GUID.txt (plainTextPath), referenced from
  what they are about (NoteRef on the TextSource, Code or Coding; MemberNote of a theme's Set);
  memos on codings also as their PlainTextSelection's Description;
- turn times -> a Note "Turn times of NAME" on the TextSource (notation.py);
- themes -> Sets named "Theme: NAME" with their codes as MemberCode; links between themes and a
  theme's illustrative extracts -> Links (theme to theme, theme to Coding).

Every element carries the GUID stored with its item, or one derived from it (guids.py), so the
same project exported twice gives the same GUIDs and a round trip adds nothing.
XML is written with ElementTree, one top-level element at a time, so a large project does not
have to exist as one element tree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring
from xml.sax.saxutils import quoteattr

from qualcode import __version__
from qualcode.exchange.guids import derived_guid, refi_guid
from qualcode.exchange.refi.notation import (
    CODE_DATES_NOTE,
    THEME_SET_PREFIX,
    TURN_TIMES_PREFIX,
    code_dates_text,
    code_description,
    memo_note_name,
    theme_description,
    turn_times_text,
)
from qualcode.store import Project
from qualcode.wording import counted

ORIGIN = f"qualcode {__version__}"
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
PROJECT_SCHEMA = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
CODEBOOK_SCHEMA = "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Characters XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EXCERPT_CHARS = 60


def clean(text: str | None) -> str:
    return _NOT_XML.sub("\ufffd", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def xsd_datetime(value: str | None) -> str | None:
    """A stored timestamp as xsd:dateTime in UTC ("2024-05-01T09:30:00Z"), or None."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds") + "Z"


def source_member(transcript_guid: str) -> str:
    return f"sources/{refi_guid(transcript_guid)}.txt"


def _element(tag: str, parent: Element | None = None, **attributes: str | None) -> Element:
    attrib = {k: clean(v) for k, v in attributes.items() if v is not None}
    return Element(tag, attrib) if parent is None else SubElement(parent, tag, attrib)


def _text_element(parent: Element, tag: str, text: str | None) -> None:
    if text and text.strip():
        _element(tag, parent).text = clean(text)


def _serialise(element: Element) -> str:
    return tostring(element, encoding="unicode")


@dataclass
class ExportCounts:
    transcripts: int = 0
    codes: int = 0
    codings: int = 0
    memos: int = 0
    participants: int = 0
    themes: int = 0
    sources: dict[str, str] = field(default_factory=dict)  # archive member -> text
    notes: list[str] = field(default_factory=list)  # where what REFI-QDA has no place for was put


class _ProjectData:
    """Everything an export needs, read once."""

    def __init__(self, project: Project):
        q = project.query
        self.analysts = {
            r["id"]: r for r in q("SELECT id, name, guid FROM analysts ORDER BY name COLLATE NOCASE, guid")
        }
        coded = {r[0] for r in project.db.execute("SELECT DISTINCT code_id FROM codings")}
        codes = q(
            "SELECT id, name, guid, description, inclusion, exclusion, parent_id, color, status, created, codable"
            " FROM codes ORDER BY name"
        )
        # Merged and retired codes are history, not codebook, unless codings still point at them.
        self.codes = {r["id"]: r for r in codes if r["status"] == "active" or r["id"] in coded}
        self.participants = q("SELECT id, name, guid FROM participants ORDER BY name COLLATE NOCASE, guid")
        self.attributes: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for row in q("SELECT participant_id, key, value FROM participant_attributes ORDER BY id"):
            if row["value"] not in (None, ""):
                self.attributes[row["participant_id"]].append((row["key"], row["value"]))
        self.transcripts = q(
            "SELECT id, name, guid, participant_id, imported_at, imported_by FROM transcripts ORDER BY name"
        )
        self.memos = q(
            "SELECT id, guid, analyst_id, kind, target_type, target_id, phase, body, created, updated FROM memos ORDER BY created, guid"
        )
        self.themes = _parents_then_children(
            q("SELECT id, name, guid, definition, concept, parent_id, status, position FROM themes")
        )
        self.theme_codes: dict[int, list[int]] = defaultdict(list)
        for theme_id, code_id in project.db.execute("SELECT theme_id, code_id FROM theme_codes ORDER BY id"):
            self.theme_codes[theme_id].append(code_id)
        self.theme_links = q("SELECT source_id, target_id, label FROM theme_links ORDER BY id")
        self.quotes = q(
            "SELECT q.theme_id, c.guid FROM theme_quotes q JOIN codings c ON c.id = q.coding_id ORDER BY q.theme_id, q.position, q.id"
        )
        # Links and quotes follow the themes' own order, not row ids, which differ between copies.
        order = {t["id"]: number for number, t in enumerate(self.themes)}
        self.theme_links.sort(key=lambda r: (order[r["source_id"]], order[r["target_id"]]))
        self.quotes.sort(key=lambda r: order[r["theme_id"]])  # stable: keeps each theme's quote order
        self.transcript_names = {t["id"]: t["name"] for t in self.transcripts}
        self.code_names = {c["id"]: c["name"] for c in self.codes.values()}
        self.theme_names = {t["id"]: t["name"] for t in self.themes}
        self.notes_for: dict[tuple[str, int], list[str]] = defaultdict(list)
        self.coding_memos: dict[int, list[str]] = defaultdict(list)
        for memo in self.memos:
            if memo["target_type"] and memo["target_id"] is not None:
                self.notes_for[(memo["target_type"], memo["target_id"])].append(memo["guid"])
                if memo["target_type"] == "coding":
                    self.coding_memos[memo["target_id"]].append(memo["body"])
        self.turn_times: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for transcript_id, number, timestamp in project.db.execute(
            "SELECT transcript_id, number, timestamp FROM turns WHERE timestamp IS NOT NULL ORDER BY transcript_id, number"
        ):
            self.turn_times[transcript_id].append((number, timestamp))
        self.turn_notes = {
            t["id"]: derived_guid("turn times", t["guid"]) for t in self.transcripts if t["id"] in self.turn_times
        }

    def analyst_guid(self, analyst_id: int | None) -> str | None:
        row = self.analysts.get(analyst_id)
        return refi_guid(row["guid"]) if row else None


def _parents_then_children(themes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each theme followed by its subthemes, siblings in their order: the same in every copy,
    whatever the row ids, and however a copy numbered its positions."""
    children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    ids = {t["id"] for t in themes}
    for theme in themes:
        children[theme["parent_id"] if theme["parent_id"] in ids else None].append(theme)
    ordered: list[dict[str, Any]] = []
    placed: set[int] = set()

    def place(parent: int | None) -> None:
        for theme in sorted(children.get(parent, []), key=lambda t: (t["position"], t["name"].casefold(), t["guid"])):
            if theme["id"] not in placed:  # a cycle in a damaged hierarchy must not recurse forever
                placed.add(theme["id"])
                ordered.append(theme)
                place(theme["id"])

    place(None)
    ordered += [t for t in themes if t["id"] not in placed]
    return ordered


def _code_elements(data: _ProjectData, parent: Element, with_notes: bool) -> None:
    children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for code in data.codes.values():
        parent_id = code["parent_id"] if code["parent_id"] in data.codes else None
        children[parent_id].append(code)

    def add(container: Element, code: dict[str, Any], seen: set[int]) -> None:
        element = _element(
            "Code",
            container,
            guid=refi_guid(code["guid"]),
            name=code["name"],
            isCodable="true" if code["codable"] else "false",  # a category is not
            color=code["color"],
        )
        _text_element(
            element, "Description", code_description(code["description"], code["inclusion"], code["exclusion"])
        )
        if with_notes:
            for note in data.notes_for.get(("code", code["id"]), []):
                _element("NoteRef", element, targetGUID=refi_guid(note))
        seen.add(code["id"])
        for child in children.get(code["id"], []):
            if child["id"] not in seen:  # a cycle in a damaged hierarchy must not recurse forever
                add(element, child, seen)

    seen: set[int] = set()
    for code in children.get(None, []):
        add(parent, code, seen)
    for code in data.codes.values():  # codes on a parent cycle, reachable from no root
        if code["id"] not in seen:
            add(parent, code, seen)


def project_xml(project: Project, project_name: str, counts: ExportCounts) -> Iterator[str]:
    """project.qde as pieces of text, in order; `counts` gathers what was written, and the
    source texts to pack beside it, as the pieces are made."""
    return _project_chunks(project, _ProjectData(project), project_name, counts)


def _project_chunks(project: Project, data: _ProjectData, name: str, counts: ExportCounts) -> Iterator[str]:
    default = project.db.execute("SELECT guid FROM analysts WHERE name = ?", [project.default_analyst()]).fetchone()
    yield '<?xml version="1.0" encoding="utf-8"?>\n'
    yield (
        f"<Project xmlns={quoteattr(PROJECT_NAMESPACE)} xmlns:xsi={quoteattr(_XSI)}"
        f" xsi:schemaLocation={quoteattr(PROJECT_NAMESPACE + ' ' + PROJECT_SCHEMA)}"
        f" name={quoteattr(clean(name))} origin={quoteattr(ORIGIN)}"
        + (f" creatingUserGUID={quoteattr(refi_guid(default[0]))}" if default else "")
        + f" creationDateTime={quoteattr(xsd_datetime(dt.datetime.now(dt.UTC).isoformat()) or '')}>\n"
    )
    if data.analysts:
        users = _element("Users")
        for analyst in data.analysts.values():
            _element("User", users, guid=refi_guid(analyst["guid"]), name=analyst["name"])
        yield _serialise(users) + "\n"
    if data.codes:
        codebook = _element("CodeBook")
        _code_elements(data, _element("Codes", codebook), with_notes=True)
        counts.codes = len(data.codes)
        yield _serialise(codebook) + "\n"
    keys = list(dict.fromkeys(key for pairs in data.attributes.values() for key, _ in pairs))
    variable_guids = {key: refi_guid(derived_guid("variable", key.casefold())) for key in keys}
    if keys:
        variables = _element("Variables")
        for key in keys:
            _element("Variable", variables, guid=variable_guids[key], name=key, typeOfVariable="Text")
        yield _serialise(variables) + "\n"
    if data.participants:
        yield _serialise(_cases(data, variable_guids)) + "\n"
        counts.participants = len(data.participants)
    if data.transcripts:
        yield "<Sources>\n"
        for transcript in data.transcripts:
            yield _serialise(_text_source(project, data, transcript, counts)) + "\n"
        yield "</Sources>\n"
    if data.memos or data.turn_notes or data.codes:
        notes = _element("Notes")
        for memo in data.memos:
            _note(data, notes, memo, counts)
        for transcript in data.transcripts:
            if transcript["id"] in data.turn_notes:
                _turn_times_note(data, notes, transcript, counts)
        if data.codes:
            _code_dates_note(data, notes, counts)
        counts.memos = len(data.memos)
        counts.notes += _placement_notes(data)
        yield _serialise(notes) + "\n"
    links = _links(data)
    if links is not None:
        yield _serialise(links) + "\n"
    if data.themes:
        yield _serialise(_theme_sets(data)) + "\n"
        counts.themes = len(data.themes)
    yield "</Project>\n"


def _placement_notes(data: _ProjectData) -> list[str]:
    """One line per kind of thing the standard has no field for, and where it went (notation.py)."""
    notes = []
    if any(c["inclusion"] or c["exclusion"] for c in data.codes.values()):
        notes.append(
            "inclusion and exclusion criteria: in each code's Description, as 'Inclusion: …' and 'Exclusion: …'"
        )
    if data.codes:
        notes.append("when each code was created: in the Note named 'Code dates'")
    if data.memos:
        notes.append("each memo's kind and phase: in its Note's name, e.g. 'Reflexive memo (phase 2)'")
    if data.coding_memos:
        notes.append("memos on codings: also as the Description of the coding's selection, where QualCoder reads them")
    if data.turn_notes:
        notes.append(
            f"turn times of {counted(len(data.turn_notes), 'transcript')}: in Notes named 'Turn times of NAME'"
        )
    if data.themes:
        notes.append("themes: Sets named 'Theme: NAME', their definition, concept and status in the Set's Description")
    return notes


def _cases(data: _ProjectData, variable_guids: dict[str, str]) -> Element:
    transcripts_of: dict[int, list[str]] = defaultdict(list)
    for transcript in data.transcripts:
        if transcript["participant_id"] is not None:
            transcripts_of[transcript["participant_id"]].append(transcript["guid"])
    cases = _element("Cases")
    for participant in data.participants:
        case = _element("Case", cases, guid=refi_guid(participant["guid"]), name=participant["name"])
        for key, value in data.attributes.get(participant["id"], []):
            variable_value = _element("VariableValue", case)
            _element("VariableRef", variable_value, targetGUID=variable_guids[key])
            _element("TextValue", variable_value).text = clean(value)
        for guid in transcripts_of.get(participant["id"], []):
            _element("SourceRef", case, targetGUID=refi_guid(guid))
    return cases


def _excerpt(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= _EXCERPT_CHARS else words[: _EXCERPT_CHARS - 1].rstrip() + "…"


def _text_source(project: Project, data: _ProjectData, transcript: dict[str, Any], counts: ExportCounts) -> Element:
    text = project.db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript["id"]]).fetchone()[0]
    guid = refi_guid(transcript["guid"])
    member = source_member(transcript["guid"])
    counts.sources[member] = text
    counts.transcripts += 1
    source = _element(
        "TextSource",
        guid=guid,
        name=transcript["name"],
        plainTextPath=f"internal://{guid}.txt",
        creatingUser=data.analyst_guid(transcript["imported_by"]),
        creationDateTime=xsd_datetime(transcript["imported_at"]),
    )
    passages: dict[tuple[int, int, int], list[tuple]] = defaultdict(list)
    for row in project.db.execute(
        "SELECT id, guid, code_id, analyst_id, start, [end], created FROM codings WHERE transcript_id = ?"
        " ORDER BY start, [end], (SELECT guid FROM analysts a WHERE a.id = analyst_id), guid",
        [transcript["id"]],
    ):
        passages[(row[4], row[5], row[3])].append(row)
    for (start, end, analyst_id), codings in passages.items():
        analyst = data.analyst_guid(analyst_id)
        selection = _element(
            "PlainTextSelection",
            source,
            guid=refi_guid(derived_guid("selection", transcript["guid"], start, end, analyst or "")),
            name=_excerpt(text[start:end]),
            startPosition=str(start),
            endPosition=str(end),
            creatingUser=analyst,
            creationDateTime=xsd_datetime(min(c[6] for c in codings)),
        )
        # QualCoder reads a coding's memo only from here; the Notes below stay the full record.
        _text_element(
            selection, "Description", "\n\n".join(body for c in codings for body in data.coding_memos.get(c[0], []))
        )
        for coding_id, coding_guid, code_id, _, _, _, created in codings:
            if code_id not in data.codes:
                continue
            coding = _element(
                "Coding",
                selection,
                guid=refi_guid(coding_guid),
                creatingUser=analyst,
                creationDateTime=xsd_datetime(created),
            )
            _element("CodeRef", coding, targetGUID=refi_guid(data.codes[code_id]["guid"]))
            for note in data.notes_for.get(("coding", coding_id), []):
                _element("NoteRef", coding, targetGUID=refi_guid(note))
            counts.codings += 1
    for note in data.notes_for.get(("transcript", transcript["id"]), []):
        _element("NoteRef", source, targetGUID=refi_guid(note))
    if transcript["id"] in data.turn_notes:
        _element("NoteRef", source, targetGUID=refi_guid(data.turn_notes[transcript["id"]]))
    return source


def _target_label(data: _ProjectData, memo: dict[str, Any]) -> str | None:
    target_type, target_id = memo["target_type"], memo["target_id"]
    if target_type == "coding":
        return "a coding"
    names = {"transcript": data.transcript_names, "code": data.code_names, "theme": data.theme_names}
    return names.get(target_type, {}).get(target_id)


def _note(data: _ProjectData, notes: Element, memo: dict[str, Any], counts: ExportCounts) -> None:
    analyst = data.analyst_guid(memo["analyst_id"])
    guid = refi_guid(memo["guid"])
    note = _element(
        "Note",
        notes,
        guid=guid,
        name=memo_note_name(memo["kind"], memo["phase"], _target_label(data, memo)),
        plainTextPath=f"internal://{guid}.txt",
        creatingUser=analyst,
        creationDateTime=xsd_datetime(memo["created"]),
        modifyingUser=analyst,
        modifiedDateTime=xsd_datetime(memo["updated"]),
    )
    _element("PlainTextContent", note).text = clean(memo["body"])
    counts.sources[f"sources/{guid}.txt"] = clean(memo["body"])


def _turn_times_note(data: _ProjectData, notes: Element, transcript: dict[str, Any], counts: ExportCounts) -> None:
    guid = refi_guid(data.turn_notes[transcript["id"]])
    body = turn_times_text(data.turn_times[transcript["id"]])
    note = _element(
        "Note",
        notes,
        guid=guid,
        name=TURN_TIMES_PREFIX + transcript["name"],
        plainTextPath=f"internal://{guid}.txt",
        creatingUser=data.analyst_guid(transcript["imported_by"]),
        creationDateTime=xsd_datetime(transcript["imported_at"]),
    )
    _element("PlainTextContent", note).text = body
    counts.sources[f"sources/{guid}.txt"] = body


def _code_dates_note(data: _ProjectData, notes: Element, counts: ExportCounts) -> None:
    """REFI-QDA's Code has no date; one Note keeps them all (notation.py)."""
    guid = refi_guid(derived_guid("code dates", *sorted(c["guid"] for c in data.codes.values())))
    body = code_dates_text([(c["name"], c["created"]) for c in data.codes.values()])
    note = _element("Note", notes, guid=guid, name=CODE_DATES_NOTE, plainTextPath=f"internal://{guid}.txt")
    _element("PlainTextContent", note).text = clean(body)
    counts.sources[f"sources/{guid}.txt"] = clean(body)


def _links(data: _ProjectData) -> Element | None:
    themes = {t["id"]: t for t in data.themes}
    links = _element("Links")
    for link in data.theme_links:
        source, target = themes[link["source_id"]], themes[link["target_id"]]
        _element(
            "Link",
            links,
            guid=refi_guid(derived_guid("theme link", source["guid"], target["guid"])),
            name=link["label"] or "related to",
            direction="OneWay",
            originGUID=refi_guid(source["guid"]),
            targetGUID=refi_guid(target["guid"]),
        )
    for quote in data.quotes:
        theme = themes[quote["theme_id"]]
        _element(
            "Link",
            links,
            guid=refi_guid(derived_guid("theme quote", theme["guid"], quote["guid"])),
            name="illustrative extract",
            direction="OneWay",
            originGUID=refi_guid(theme["guid"]),
            targetGUID=refi_guid(quote["guid"]),
        )
    return links if len(links) else None


def _theme_sets(data: _ProjectData) -> Element:
    names = data.theme_names
    sets = _element("Sets")
    for theme in data.themes:
        member_set = _element("Set", sets, guid=refi_guid(theme["guid"]), name=THEME_SET_PREFIX + theme["name"])
        _text_element(
            member_set,
            "Description",
            theme_description(theme["definition"], theme["concept"], theme["status"], names.get(theme["parent_id"])),
        )
        for code_id in data.theme_codes.get(theme["id"], []):
            if code_id in data.codes:
                _element("MemberCode", member_set, targetGUID=refi_guid(data.codes[code_id]["guid"]))
        for note in data.notes_for.get(("theme", theme["id"]), []):
            _element("MemberNote", member_set, targetGUID=refi_guid(note))
    return sets


def codebook_xml(project: Project) -> tuple[str, int]:
    """A .qdc codebook as text, and how many codes it holds (0: nothing to write)."""
    data = _ProjectData(project)
    if not data.codes:
        return "", 0
    root = _element("CodeBook", origin=ORIGIN)
    root.set("xmlns", CODEBOOK_NAMESPACE)
    root.set("xmlns:xsi", _XSI)
    root.set("xsi:schemaLocation", f"{CODEBOOK_NAMESPACE} {CODEBOOK_SCHEMA}")
    _code_elements(data, _element("Codes", root), with_notes=False)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + _serialise(root) + "\n", len(data.codes)
