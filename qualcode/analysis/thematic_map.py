"""The thematic map as a graph: building it, snapshots of its development, and its file formats.

The graph runs project → themes → subthemes (→ codes), plus the analysts' labelled links between
themes. Nodes carry what a reader of the map wants to weigh: extracts (distinct coded passages,
counted as in qualcode.analysis.theme_extracts), codings and participants. Node ids are stable strings
("project", "theme:12", "code:7") so graphs from different snapshots can be compared.

Snapshots keep the whole graph (every status, with codes) as node-link JSON, so a later drawing
can apply any filter and a report can show the map moving from candidate to final themes.
Drawing to PNG, SVG and PDF lives in qualcode.exporters.map_drawing; the text formats are here.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.analysis.coding import PALETTE
from qualcode.analysis.theme_extracts import (
    code_passage_counts,
    participant_of_transcripts,
    passage_counts,
    summarise_counts,
)
from qualcode.analysis.themes import all_themes
from qualcode.errors import InvalidInput, NotFound
from qualcode.exporters.map_drawing import draw_map
from qualcode.files import write_atomically
from qualcode.store import Project, now

if TYPE_CHECKING:
    import networkx as nx

# format -> file extension
FORMATS = {
    "png": ".png",
    "svg": ".svg",
    "pdf": ".pdf",
    "graphml": ".graphml",
    "gexf": ".gexf",
    "dot": ".dot",
    "mermaid": ".mmd",
    "json": ".json",
}
DRAWN_FORMATS = ("png", "svg", "pdf")
EXTENSION_FORMATS = {**{ext: fmt for fmt, ext in FORMATS.items()}, ".gv": "dot", ".mermaid": "mermaid"}
STATUS_FILTERS = ("candidate", "final", "all")
SIMILAR_COLOR = 100  # _color_distance below which two theme colours are hard to tell apart


# -- building the graph -------------------------------------------------------------------


def build_graph(project: Project, status: str = "all", include_codes: bool = False) -> nx.DiGraph:
    """The map as a networkx DiGraph. status 'candidate' keeps every theme still in play
    (candidate, reviewed or final), 'final' only final themes (under final parents), 'all' also
    the discarded ones. Codes are left out unless asked for."""
    return filter_graph(full_graph(project, include_codes), status, include_codes)


def full_graph(project: Project, include_codes: bool = True) -> nx.DiGraph:
    """Every theme of every status, and (unless left out) every code assigned to a theme."""
    import networkx as nx

    themes = all_themes(project)
    counts = passage_counts(project)
    participant_of = participant_of_transcripts(project)
    graph = nx.DiGraph(
        title=project_title(project),
        participants_total=len(set(participant_of.values())),
        transcripts_total=len(participant_of),
        built=now(),
    )
    graph.add_node("project", kind="project", label=graph.graph["title"], level=0)
    by_id = {t["id"]: t for t in themes}
    codes_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in project.query(
        "SELECT tc.theme_id, k.id, k.name, k.color FROM theme_codes tc JOIN codes k ON k.id = tc.code_id"
        " ORDER BY k.name COLLATE NOCASE"
    ):
        codes_of[row["theme_id"]].append(row)
    colors = _theme_colors(themes, codes_of, _codebook_families(project))
    for theme in themes:
        level, top = _level_and_top(theme, by_id)
        graph.add_node(
            f"theme:{theme['id']}",
            kind="theme" if level == 1 else "subtheme",
            label=theme["name"],
            level=level,
            status=theme["status"],
            position=theme["position"],
            parent=by_id[theme["parent_id"]]["name"] if theme["parent_id"] else "",
            definition=theme["definition"] or "",
            concept=theme["concept"] or "",
            color=colors[top],
            **summarise_counts(counts.get(theme["id"], {}), participant_of),
        )
    for theme in themes:
        parent = f"theme:{theme['parent_id']}" if theme["parent_id"] else "project"
        graph.add_edge(parent, f"theme:{theme['id']}", kind="subtheme" if theme["parent_id"] else "theme")
    code_counts = code_passage_counts(project) if include_codes else {}
    for theme_id, codes in codes_of.items() if include_codes else ():
        for code in codes:
            node = f"code:{code['id']}"
            extracts, participants = code_counts.get(code["id"], (0, 0))
            graph.add_node(
                node,
                kind="code",
                label=code["name"],
                color=code["color"] or "#999999",
                extracts=extracts,
                participants=participants,
            )
            graph.add_edge(f"theme:{theme_id}", node, kind="code")
    for link in project.query("SELECT source_id, target_id, label FROM theme_links ORDER BY id"):
        source, target = f"theme:{link['source_id']}", f"theme:{link['target_id']}"
        if graph.has_edge(source, target):
            # A link along the hierarchy (a theme and its own subtheme) labels that edge.
            graph.edges[source, target]["label"] = link["label"] or ""
        else:
            graph.add_edge(source, target, kind="link", label=link["label"] or "")
    return graph


def project_title(project: Project) -> str:
    return project.setting("title") or project.path.stem


def _level_and_top(theme: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> tuple[int, int]:
    level, current = 1, theme
    while current["parent_id"] is not None:
        level, current = level + 1, by_id[current["parent_id"]]
    return level, current["id"]


def _codebook_families(project: Project) -> dict[int, str | None]:
    """code id -> the colour of its top-level code in the codebook (its own when it has no
    parent): codebooks often shade a family of codes from one colour."""
    parent_of, color_of = {}, {}
    for code_id, parent_id, color in project.db.execute("SELECT id, parent_id, color FROM codes"):
        parent_of[code_id], color_of[code_id] = parent_id, color
    families = {}
    for code_id in parent_of:
        top, seen = code_id, {code_id}
        while parent_of.get(top) is not None and parent_of[top] not in seen:
            top = parent_of[top]
            seen.add(top)
        families[code_id] = color_of[top]
    return families


def _theme_colors(
    themes: list[dict[str, Any]], codes_of: dict[int, list[dict[str, Any]]], families: dict[int, str | None]
) -> dict[int, str]:
    """One colour per top-level theme, consistent with the codebook: when at least half of a
    theme's codes share a colour, the theme takes it; else when at least half come from one
    family of the codebook (codes under one top-level code, often shades of its colour), the
    theme takes that family's colour; otherwise the next palette colour no other theme uses.
    Subthemes share their theme's colour."""

    children: dict[int | None, list[int]] = defaultdict(list)
    for theme in themes:
        children[theme["parent_id"]].append(theme["id"])

    def family_codes(theme_id: int) -> list[dict[str, Any]]:
        found = list(codes_of[theme_id])
        for child in children[theme_id]:
            found += family_codes(child)
        return found

    colors: dict[int, str] = {}
    used: set[str] = set()
    for theme_id in children[None]:
        codes = family_codes(theme_id)
        for shades in (
            Counter(c["color"].upper() for c in codes if c["color"]),
            Counter(family.upper() for c in codes if (family := families.get(c["id"]))),
        ):
            if shades:
                shade, n = shades.most_common(1)[0]
                if n * 2 >= len(codes) and shade not in used:
                    colors[theme_id] = shade
                    used.add(shade)
                    break
    # Palette colours close to a colour taken from the codebook (an orange beside the codebook's
    # orange) would make two themes look alike: they come last.
    spare = sorted(
        (c for c in PALETTE if c.upper() not in used),
        key=lambda c: any(_color_distance(c, taken) < SIMILAR_COLOR for taken in used),
    )
    for i, theme_id in enumerate(t for t in children[None] if t not in colors):
        colors[theme_id] = spare[i % len(spare)] if spare else PALETTE[i % len(PALETTE)]
    return colors


