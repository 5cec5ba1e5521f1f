"""The six phases of reflexive thematic analysis: where the project stands and what is left.

The phases are recursive, not a gate (Braun & Clarke): moving back is as ordinary as moving on.
Every move is a phase_log row; a move with a note also becomes a 'phase' memo, so the reasons
appear in the reflexive journal. The checklists describe the data, they never block a move.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from qualcode.analysis.memos import insert_memo
from qualcode.analysis.visibility import coding_mode
from qualcode.errors import InvalidInput
from qualcode.names import natural_key
from qualcode.store import Project

PHASES = {
    1: "familiarisation",
    2: "generating initial codes",
    3: "constructing candidate themes",
    4: "reviewing themes",
    5: "defining and naming themes",
    6: "writing up",
}

PHASE_ABOUT = {
    1: "reading and re-reading the transcripts, writing familiarisation notes",
    2: "coding the whole data set systematically, passage by passage",
    3: "gathering codes into candidate themes around shared meaning",
    4: "checking themes against the coded extracts and the whole data set",
    5: "writing each theme's definition and central organising concept, naming it, choosing extracts",
    6: "weaving the analytic story and the extracts into the report",
}


def phase_label(phase: int) -> str:
    return f"phase {phase} ({PHASES[phase]})"


def describe_move(previous: int | None, phase: int) -> str:
    """One sentence for the journal: where the analysis went, and from where."""
    if previous is None:
        return f"Began in {phase_label(phase)}."
    if phase < previous:
        return f"Went back from {phase_label(previous)} to {phase_label(phase)}."
    return f"Moved on from {phase_label(previous)} to {phase_label(phase)}."


# -- the checklists -----------------------------------------------------------------------


def _item(key: str, label: str, every: list[str], left: list[str], analyst: str | None = None) -> dict[str, Any]:
    """A counted item: how many of `every` are done, and which are left. Nothing yet is not done."""
    return {
        "key": key,
        "label": label,
        "analyst": analyst,
        "done": len(every) - len(left),
        "total": len(every),
        "left": left,
        "complete": bool(every) and not left,
    }


def _names(project: Project, sql: str, params: list | tuple = ()) -> dict[int, str]:
    return {row[0]: row[1] for row in project.db.execute(sql, params)}


def _transcripts(project: Project) -> dict[int, str]:
    named = _names(project, "SELECT id, name FROM transcripts")
    return dict(sorted(named.items(), key=lambda item: natural_key(item[1])))


def _analysts(project: Project) -> dict[int, str]:
    return _names(project, "SELECT id, name FROM analysts ORDER BY id")


def _per_analyst(project: Project, analysts: dict[int, str], sql: str) -> dict[int, set[int]]:
    """For each analyst, the transcripts that `sql` (rows of transcript_id, analyst_id) pairs them with."""
    found: dict[int, set[int]] = {a: set() for a in analysts}
    for transcript, analyst in project.db.execute(sql):
        found.setdefault(analyst, set()).add(transcript)
    return found


def _transcript_items(
    project: Project, key: str, label: str, label_for: Callable[[str], str], sql: str
) -> list[dict[str, Any]]:
    """One item over all analysts, then (when several analysts work on the project) one per analyst."""
    transcripts, analysts = _transcripts(project), _analysts(project)
    per_analyst = _per_analyst(project, analysts, sql)
    anyone = set().union(*per_analyst.values()) if per_analyst else set()
    every = list(transcripts.values())
    items = [_item(key, label, every, [name for tid, name in transcripts.items() if tid not in anyone])]
    if len(analysts) > 1:
        for analyst_id, analyst in analysts.items():
            left = [name for tid, name in transcripts.items() if tid not in per_analyst[analyst_id]]
            items.append(_item(f"{key}_by_analyst", label_for(analyst), every, left, analyst=analyst))
    return items


def _active_codes(project: Project) -> dict[int, str]:
    return _names(project, "SELECT id, name FROM codes WHERE status = 'active' ORDER BY name")


def _themes(project: Project) -> list[dict[str, Any]]:
    """Themes still in play (not discarded), in the analysts' order."""
    return project.query(
        "SELECT id, name, parent_id, status, definition, concept FROM themes WHERE status != 'discarded' ORDER BY position, name"
    )


