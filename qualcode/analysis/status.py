"""The project at a glance: counts, the current phase, analysts."""

from __future__ import annotations

from typing import Any

from qualcode.analysis.phases import PHASES
from qualcode.analysis.visibility import coding_mode
from qualcode.store import Project


def project_status(project: Project) -> dict[str, Any]:
    def count(sql: str) -> int:
        return project.db.execute(sql).fetchone()[0]

    phase = project.current_phase()
    return {
        "project": str(project.path),
        "schema_version": project.schema_version,
        "phase": phase,
        "phase_name": PHASES[phase],
        "transcripts": count("SELECT count(*) FROM transcripts"),
        "words": count("SELECT coalesce(sum(word_count), 0) FROM transcripts"),
        "participants": count("SELECT count(*) FROM participants"),
        "participants_with_transcripts": count("SELECT count(DISTINCT participant_id) FROM transcripts"),
        "codes": count("SELECT count(*) FROM codes WHERE status = 'active'"),
        "codings": count("SELECT count(*) FROM codings"),
        "themes": count("SELECT count(*) FROM themes WHERE status != 'discarded' AND parent_id IS NULL"),
        "subthemes": count("SELECT count(*) FROM themes WHERE status != 'discarded' AND parent_id IS NOT NULL"),
        "memos": count("SELECT count(*) FROM memos"),
        "analysts": project.analyst_names(),
        "default_analyst": project.default_analyst(),
        "coding": coding_mode(project.db),
    }