def _color_distance(a: str, b: str) -> float:
    """How different two colours look ("redmean" weighted RGB distance, 0 to about 765)."""
    (r1, g1, b1), (r2, g2, b2) = _rgb(a), _rgb(b)
    red = (r1 + r2) / 2
    return ((2 + red / 256) * (r1 - r2) ** 2 + 4 * (g1 - g2) ** 2 + (2 + (255 - red) / 256) * (b1 - b2) ** 2) ** 0.5


def filter_graph(graph: nx.DiGraph, status: str = "all", include_codes: bool = False) -> nx.DiGraph:
    """A copy of the map keeping the themes whose status passes (and whose parents are kept)."""
    if status not in STATUS_FILTERS:
        raise InvalidInput(f"unknown status filter '{status}'; choose {', '.join(STATUS_FILTERS)}")
    allowed = {"candidate": {"candidate", "reviewed", "final"}, "final": {"final"}}.get(status)
    keep = {"project"}
    frontier = ["project"]
    while frontier:  # top-down, so a theme is kept only when its parent is
        node = frontier.pop()
        for child in graph.successors(node):
            data = graph.nodes[child]
            if child in keep or data["kind"] not in ("theme", "subtheme"):
                continue
            if graph.edges[node, child]["kind"] not in ("theme", "subtheme"):
                continue
            if allowed is None or data["status"] in allowed:
                keep.add(child)
                frontier.append(child)
    if include_codes:
        keep |= {
            n
            for n, d in graph.nodes(data=True)
            if d["kind"] == "code" and any(p in keep for p in graph.predecessors(n))
        }
    # Built node by node in the map's own order (not with graph.subgraph, whose order follows a
    # set when few nodes are kept): the same map then always gives the same files.
    filtered = type(graph)()
    filtered.graph.update(graph.graph, status=status, include_codes=include_codes)
    filtered.add_nodes_from((n, dict(d)) for n, d in graph.nodes(data=True) if n in keep)
    filtered.add_edges_from((u, v, dict(d)) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    return filtered


def theme_nodes(graph: nx.DiGraph) -> list[str]:
    return [n for n, d in graph.nodes(data=True) if d["kind"] in ("theme", "subtheme")]


# -- snapshots ----------------------------------------------------------------------------


def take_snapshot(project: Project, analyst: str, note: str | None = None) -> int:
    """Store the current map (all themes, with codes) with the time, phase and a note."""
    import networkx as nx

    graph = full_graph(project)
    if not theme_nodes(graph):
        raise InvalidInput("no themes yet, so no map to keep: add themes with `qualcode theme add`")
    data = json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, sort_keys=True)
    with project.change(analyst, "map snapshot") as change:
        return change.insert(
            "map_snapshots",
            {
                "at": change.at,
                "analyst_id": change.analyst_id,
                "phase": project.current_phase(),
                "note": (note or "").strip() or None,
                "graph_json": data,
            },
        )


