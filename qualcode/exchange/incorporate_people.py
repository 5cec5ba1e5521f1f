"""Matching incoming analysts and participants with those here: analysts by GUID, then by name
(an analyst map renames incoming users first); participants by GUID, then by name, with their
attributes (a value that differs keeps this project's and is reported)."""

from __future__ import annotations

from qualcode.errors import InvalidInput
from qualcode.exchange.guids import normalise_guid
from qualcode.exchange.incorporate_plan import New, Planning, Ref
from qualcode.names import is_meaningful_name


def check_options(planning: Planning) -> None:
    names = {a.name.casefold(): a.name for a in planning.incoming.analysts}
    listed = ", ".join(sorted(names.values(), key=str.casefold)) or "none"
    for name in list(planning.analyst_map) + list(planning.only_analysts or []):
        if name.casefold() not in names:
            raise InvalidInput(f"{planning.incoming.label} has no analyst or user named '{name}' (it has: {listed})")


def plan_analysts(planning: Planning) -> None:
    rows = planning.project.query("SELECT id, name, guid FROM analysts")
    by_guid = {r["guid"]: r["id"] for r in rows}
    by_name = {r["name"].casefold(): r["id"] for r in rows}
    mapped = {k.casefold(): v.strip() for k, v in planning.analyst_map.items()}
    wanted = {n.casefold() for n in planning.only_analysts} if planning.only_analysts else None
    tally = planning.tallies["analysts"]
    for analyst in planning.incoming.analysts:
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
            planning.plan.analysts.append(
                (ref, name, planning.guid("analysts", None if renamed else guid), analyst.created)
            )
            by_name[name.casefold()] = ref
            tally.added += 1
        planning.analyst_refs[analyst.key] = ref


def plan_participants(planning: Planning) -> None:
    rows = planning.project.query("SELECT id, name, guid FROM participants")
    by_guid = {r["guid"]: r["id"] for r in rows}
    by_name = planning.participants_by_name = {r["name"].casefold(): r["id"] for r in rows}
    attributes = {
        (r["participant_id"], r["key"].casefold()): r["value"]
        for r in planning.project.query("SELECT participant_id, key, value FROM participant_attributes")
    }
    tally, attribute_tally = planning.tallies["participants"], planning.tallies["attributes"]
    for participant in planning.incoming.participants:
        name = " ".join(participant.name.split())
        if not is_meaningful_name(name):
            planning.warnings.append(f"skipped participant '{participant.name}': the name has no letter or digit")
            tally.skipped += 1
            continue
        guid = normalise_guid(participant.guid)
        ref = by_guid.get(guid) if guid else None
        ref = ref if ref is not None else by_name.get(name.casefold())
        if ref is None:
            ref = New("participant", participant.key)
            planning.plan.participants.append((ref, name, planning.guid("participants", guid)))
            by_name[name.casefold()] = ref
            tally.added += 1
        else:
            tally.matched += 1
        planning.participant_refs[participant.key] = ref
        for key, value in participant.attributes.items():
            key, value = key.strip(), (value or "").strip()
            if not key or not value:
                continue
            here = attributes.get((ref, key.casefold()))
            if here is None:
                planning.plan.attributes.append((ref, key, value))
                attributes[(ref, key.casefold())] = value
                attribute_tally.added += 1
            elif here == value:
                attribute_tally.matched += 1
            else:
                attribute_tally.conflicts += 1
                planning.conflicts.append(
                    f"participant {name}: {key} is '{here}' here and '{value}' in {planning.incoming.label}; kept '{here}'"
                )


def participant_for(planning: Planning, name: str) -> Ref:
    """A participant by name, planned if it does not exist yet (transcripts need one)."""
    ref = planning.participants_by_name.get(name.casefold())
    if ref is None:
        ref = New("participant", f"name:{name.casefold()}")
        planning.plan.participants.append((ref, name, planning.guid("participants", None)))
        planning.participants_by_name[name.casefold()] = ref
        planning.tallies["participants"].added += 1
    return ref
