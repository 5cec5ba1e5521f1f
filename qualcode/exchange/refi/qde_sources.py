"""Reading a REFI-QDA project's sources: the text of each (plain, or only a .docx), the
transcripts of pictures, audio and video, and the selections and codings on them with their
positions as the file counts them (converting them is the project reader's job, once it has
seen every source)."""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from qualcode.analysis.memos import DEFAULT_KIND
from qualcode.errors import ImportFormatError, QualcodeError
from qualcode.exchange import bundle as b
from qualcode.exchange.guids import normalise_guid
from qualcode.exchange.positions import SourceText
from qualcode.exchange.refi.archive import QdpxArchive
from qualcode.exchange.refi.qde_values import Users, ascii_position, ref, stored_time, variable_values
from qualcode.exchange.refi.richtext import docx_plain_text
from qualcode.exchange.refi.xmlread import child, children, children_of, text_of
from qualcode.text.importers.encoding import decode_bytes

_MEDIA = ("PictureSource", "AudioSource", "VideoSource", "PDFSource")


@dataclass(slots=True)  # one per selection in the file, hundreds of thousands in a large one
class RawSelection:
    """A selection and its codings, its positions as the file counts them."""

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
class RawSource:
    """A source's text with its selections and its codings of the whole source."""

    key: str
    name: str
    text: SourceText
    created: str | None = None
    user: str | None = None
    selections: list[RawSelection] = field(default_factory=list)
    whole_codings: list[tuple[str, str | None, str | None, str | None]] = field(default_factory=list)


class SourceReader:
    """Reads the sources into RawSources; what it leaves out goes to the bundle's warnings or the
    `skipped` tally, a source's variable values to `file_attributes`, and each NoteRef to `on_note`."""

    def __init__(
        self,
        archive: QdpxArchive | None,
        out: b.Bundle,
        users: Users,
        skipped: Counter[str],
        file_attributes: dict[str, dict[str, str]],
        on_note: Callable[[Element, str, str], None],
    ) -> None:
        self.archive = archive
        self.out = out
        self.users = users
        self.skipped = skipped
        self.file_attributes = file_attributes
        self.on_note = on_note
        self.source_keys: dict[str, str] = {}  # each source's GUID (key) and name, to catch twins
        # A few hundred codes are named by hundreds of thousands of codings: one key string each.
        self.code_refs: dict[str | None, str | None] = {}

    def _code_ref(self, target: str | None) -> str | None:
        self.code_refs[target] = key = ref(target)
        return key

    def read(self, root: Element, variables: dict[str, str]) -> list[RawSource]:
        """The sources of the project `root` that have text, each with its selections and codings."""
        sources: list[RawSource] = []
        for number, element in enumerate(children_of(child(root, "Sources")), start=1):
            self.read_one(element, number, variables, sources)
        return sources

    def read_one(self, element: Element, number: int, variables: dict[str, str], sources: list[RawSource]) -> None:
        """One child of <Sources>, added to `sources` when it has text (a large project's are
        read one at a time, as the file is parsed)."""
        if element.tag == "TextSource":
            self._text_source(element, element.get("name"), number, variables, sources)
        elif element.tag in _MEDIA:
            kind = element.tag.removesuffix("Source").lower()
            representation = child(element, "Representation")
            if element.tag == "PDFSource" and representation is not None:
                name = element.get("name") or "PDF"
                self._text_source(representation, name, number, variables, sources, owner=element)
                self.skipped["area selection(s) in PDFs (qualcode codes text only)"] += len(
                    children(element, "PDFSelection")
                )
                return
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

    def raw_text(self, element: Element, name: str, what: str = "source") -> str | None:
        content = child(element, "PlainTextContent")
        if content is not None and content.text:
            return content.text
        plain, rich = element.get("plainTextPath"), element.get("richTextPath")
        for path in (plain, rich):
            if not path or self.archive is None:
                continue
            member = self.archive.find(path)
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
        sources: list[RawSource],
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
            raw = self.raw_text(element, name)
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
        if key in self.source_keys:
            # Two sources under one GUID: codings that name it could land on the wrong one,
            # another participant's words, so the file is refused rather than guessed at.
            raise ImportFormatError(
                f"two sources share the GUID {key} ('{self.source_keys[key]}' and '{name}'); the file is "
                "damaged, and importing it could put codings on the wrong transcript"
            )
        self.source_keys[key] = name
        source = RawSource(
            key,
            name,
            SourceText(raw),
            stored_time(identity.get("creationDateTime")),
            self.users.first(identity.get("creatingUser")),
        )
        self.file_attributes[key].update(variable_values(identity, variables))
        if description := text_of(child(identity, "Description")):  # a document memo (QualCoder, MAXQDA)
            user = self.users.first(identity.get("creatingUser"), identity.get("modifyingUser"))
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
            self.on_note(note, "transcript", key)
        for coding in children(element, "Coding"):  # a coding of the whole source
            code_ref = child(coding, "CodeRef")
            source.whole_codings.append(
                (
                    ref(coding.get("guid")) or f"{key}/whole/{len(source.whole_codings)}",
                    ref(code_ref.get("targetGUID")) if code_ref is not None else None,
                    self.users.first(coding.get("creatingUser")),
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

    def _transcript_selections(self, transcript: Element, key: str, name: str, source: RawSource) -> None:
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
    ) -> RawSelection | None:
        get = element.get
        try:
            start, end = ascii_position(start_text), ascii_position(end_text)
        except ValueError:
            self.out.warnings.append(f"skipped a selection in '{source_name}': its positions are not whole numbers")
            return None
        key = ref(get("guid")) or fallback_key
        user = self.users.first(get("creatingUser"), get("modifyingUser"))
        created = stored_time(get("creationDateTime"))
        codings: list[tuple[str, str | None, str | None, str | None, list[str]]] = []
        notes: list[str] = []
        description = ""
        # One pass over the children: a large project has hundreds of thousands of selections.
        for node in element:
            if node.tag == "Coding":
                # Its children read directly: find/findall go through ElementPath, which costs
                # seconds over a large project.
                code, coding_notes = None, []
                for part in node:
                    if part.tag == "CodeRef":
                        target = part.get("targetGUID")
                        code = self.code_refs.get(target) if target in self.code_refs else self._code_ref(target)
                    elif part.tag == "NoteRef" and (note := ref(part.get("targetGUID"))):
                        coding_notes.append(note)
                codings.append(
                    (
                        ref(node.get("guid")) or f"{key}/{len(codings) + 1}",
                        code,
                        self.users.first(node.get("creatingUser")) or user,
                        stored_time(node.get("creationDateTime")) or created,
                        coding_notes,
                    )
                )
            elif node.tag == "NoteRef":
                if target := ref(node.get("targetGUID")):
                    notes.append(target)
            elif node.tag == "Description":
                description = (node.text or "").strip()
        return RawSelection(key, start, end, hint, user, created, description, codings, notes)
