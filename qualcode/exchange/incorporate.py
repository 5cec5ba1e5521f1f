"""Bringing a Bundle into a project: what matches, what is new, what conflicts; then one transaction.

The same rules serve `qualcode merge`, `import qdpx`, `import qdc` and `import qualcoder`:

- analysts by GUID, then by name (an --analyst-map renames incoming users first);
- participants by GUID, then by name; an attribute that differs keeps this project's value and
  is reported;
- transcripts by GUID, then by the content hash of their text (the same interview imported on two
  machines is one transcript), then by name. A transcript that shares a GUID or a name but not
  the text cannot take the other copy's codings: that stops the whole run unless a rename prefix
  is given, which brings it in as a separate transcript;
- codes and themes by GUID, then by name. The same name with a different description (or
  definition) is reported as a conflict; the incoming codings then go to the code already here,
  or, with a rename prefix, to a new code named PREFIX + name;
- codings by GUID, then by (transcript, code, analyst, start, end); memos by GUID, then by
  (analyst, target, body). Anything already here is matched, so bringing the same file in twice
  adds nothing the second time.

Everything is planned before anything is written, so a dry run reports exactly what the real run
does, and the real run writes it in one audited `project.change`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from qualcode.analysis.coding import PALETTE
from qualcode.analysis.memos import DEFAULT_KIND, MEMO_KINDS, TARGET_TYPES, check_body
from qualcode.analysis.themes import STATUSES
from qualcode.errors import InvalidInput
from qualcode.exchange import bundle as b
from qualcode.exchange.guids import normalise_guid
from qualcode.exchange.turns import participant_from_speakers, turns_in_place
from qualcode.names import is_meaningful_name
from qualcode.store import Change, Project, new_guid
from qualcode.text.ingest import insert_turns, sha256_text
from qualcode.text.transcripts import LaidOut, spoken_words

KINDS = (
    "analysts", "participants", "attributes", "transcripts", "codes", "codings", "memos",
    "themes", "theme codes", "theme links", "quotes",
)  # fmt: skip
_HEX6 = re.compile(r"^#[0-9A-Fa-f]{6}$")
_HEX3 = re.compile(r"^#[0-9A-Fa-f]{3}$")


class New(NamedTuple):
    """A row the plan will insert; becomes an id when it is written (a tuple: cheap to make by
    the hundred thousand)."""

    kind: str
    key: str


Ref = int | New


@dataclass
class Tally:
    added: int = 0
    matched: int = 0
    conflicts: int = 0
    skipped: int = 0


@dataclass
class Options:
    rename_prefix: str | None = None
    analyst_map: dict[str, str] = field(default_factory=dict)  # incoming name -> name here
    only_analysts: list[str] | None = None  # bring only these incoming analysts' codings and memos


@dataclass
class Outcome:
    source: str
    dry_run: bool
    tallies: dict[str, Tally]
    conflicts: list[str]
    warnings: list[str]
    notes: list[str]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"what": kind, "added": t.added, "matched": t.matched, "conflicts": t.conflicts, "skipped": t.skipped}
            for kind, t in self.tallies.items()
            if t.added or t.matched or t.conflicts or t.skipped
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "counts": self.rows(),
            "conflicts": self.conflicts,
            "warnings": self.warnings,
            "notes": self.notes,
        }


@dataclass
class _Plan:
    analysts: list[tuple[New, str, str]] = field(default_factory=list)
    participants: list[tuple[New, str, str]] = field(default_factory=list)
    attributes: list[tuple[Ref, str, str]] = field(default_factory=list)
    transcripts: list[tuple[New, b.Transcript, str, str, Ref]] = field(default_factory=list)
    codes: list[tuple[New, dict[str, Any], Ref | None]] = field(default_factory=list)
    updates: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)  # table, id, changes
    themes: list[tuple[New, dict[str, Any], Ref | None]] = field(default_factory=list)
    codings: list[tuple[New, str, Ref, Ref, Ref, int, int, str | None]] = field(default_factory=list)
    theme_codes: list[tuple[Ref, Ref]] = field(default_factory=list)
    theme_links: list[tuple[Ref, Ref, str | None]] = field(default_factory=list)
    quotes: list[tuple[Ref, Ref]] = field(default_factory=list)
    memos: list[tuple[New, dict[str, Any], Ref, Ref | None]] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)


def incorporate(
    project: Project,
    incoming: b.Bundle,
    analyst: str,
    command: str,
    options: Options | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Plan, and unless `dry_run`, write `incoming` into `project` in one transaction."""
    options = options or Options()
    planner = _Planner(project, incoming, analyst, options)
    plan = planner.plan()
    outcome = Outcome(
        incoming.label,
        dry_run,
        planner.tallies,
        planner.conflicts + [f"{line} (stops the run)" for line in plan.blocking] if dry_run else planner.conflicts,
        incoming.warnings + planner.warnings,
        incoming.notes + planner.notes,
    )
    if dry_run:
        return outcome
    if plan.blocking:
        more = f" (and {len(plan.blocking) - 1} more)" if len(plan.blocking) > 1 else ""
        raise InvalidInput(f"{plan.blocking[0]}{more}; nothing was brought in")
    _write(project, plan, analyst, command, outcome)
    return outcome


