"""The quotes chosen to illustrate a theme in the report: choosing and removing them, and reading
them (or any codings) back with their text, transcript, participant and location."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qualcode.analysis.retrieval import with_text_and_location
from qualcode.analysis.themes import code_ids_of, get_theme, next_quote_position, with_subthemes
from qualcode.errors import InvalidInput, NotFound
from qualcode.store import Project
from qualcode.wording import shell_command


def choose_quote(project: Project, analyst: str, theme: str, coding_id: int) -> dict[str, Any]:
    """Choose a coded extract to illustrate a theme. Its code must be in the theme or one of its
    subthemes, so every quote in the report is evidence for the theme it stands under."""
    target = get_theme(project, theme)
    row = project.db.execute(
        "SELECT c.code_id, k.name FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.id = ?", [coding_id]
    ).fetchone()
    if row is None:
        raise NotFound(
            f"no coding {coding_id}; `{shell_command('theme', 'show', target.name)}` lists extracts with their ids"
        )
    code_id, code_name = row
    if code_id not in code_ids_of(project, with_subthemes(project, target.id)):
        raise InvalidInput(
            f"coding {coding_id} is coded '{code_name}', which is not in theme '{target.name}' or its subthemes;"
            f" assign it first with `{shell_command('theme', 'assign', code_name, '--to', target.name)}`"
        )
    if project.db.execute(
        "SELECT 1 FROM theme_quotes WHERE theme_id = ? AND coding_id = ?", [target.id, coding_id]
    ).fetchone():
        raise InvalidInput(f"coding {coding_id} is already a chosen quote of '{target.name}'")
    with project.change(analyst, "theme quote") as change:
        change.insert(
            "theme_quotes",
            {"theme_id": target.id, "coding_id": coding_id, "position": next_quote_position(project, target.id)},
        )
    return next(q for q in theme_quotes(project, target.name) if q["coding_id"] == coding_id)


def remove_quote(project: Project, analyst: str, theme: str, coding_id: int) -> None:
    target = get_theme(project, theme)
    row = project.db.execute(
        "SELECT id FROM theme_quotes WHERE theme_id = ? AND coding_id = ?", [target.id, coding_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"coding {coding_id} is not a chosen quote of '{target.name}'")
    with project.change(analyst, "theme quote remove") as change:
        change.delete("theme_quotes", row[0])


def theme_quotes(project: Project, theme: str) -> list[dict[str, Any]]:
    """The chosen quotes of a theme in order: coding id, text, transcript, participant, speaker,
    code, analyst, lines and turn."""
    target = get_theme(project, theme)
    ids = [
        r[0]
        for r in project.db.execute(
            "SELECT coding_id FROM theme_quotes WHERE theme_id = ? ORDER BY position, id", [target.id]
        )
    ]
    return passages_by_coding_id(project, ids)


def passages_by_coding_id(project: Project, coding_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Codings with their text and location, in the order of `coding_ids`."""

    if not coding_ids:
        return []
    marks = ",".join("?" for _ in coding_ids)
    rows = project.db.execute(
        f"""
        SELECT c.id, k.name, a.name, t.id, t.name, p.name, c.start, c.[end], c.created
        FROM codings c JOIN codes k ON k.id = c.code_id JOIN analysts a ON a.id = c.analyst_id
        JOIN transcripts t ON t.id = c.transcript_id LEFT JOIN participants p ON p.id = t.participant_id
        WHERE c.id IN ({marks}) ORDER BY t.id, c.start
        """,
        list(coding_ids),
    ).fetchall()
    by_id = {row["coding_id"]: row for row in with_text_and_location(project, rows)}
    return [by_id[i] for i in coding_ids if i in by_id]