def load_snapshot(project: Project, snapshot_id: int) -> nx.DiGraph:
    import networkx as nx

    row = project.db.execute("SELECT graph_json FROM map_snapshots WHERE id = ?", [snapshot_id]).fetchone()
    if row is None:
        known = [str(r[0]) for r in project.db.execute("SELECT id FROM map_snapshots ORDER BY id")]
        hint = f"snapshots: {', '.join(known)}" if known else "none taken yet: qualcode map snapshot --note TEXT"
        raise NotFound(f"no map snapshot {snapshot_id}; {hint}")
    return nx.node_link_graph(json.loads(row[0]), directed=True, multigraph=False, edges="edges")


def list_snapshots(project: Project) -> list[dict[str, Any]]:
    """Every snapshot with its time, analyst, phase, note and what its map held."""
    snapshots = []
    for row in project.query(
        "SELECT s.id, s.at, a.name AS analyst, s.phase, s.note, s.graph_json FROM map_snapshots s"
        " LEFT JOIN analysts a ON a.id = s.analyst_id ORDER BY s.id"
    ):
        data = json.loads(row.pop("graph_json"))
        nodes = data["nodes"]
        statuses = Counter(n["status"] for n in nodes if n["kind"] in ("theme", "subtheme"))
        snapshots.append(
            {
                **row,
                "themes": sum(1 for n in nodes if n["kind"] == "theme" and n["status"] != "discarded"),
                "subthemes": sum(1 for n in nodes if n["kind"] == "subtheme" and n["status"] != "discarded"),
                "final": statuses["final"],
                "discarded": statuses["discarded"],
                "codes": sum(1 for n in nodes if n["kind"] == "code"),
                "links": sum(1 for e in data["edges"] if e.get("kind") == "link"),
            }
        )
    return snapshots


# -- files --------------------------------------------------------------------------------


def map_graph(
    project: Project, status: str = "all", include_codes: bool = False, snapshot: int | None = None
) -> nx.DiGraph:
    """The live map, or a stored snapshot, filtered by status and with or without codes."""
    if snapshot is None:
        return build_graph(project, status, include_codes)
    graph = filter_graph(load_snapshot(project, snapshot), status, include_codes)
    graph.graph["snapshot"] = snapshot
    return graph