def _same_text(here: str, there: str) -> bool:
    """Equal, or equal but for blank space at the end (programs add or drop a final line end)."""
    return here == there or here.rstrip() == there.rstrip()


def _squash(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _colour(value: str | None) -> str | None:
    if value and _HEX6.match(value):
        return value.upper()
    if value and _HEX3.match(value):
        return "#" + "".join(c * 2 for c in value[1:]).upper()
    return None


class _Planner:
    def __init__(self, project: Project, incoming: b.Bundle, analyst: str, options: Options):
        self.project = project
        self.incoming = incoming
        self.options = options
        self.acting_id = project.analyst_id(analyst)
        self.tallies = {kind: Tally() for kind in KINDS}
        self.conflicts: list[str] = []
        self.warnings: list[str] = []
        self.notes: list[str] = []
        self.plan_ = _Plan()
        self.analyst_refs: dict[str, Ref] = {}
        self.participant_refs: dict[str, Ref] = {}
        self.participants_by_name: dict[str, Ref] = {}
        self.transcript_refs: dict[str, Ref] = {}
        self.transcript_lengths: dict[Ref, int] = {}
        self.code_refs: dict[str, Ref] = {}
        self.theme_refs: dict[str, Ref] = {}
        self.coding_refs: dict[str, Ref] = {}
        self.used_guids: dict[str, set[str]] = {}
        self.by_loose_hash: dict[str, dict[str, Any]] | None = None

    def _guid(self, table: str, guid: str | None) -> str:
        """The incoming GUID if it is free in `table`, else a new one."""
        if table not in self.used_guids:
            self.used_guids[table] = {r[0] for r in self.project.db.execute(f"SELECT guid FROM [{table}]")}
        used = self.used_guids[table]
        chosen = guid if guid and guid not in used else new_guid()
        used.add(chosen)
        return chosen

    def plan(self) -> _Plan:
        self._check_options()
        self._analysts()
        self._participants()
        self._transcripts()
        self._codes()
        self._themes()
        self._codings()
        self._theme_members()
        self._memos()
        return self.plan_

    # -- analysts ----------------------------------------------------------------------------

    def _check_options(self) -> None:
        names = {a.name.casefold(): a.name for a in self.incoming.analysts}
        listed = ", ".join(sorted(names.values(), key=str.casefold)) or "none"
        for name in list(self.options.analyst_map) + list(self.options.only_analysts or []):
            if name.casefold() not in names:
                raise InvalidInput(f"{self.incoming.label} has no analyst or user named '{name}' (it has: {listed})")

    def _analysts(self) -> None:
        rows = self.project.query("SELECT id, name, guid FROM analysts")
        by_guid = {r["guid"]: r["id"] for r in rows}
        by_name = {r["name"].casefold(): r["id"] for r in rows}
        mapped = {k.casefold(): v.strip() for k, v in self.options.analyst_map.items()}
        wanted = {n.casefold() for n in self.options.only_analysts} if self.options.only_analysts else None
        tally = self.tallies["analysts"]
        for analyst in self.incoming.analysts:
            if wanted is not None and analyst.name.casefold() not in wanted:
                continue
            name = mapped.get(analyst.name.casefold(), analyst.name).strip()
            renamed = analyst.name.casefold() in mapped
            guid = normalise_guid(analyst.guid)
            ref: Ref | None = None
            if guid in by_guid and not renamed:
                ref = by_guid[guid]
            elif name.casefold() in by_name:
                ref = by_name[name.casefold()]
            if ref is not None:
                tally.matched += 1
            else:
                if not is_meaningful_name(name):
                    name = f"Analyst {len(by_name) + 1}"
                ref = New("analyst", analyst.key)
                self.plan_.analysts.append((ref, name, self._guid("analysts", None if renamed else guid)))
                by_name[name.casefold()] = ref
                tally.added += 1
            self.analyst_refs[analyst.key] = ref

    def _analyst(self, key: str | None) -> Ref | None:
        """The analyst for an incoming item: None when that analyst's work is left out."""
        if key is None:
            return None if self.options.only_analysts else self.acting_id
        return self.analyst_refs.get(key)

    # -- participants ------------------------------------------------------------------------

    def _participants(self) -> None:
        rows = self.project.query("SELECT id, name, guid FROM participants")
        by_guid = {r["guid"]: r["id"] for r in rows}
        by_name = self.participants_by_name = {r["name"].casefold(): r["id"] for r in rows}
        attributes = {
            (r["participant_id"], r["key"].casefold()): r["value"]
            for r in self.project.query("SELECT participant_id, key, value FROM participant_attributes")
        }
        tally, attribute_tally = self.tallies["participants"], self.tallies["attributes"]
        for participant in self.incoming.participants:
            name = " ".join(participant.name.split())
            if not is_meaningful_name(name):
                self.warnings.append(f"skipped participant '{participant.name}': the name has no letter or digit")
                tally.skipped += 1
                continue
            guid = normalise_guid(participant.guid)
            ref = by_guid.get(guid) if guid else None
            ref = ref if ref is not None else by_name.get(name.casefold())
            if ref is None:
                ref = New("participant", participant.key)
                self.plan_.participants.append((ref, name, self._guid("participants", guid)))
                by_name[name.casefold()] = ref
                tally.added += 1
            else:
                tally.matched += 1
            self.participant_refs[participant.key] = ref
            for key, value in participant.attributes.items():
                key, value = key.strip(), (value or "").strip()
                if not key or not value:
                    continue
                here = attributes.get((ref, key.casefold()))
                if here is None:
                    self.plan_.attributes.append((ref, key, value))
                    attributes[(ref, key.casefold())] = value
                    attribute_tally.added += 1
                elif here == value:
                    attribute_tally.matched += 1
                else:
                    attribute_tally.conflicts += 1
                    self.conflicts.append(
                        f"participant {name}: {key} is '{here}' here and '{value}' in {self.incoming.label}; kept '{here}'"
                    )

    def _participant_for(self, name: str) -> Ref:
        """A participant by name, planned if it does not exist yet (transcripts need one)."""
        ref = self.participants_by_name.get(name.casefold())
        if ref is None:
            ref = New("participant", f"name:{name.casefold()}")
            self.plan_.participants.append((ref, name, self._guid("participants", None)))
            self.participants_by_name[name.casefold()] = ref
            self.tallies["participants"].added += 1
        return ref

    # -- transcripts -------------------------------------------------------------------------

    def _transcripts(self) -> None:
        rows = self.project.query("SELECT id, name, guid, text_sha256, char_count FROM transcripts")
        by_guid = {r["guid"]: r for r in rows}
        by_hash = {r["text_sha256"]: r for r in rows}
        by_name = {r["name"].casefold(): r for r in rows}
        taken: set[str] = set(by_name)
        planned_hash: dict[str, Ref] = {}
        tally = self.tallies["transcripts"]
        label = self.incoming.label
        for transcript in self.incoming.transcripts:
            text_hash = sha256_text(transcript.text)
            guid = normalise_guid(transcript.guid)
            here = by_guid.get(guid) if guid else None
            if here is None:
                here = by_hash.get(text_hash) or self._loose_match(transcript.text, rows)
                if here is not None and here["name"].casefold() != transcript.name.casefold():
                    self.notes.append(
                        f"'{transcript.name}' in {label} has the same text as '{here['name']}' here: matched"
                    )
            if here is None:
                here = by_name.get(transcript.name.casefold())
            if here is not None and (
                here["text_sha256"] == text_hash or _same_text(self._text(here["id"]), transcript.text)
            ):
                tally.matched += 1
                self.transcript_refs[transcript.key] = here["id"]
                self.transcript_lengths[here["id"]] = here["char_count"]
                continue
            if text_hash in planned_hash:  # the same text twice in the incoming file
                self.transcript_refs[transcript.key] = planned_hash[text_hash]
                tally.matched += 1
                continue
            name = " ".join(transcript.name.split()) or f"Source {tally.added + 1}"
            if here is not None:
                if not self.options.rename_prefix:
                    tally.conflicts += 1
                    self.plan_.blocking.append(
                        f"transcript '{here['name']}' here and '{transcript.name}' in {label} share a "
                        f"{'GUID' if guid and here['guid'] == guid else 'name'} but not their text; "
                        "bring it in as a separate transcript with --rename-prefix"
                    )
                    continue
                name, guid = self.options.rename_prefix + name, None
            name = self._free_name(name, taken)
            ref = New("transcript", transcript.key)
            participant = self.participant_refs.get(transcript.participant_key or "")
            if participant is None:
                participant = self._participant_for(default_participant(transcript) or name)
            self.plan_.transcripts.append((ref, transcript, name, self._guid("transcripts", guid), participant))
            taken.add(name.casefold())
            planned_hash[text_hash] = ref
            self.transcript_refs[transcript.key] = ref
            self.transcript_lengths[ref] = len(transcript.text)
            tally.added += 1

    def _loose_match(self, text: str, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
        """A transcript here whose text differs only by blank space at the end (built once)."""
        if not rows:
            return None
        if self.by_loose_hash is None:
            by_id = {r["id"]: r for r in rows}
            texts = self.project.db.execute("SELECT id, text FROM transcripts")
            self.by_loose_hash = {sha256_text(t.rstrip()): by_id[i] for i, t in texts}
        return self.by_loose_hash.get(sha256_text(text.rstrip()))

    def _text(self, transcript_id: int) -> str:
        return self.project.db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()[0]

    @staticmethod
    def _free_name(name: str, taken: set[str] | dict[str, Any]) -> str:
        candidate, number = name, 1
        while candidate.casefold() in taken:
            number += 1
            candidate = f"{name} ({number})"
        return candidate

    # -- codes -------------------------------------------------------------------------------

    def _codes(self) -> None:

        rows = self.project.query(
            "SELECT id, name, guid, description, inclusion, exclusion, status, merged_into_id FROM codes"
        )
        by_id = {r["id"]: r for r in rows}
        by_guid = {r["guid"]: r for r in rows}
        by_name: dict[str, Any] = {r["name"].casefold(): r for r in rows}
        tally = self.tallies["codes"]
        for code in _parents_first(self.incoming.codes, lambda c: c.parent_key):
            name = " ".join(code.name.split())
            if not is_meaningful_name(name):
                self.notes.append(f"a code named '{code.name}' has no letter or digit; named 'Unnamed code'")
                name = "Unnamed code"
            guid = normalise_guid(code.guid)
            resolved = self._match(
                code, name, guid, by_guid, by_name, "code", ("description", "inclusion", "exclusion")
            )
            if resolved is not None:
                self.code_refs[code.key] = self._active(resolved, by_id) if isinstance(resolved, dict) else resolved
                continue
            if name.casefold() in by_name:  # a clash kept apart by the rename prefix
                name, guid = f"{self.options.rename_prefix}{name}", None
            name = self._free_name(name, by_name)
            ref = New("code", code.key)
            row = {
                "name": name,
                "guid": self._guid("codes", guid),
                "description": code.description or None,
                "inclusion": code.inclusion or None,
                "exclusion": code.exclusion or None,
                "color": _colour(code.color) or PALETTE[(len(rows) + tally.added) % len(PALETTE)],
            }
            self.plan_.codes.append((ref, row, self.code_refs.get(code.parent_key or "")))
            by_name[name.casefold()] = ref
            self.code_refs[code.key] = ref
            tally.added += 1

    def _match(
        self,
        item: Any,
        name: str,
        guid: str | None,
        by_guid: dict[str, dict[str, Any]],
        by_name: dict[str, Any],
        kind: str,
        fields: tuple[str, ...],
    ) -> dict[str, Any] | New | None:
        """The code or theme here that `item` is (a row, or a planned New), or None to add it.

        By GUID it is the same item whatever its name or description; by name it is the same
        unless the descriptions (definitions) differ, which is reported. Fields empty here are
        filled from the incoming item.
        """
        tally = self.tallies[f"{kind}s"]
        here = by_guid.get(guid) if guid else None
        if here is not None:
            if here["name"].casefold() != name.casefold():
                self.notes.append(
                    f"{kind} '{here['name']}' is called '{name}' in {self.incoming.label}: matched by GUID"
                )
        else:
            found = by_name.get(name.casefold())
            if found is None or isinstance(found, New):
                if found is not None:
                    tally.matched += 1
                return found
            here, ours, theirs = found, _squash(found[fields[0]]), _squash(getattr(item, fields[0]))
            if ours and theirs and ours != theirs:
                tally.conflicts += 1
                if self.options.rename_prefix:
                    outcome = f"kept both, the incoming one as '{self.options.rename_prefix}{name}'"
                else:
                    outcome = f"{'its codings go to' if kind == 'code' else 'merged into'} the {kind} here (use --rename-prefix to keep both)"
                self.conflicts.append(
                    f"{kind} '{here['name']}': same name, different {fields[0]} in {self.incoming.label}; {outcome}"
                )
                return None if self.options.rename_prefix else here
        fills = {f: getattr(item, f) for f in fields if not here.get(f) and getattr(item, f, None)}
        if fills:
            self.plan_.updates.append((f"{kind}s", here["id"], fills))
        tally.matched += 1
        return here

    def _active(self, row: dict[str, Any], by_id: dict[int, Any]) -> int:
        """A code merged into another stands for the one that absorbed it."""
        seen = set()
        while row["status"] == "merged" and row["merged_into_id"] in by_id and row["id"] not in seen:
            seen.add(row["id"])
            row = by_id[row["merged_into_id"]]
        return row["id"]

    # -- themes ------------------------------------------------------------------------------

    def _themes(self) -> None:
        rows = self.project.query("SELECT id, name, guid, definition, concept FROM themes")
        by_guid = {r["guid"]: r for r in rows}
        by_name: dict[str, Any] = {r["name"].casefold(): r for r in rows}
        # A theme's position orders it among its siblings (themes.py): count on per parent.
        last_position: dict[Ref | None, int] = {
            parent: position or 0
            for parent, position in self.project.db.execute(
                "SELECT parent_id, max(position) FROM themes GROUP BY parent_id"
            )
        }
        tally = self.tallies["themes"]
        ordered = sorted(self.incoming.themes, key=lambda t: t.position if t.position is not None else 1 << 30)
        for theme in _parents_first(ordered, lambda t: t.parent_key):
            name = " ".join(theme.name.split())
            if not is_meaningful_name(name):
                self.warnings.append(f"skipped theme '{theme.name}': the name has no letter or digit")
                tally.skipped += 1
                continue
            guid = normalise_guid(theme.guid)
            resolved = self._match(theme, name, guid, by_guid, by_name, "theme", ("definition", "concept"))
            if resolved is not None:
                self.theme_refs[theme.key] = resolved["id"] if isinstance(resolved, dict) else resolved
                continue
            if name.casefold() in by_name:
                name, guid = f"{self.options.rename_prefix}{name}", None
            name = self._free_name(name, by_name)
            ref = New("theme", theme.key)
            parent = self.theme_refs.get(theme.parent_key or "")
            last_position[parent] = last_position.get(parent, 0) + 1
            row = {
                "name": name,
                "guid": self._guid("themes", guid),
                "definition": theme.definition or None,
                "concept": theme.concept or None,
                "status": theme.status if theme.status in STATUSES else "candidate",
                "position": last_position[parent],
            }
            self.plan_.themes.append((ref, row, parent))
            by_name[name.casefold()] = ref
            self.theme_refs[theme.key] = ref
            tally.added += 1

    # -- codings -----------------------------------------------------------------------------

    def _codings(self) -> None:
        existing = {
            (t, c, a, s, e): i
            for i, t, c, a, s, e in self.project.db.execute(
                "SELECT id, transcript_id, code_id, analyst_id, start, [end] FROM codings"
            )
        }
        by_guid: dict[str, Ref] = dict(self.project.db.execute("SELECT guid, id FROM codings"))
        tally = self.tallies["codings"]
        missing: Counter[str] = Counter()
        unknown_user = 0
        planned = self.plan_.codings
        for coding in self.incoming.codings:
            analyst = self._analyst(coding.analyst_key)
            if analyst is None:
                continue  # this analyst's work was not asked for
            unknown_user += coding.analyst_key is None
            transcript = self.transcript_refs.get(coding.transcript_key)
            code = self.code_refs.get(coding.code_key)
            if transcript is None or code is None:
                missing["a transcript" if transcript is None else "a code"] += 1
                continue
            guid = normalise_guid(coding.guid)
            if guid in by_guid:
                self.coding_refs[coding.key] = by_guid[guid]
                tally.matched += 1
                continue
            length = self.transcript_lengths[transcript]
            end = min(coding.end, length)
            if not 0 <= coding.start < end:
                self.warnings.append(
                    f"skipped a coding at {coding.start}-{coding.end}: outside the text, which has {length} characters"
                )
                tally.skipped += 1
                continue
            key = (transcript, code, analyst, coding.start, end)
            if key in existing:
                self.coding_refs[coding.key] = existing[key]
                tally.matched += 1
                continue
            ref = New("coding", coding.key)
            if not guid:
                guid = new_guid()
            by_guid[guid] = existing[key] = self.coding_refs[coding.key] = ref
            planned.append((ref, guid, transcript, code, analyst, coding.start, end, coding.created))
        tally.added += len(planned)
        tally.skipped += sum(missing.values())
        for what, count in missing.items():
            self.warnings.append(f"skipped {count} coding(s) on {what} that was not brought in")
        if unknown_user:
            self.notes.append(f"{unknown_user} coding(s) name no user; recorded as the importing analyst's")

    # -- theme codes, links, quotes ----------------------------------------------------------

    def _theme_members(self) -> None:
        db = self.project.db
        pairs = set(db.execute("SELECT theme_id, code_id FROM theme_codes"))
        links = set(db.execute("SELECT source_id, target_id FROM theme_links"))
        quotes = set(db.execute("SELECT theme_id, coding_id FROM theme_quotes"))
        for theme in self.incoming.themes:
            theme_ref = self.theme_refs.get(theme.key)
            for code_key in theme.code_keys:
                code_ref = self.code_refs.get(code_key)
                self._member(self.tallies["theme codes"], pairs, theme_ref, code_ref, self.plan_.theme_codes)
        for link in self.incoming.theme_links:
            source, target = self.theme_refs.get(link.source_key), self.theme_refs.get(link.target_key)
            if source is not None and source == target:
                continue
            if self._member(self.tallies["theme links"], links, source, target, None):
                self.plan_.theme_links.append((source, target, link.label))
        for quote in self.incoming.quotes:
            theme_ref, coding_ref = self.theme_refs.get(quote.theme_key), self.coding_refs.get(quote.coding_key)
            self._member(self.tallies["quotes"], quotes, theme_ref, coding_ref, self.plan_.quotes)

    @staticmethod
    def _member(tally: Tally, present: set, first: Ref | None, second: Ref | None, out: list | None) -> bool:
        if first is None or second is None:
            tally.skipped += 1
            return False
        if (first, second) in present:
            tally.matched += 1
            return False
        present.add((first, second))
        tally.added += 1
        if out is not None:
            out.append((first, second))
        return True

    # -- memos -------------------------------------------------------------------------------

    def _memos(self) -> None:
        existing_guids = {r[0] for r in self.project.db.execute("SELECT guid FROM memos")}
        existing = {
            (a, t, i, _squash(body))
            for a, t, i, body in self.project.db.execute("SELECT analyst_id, target_type, target_id, body FROM memos")
        }
        refs = {
            "transcript": self.transcript_refs,
            "code": self.code_refs,
            "theme": self.theme_refs,
            "coding": self.coding_refs,
        }
        phase = self.project.current_phase()
        tally = self.tallies["memos"]
        for memo in self.incoming.memos:
            analyst = self._analyst(memo.analyst_key)
            if analyst is None:
                continue
            if not (memo.body or "").strip():
                continue
            body = check_body(memo.body)
            guid = normalise_guid(memo.guid)
            if guid and guid in existing_guids:
                tally.matched += 1
                continue
            target_type = memo.target_type if memo.target_type in TARGET_TYPES else None
            target = refs[target_type].get(memo.target_key or "") if target_type else None
            if target_type and target is None:
                self.warnings.append(f"a memo's {target_type} was not brought in; the memo is kept without it")
                target_type = None
            key = (analyst, target_type, target, _squash(body))
            if key in existing:
                tally.matched += 1
                continue
            existing.add(key)
            ref = New("memo", memo.key)
            row = {
                "guid": self._guid("memos", guid),
                "kind": memo.kind if memo.kind in MEMO_KINDS else DEFAULT_KIND[target_type],
                "target_type": target_type,
                "phase": memo.phase if memo.phase in range(1, 7) else phase,
                "body": body,
                "created": memo.created,
                "updated": memo.updated or memo.created,
            }
            self.plan_.memos.append((ref, row, analyst, target))
            tally.added += 1


def default_participant(transcript: b.Transcript) -> str | None:
    """The pseudonym a transcript's speakers show it belongs to (finds its turns if not yet known)."""

    if transcript.turns is None:
        laid, interviewer = turns_in_place(transcript.text)
        transcript.turns, transcript.interviewer = laid.turns, transcript.interviewer or interviewer
    return participant_from_speakers(transcript.turns, transcript.interviewer)


def _parents_first(items: list, parent_of) -> list:
    """Items ordered so that a parent comes before its children (cycles are broken)."""
    by_key = {item.key: item for item in items}
    ordered, placed, visiting = [], set(), set()

    def place(item) -> None:
        if item.key in placed or item.key in visiting:
            return
        visiting.add(item.key)
        parent = by_key.get(parent_of(item))
        if parent is not None:
            place(parent)
        visiting.discard(item.key)
        placed.add(item.key)
        ordered.append(item)

    for item in items:
        place(item)
    return ordered


# -- writing ---------------------------------------------------------------------------------


def _write(project: Project, plan: _Plan, analyst: str, command: str, outcome: Outcome) -> None:
    ids: dict[New, int] = {}

    def resolve(ref: Ref | None) -> int | None:
        return ids[ref] if type(ref) is New else ref

    with project.change(analyst, command) as change:
        at = change.at
        for ref, name, guid in plan.analysts:
            ids[ref] = change.insert("analysts", {"name": name, "guid": guid, "created": at})
        for ref, name, guid in plan.participants:
            ids[ref] = change.insert("participants", {"name": name, "guid": guid, "created": at})
        for participant, key, value in plan.attributes:
            change.insert(
                "participant_attributes", {"participant_id": resolve(participant), "key": key, "value": value}
            )
        for ref, transcript, name, guid, participant in plan.transcripts:
            ids[ref] = _insert_transcript(change, transcript, name, guid, resolve(participant))
        for ref, row, parent in plan.codes:
            ids[ref] = change.insert(
                "codes",
                {
                    **row,
                    "parent_id": resolve(parent),
                    "status": "active",
                    "created": at,
                    "created_by": change.analyst_id,
                },
            )
        for table, row_id, changes in plan.updates:
            change.update(table, row_id, changes)
        for ref, row, parent in plan.themes:
            ids[ref] = change.insert(
                "themes", {**row, "parent_id": resolve(parent), "created": at, "created_by": change.analyst_id}
            )
        coding_rows = [
            {
                "guid": guid,
                "transcript_id": ids[transcript] if type(transcript) is New else transcript,
                "code_id": ids[code] if type(code) is New else code,
                "analyst_id": ids[coder] if type(coder) is New else coder,
                "start": start,
                "end": end,
                "created": created or at,
            }
            for _, guid, transcript, code, coder, start, end, created in plan.codings
        ]
        for (ref, *_), coding_id in zip(plan.codings, change.insert_many("codings", coding_rows)):
            ids[ref] = coding_id
        for theme, code in plan.theme_codes:
            change.insert("theme_codes", {"theme_id": resolve(theme), "code_id": resolve(code)})
        for source, target, label in plan.theme_links:
            change.insert("theme_links", {"source_id": resolve(source), "target_id": resolve(target), "label": label})
        positions: Counter[int] = Counter()
        for theme, coding in plan.quotes:
            theme_id = resolve(theme)
            if theme_id not in positions:
                positions[theme_id] = project.db.execute(
                    "SELECT count(*) FROM theme_quotes WHERE theme_id = ?", [theme_id]
                ).fetchone()[0]
            change.insert(
                "theme_quotes", {"theme_id": theme_id, "coding_id": resolve(coding), "position": positions[theme_id]}
            )
            positions[theme_id] += 1
        for ref, row, coder, target in plan.memos:
            ids[ref] = change.insert(
                "memos",
                {
                    **row,
                    "analyst_id": resolve(coder),
                    "target_id": resolve(target),
                    "created": row["created"] or at,
                    "updated": row["updated"] or at,
                },
            )
        change.note(command, {"source": outcome.source, "counts": outcome.rows(), "conflicts": len(outcome.conflicts)})


def _insert_transcript(change: Change, transcript: b.Transcript, name: str, guid: str, participant_id: int) -> int:
    text = transcript.text
    default_participant(transcript)  # finds the turns when the bundle did not bring them
    turns = transcript.turns or []
    transcript_id = change.insert(
        "transcripts",
        {
            "name": name,
            "guid": guid,
            "participant_id": participant_id,
            "source_name": transcript.source_name,
            "source_sha256": transcript.source_sha256,
            "format": transcript.format,
            "encoding": transcript.encoding,
            "interviewer": transcript.interviewer,
            "preamble": transcript.preamble,
            "text": text,
            "text_sha256": sha256_text(text),
            "char_count": len(text),
            "word_count": spoken_words(LaidOut(text, turns)),
            "line_count": text.count("\n") + 1,
            "turn_count": len(turns),
            "imported_at": change.at,
            "imported_by": change.analyst_id,
        },
    )
    insert_turns(change, transcript_id, LaidOut(text, turns))
    return transcript_id
