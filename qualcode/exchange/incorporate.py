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
does, and the real run writes it in one audited `project.change`. The plan and the state it is
built in are in incorporate_plan; the rules above in incorporate_people, incorporate_transcripts,
incorporate_codebook and incorporate_codings; this module runs them in order and writes the plan.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from qualcode.errors import InvalidInput
from qualcode.exchange import bundle as b
from qualcode.exchange.bulk import collector_paused, large_page_cache
from qualcode.exchange.incorporate_codebook import plan_codes, plan_theme_members, plan_themes
from qualcode.exchange.incorporate_codings import plan_codings, plan_memos
from qualcode.exchange.incorporate_history import is_new_project, plan_history
from qualcode.exchange.incorporate_people import check_options, plan_analysts, plan_participants
from qualcode.exchange.incorporate_plan import New, Plan, Planning, Ref, Tally
from qualcode.exchange.incorporate_transcripts import default_participant, plan_transcripts
from qualcode.store import Change, Project
from qualcode.text.ingest import insert_turns, sha256_text
from qualcode.text.transcripts import LaidOut, spoken_words


@dataclass
class Options:
    rename_prefix: str | None = None
    analyst_map: dict[str, str] = field(default_factory=dict)  # incoming name -> name here
    only_analysts: list[str] | None = None  # bring only these incoming analysts' codings and memos
    history: bool = False  # a project just created takes the bundle's phase log and code history


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


def incorporate(
    project: Project,
    incoming: b.Bundle,
    analyst: str,
    command: str,
    options: Options | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Plan, and unless `dry_run`, write `incoming` into `project` in one transaction."""
    with collector_paused():
        return _incorporate(project, incoming, analyst, command, options or Options(), dry_run)


def _incorporate(
    project: Project, incoming: b.Bundle, analyst: str, command: str, options: Options, dry_run: bool
) -> Outcome:
    planning = Planning(
        project,
        incoming,
        project.analyst_id(analyst),
        options.rename_prefix,
        options.analyst_map,
        options.only_analysts,
    )
    planning.take_history = options.history and is_new_project(project)
    plan = _plan(planning)
    outcome = Outcome(
        incoming.label,
        dry_run,
        planning.tallies,
        planning.conflicts + [f"{line} (stops the run)" for line in plan.blocking] if dry_run else planning.conflicts,
        incoming.warnings + planning.warnings,
        incoming.notes + planning.notes,
    )
    if dry_run:
        return outcome
    if plan.blocking:
        more = f" (and {len(plan.blocking) - 1} more)" if len(plan.blocking) > 1 else ""
        raise InvalidInput(f"{plan.blocking[0]}{more}; nothing was brought in")
    _write(project, plan, analyst, command, outcome)
    return outcome


def _plan(planning: Planning) -> Plan:
    """Each kind in turn: later kinds look up what the earlier ones matched (a coding needs its
    transcript, code and analyst; a quote its theme and coding)."""
    check_options(planning)
    plan_analysts(planning)
    plan_participants(planning)
    plan_transcripts(planning)
    plan_codes(planning)
    plan_themes(planning)
    plan_codings(planning)
    plan_theme_members(planning)
    plan_memos(planning)
    plan_history(planning)
    return planning.plan


# -- writing ---------------------------------------------------------------------------------


def _write(project: Project, plan: Plan, analyst: str, command: str, outcome: Outcome) -> None:
    ids: dict[New, int] = {}

    def resolve(ref: Ref) -> int:
        return ids[ref] if isinstance(ref, New) else ref

    def resolve_optional(ref: Ref | None) -> int | None:
        return None if ref is None else resolve(ref)

    with large_page_cache(project.db.conn), project.change(analyst, command) as change:
        at = change.at
        for ref, name, guid, joined in plan.analysts:
            ids[ref] = change.insert("analysts", {"name": name, "guid": guid, "created": joined or at})
        for ref, name, guid in plan.participants:
            ids[ref] = change.insert("participants", {"name": name, "guid": guid, "created": at})
        for participant, key, value in plan.attributes:
            change.insert(
                "participant_attributes", {"participant_id": resolve(participant), "key": key, "value": value}
            )
        for ref, transcript, name, guid, participant, importer in plan.transcripts:
            ids[ref] = _insert_transcript(
                change, transcript, name, guid, resolve(participant), resolve_optional(importer)
            )
        for ref, row, parent in plan.codes:
            ids[ref] = change.insert(
                "codes",
                {
                    **row,
                    "parent_id": resolve_optional(parent),
                    "status": "active",
                    "created": row["created"] or at,
                    "created_by": change.analyst_id,
                },
            )
        for ref, status, merged_into in plan.code_status:
            change.update("codes", ids[ref], {"status": status, "merged_into_id": resolve_optional(merged_into)})
        for table, row_id, changes in plan.updates:
            change.update(table, row_id, changes)
        for ref, row, parent in plan.themes:
            ids[ref] = change.insert(
                "themes", {**row, "parent_id": resolve_optional(parent), "created": at, "created_by": change.analyst_id}
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
        for ref, row, coder, memo_target in plan.memos:
            ids[ref] = change.insert(
                "memos",
                {
                    **row,
                    "analyst_id": resolve(coder),
                    "target_id": resolve_optional(memo_target),
                    "created": row["created"] or at,
                    "updated": row["updated"] or at,
                },
            )
        for row_id in plan.replaced_phase_log:
            change.delete("phase_log", row_id)
        for phase, mover, moved_at, note in plan.phase_moves:
            change.insert(
                "phase_log", {"phase": phase, "analyst_id": resolve_optional(mover), "at": moved_at, "note": note}
            )
        change.note(command, {"source": outcome.source, "counts": outcome.rows(), "conflicts": len(outcome.conflicts)})


def _insert_transcript(
    change: Change, transcript: b.Transcript, name: str, guid: str, participant_id: int, importer: int | None
) -> int:
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
            "imported_at": transcript.created or change.at,
            "imported_by": importer or change.analyst_id,
        },
    )
    insert_turns(change, transcript_id, LaidOut(text, turns))
    return transcript_id
