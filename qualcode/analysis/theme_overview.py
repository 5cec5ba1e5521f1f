"""The themes as `theme list` and `theme show` present them: the tree of themes with their codes
and counts, flattened for a table, the links between themes, and everything about one theme."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from qualcode.analysis.theme_extracts import (
    code_passage_counts,
    participant_of_transcripts,
    passage_counts,
    sample_extracts,
    summarise_counts,
)
from qualcode.analysis.theme_quotes import theme_quotes
from qualcode.analysis.themes import all_themes, get_theme, with_subthemes
from qualcode.store import Project


def _theme_name(project: Project, theme_id: int) -> str:
    return project.db.execute("SELECT name FROM themes WHERE id = ?", [theme_id]).fetchone()[0]


def theme_tree(project: Project, include_discarded: bool = False, coded_by: str | None = None) -> list[dict[str, Any]]:
    """Top-level themes, each with name, definition, concept, status, parent, position, its own
    codes, counts of extracts, codings, transcripts and participants (with its subthemes), and
    its subthemes nested the same way. Discarded themes, and everything under them, are left out
    unless asked for."""
    themes = all_themes(project)
    counts = passage_counts(project, coded_by)
    participant_of = participant_of_transcripts(project)
    codes: dict[int, list[str]] = defaultdict(list)
    for theme_id, name in project.db.execute(
        "SELECT tc.theme_id, k.name FROM theme_codes tc JOIN codes k ON k.id = tc.code_id ORDER BY k.name COLLATE NOCASE"
    ):
        codes[theme_id].append(name)
    children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for theme in themes:
        children[theme["parent_id"]].append(theme)

    def build(theme: dict[str, Any], parent: str | None) -> dict[str, Any]:
        return {
            "name": theme["name"],
            "status": theme["status"],
            "parent": parent,
            "position": theme["position"],
            "definition": theme["definition"],
            "concept": theme["concept"],
            "codes": codes[theme["id"]],
            **summarise_counts(counts.get(theme["id"], {}), participant_of),
            "subthemes": [
                build(child, theme["name"])
                for child in children[theme["id"]]
                if include_discarded or child["status"] != "discarded"
            ],
        }

    return [build(t, None) for t in children[None] if include_discarded or t["status"] != "discarded"]


def flatten_tree(tree: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    """The tree as rows in display order, each with its depth and without nested subthemes."""
    rows: list[dict[str, Any]] = []
    for theme in tree:
        rows.append({**{k: v for k, v in theme.items() if k != "subthemes"}, "depth": depth})
        rows += flatten_tree(theme["subthemes"], depth + 1)
    return rows


def theme_links(project: Project) -> list[dict[str, Any]]:
    return project.query(
        """
        SELECT a.name AS source, b.name AS target, l.label, a.status AS source_status, b.status AS target_status
        FROM theme_links l JOIN themes a ON a.id = l.source_id JOIN themes b ON b.id = l.target_id
        ORDER BY a.position, a.name, b.position, b.name
        """
    )


def theme_details(project: Project, name: str, coded_by: str | None = None, sample: int = 5) -> dict[str, Any]:
    """Everything `theme show` prints: definition, concept, subthemes, codes, links, memos,
    chosen quotes and a sample of extracts."""
    theme = get_theme(project, name)
    counts = passage_counts(project, coded_by)
    participant_of = participant_of_transcripts(project)
    family = with_subthemes(project, theme.id)
    parent = _theme_name(project, theme.parent_id) if theme.parent_id else None
    subthemes = [
        {"name": row["name"], "status": row["status"], **summarise_counts(counts.get(row["id"], {}), participant_of)}
        for row in project.query(
            "SELECT id, name, status FROM themes WHERE parent_id = ? ORDER BY position, name", [theme.id]
        )
    ]
    code_counts = code_passage_counts(project, coded_by)
    marks = ",".join("?" for _ in family)
    codes = [
        {
            "name": row["name"],
            "color": row["color"],
            "via": None if row["theme_id"] == theme.id else row["theme"],
            "extracts": code_counts.get(row["id"], (0, 0))[0],
            "participants": code_counts.get(row["id"], (0, 0))[1],
        }
        for row in project.query(
            f"""
            SELECT k.id, k.name, k.color, tc.theme_id, h.name AS theme
            FROM theme_codes tc JOIN codes k ON k.id = tc.code_id JOIN themes h ON h.id = tc.theme_id
            WHERE tc.theme_id IN ({marks}) ORDER BY tc.theme_id != ?, h.position, k.name COLLATE NOCASE
            """,
            [*family, theme.id],
        )
    ]
    links = [
        {"direction": "to", "theme": link["target"], "label": link["label"]}
        for link in theme_links(project)
        if link["source"] == theme.name
    ] + [
        {"direction": "from", "theme": link["source"], "label": link["label"]}
        for link in theme_links(project)
        if link["target"] == theme.name
    ]
    memos = project.query(
        "SELECT m.id, a.name AS analyst, m.kind, m.phase, m.created, m.body FROM memos m"
        " JOIN analysts a ON a.id = m.analyst_id WHERE m.target_type = 'theme' AND m.target_id = ?"
        " ORDER BY m.created, m.id",
        [theme.id],
    )
    own = counts.get(theme.id, {})
    return {
        "name": theme.name,
        "status": theme.status,
        "parent": parent,
        "definition": theme.definition,
        "concept": theme.concept,
        "narrative": project.db.execute("SELECT narrative FROM themes WHERE id = ?", [theme.id]).fetchone()[0],
        **summarise_counts(own, participant_of),
        "participants_total": len(set(participant_of.values())),
        "subthemes": subthemes,
        "codes": codes,
        "links": links,
        "memos": memos,
        "quotes": theme_quotes(project, theme.name),
        "sample": sample_extracts(project, theme.id, sample, coded_by, own),
    }
