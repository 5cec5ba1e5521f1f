"""Reading a REFI-QDA project (project.qde and its sources) leniently into a Bundle.

Real exporters deviate from the schema, so this reads what is there and says what it left out:
missing names, sources under Sources/ or sources/ or with paths that are not internal://, text
given only as a .docx, selections without codings (annotations), NVivo's cases that are also
codes and its "Classification:Attribute" names, MAXQDA's nameless cases that carry a document's
variables, codes that share a name under different parents, QualCoder's annotations that mark
their own passage. Pictures, audio and video have no text to code, so only their transcripts
come in, with the codings between their sync points. Positions are converted to stored
positions per source (positions.py); a selection that falls outside its text is reported and
left out, never moved.

A file that qualcode wrote (origin "qualcode 0.1.0", not QualCoder's "QualCoder 3.6") is read with
qualcode's own conventions: positions are code points, and the labelled text of notation.py is
turned back into fields.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from qualcode.analysis.memos import DEFAULT_KIND
from qualcode.errors import QualcodeError
from qualcode.exchange import bundle as b
from qualcode.exchange.guids import key_guid, normalise_guid
from qualcode.exchange.incorporate_transcripts import default_participant
from qualcode.exchange.positions import (
    CODE_POINTS,
    Convention,
    Selection,
    SourceText,
    choose_conventions,
)
from qualcode.exchange.refi.archive import QdpxArchive
from qualcode.exchange.refi.notation import (
    THEME_SET_PREFIX,
    parse_memo_note_name,
    parse_theme_description,
    split_code_description,
    written_by_qualcode,
)
from qualcode.exchange.refi.richtext import docx_plain_text
from qualcode.exchange.refi.xmlread import child, children, children_of, text_of
from qualcode.text.importers.encoding import decode_bytes

_MEDIA = ("PictureSource", "AudioSource", "VideoSource", "PDFSource")


_FILE_SUFFIXES = (
    ".txt", ".docx", ".doc", ".odt", ".rtf", ".md", ".pdf", ".htm", ".html",
    ".m4a", ".mp3", ".wav", ".ogg", ".flac", ".mp4", ".mov", ".wmv", ".avi", ".webm",
)  # fmt: skip
# QualCoder names a recording's transcript "interview.m4a.transcribed" (and, imported, "interview.m4a.txt").
_TRANSCRIBED = ".transcribed"


def document_name(name: str) -> str:
    """A source's name as a transcript name: "Interview B03.docx" -> "Interview B03",
    "night round.m4a.transcribed" -> "night round"."""
    name = name.strip()
    stem = name[: -len(_TRANSCRIBED)] if name.lower().endswith(_TRANSCRIBED) else name
    while True:
        shorter, suffix = posixpath.splitext(stem)
        if suffix.lower() not in _FILE_SUFFIXES or not shorter.strip():
            break
        stem = shorter.strip()
    return stem.strip() or name


def ref(value: str | None) -> str | None:
    """How one element refers to another: by GUID, compared without case, braces or odd hyphens.

    Only a key for matching references (checked as a GUID once per item, by key_guid): this is
    called for every reference in the file, so it is kept to string operations.
    """
    if value is None:
        return None
    key = value.strip()
    if key[:1] == "{" and key[-1:] == "}":
        key = key[1:-1]
    if not key.isascii():
        key = normalise_guid(key) or key
    return key.lower() or None


@functools.lru_cache(maxsize=4096)  # programs stamp many codings with the same second
def stored_time(value: str | None) -> str | None:
    """An xsd:dateTime as qualcode stores times (ISO, UTC offset); None if unreadable."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


@dataclass
class _Selection:
    key: str
    start: int
    end: int
    hint: str | None
    user: str | None
    created: str | None
    description: str
    codings: list[tuple[str, str | None, str | None, str | None, list[str]]]  # key, code, user, created, notes
    notes: list[str]


@dataclass
class _Source:
    key: str
    name: str
    text: SourceText
    selections: list[_Selection] = field(default_factory=list)
    whole_codings: list[tuple[str, str | None, str | None, str | None]] = field(default_factory=list)