def resolve_format(out: str | Path | None, fmt: str | None) -> str:
    """The format asked for, or the one the file name implies; png when neither says."""
    suffix = Path(str(out)).suffix.lower() if out and str(out) != "-" else ""
    implied = EXTENSION_FORMATS.get(suffix)
    if fmt is not None:
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise InvalidInput(f"unknown map format '{fmt}'; choose one of {', '.join(FORMATS)}")
        if implied and implied != fmt:
            raise InvalidInput(
                f"{out} would hold {fmt}, not {implied}: name it *{FORMATS[fmt]} or use --format {implied}"
            )
        return fmt
    if suffix and not implied:
        raise InvalidInput(f"cannot tell the map format from '{suffix}'; add --format ({', '.join(FORMATS)})")
    return implied or "png"


def default_map_path(project: str, fmt: str, status: str = "candidate", snapshot: int | None = None) -> Path:
    """exports/PROJECT-map.EXT, the one rule of every command's default file (PROJECT-KIND.EXT),
    with the snapshot and the status drawn when they are not the default."""
    name = f"{project}-map"
    if snapshot is not None:
        name += f"-snapshot-{snapshot}"
    if status != "candidate":
        name += f"-{status}"
    return Path("exports") / f"{name}{FORMATS[fmt]}"


def graph_text(graph: nx.DiGraph, fmt: str) -> str:
    """The map in a text format: graphml, gexf, dot, mermaid or json."""
    import networkx as nx

    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="edges"), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph)) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(_with_gexf_styling(graph))) + "\n"
    if fmt == "dot":
        return to_dot(graph)
    if fmt == "mermaid":
        return to_mermaid(graph)
    raise InvalidInput(f"{fmt} is not a text format; write it to a file with --out PATH")


def map_text(
    project: Project, fmt: str, status: str = "all", include_codes: bool = False, snapshot: int | None = None
) -> str:
    """The map in a text format, for printing (`map --out -`)."""
    if fmt in DRAWN_FORMATS:
        raise InvalidInput(f"{fmt} cannot go to the terminal; give --out PATH")
    fmt = resolve_format(None, fmt)
    graph = map_graph(project, status, include_codes, snapshot)
    if not theme_nodes(graph):
        raise InvalidInput(_nothing_to_draw(status))
    return graph_text(graph, fmt)


def write_map(
    project: Project,
    out_path: str | Path,
    fmt: str,
    status: str = "all",
    include_codes: bool = False,
    snapshot: int | None = None,
    pixels_wide: int | None = None,
    pages: Sequence[tuple[float, float]] = (),
) -> Path:
    """Write the map to `out_path` in `fmt`, creating missing folders; the file appears whole or
    not at all (it is written to a temporary file in the same folder, then renamed). A PNG can be
    limited to `pixels_wide` across; with `pages` it is the compact figure for print
    (qualcode.exporters.map_figure) laid out for the first of those (width, height) in inches
    it fits."""
    fmt = resolve_format(out_path, fmt)
    out = Path(out_path)
    if out.is_dir():
        raise InvalidInput(f"{out} is a folder; give a file name such as {out / ('thematic-map' + FORMATS[fmt])}")
    graph = map_graph(project, status, include_codes, snapshot)
    if not theme_nodes(graph):
        raise InvalidInput(_nothing_to_draw(status))
    content = None if fmt in DRAWN_FORMATS else graph_text(graph, fmt)

    def write(temporary: Path) -> None:
        if content is not None:
            temporary.write_text(content, encoding="utf-8")
        else:
            draw_map(graph, temporary, fmt, pixels_wide, pages)

    return write_atomically(out, write)


def _nothing_to_draw(status: str) -> str:
    if status == "final":
        return (
            "no final themes to draw yet: the final map starts from top-level themes marked final "
            "(qualcode theme status NAME final), with their final subthemes; or use --status candidate"
        )
    return "no themes to draw yet: add some with `qualcode theme add NAME --code CODE`"


# -- text formats -------------------------------------------------------------------------


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def _with_gexf_styling(graph: nx.DiGraph) -> nx.DiGraph:
    """GEXF carries colours and sizes for Gephi in each node's 'viz' data."""
    styled = graph.copy()
    for _, data in styled.nodes(data=True):
        r, g, b = _rgb(data.get("color") or "#444444")
        size = {"project": 30.0, "theme": 20.0, "subtheme": 12.0}.get(data["kind"], 6.0)
        data["viz"] = {
            "color": {"r": r, "g": g, "b": b, "a": 1.0},
            "size": size + min(float(data.get("extracts", 0)), 200.0) / 20,
        }
    return styled


