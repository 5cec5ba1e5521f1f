"""What only a project just created takes from a full copy (the folder form): the codes' history
(retired, merged into another), the analysts' own GUIDs, and the phase log. A project with work of
its own keeps its history, as `qualcode merge` does; the copy's phase log is then only named."""

from __future__ import annotations

from qualcode.exchange.guids import normalise_guid
from qualcode.exchange.incorporate_plan import New, Planning
from qualcode.store import Project

_WORK = ("transcripts", "codes", "codings", "memos", "themes", "participants")


def is_new_project(project: Project) -> bool:
    """Nothing in it but its creation: no work and one phase log entry."""
    db = project.db
    if any(db.execute(f"SELECT 1 FROM [{table}] LIMIT 1").fetchone() for table in _WORK):
        return False
    return db.execute("SELECT count(*) FROM phase_log").fetchone()[0] <= 1


def plan_history(planning: Planning) -> None:
    incoming = planning.incoming
    if not incoming.phase_log and all(c.status == "active" for c in incoming.codes):
        return
    if not planning.take_history:
        if incoming.phase_log:
            planning.notes.append(
                f"the phase log of {incoming.label} ({len(incoming.phase_log)} moves) is not merged:"
                " this project keeps its own phases"
            )
        return
    plan = planning.plan
    for code in incoming.codes:
        ref = planning.code_refs.get(code.key)
        if isinstance(ref, New) and code.status != "active":
            plan.code_status.append((ref, code.status, planning.code_refs.get(code.merged_into_key or "")))
    db = planning.project.db
    for analyst in incoming.analysts:  # the copy's analysts are these, so they take its GUIDs
        ref = planning.analyst_refs.get(analyst.key)
        guid = normalise_guid(analyst.guid)
        if isinstance(ref, int) and guid and not db.execute("SELECT 1 FROM analysts WHERE guid = ?", [guid]).fetchone():
            plan.updates.append(
                ("analysts", ref, {"guid": guid, **({"created": analyst.created} if analyst.created else {})})
            )
    if incoming.phase_log:
        plan.replaced_phase_log = [r[0] for r in db.execute("SELECT id FROM phase_log")]
        for move in incoming.phase_log:
            plan.phase_moves.append((move.phase, planning.analyst_refs.get(move.analyst_key or ""), move.at, move.note))
        planning.tallies["phase log"].added += len(incoming.phase_log)