def read_code_tree(codes: Element | None, own: bool, on_note=None) -> list[b.Code]:
    """Codes (parents before children) from a <Codes> element of a project or a codebook.

    isCodable="false" marks a category in other programs; qualcode's codes can all be applied,
    so a category becomes a parent code.
    """
    found: list[b.Code] = []

    def walk(element: Element, parent: str | None) -> None:
        for number, code in enumerate(children(element, "Code"), start=1):
            key = ref(code.get("guid")) or f"{parent or 'code'}/{number}"
            description = text_of(child(code, "Description")) or None
            inclusion = exclusion = None
            if own:
                description, inclusion, exclusion = split_code_description(description)
            name = (code.get("name") or "").strip() or "Unnamed code"
            guid = key_guid(code.get("guid"), "code", key)
            found.append(b.Code(key, name, guid, description, inclusion, exclusion, code.get("color"), parent))
            if on_note is not None:
                for note in children(code, "NoteRef"):
                    on_note(note, "code", key)
            walk(code, key)

    if codes is not None:
        walk(codes, None)
    return found


def distinct_code_names(codes: list[b.Code]) -> list[str]:
    """Give codes that share a name in the file names of their own; one note per shared name.

    Other programs allow "Examples" under "Positive" and again under "Negative"; qualcode's code
    names are unique, and matching both by name would pour the two codes' codings into one. Each
    one under a parent is named after it ("Examples (Negative)"); a top-level one keeps its name.
    """
    by_name: dict[str, list[b.Code]] = defaultdict(list)
    for code in codes:
        by_name[code.name.casefold()].append(code)
    names = {code.key: code.name for code in codes}
    taken = set(by_name)
    notes = []
    for same in by_name.values():
        if len(same) < 2:
            continue
        original = same[0].name
        for code in same:
            if code.parent_key is None:
                continue
            name = candidate = f"{code.name} ({names.get(code.parent_key, 'code')})"
            number = 2
            while candidate.casefold() in taken:
                candidate, number = f"{name} {number}", number + 1
            taken.add(candidate.casefold())
            code.name = candidate
        seen: set[str] = set()
        for code in same:  # two at the top level: number the later ones
            number = 2
            while code.name.casefold() in seen:
                code.name, number = f"{original} {number}", number + 1
            seen.add(code.name.casefold())
            taken.add(code.name.casefold())
        notes.append(
            f"{len(same)} codes are named '{original}': brought in as " + ", ".join(f"'{c.name}'" for c in same)
        )
    return notes