def _dot_quote(text: Any) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT: themes as filled boxes (final solid, candidate dashed, discarded dotted and
    grey), links as dashed labelled arrows outside the ranking; long names wrap."""
    lines = [
        f"digraph {_dot_quote(graph.graph.get('title', 'thematic map'))} {{",
        "  graph [rankdir=TB, overlap=false, splines=true];",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fillcolor="#ffffff"];',
        '  edge [color="#777777", arrowsize=0.7, fontname="Helvetica", fontsize=10];',
    ]
    for node, data in graph.nodes(data=True):
        attributes = {"label": _wrapped_label(_display_label(data), 24 if data["kind"] != "code" else 28)}
        if data["kind"] == "project":
            attributes.update(fillcolor="#333333", fontcolor="#ffffff", penwidth="2")
        elif data.get("status") == "discarded":
            attributes.update(
                fillcolor="#f2f2f2", color="#999999", fontcolor="#777777", style='"rounded,filled,dotted"'
            )
        elif data["kind"] in ("theme", "subtheme"):
            fill = data["color"] if data["kind"] == "theme" else "#ffffff"
            attributes.update(fillcolor=fill, color=data["color"], fontcolor=_readable_text_color(fill))
            attributes["penwidth"] = "2" if data["kind"] == "theme" else "1"
            if data["status"] == "candidate":
                attributes["style"] = '"rounded,filled,dashed"'
        else:
            attributes.update(shape="plaintext", fontsize="10", style="")
        rendered = ", ".join(
            f"{k}={v}" if k == "style" and v.startswith('"') else f"{k}={_dot_quote(v)}" for k, v in attributes.items()
        )
        lines.append(f"  {_dot_quote(node)} [{rendered}];")
    for source, target, data in graph.edges(data=True):
        edge_attributes: list[str] = []
        if data.get("label"):
            edge_attributes.append(f"label={_dot_quote(_wrapped_label(data['label'], 20))}")
        if data["kind"] == "link":
            edge_attributes += ["style=dashed", "constraint=false"]
        suffix = f" [{', '.join(edge_attributes)}]" if edge_attributes else ""
        lines.append(f"  {_dot_quote(source)} -> {_dot_quote(target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _display_label(data: dict[str, Any]) -> str:
    """A node's label as drawn: discarded themes say so, as on the drawn map."""
    return data["label"] + (" (discarded)" if data.get("status") == "discarded" else "")


def _wrapped_label(text: str, width: int) -> str:
    """Graphviz does not wrap labels: break long ones between words."""

    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _mermaid_text(text: str) -> str:
    # Mermaid reads #...; as an entity and quotes end the label: escape both, and angle brackets.
    return text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;").replace("\n", " ")


def to_mermaid(graph: nx.DiGraph) -> str:
    """A Mermaid flowchart to paste into Markdown (GitHub, GitLab, Obsidian render it)."""
    ids = {node: node.replace(":", "_") for node in graph.nodes}
    lines = ["flowchart TD"]
    for node, data in graph.nodes(data=True):
        label = _mermaid_text(_display_label(data))
        shape = f'(["{label}"])' if data["kind"] == "code" else f'["{label}"]'
        lines.append(f"    {ids[node]}{shape}")
    for source, target, data in graph.edges(data=True):
        label = f'|"{_mermaid_text(data["label"])}"|' if data.get("label") else ""
        arrow = "-.->" if data["kind"] == "link" else "-->"
        lines.append(f"    {ids[source]} {arrow}{label} {ids[target]}")
    for node, data in graph.nodes(data=True):
        if data["kind"] == "project":
            lines.append(f"    style {ids[node]} fill:#333333,color:#ffffff,stroke:#333333")
        elif data.get("status") == "discarded":
            lines.append(f"    style {ids[node]} fill:#f2f2f2,stroke:#999999,color:#777777,stroke-dasharray:2 2")
        elif data["kind"] in ("theme", "subtheme"):
            fill = data["color"] if data["kind"] == "theme" else "#ffffff"
            dashed = ",stroke-dasharray:5 3" if data["status"] == "candidate" else ""
            text = _readable_text_color(fill)
            lines.append(f"    style {ids[node]} fill:{fill},stroke:{data['color']},color:{text}{dashed}")
    return "\n".join(lines) + "\n"


def _readable_text_color(fill: str) -> str:
    r, g, b = (c / 255 for c in _rgb(fill))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "#ffffff"