def _families(rows: list[tuple[int, int | None]]) -> dict[int, set[int]]:
    """Each (id, parent id) with itself and all its descendants."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for row_id, parent_id in rows:
        children[parent_id].append(row_id)
    family: dict[int, set[int]] = {}
    for row_id, _ in rows:
        members, stack = set(), [row_id]
        while stack:
            current = stack.pop()
            if current not in members:
                members.add(current)
                stack.extend(children[current])
        family[row_id] = members
    return family


def _with_subthemes(themes: list[dict[str, Any]]) -> dict[int, set[int]]:
    """Each theme with all its subthemes: a theme whose codes sit in its subthemes still has codes."""
    return _families([(theme["id"], theme["parent_id"]) for theme in themes])


def _with_subcodes(project: Project) -> dict[int, set[int]]:
    """Each active code with its active subcodes: a parent code that only groups its subcodes
    ("Rupture and repair") is used, and in a theme, through them."""
    return _families(
        [tuple(row) for row in project.db.execute("SELECT id, parent_id FROM codes WHERE status = 'active'")]
    )


def _theme_codes(project: Project) -> dict[int, set[int]]:
    linked: dict[int, set[int]] = defaultdict(set)
    for theme_id, code_id in project.db.execute("SELECT theme_id, code_id FROM theme_codes"):
        linked[theme_id].add(code_id)
    return linked


def _quoted_themes(project: Project) -> set[int]:
    return {row[0] for row in project.db.execute("SELECT DISTINCT theme_id FROM theme_quotes")}


def _final_themes_quoted(project: Project) -> dict[str, Any]:
    final = [t for t in _themes(project) if t["status"] == "final"]
    quoted = _quoted_themes(project)
    return _item(
        "final_themes_quoted",
        "final themes with chosen quotes",
        [t["name"] for t in final],
        [t["name"] for t in final if t["id"] not in quoted],
    )


def _phase1(project: Project) -> list[dict[str, Any]]:
    return _transcript_items(
        project,
        "transcripts_familiarised",
        "transcripts with familiarisation notes",
        lambda analyst: f"transcripts with {analyst}'s familiarisation notes",
        "SELECT DISTINCT target_id, analyst_id FROM memos WHERE kind = 'familiarisation' AND target_type = 'transcript'",
    )


def _phase2(project: Project) -> list[dict[str, Any]]:
    items = _transcript_items(
        project,
        "transcripts_coded",
        "transcripts coded by at least one analyst",
        lambda analyst: f"transcripts coded by {analyst}",
        "SELECT DISTINCT transcript_id, analyst_id FROM codings",
    )
    codes = _active_codes(project)
    described = {r[0] for r in project.db.execute("SELECT id FROM codes WHERE trim(coalesce(description, '')) != ''")}
    used = {r[0] for r in project.db.execute("SELECT DISTINCT code_id FROM codings")}
    family = _with_subcodes(project)
    every = list(codes.values())
    items.append(
        _item("codes_described", "codes with a description", every, [n for i, n in codes.items() if i not in described])
    )
    items.append(
        _item(
            "codes_used",
            "codes used in at least one coding",
            every,
            [n for i, n in codes.items() if not family[i] & used],
        )
    )
    return items


def _phase3(project: Project) -> list[dict[str, Any]]:
    codes, themes, linked = _active_codes(project), _themes(project), _theme_codes(project)
    family, subcodes = _with_subthemes(themes), _with_subcodes(project)
    in_a_theme = set().union(*(linked[t["id"]] for t in themes)) if themes else set()
    return [
        _item(
            "codes_in_themes",
            "codes in a theme",
            list(codes.values()),
            [n for i, n in codes.items() if not subcodes[i] & in_a_theme],
        ),
        _item(
            "themes_with_codes",
            "themes with codes (their own or their subthemes')",
            [t["name"] for t in themes],
            [t["name"] for t in themes if not any(linked[m] for m in family[t["id"]])],
        ),
    ]


def _theme_participants(project: Project, themes: list[dict[str, Any]]) -> dict[int, set[str]]:
    """Who each theme's extracts come from; a transcript without a participant counts on its own."""
    by_code: dict[int, set[str]] = defaultdict(set)
    for code_id, source in project.db.execute(
        "SELECT DISTINCT c.code_id, coalesce('participant:' || p.name, 'transcript:' || t.name)"
        " FROM codings c JOIN transcripts t ON t.id = c.transcript_id LEFT JOIN participants p ON p.id = t.participant_id"
    ):
        by_code[code_id].add(source)
    linked, family = _theme_codes(project), _with_subthemes(themes)
    return {
        t["id"]: {source for member in family[t["id"]] for code in linked[member] for source in by_code[code]}
        for t in themes
    }