class ProjectReader:
    def __init__(self, root: Element, archive: QdpxArchive | None, label: str):
        if root.tag != "Project":
            raise QualcodeError(f"{label} is not a REFI-QDA project: its XML root is <{root.tag}>, not <Project>")
        self.root = root
        self.archive = archive
        self.origin = root.get("origin") or ""
        self.own = written_by_qualcode(self.origin)
        self.out = b.Bundle(label)
        self.users: dict[str, str] = {}
        self.user_refs: dict[str | None, str | None] = {}  # attribute value -> user key, for speed
        self.note_targets: dict[str, tuple[str, str]] = {}
        self.source_case: dict[str, str] = {}
        self.file_attributes: dict[str, dict[str, str]] = defaultdict(dict)
        # selection -> (source, its first coding, the words it covers)
        self.selection_owner: dict[str, tuple[str, str | None, str]] = {}
        self.quoted_notes: dict[str, str] = {}  # note -> the passage it annotates (no coding there)
        self.placed: dict[str, tuple[SourceText, Convention]] = {}  # source -> its text and how it counts
        self.coding_keys: set[str] = set()
        self.skipped: Counter[str] = Counter()

    def read(self) -> b.Bundle:
        if self.origin:
            self.out.notes.append(f"{self.out.label} was written by {self.origin}")
        self._users()
        codes = self._codes()
        variables = self._variables()
        cases = self._cases(variables)
        case_codes = {key for key in codes if key in cases}
        case_folders = {c.parent_key for c in self.out.codes if c.key in case_codes and c.parent_key}
        self.out.codes = [c for c in self.out.codes if c.key not in case_codes]
        if case_codes:
            self.out.notes.append(
                f"{len(case_codes)} code(s) are cases (as NVivo writes them): their codings link sources to cases"
            )
        sources = self._sources(variables)
        self._place_codings(sources, case_codes)
        self._drop_case_folders(case_folders)
        self._attach_participants(cases)
        self._links_and_sets()
        self._notes()
        description = text_of(child(self.root, "Description"))
        if description:
            self.out.memos.append(
                b.Memo(key="project-description", body=f"Project description ({self.out.label}):\n\n{description}")
            )
        for what, count in sorted(self.skipped.items()):
            if count:
                self.out.warnings.append(f"skipped {count} {what}")
        return self.out

    # -- users, codes, variables, cases ------------------------------------------------------

    def _users(self) -> None:
        for number, user in enumerate(children(child(self.root, "Users"), "User"), start=1):
            key = ref(user.get("guid")) or f"user-{number}"
            name = (user.get("name") or user.get("id") or f"User {number}").strip()
            self.users[key] = key
            self.out.analysts.append(b.Analyst(key, name, key_guid(user.get("guid"), "user", name)))

    def _user(self, *values: str | None) -> str | None:
        """The first of `values` that names a known user."""
        for value in values:
            if value not in self.user_refs:
                key = ref(value)
                self.user_refs[value] = key if key in self.users else None
            if self.user_refs[value]:
                return self.user_refs[value]
        return None

    def _codes(self) -> set[str]:
        self.out.codes = read_code_tree(child(child(self.root, "CodeBook"), "Codes"), self.own, self._note_target)
        self.out.notes.extend(distinct_code_names(self.out.codes))
        return {c.key for c in self.out.codes}

    def _note_target(self, note_ref: Element, target_type: str, target_key: str) -> None:
        note = ref(note_ref.get("targetGUID"))
        if note and note not in self.note_targets:
            self.note_targets[note] = (target_type, target_key)

    def _variables(self) -> dict[str, str]:
        names = {
            key: (variable.get("name") or "").strip()
            for variable in children(child(self.root, "Variables"), "Variable")
            if (key := ref(variable.get("guid"))) and (variable.get("name") or "").strip()
        }
        if "nvivo" not in self.origin.lower():
            return names
        # NVivo names an attribute after its classification too ("Cases:Age group", "Person:Role");
        # a participant's attribute is "Age group", unless two classifications share that name.
        short = {key: name.partition(":")[2].strip() or name for key, name in names.items()}
        if len(set(short.values())) == len(short) and short != names:
            prefixes = sorted({name.partition(":")[0] + ":" for key, name in names.items() if short[key] != name})
            self.out.notes.append(
                f"attribute names were read without their NVivo classification ({', '.join(prefixes)})"
            )
            return short
        return names

    def _values(self, element: Element, variables: dict[str, str]) -> dict[str, str]:
        values = {}
        for variable_value in children(element, "VariableValue"):
            variable = child(variable_value, "VariableRef")
            name = variables.get(ref(variable.get("targetGUID")) or "") if variable is not None else None
            value = text_of(next((c for c in variable_value if c.tag != "VariableRef"), None))
            if name and value:
                values[name] = value
        return values

    def _cases(self, variables: dict[str, str]) -> set[str]:
        keys: set[str] = set()
        for number, case in enumerate(children(child(self.root, "Cases"), "Case"), start=1):
            key = ref(case.get("guid")) or f"case-{number}"
            values = self._values(case, variables)
            sources = [s for r in children(case, "SourceRef") if (s := ref(r.get("targetGUID")))]
            name = (case.get("name") or "").strip()
            if not name and len(sources) == 1:  # MAXQDA, Quirkos: a document's variables, not a case
                self.file_attributes[sources[0]].update(values)
                continue
            name = name or f"Case {number}"
            self.out.participants.append(b.Participant(key, name, key_guid(case.get("guid"), "case", key), values))
            keys.add(key)
            if description := text_of(child(case, "Description")):  # QualCoder's case memo
                self.out.memos.append(b.Memo(f"{key}/description", f"Case memo for {name}:\n\n{description}"))
            for source in sources:
                self._link_case(source, key)
            for selection in children(case, "SelectionRef"):
                if target := ref(selection.get("targetGUID")):
                    self._link_case(f"selection:{target}", key)
        return keys

    def _link_case(self, source: str, case: str) -> None:
        if self.source_case.setdefault(source, case) != case:
            self.skipped["link(s) of a source to a second case (a transcript belongs to one participant)"] += 1

    # -- sources ---------------------------------------------------------------------------

    def _sources(self, variables: dict[str, str]) -> list[_Source]:
        sources: list[_Source] = []
        for number, element in enumerate(children_of(child(self.root, "Sources")), start=1):
            if element.tag == "TextSource":
                self._text_source(element, element.get("name"), number, variables, sources)
            elif element.tag in _MEDIA:
                kind = element.tag.removesuffix("Source").lower()
                if element.tag == "PDFSource" and child(element, "Representation") is not None:
                    name = element.get("name") or "PDF"
                    self._text_source(child(element, "Representation"), name, number, variables, sources, owner=element)
                    self.skipped["area selection(s) in PDFs (qualcode codes text only)"] += len(
                        children(element, "PDFSelection")
                    )
                    continue
                self.skipped["selection(s) of picture areas or recording times (qualcode codes text only)"] += sum(
                    len(children(element, tag)) for tag in ("PictureSelection", "AudioSelection", "VideoSelection")
                )
                transcripts = list(children(element, "Transcript"))
                for index, transcript in enumerate(transcripts):
                    name = transcript.get("name") or element.get("name") or f"{kind} transcript"
                    # The recording's GUID names its (first) transcript, as cases refer to the recording.
                    key = ref(element.get("guid") if index == 0 else transcript.get("guid"))
                    self._text_source(transcript, name, number, variables, sources, owner=element, key=key)
                if not transcripts:
                    self.skipped[f"{kind} source(s) (qualcode holds text only)"] += 1
        return sources

    def _raw_text(self, element: Element, name: str, what: str = "source") -> str | None:
        content = child(element, "PlainTextContent")
        if content is not None and content.text:
            return content.text
        plain, rich = element.get("plainTextPath"), element.get("richTextPath")
        for path in (plain, rich):
            if not path:
                continue
            member = self.archive.find(path) if self.archive else None
            if member is None:
                continue
            data = self.archive.read(member)
            if path is plain:
                text, _ = decode_bytes(data, f"{self.out.label}: {member}")
                return text
            if posixpath.splitext(member)[1].lower() != ".docx":
                self.out.warnings.append(
                    f"skipped {what} '{name}': its text is only in {posixpath.basename(member)}, which qualcode cannot read"
                )
                return None

            self.out.notes.append(
                f"'{name}' has no plain text in the file: its text was taken from the .docx; check its codings"
            )
            return docx_plain_text(data, f"{self.out.label}: {member}")
        where = plain or rich
        self.out.warnings.append(
            f"skipped {what} '{name}': " + (f"its text {where} is not in the archive" if where else "it has no text")
        )
        return None

    def _text_source(
        self,
        element: Element,
        name: str | None,
        number: int,
        variables: dict[str, str],
        sources: list[_Source],
        owner: Element | None = None,
        key: str | None = None,
    ) -> None:
        identity = owner if owner is not None else element
        key = key or ref(identity.get("guid")) or f"source-{number}.{len(sources)}"
        path = element.get("plainTextPath") or element.get("richTextPath") or ""
        stem = posixpath.splitext(posixpath.basename(path.split("://")[-1]))[0]
        # A file named by its GUID says nothing to a reader; number the source instead.
        name = (name or "").strip() or (stem if stem and not normalise_guid(stem) else f"Source {number}")
        try:
            raw = self._raw_text(element, name)
        except QualcodeError as error:
            self.out.warnings.append(f"skipped source '{name}': {error}")
            raw = None
        if raw is None or not raw.strip():
            if raw is not None:
                self.out.warnings.append(f"skipped source '{name}': its text is empty")
            self.skipped["selection(s) in sources that were not brought in"] += len(
                children(element, "PlainTextSelection")
            ) + len(children(element, "TranscriptSelection"))
            return
        source = _Source(key, name, SourceText(raw))
        self.file_attributes[key].update(self._values(identity, variables))
        if description := text_of(child(identity, "Description")):  # a document memo (QualCoder, MAXQDA)
            user = self._user(identity.get("creatingUser"), identity.get("modifyingUser"))
            created = stored_time(identity.get("creationDateTime"))
            self.out.memos.append(
                b.Memo(
                    f"{key}/description",
                    description,
                    user,
                    DEFAULT_KIND["transcript"],
                    "transcript",
                    key,
                    created=created,
                )
            )
        for note in children(element, "NoteRef"):
            self._note_target(note, "transcript", key)
        for coding in children(element, "Coding"):  # a coding of the whole source
            code_ref = child(coding, "CodeRef")
            source.whole_codings.append(
                (
                    ref(coding.get("guid")) or f"{key}/whole/{len(source.whole_codings)}",
                    ref(code_ref.get("targetGUID")) if code_ref is not None else None,
                    self._user(coding.get("creatingUser")),
                    stored_time(coding.get("creationDateTime")),
                )
            )
        for number_in_source, selection in enumerate(children(element, "PlainTextSelection"), start=1):
            get = selection.get
            parsed = self._selection(
                selection, f"{key}/{number_in_source}", name, get("startPosition"), get("endPosition"), get("name")
            )
            if parsed:
                source.selections.append(parsed)
        self._transcript_selections(element, key, name, source)
        sources.append(source)
        element.clear()  # everything needed is in `source` now; a large project's tree is big

    def _transcript_selections(self, transcript: Element, key: str, name: str, source: _Source) -> None:
        """A transcript's codings: TranscriptSelections run from one SyncPoint to another, and a
        SyncPoint's position is a place in the transcript's text (its time stamp is not needed)."""
        selections = children(transcript, "TranscriptSelection")
        if not selections:
            return
        positions = {ref(point.get("guid")): point.get("position") for point in children(transcript, "SyncPoint")}
        for number, selection in enumerate(selections, start=1):
            start = positions.get(ref(selection.get("fromSyncPoint")))
            end = positions.get(ref(selection.get("toSyncPoint")))
            if start is None or end is None:
                self.skipped["timed selection(s) in audio/video transcripts"] += 1
                continue
            # Its name is the recording's name (QualCoder) or a time span, never the words it covers.
            parsed = self._selection(selection, f"{key}/t{number}", name, start, end, None)
            if parsed:
                source.selections.append(parsed)

    def _selection(
        self,
        element: Element,
        fallback_key: str,
        source_name: str,
        start_text: str | None,
        end_text: str | None,
        hint: str | None,
    ) -> _Selection | None:
        get = element.get
        try:
            start, end = int((start_text or "").strip()), int((end_text or "").strip())
        except ValueError:
            self.out.warnings.append(f"skipped a selection in '{source_name}': its positions are not whole numbers")
            return None
        key = ref(get("guid")) or fallback_key
        user = self._user(get("creatingUser"), get("modifyingUser"))
        created = stored_time(get("creationDateTime"))
        codings, notes, description = [], [], ""
        # One pass over the children: a large project has hundreds of thousands of selections.
        for node in element:
            if node.tag == "Coding":
                # Its children read directly: find/findall go through ElementPath, which costs
                # seconds over a large project.
                code, coding_notes = None, []
                for part in node:
                    if part.tag == "CodeRef":
                        code = ref(part.get("targetGUID"))
                    elif part.tag == "NoteRef" and (note := ref(part.get("targetGUID"))):
                        coding_notes.append(note)
                codings.append(
                    (
                        ref(node.get("guid")) or f"{key}/{len(codings) + 1}",
                        code,
                        self._user(node.get("creatingUser")) or user,
                        stored_time(node.get("creationDateTime")) or created,
                        coding_notes,
                    )
                )
            elif node.tag == "NoteRef":
                if target := ref(node.get("targetGUID")):
                    notes.append(target)
            elif node.tag == "Description":
                description = (node.text or "").strip()
        return _Selection(key, start, end, hint, user, created, description, codings, notes)

    # -- positions and codings -------------------------------------------------------------

    def _place_codings(self, sources: list[_Source], case_codes: set[str]) -> None:
        if self.own:  # qualcode writes code points
            conventions = [CODE_POINTS] * len(sources)
        else:
            evidence = [(s.text, [Selection(x.start, x.end, x.hint) for x in s.selections]) for s in sources]
            origin = self.origin.lower()
            prior = True if "atlas" in origin else False if "nvivo" in origin or "maxqda" in origin else None
            conventions = choose_conventions(evidence, prior)
        converted: Counter[str] = Counter()
        code_keys = {c.key for c in self.out.codes}
        for source, convention in zip(sources, conventions):
            self.placed[source.key] = (source.text, convention)
            text = source.text.stored
            if source.text.differs(convention):
                converted[convention.describe()] += 1
            self.out.transcripts.append(
                b.Transcript(source.key, document_name(source.name), text, source_name=source.name)
            )
            whole = [(k, code, user, created, 0, len(text)) for k, code, user, created in source.whole_codings]
            for k, code, user, created, start, end in whole:
                self._add_coding(k, source, code, user, created, start, end, code_keys, case_codes)
            for selection in source.selections:
                span = source.text.to_stored(selection.start, selection.end, convention)
                if span is None:
                    where = f"skipped a selection in '{source.name}' at {selection.start}-{selection.end}"
                    if selection.start >= selection.end:
                        self.out.warnings.append(f"{where}: it ends where or before it starts")
                    else:
                        length = source.text.length(convention)
                        self.out.warnings.append(
                            f"{where}: outside the text ({length} characters as the file counts them)"
                        )
                    continue
                self._selection_codings(source, selection, span, code_keys, case_codes)
        for description, count in converted.items():
            self.out.notes.append(f"positions in {count} source(s) {description}; converted to qualcode's positions")

    def _selection_codings(
        self, source: _Source, selection: _Selection, span: tuple[int, int], code_keys: set[str], case_codes: set[str]
    ) -> None:
        start, end = span
        first_coding = None
        for key, code, user, created, notes in selection.codings:
            if self._add_coding(key, source, code, user, created, start, end, code_keys, case_codes):
                first_coding = first_coding or key
                for note in notes:
                    self.note_targets.setdefault(note, ("coding", key))
        excerpt = " ".join(source.text.stored[start:end].split())
        self.selection_owner[selection.key] = (source.key, first_coding, excerpt)
        if f"selection:{selection.key}" in self.source_case:
            self._link_case(source.key, self.source_case[f"selection:{selection.key}"])
        for note in selection.notes:
            self._note_on_selection(note, selection.key)
        if selection.description:
            body = selection.description if first_coding else f"On “{excerpt}”: {selection.description}"
            target = ("coding", first_coding) if first_coding else ("transcript", source.key)
            self.out.memos.append(
                b.Memo(
                    f"{selection.key}/description",
                    body,
                    selection.user,
                    DEFAULT_KIND[target[0]],
                    *target,
                    created=selection.created,
                )
            )

    def _add_coding(self, key, source, code, user, created, start, end, code_keys, case_codes) -> bool:
        if code in case_codes:
            self._link_case(source.key, code)
            return False
        if code not in code_keys:
            self.skipped["coding(s) that point to a code that does not exist"] += 1
            return False
        if key in self.coding_keys:
            key = f"{key}/{source.key}/{start}"
        self.coding_keys.add(key)
        self.out.codings.append(b.Coding(key, source.key, code, user, start, end, created, key_guid(key, "coding")))
        return True

    def _drop_case_folders(self, folders: set[str]) -> None:
        """NVivo files its cases under a code folder ("Cases"); with the cases gone it is empty."""
        coded = {c.code_key for c in self.out.codings}
        has_children = {c.parent_key for c in self.out.codes}
        self.out.codes = [
            c for c in self.out.codes if not (c.key in folders and c.key not in coded and c.key not in has_children)
        ]

    def _attach_participants(self, cases: set[str]) -> None:
        participants = {p.key: p for p in self.out.participants}
        for transcript in self.out.transcripts:
            case = self.source_case.get(transcript.key)
            attributes = self.file_attributes.get(transcript.key) or {}
            if case in participants:
                transcript.participant_key = case
                target = participants[case]
            elif attributes:
                name = default_participant(transcript) or transcript.name
                target = b.Participant(f"source:{transcript.key}", name)
                self.out.participants.append(target)
                participants[target.key] = target
                transcript.participant_key = target.key
            else:
                continue
            for key, value in attributes.items():
                if target.attributes.setdefault(key, value) != value:
                    self.out.warnings.append(
                        f"participant {target.name}: '{key}' is '{target.attributes[key]}' for one source and '{value}' for another; kept the first"
                    )

    # -- links, sets, notes ----------------------------------------------------------------

    def _links_and_sets(self) -> None:
        sets = list(children(child(self.root, "Sets"), "Set"))
        theme_keys = {}
        skipped_sets = []
        for position, member_set in enumerate(sets):
            name = (member_set.get("name") or "").strip()
            if not name.startswith(THEME_SET_PREFIX.strip()):
                skipped_sets.append(name or "(unnamed)")
                continue
            key = ref(member_set.get("guid")) or f"set-{position}"
            theme_keys[key] = name[len(THEME_SET_PREFIX.strip()) :].strip()
            parsed = parse_theme_description(text_of(child(member_set, "Description")))
            theme = b.Theme(
                key,
                theme_keys[key],
                key_guid(member_set.get("guid"), "set", key),
                parsed.definition,
                parsed.concept,
                parsed.parent,  # a name for now, resolved below
                parsed.status,
                position,
                [c for m in children(member_set, "MemberCode") if (c := ref(m.get("targetGUID") or m.get("guid")))],
            )
            self.out.themes.append(theme)
            for note in children(member_set, "MemberNote"):
                self._note_target(note, "theme", key)
        by_name = {t.name.casefold(): t.key for t in self.out.themes}
        for theme in self.out.themes:
            theme.parent_key = by_name.get(theme.parent_key.casefold()) if theme.parent_key else None
        if skipped_sets:
            self.out.warnings.append(
                f"skipped {len(skipped_sets)} set(s) ({', '.join(skipped_sets[:5])}{', …' if len(skipped_sets) > 5 else ''}): "
                f"qualcode reads only sets named '{THEME_SET_PREFIX}…' as themes"
            )
        notes = {ref(n.get("guid")) for n in children(child(self.root, "Notes"), "Note")}
        for link in children(child(self.root, "Links"), "Link"):
            origin, target = ref(link.get("originGUID")), ref(link.get("targetGUID"))
            if origin in theme_keys and target in theme_keys:
                label = (link.get("name") or "").strip()
                self.out.theme_links.append(b.ThemeLink(origin, target, None if label in ("", "related to") else label))
            elif origin in theme_keys and target in self.coding_keys:
                self.out.quotes.append(b.Quote(origin, target))
            elif origin in notes or target in notes:  # NVivo: an annotation is a note linked to a selection
                note, other = (origin, target) if origin in notes else (target, origin)
                self._target_of(note, other)

    def _note_on_selection(self, note: str, selection: str) -> None:
        """A note on a passage: on its coding if it has one, else on the transcript, quoting it."""
        source, first_coding, excerpt = self.selection_owner[selection]
        if first_coding:
            self.note_targets.setdefault(note, ("coding", first_coding))
        elif note not in self.note_targets:
            self.note_targets[note] = ("transcript", source)
            self.quoted_notes[note] = excerpt

    def _target_of(self, note: str, key: str | None) -> None:
        if key in self.selection_owner:
            self._note_on_selection(note, key)
        elif key in self.coding_keys:
            self.note_targets.setdefault(note, ("coding", key))
        elif any(t.key == key for t in self.out.transcripts):
            self.note_targets.setdefault(note, ("transcript", key))
        elif any(c.key == key for c in self.out.codes):
            self.note_targets.setdefault(note, ("code", key))

    def _note_passage(self, note: Element, source_key: str) -> str | None:
        """The words a note on a transcript is about, when the note marks them with its own
        PlainTextSelection (QualCoder writes its annotations so, referenced from the TextSource)."""
        selection = child(note, "PlainTextSelection")
        if selection is None or source_key not in self.placed:
            return None
        text, convention = self.placed[source_key]
        try:
            span = text.to_stored(
                int(selection.get("startPosition", "")), int(selection.get("endPosition", "")), convention
            )
        except ValueError:
            return None
        if span is None:
            return None
        return " ".join(text.stored[span[0] : span[1]].split()) or None

    def _notes(self) -> None:
        for number, note in enumerate(children(child(self.root, "Notes"), "Note"), start=1):
            key = ref(note.get("guid")) or f"note-{number}"
            name = (note.get("name") or "").strip()
            has_text = (
                note.get("plainTextPath") or note.get("richTextPath") or child(note, "PlainTextContent") is not None
            )
            try:
                body = self._raw_text(note, name or f"note {number}", "note") if has_text else None
            except QualcodeError as error:
                self.out.warnings.append(f"skipped note '{name}': {error}")
                continue
            body = (body or text_of(child(note, "Description"))).replace("\r\n", "\n").strip()
            if not body:
                continue
            target = self.note_targets.get(key)
            own = parse_memo_note_name(name) if self.own else None
            kind, phase = own if own else (DEFAULT_KIND[target[0] if target else None], None)
            quoted = self.quoted_notes.get(key) or (
                self._note_passage(note, target[1]) if target and target[0] == "transcript" else None
            )
            if quoted:
                body = f"On “{quoted}”: {body}"
            if not own and name:
                body = f"{name}\n\n{body}"
            user = self._user(note.get("creatingUser"), note.get("modifyingUser"))
            self.out.memos.append(
                b.Memo(
                    key,
                    body,
                    user,
                    kind,
                    target[0] if target else None,
                    target[1] if target else None,
                    phase,
                    stored_time(note.get("creationDateTime")),
                    stored_time(note.get("modifiedDateTime")),
                    key_guid(note.get("guid"), "note", key),
                )
            )
