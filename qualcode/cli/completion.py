"""Shell completion of names from the current project (codes, transcripts, analysts, themes).

Completion must never fail loudly: with no project, or a broken one, it offers nothing.
"""

from __future__ import annotations

import os

import click
from click.shell_completion import CompletionItem


def _project_path(ctx: click.Context):
    from qualcode.store import PROJECT_SUFFIX, resolve_project_path
    from pathlib import Path

    option = ctx.find_root().params.get("project") or os.environ.get("QUALCODE_PROJECT")
    if option:
        return resolve_project_path(option)
    found = sorted(Path("projects").glob(f"*{PROJECT_SUFFIX}"))
    return found[0] if len(found) == 1 else None


def _names(ctx: click.Context, sql: str) -> list[str]:
    import sqlite3

    path = _project_path(ctx)
    if path is None or not path.exists():
        return []
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [row[0] for row in connection.execute(sql)]
        finally:
            connection.close()
    except sqlite3.Error:
        return []


def _completer(sql: str):
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        lowered = incomplete.lower()
        return [CompletionItem(name) for name in _names(ctx, sql) if name.lower().startswith(lowered)]

    return complete


complete_codes = _completer("SELECT name FROM codes WHERE status = 'active' ORDER BY name")
complete_transcripts = _completer(
    "SELECT name FROM transcripts UNION SELECT p.name FROM participants p JOIN transcripts t ON t.participant_id = p.id ORDER BY 1"
)
complete_analysts = _completer("SELECT name FROM analysts ORDER BY name")
complete_themes = _completer("SELECT name FROM themes ORDER BY name")