def _phase4(project: Project) -> list[dict[str, Any]]:
    themes = _themes(project)
    sources = _theme_participants(project, themes)
    every = [t["name"] for t in themes]
    return [
        _item(
            "themes_reviewed",
            "themes reviewed (no longer candidate)",
            every,
            [t["name"] for t in themes if t["status"] == "candidate"],
        ),
        _item(
            "themes_across_participants",
            "themes drawing on more than one participant",
            every,
            [t["name"] for t in themes if len(sources[t["id"]]) < 2],
        ),
    ]


def _phase5(project: Project) -> list[dict[str, Any]]:
    themes = _themes(project)

    def has(text: str | None) -> bool:
        return bool(text and text.strip())

    return [
        _item(
            "themes_defined",
            "themes with a definition and a central organising concept",
            [t["name"] for t in themes],
            [t["name"] for t in themes if not (has(t["definition"]) and has(t["concept"]))],
        ),
        _final_themes_quoted(project),
    ]


def _phase6(project: Project) -> list[dict[str, Any]]:
    themes = _themes(project)
    snapshots = project.db.execute("SELECT count(*) FROM map_snapshots").fetchone()[0]
    return [
        _final_themes_quoted(project),
        _item(
            "themes_final",
            "themes marked final",
            [t["name"] for t in themes],
            [t["name"] for t in themes if t["status"] != "final"],
        ),
        {
            "key": "map_snapshot",
            "label": "a thematic map snapshot",
            "analyst": None,
            "done": snapshots,
            "total": None,  # a yes/no item: done counts the snapshots
            "left": [],
            "complete": bool(snapshots),
        },
    ]


CHECKLISTS: dict[int, Callable[[Project], list[dict[str, Any]]]] = {
    1: _phase1,
    2: _phase2,
    3: _phase3,
    4: _phase4,
    5: _phase5,
    6: _phase6,
}


def check_phase(phase: int) -> int:
    if phase not in PHASES:
        listing = "; ".join(f"{n} {name}" for n, name in PHASES.items())
        raise InvalidInput(f"there is no phase {phase}: the phases are {listing}")
    return phase


def checklist(project: Project, phase: int) -> list[dict[str, Any]]:
    """What is done and what is left for one phase; each item: key, label, analyst (or None),
    done, total, left (names), complete. A yes/no item (a map snapshot exists) has total None."""
    return CHECKLISTS[check_phase(phase)](project)


# -- the log and moving between phases ----------------------------------------------------


def phase_log(project: Project) -> list[dict[str, Any]]:
    rows = project.query(
        "SELECT l.id, l.at, l.phase, a.name AS analyst, l.note FROM phase_log l"
        " LEFT JOIN analysts a ON a.id = l.analyst_id ORDER BY l.id"
    )
    previous = None
    for row in rows:
        row["phase_name"] = PHASES[row["phase"]]
        row["previous"] = previous
        row["direction"] = (
            "start"
            if previous is None
            else "back"
            if row["phase"] < previous
            else "forward"
            if row["phase"] > previous
            else "same"
        )
        row["move"] = describe_move(previous, row["phase"])
        previous = row["phase"]
    return rows


def phase_overview(project: Project) -> dict[str, Any]:
    current = project.current_phase()
    return {
        "phase": current,
        "phase_name": PHASES[current],
        "phases": [
            {"number": n, "name": name, "about": PHASE_ABOUT[n], "current": n == current} for n, name in PHASES.items()
        ],
        "checklist": checklist(project, current),
        "log": phase_log(project),
        "coding": coding_mode(project.db),
    }


def set_phase(project: Project, analyst: str, phase: int, note: str | None = None) -> dict[str, Any]:
    """Move the project to another phase, forward or back. Going back is normal and never refused;
    a note saying why is what the methods section and the journal will want, so the command asks
    for one, but a move without it is still logged."""
    check_phase(phase)
    previous = project.current_phase()
    note = note.strip() if note else None
    if phase == previous:
        raise InvalidInput(f"the project is already in {phase_label(phase)}; nothing changed")
    analyst_id = project.analyst_id(analyst)
    move = describe_move(previous, phase)
    with project.change(analyst_id, "phase set") as change:
        change.insert("phase_log", {"phase": phase, "analyst_id": analyst_id, "at": change.at, "note": note})
        # The memo belongs to the phase being entered: it is the first thing written there.
        memo_id = insert_memo(change, "phase", f"{move}\n\n{note}", phase) if note else None
    return {
        "phase": phase,
        "phase_name": PHASES[phase],
        "previous": previous,
        "previous_name": PHASES[previous],
        "direction": "back" if phase < previous else "forward",
        "note": note,
        "memo_id": memo_id,
        "move": move,
    }
