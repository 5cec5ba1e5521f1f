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

The sources are read by qde_sources and the codebook by qde_codebook; this module reads the rest
(users, variables, cases, theme sets, links, notes) and places the codings on the transcripts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from xml.etree.ElementTree import Element

from qualcode.analysis.memos import DEFAULT_KIND
from qualcode.errors import QualcodeError
from qualcode.exchange import bundle as b
from qualcode.exchange.guids import key_guid
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
    CODE_DATES_NOTE,
    THEME_SET_PREFIX,
    TURN_TIMES_PREFIX,
    parse_code_dates,
    parse_memo_note_name,
    parse_theme_description,
    parse_turn_times,
    written_by_qualcode,
)
from qualcode.exchange.refi.qde_codebook import distinct_code_names, read_code_tree, shared_code_guids
from qualcode.exchange.refi.qde_sources import RawSelection, RawSource, SourceReader
from qualcode.exchange.refi.qde_values import Users, document_name, ref, stored_time, variable_values
from qualcode.exchange.refi.xmlread import child, children, children_of, text_of
from qualcode.wording import counted


class ProjectReader:
    """Reads a parsed project.qde into a Bundle; `archive` holds its sources' text files."""

    def __init__(self, root: Element, archive: QdpxArchive | None, label: str):
        if root.tag != "Project":
            raise QualcodeError(f"{label} is not a REFI-QDA project: its XML root is <{root.tag}>, not <Project>")
        self.root = root
        self.origin = root.get("origin") or ""
        self.own = written_by_qualcode(self.origin)
        self.out = b.Bundle(label)
        self.users = Users()
        self.note_targets: dict[str, tuple[str, str]] = {}
        self.source_case: dict[str, str] = {}
        self.file_attributes: dict[str, dict[str, str]] = defaultdict(dict)
        # selection -> (source, its first coding, where it lies): the words it covers are made
        # only for the few selections a note or description quotes.
        self.selection_owner: dict[str, tuple[str, str | None, int, int]] = {}
        self.quoted_notes: dict[str, str] = {}  # note -> the passage it annotates (no coding there)
        self.placed: dict[str, tuple[SourceText, Convention]] = {}  # source -> its text and how it counts
        self.coding_keys: set[str] = set()
        self.turn_time_notes = 0
        self.skipped: Counter[str] = Counter()
        self.source_reader = SourceReader(
            archive, self.out, self.users, self.skipped, self.file_attributes, self._note_target
        )

    def read(self) -> b.Bundle:
        self.begin()
        for number, element in enumerate(children_of(child(self.root, "Sources")), start=1):
            self.take_source(element, number)
        return self.finish()

    def begin(self) -> None:
        """Read what comes before the sources (users, codebook, variables, cases)."""
        if self.origin:
            self.out.notes.append(f"{self.out.label} was written by {self.origin}")
        self._users()
        codes = self._codes()
        self.variables = self._variables()
        self.cases = self._cases(self.variables)
        self.case_codes = {key for key in codes if key in self.cases}
        self.case_folders = {c.parent_key for c in self.out.codes if c.key in self.case_codes and c.parent_key}
        self.out.codes = [c for c in self.out.codes if c.key not in self.case_codes]
        if self.case_codes:
            self.out.notes.append(
                f"{counted(len(self.case_codes), 'code')} {'is a case' if len(self.case_codes) == 1 else 'are cases'} (as NVivo writes them): their codings link sources to cases"
            )
        self.sources: list[RawSource] = []

    def take_source(self, element: Element, number: int) -> None:
        """One child of <Sources> (streamed.py hands them over one at a time while parsing)."""
        self.source_reader.read_one(element, number, self.variables, self.sources)

    def finish(self) -> b.Bundle:
        """Place the codings on the sources read, then read what follows them."""
        self._place_codings(self.sources, self.case_codes)
        self.sources = []
        self._drop_case_folders(self.case_folders)
        self._attach_participants(self.cases)
        self._links_and_sets()
        self._notes()
        if self.turn_time_notes:
            self.out.notes.append(
                f"turn times of {counted(self.turn_time_notes, 'transcript')}: read from Notes named '{TURN_TIMES_PREFIX}NAME'"
            )
        graphs = len(children(child(self.root, "Graphs"), "Graph")) + len(children(self.root, "Graph"))
        if graphs:
            self.skipped["graph(s) (network views; qualcode draws its own thematic map from themes)"] += graphs
        description = text_of(child(self.root, "Description"))
        if description:
            self.out.memos.append(
                b.Memo(key="project-description", body=f"Project description ({self.out.label}):\n\n{description}")
            )
        for what, count in sorted(self.skipped.items()):
            if count:
                # The kinds are written "selection(s) …": said here in the singular or plural.
                self.out.warnings.append(f"skipped {count} {what.replace('(s)', '' if count == 1 else 's')}")
        return self.out

    # -- users, codes, variables, cases ------------------------------------------------------

    def _users(self) -> None:
        for number, user in enumerate(children(child(self.root, "Users"), "User"), start=1):
            key = ref(user.get("guid")) or f"user-{number}"
            name = (user.get("name") or user.get("id") or f"User {number}").strip()
            self.users.add(key)
            self.out.analysts.append(b.Analyst(key, name, key_guid(user.get("guid"), "user", name)))

    def _codes(self) -> set[str]:
        self.out.codes = read_code_tree(child(child(self.root, "CodeBook"), "Codes"), self.own, self._note_target)
        self.out.warnings.extend(shared_code_guids(self.out.codes))
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

    def _cases(self, variables: dict[str, str]) -> set[str]:
        keys: set[str] = set()
        for number, case in enumerate(children(child(self.root, "Cases"), "Case"), start=1):
            key = ref(case.get("guid")) or f"case-{number}"
            values = variable_values(case, variables)
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

    # -- positions and codings -------------------------------------------------------------

    def _place_codings(self, sources: list[RawSource], case_codes: set[str]) -> None:
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
                b.Transcript(
                    source.key,
                    document_name(source.name),
                    text,
                    key_guid(source.key, "source"),
                    source_name=source.name,
                    created=source.created,
                    imported_by_key=source.user,
                )
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
            source.selections = []  # placed: freed now, not once every source is placed
        for description, count in converted.items():
            self.out.notes.append(
                f"positions in {counted(count, 'source')} {description}; converted to qualcode's positions"
            )

    def _selection_codings(
        self,
        source: RawSource,
        selection: RawSelection,
        span: tuple[int, int],
        code_keys: set[str],
        case_codes: set[str],
    ) -> None:
        start, end = span
        first_coding = None
        for key, code, user, created, notes in selection.codings:
            if self._add_coding(key, source, code, user, created, start, end, code_keys, case_codes):
                first_coding = first_coding or key
                for note in notes:
                    self.note_targets.setdefault(note, ("coding", key))
        self.selection_owner[selection.key] = (source.key, first_coding, start, end)
        if f"selection:{selection.key}" in self.source_case:
            self._link_case(source.key, self.source_case[f"selection:{selection.key}"])
        for note in selection.notes:
            self._note_on_selection(note, selection.key)
        if selection.description and not (self.own and first_coding):  # qualcode's copy of the coding's Notes
            excerpt = " ".join(source.text.stored[start:end].split())
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
            for member_note in children(member_set, "MemberNote"):
                self._note_target(member_note, "theme", key)
        by_name = {t.name.casefold(): t.key for t in self.out.themes}
        for theme in self.out.themes:
            theme.parent_key = by_name.get(theme.parent_key.casefold()) if theme.parent_key else None
        if skipped_sets:
            self.out.warnings.append(
                f"skipped {counted(len(skipped_sets), 'set')} ({', '.join(skipped_sets[:5])}{', …' if len(skipped_sets) > 5 else ''}): "
                f"qualcode reads only sets named '{THEME_SET_PREFIX}…' as themes"
            )
        notes = {guid for n in children(child(self.root, "Notes"), "Note") if (guid := ref(n.get("guid")))}
        for link in children(child(self.root, "Links"), "Link"):
            origin, target = ref(link.get("originGUID")), ref(link.get("targetGUID"))
            if origin in theme_keys and target in theme_keys:
                label = (link.get("name") or "").strip()
                self.out.theme_links.append(b.ThemeLink(origin, target, None if label in ("", "related to") else label))
            elif origin in theme_keys and target in self.coding_keys:
                self.out.quotes.append(b.Quote(origin, target))
            elif origin in notes or target in notes:  # NVivo: an annotation is a note linked to a selection
                note, other = (origin, target) if origin in notes else (target, origin)
                if note is not None and not self._target_of(note, other):
                    self.skipped[
                        "link(s) from notes to items qualcode does not hold (pictures, recordings, other notes)"
                    ] += 1
            else:
                self.skipped["link(s) between items that are not themes (qualcode links themes only)"] += 1

    def _note_on_selection(self, note: str, selection: str) -> None:
        """A note on a passage: on its coding if it has one, else on the transcript, quoting it."""
        source, first_coding, start, end = self.selection_owner[selection]
        if first_coding:
            self.note_targets.setdefault(note, ("coding", first_coding))
        elif note not in self.note_targets:
            self.note_targets[note] = ("transcript", source)
            self.quoted_notes[note] = " ".join(self.placed[source][0].stored[start:end].split())

    def _target_of(self, note: str, key: str | None) -> bool:
        """Attach a note linked to `key`; False when `key` is nothing qualcode brings in."""
        if key is None:
            return False
        if key in self.selection_owner:
            self._note_on_selection(note, key)
        elif key in self.coding_keys:
            self.note_targets.setdefault(note, ("coding", key))
        elif any(t.key == key for t in self.out.transcripts):
            self.note_targets.setdefault(note, ("transcript", key))
        elif any(c.key == key for c in self.out.codes):
            self.note_targets.setdefault(note, ("code", key))
        else:
            return False
        return True

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
                body = self.source_reader.raw_text(note, name or f"note {number}", "note") if has_text else None
            except QualcodeError as error:
                self.out.warnings.append(f"skipped note '{name}': {error}")
                continue
            description = text_of(child(note, "Description"))
            if body and description and description.strip() != body.strip():  # both are the note's
                body = f"{body.rstrip()}\n\n{description}"
            body = (body or description).replace("\r\n", "\n").strip()
            if not body:
                continue
            target = self.note_targets.get(key)
            if self.own and name == CODE_DATES_NOTE and target is None and (dates := parse_code_dates(body)):
                for code in self.out.codes:
                    code.created = dates.get(code.name.casefold(), code.created)
                self.out.notes.append(
                    f"when {counted(len(dates), 'code')} {'was' if len(dates) == 1 else 'were'} created: read from the Note 'Code dates'"
                )
                continue
            if self.own and name.startswith(TURN_TIMES_PREFIX) and target and target[0] == "transcript":
                times = parse_turn_times(body)
                transcript = next((t for t in self.out.transcripts if t.key == target[1]), None)
                if times and transcript is not None:
                    transcript.timestamps = times
                    self.turn_time_notes += 1
                    continue
            own = parse_memo_note_name(name) if self.own else None
            kind, phase = own if own else (DEFAULT_KIND[target[0] if target else None], None)
            quoted = self.quoted_notes.get(key) or (
                self._note_passage(note, target[1]) if target and target[0] == "transcript" else None
            )
            if quoted:
                body = f"On “{quoted}”: {body}"
            if not own and name:
                body = f"{name}\n\n{body}"
            user = self.users.first(note.get("creatingUser"), note.get("modifyingUser"))
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
