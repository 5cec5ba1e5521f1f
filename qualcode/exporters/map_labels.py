"""The thematic map's labels as a tree: one box per theme, subtheme and code under the project,
with the size, position and angle that layout and drawing fill in."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.text import Text


@dataclass(eq=False)
class Label:
    """One box on the map: a node of the graph (codes may appear once under each of their themes)."""

    node: str
    kind: str
    text: str
    depth: int
    color: str
    status: str = ""
    parent: Label | None = None
    children: list[Label] = field(default_factory=list)
    top: Label | None = None  # the top-level theme this label belongs to
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0
    y: float = 0.0
    angle: float = math.pi / 2
    ring: int = 0  # which circle it sits on: themes by their depth, codes all on the outermost
    artist: Text | None = None

    def bounds(self, gap: float = 0.0) -> tuple[float, float, float, float]:
        return (
            self.x - self.w / 2 - gap,
            self.y - self.h / 2 - gap,
            self.x + self.w / 2 + gap,
            self.y + self.h / 2 + gap,
        )


def label_tree(graph: nx.DiGraph) -> Label:
    root = Label("project", "project", graph.nodes["project"]["label"], 0, "#333333")

    def add_children(parent: Label, node: str) -> None:
        themes, codes = [], []
        for child in graph.successors(node):
            data, edge = graph.nodes[child], graph.edges[node, child]
            if edge["kind"] in ("theme", "subtheme"):
                themes.append(child)
            elif edge["kind"] == "code":
                codes.append(child)
        themes.sort(key=lambda n: (graph.nodes[n]["position"], graph.nodes[n]["label"].lower()))
        codes.sort(key=lambda n: graph.nodes[n]["label"].lower())
        for child in themes:
            data = graph.nodes[child]
            label = Label(
                child,
                "theme" if parent.depth == 0 else "subtheme",
                data["label"],
                parent.depth + 1,
                data["color"],
                status=data["status"],
                parent=parent,
            )
            label.top = label if parent.depth == 0 else parent.top
            parent.children.append(label)
            add_children(label, child)
        for child in codes:
            data = graph.nodes[child]
            # A code takes its theme's colour (drawn as a light tint): the codebook's own colours
            # would look like other themes.
            color = parent.top.color if parent.top else data["color"]
            label = Label(child, "code", data["label"], parent.depth + 1, color, parent=parent, top=parent.top)
            parent.children.append(label)

    add_children(root, "project")
    labels = walk(root)
    outermost = max(label.depth for label in labels if label.kind != "code") + 1
    for label in labels:
        label.ring = outermost if label.kind == "code" else label.depth
    return root


def walk(root: Label) -> list[Label]:
    found = [root]
    for child in root.children:
        found += walk(child)
    return found


def leaf_labels(root: Label) -> list[Label]:
    if not root.children:
        return [root]
    return [leaf for child in root.children for leaf in leaf_labels(child)]
