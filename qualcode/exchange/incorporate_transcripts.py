"""Matching incoming transcripts with those here: by GUID, then by the content hash of their text
(the same interview imported on two machines is one transcript), then by name. A transcript that
shares a GUID or a name but not the text cannot take the other copy's codings: that stops the
whole run unless a rename prefix brings it in as a separate transcript."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from qualcode.exchange import bundle as b
from qualcode.exchange.guids import normalise_guid
from qualcode.exchange.incorporate_people import participant_for
from qualcode.exchange.incorporate_plan import New, Planning, Ref, free_name
from qualcode.exchange.turns import participant_from_speakers, turns_in_place
from qualcode.text.ingest import sha256_text


def plan_transcripts(planning: Planning) -> None:
    rows = planning.project.query("SELECT id, name, guid, text_sha256, char_count FROM transcripts")
    by_guid = {r["guid"]: r for r in rows}
    by_hash = {r["text_sha256"]: r for r in rows}
    by_name = {r["name"].casefold(): r for r in rows}
    taken: set[str] = set(by_name)
    planned_hash: dict[str, Ref] = {}
    tally = planning.tallies["transcripts"]
    label = planning.incoming.label
    for transcript in planning.incoming.transcripts:
        text_hash = sha256_text(transcript.text)
        guid = normalise_guid(transcript.guid)
        here = by_guid.get(guid) if guid else None
        if here is None:
            here = by_hash.get(text_hash) or _loose_match(planning, transcript.text, rows)
            if here is not None and here["name"].casefold() != transcript.name.casefold():
                planning.notes.append(
                    f"'{transcript.name}' in {label} has the same text as '{here['name']}' here: matched"
                )
        if here is None:
            here = by_name.get(transcript.name.casefold())
        if here is not None and (
            here["text_sha256"] == text_hash or _same_text(_text(planning, here["id"]), transcript.text)
        ):
            tally.matched += 1
            planning.transcript_refs[transcript.key] = here["id"]
            planning.transcript_lengths[here["id"]] = here["char_count"]
            continue
        if text_hash in planned_hash:  # the same text twice in the incoming file
            planning.transcript_refs[transcript.key] = planned_hash[text_hash]
            tally.matched += 1
            continue
        name = " ".join(transcript.name.split()) or f"Source {tally.added + 1}"
        if here is not None:
            if not planning.rename_prefix:
                tally.conflicts += 1
                planning.plan.blocking.append(
                    f"transcript '{here['name']}' here and '{transcript.name}' in {label} share a "
                    f"{'GUID' if guid and here['guid'] == guid else 'name'} but not their text; "
                    "bring it in as a separate transcript with --rename-prefix"
                )
                continue
            name, guid = planning.rename_prefix + name, None
        name = free_name(name, taken)
        ref = New("transcript", transcript.key)
        participant = planning.participant_refs.get(transcript.participant_key or "")
        if participant is None:
            participant = participant_for(planning, default_participant(transcript) or name)
        importer = planning.analyst_refs.get(transcript.imported_by_key or "")
        planning.plan.transcripts.append(
            (ref, transcript, name, planning.guid("transcripts", guid), participant, importer)
        )
        taken.add(name.casefold())
        planned_hash[text_hash] = ref
        planning.transcript_refs[transcript.key] = ref
        planning.transcript_lengths[ref] = len(transcript.text)
        tally.added += 1


def _loose_match(planning: Planning, text: str, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A transcript here whose text differs only by blank space at the end (built once)."""
    if not rows:
        return None
    if planning.by_loose_hash is None:
        by_id = {r["id"]: r for r in rows}
        texts = planning.project.db.execute("SELECT id, text FROM transcripts")
        planning.by_loose_hash = {sha256_text(t.rstrip()): by_id[i] for i, t in texts}
    return planning.by_loose_hash.get(sha256_text(text.rstrip()))


def _text(planning: Planning, transcript_id: int) -> str:
    return planning.project.db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()[0]


def _same_text(here: str, there: str) -> bool:
    """Equal, or equal but for blank space at the end (programs add or drop a final line end)."""
    return here == there or here.rstrip() == there.rstrip()


def default_participant(transcript: b.Transcript) -> str | None:
    """The pseudonym a transcript's speakers show it belongs to (finds its turns if not yet known)."""

    if transcript.turns is None:
        laid, interviewer = turns_in_place(transcript.text)
        transcript.turns, transcript.interviewer = laid.turns, transcript.interviewer or interviewer
        if transcript.timestamps:  # the text has no times; the file kept them apart (notation.py)
            times = transcript.timestamps
            transcript.turns = [
                replace(turn, timestamp=times[turn.number]) if turn.number in times else turn
                for turn in transcript.turns
            ]
    return participant_from_speakers(transcript.turns, transcript.interviewer)
