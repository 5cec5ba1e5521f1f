"""Drawing the thematic map with matplotlib (Agg, no pyplot): a radial map like those in thematic
analysis papers.

The project sits in the middle; the themes form the first ring, each theme's subthemes fan out in
its own sector just beyond it, and codes (when included) fan out beyond their subtheme. Every
label is measured with the renderer before anything is placed, and the layout is computed in
inches at the final font sizes, so the figure grows with the map instead of the text shrinking:

1. angles: the leaves of the tree are walked round the circle, each step as wide as the two
   labels need at that angle (side by side at the top and bottom, stacked at the sides), with
   wider gaps between subthemes and between themes; a parent sits in the middle of its leaves;
2. rings: themes on the first circle, subthemes on the next, codes on the outermost; each label
   touches its circle with its inner edge, and each circle gets the smallest radius at which none
   of its labels overlap each other or anything inside (with room for the lines), the themes'
   circle a little wider when there are links to route inside it;
3. a collision pass pushes any label that still touches another outward along its ray;
4. links between themes are curves bent by increasing amounts to either side, each with its
   label halfway along; the first that overlaps nothing and crosses no label, link or line wins,
   else the one crossing least.
"""

from __future__ import annotations

import logging
import math
import textwrap
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure
    from matplotlib.text import Text

# kind -> (font size in points, weight, style, characters per line)
FONTS = {
    "project": (13.0, "bold", "normal", 22),
    "theme": (12.0, "bold", "normal", 18),
    "subtheme": (10.0, "normal", "normal", 20),
    "code": (8.0, "normal", "normal", 22),
    "link": (8.5, "normal", "italic", 20),
    "legend": (8.5, "normal", "normal", 30),
}
PAD = 0.4  # box padding, in units of the font size (matplotlib's boxstyle pad)
GAP = 0.1  # inches kept free between any two label boxes
RING_GAP = {1: 0.9, 2: 0.4}  # inches between a label and its parent, so the line between them shows
CODE_RING_GAP = 0.3
GROUP_GAP = {"theme": 0.7, "parent": 0.3, "sibling": 0.0}  # extra space between leaves round the circle
MARGIN = 0.3  # inches round the whole map
LINK_ROOM, LINK_ROOM_MAX = 0.2, 1.6  # inches the themes' ring widens per link between themes, and at most
MIN_VISIBLE_LINK = 0.22  # inches of a link's curve that must show on each side of its label
DPI = {"png": 200, "svg": 72, "pdf": 72}
MAX_PIXELS = 40_000_000  # a PNG's area; very large maps are drawn at a lower resolution (use SVG or PDF)
MIN_DPI = 72
MEASURE_DPI = 100
BASE_FONT = "DejaVu Sans"  # ships with matplotlib, so maps look the same everywhere
# Broad fonts tried first for characters the base font lacks (CJK, Arabic, Devanagari …); any
# other installed font that has them follows. "Last Resort" draws every character as a box.
PREFERRED_FALLBACKS = (
    "Noto Sans",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Arial Unicode MS",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans",
    "Malgun Gothic",
    "Nirmala UI",
    "Segoe UI",
)


class MissingGlyphsWarning(UserWarning):
    """Some characters of the map's labels are in no installed font; they are drawn as boxes."""

    def __init__(self, characters: str) -> None:
        self.characters = characters
        super().__init__(
            f"no installed font has {' '.join(characters)}: they show as empty boxes on the map;"
            " install a font that has them (for Chinese, Japanese or Korean: Noto Sans CJK)"
        )


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


@dataclass
class Link:
    source: Label
    target: Label
    points: list[tuple[float, float]]
    label: Label | None


def draw_map(graph: nx.DiGraph, path: Path, fmt: str) -> None:
    """Draw the map and save it as png, svg or pdf."""
    import matplotlib

    figure = draw_figure(graph)
    width, height = figure.get_size_inches()
    dpi = DPI[fmt] if fmt != "png" else min(DPI["png"], max(MIN_DPI, int(math.sqrt(MAX_PIXELS / (width * height)))))
    # TrueType fonts in PDFs stay editable in journals' tools; SVG text as paths looks the same everywhere.
    with (
        matplotlib.rc_context({"pdf.fonttype": 42, "svg.fonttype": "path", "svg.hashsalt": "qualcode"}),
        _quiet_fonts(),
    ):
        figure.savefig(path, format=fmt, dpi=dpi, facecolor="white", metadata=_metadata(fmt, graph))


def _metadata(fmt: str, graph: nx.DiGraph) -> dict[str, Any]:
    title = f"Thematic map: {graph.graph.get('title', '')}"
    if fmt == "png":
        return {"Title": title, "Software": "qualcode"}
    if fmt == "pdf":
        return {"Title": title, "Creator": "qualcode", "CreationDate": None}
    return {"Title": title, "Date": None}


def draw_figure(graph: nx.DiGraph) -> Figure:
    """The map as a matplotlib Figure whose size (in inches) fits its labels. Characters the
    base font lacks are drawn with installed fonts that have them; when none has some, one
    MissingGlyphsWarning names them (matplotlib's own warning per glyph and label is silenced)."""

    import matplotlib

    texts = [str(d.get("label", "")) for _, d in graph.nodes(data=True)]
    texts += [str(d.get("label", "")) for _, _, d in graph.edges(data=True)]
    families, missing = _font_families(texts)
    with matplotlib.rc_context({"font.family": families}), _quiet_fonts():
        figure = _draw(graph)
    if missing:
        warnings.warn(MissingGlyphsWarning(missing), stacklevel=2)
    return figure


@contextmanager
def _quiet_fonts() -> Iterator[None]:
    """Silence matplotlib's font messages (one per missing glyph and label, and one per fallback
    font without a bold face): draw_figure reports missing characters once, and a regular face
    standing in for bold is no news."""

    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            yield
    finally:
        logger.setLevel(level)


def _font_families(texts: list[str]) -> tuple[list[str], str]:
    """The font families to draw with (the base font, then fonts for what it lacks), and the
    characters no installed font has."""
    from matplotlib import font_manager

    needed = dict.fromkeys(c for text in texts for c in text if c.isprintable() and not c.isspace())
    missing = set(needed) - _characters_of(font_manager.findfont(BASE_FONT))
    families = [BASE_FONT]
    if not missing:
        return families, ""
    installed = sorted(
        {(entry.name, entry.fname) for entry in font_manager.fontManager.ttflist if "Last Resort" not in entry.name},
        key=lambda font: (font[0] not in PREFERRED_FALLBACKS, "Sans" not in font[0], font),
    )
    # matplotlib's font list is cached when it is first used: fonts installed since are found on disk.
    known = {path for _, path in installed}
    for path in font_manager.findSystemFonts():
        if path not in known and missing & _characters_of(path):
            font_manager.fontManager.addfont(path)
            installed.append((font_manager.FontProperties(fname=path).get_name(), path))
    for name, path in installed:
        if not missing:
            break
        covered = missing & _characters_of(path)
        if covered and name not in families and "Last Resort" not in name:
            families.append(name)
            missing -= covered
    return families, "".join(c for c in needed if c in missing)  # in the order the labels have them


_CHARACTERS: dict[str, set[str]] = {}


def _characters_of(path: str) -> set[str]:
    """The characters a font file has glyphs for (read once per file)."""
    if path not in _CHARACTERS:
        from matplotlib.ft2font import FT2Font

        try:
            _CHARACTERS[path] = {chr(code) for code in FT2Font(path).get_charmap()}
        except (OSError, RuntimeError, ValueError):
            _CHARACTERS[path] = set()
    return _CHARACTERS[path]


def _draw(graph: nx.DiGraph) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    root = _label_tree(graph)
    labels = _walk(root)
    figure = Figure(dpi=MEASURE_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    renderer = figure.canvas.get_renderer()
    for label in labels:
        _add_text(axes, label, renderer)
    _assign_angles(root)
    links_between_themes = sum(1 for _, _, d in graph.edges(data=True) if d["kind"] == "link")
    _place_rings(root, labels, interior=min(LINK_ROOM_MAX, LINK_ROOM * links_between_themes))
    _resolve_overlaps(labels)
    links = _place_links(graph, labels, axes, renderer)
    _add_legend(axes, renderer, labels)
    _draw_hierarchy(axes, labels)
    for link in links:
        _draw_link(axes, link)
    _fit_figure(figure, axes, labels, links)
    return figure


# -- the tree of labels -------------------------------------------------------------------


def _label_tree(graph: nx.DiGraph) -> Label:
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
            label = Label(child, "code", data["label"], parent.depth + 1, data["color"], parent=parent, top=parent.top)
            parent.children.append(label)

    add_children(root, "project")
    labels = _walk(root)
    outermost = max(label.depth for label in labels if label.kind != "code") + 1
    for label in labels:
        label.ring = outermost if label.kind == "code" else label.depth
    return root


def _walk(root: Label) -> list[Label]:
    found = [root]
    for child in root.children:
        found += _walk(child)
    return found


def _leaves(root: Label) -> list[Label]:
    if not root.children:
        return [root]
    return [leaf for child in root.children for leaf in _leaves(child)]


# -- text and box styles ------------------------------------------------------------------


def _mix(color: str, with_white: float) -> str:
    """The colour blended towards white by `with_white` (0 keeps it, 1 is white)."""
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    r, g, b = (round(c + (255 - c) * with_white) for c in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"


def _darker(color: str, by: float = 0.35) -> str:
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"#{round(r * (1 - by)):02x}{round(g * (1 - by)):02x}{round(b * (1 - by)):02x}"


def _luminance(color: str) -> float:
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _box_style(label: Label) -> tuple[dict[str, Any], str]:
    """(bbox properties, text colour). Status shows in the border: final solid and heavy,
    reviewed solid, candidate dashed, discarded dotted and greyed out."""
    border = {
        "final": ("solid", 2.2),
        "reviewed": ("solid", 1.3),
        "candidate": ("dashed", 1.4),
        "discarded": ("dotted", 1.2),
    }
    if label.kind == "project":
        return {"fc": "#333333", "ec": "#111111", "lw": 1.5}, "#ffffff"
    if label.kind == "link":
        return {"fc": "#ffffff", "ec": "#bbbbbb", "lw": 0.6}, "#333333"
    if label.kind == "legend":
        if not label.status:  # the legend's title
            return {"fc": "none", "ec": "none", "lw": 0}, "#333333"
        style, width = border[label.status]
        return {"fc": "#ffffff", "ec": "#555555", "lw": width, "ls": style}, "#333333"
    if label.kind == "code":
        return {"fc": _mix(label.color, 0.85), "ec": label.color, "lw": 0.8}, "#222222"
    style, width = border.get(label.status, ("solid", 1.3))
    if label.status == "discarded":
        return {"fc": "#f2f2f2", "ec": "#999999", "lw": width, "ls": style}, "#777777"
    if label.kind == "theme":
        fill = label.color
        text = "#000000" if _luminance(fill) > 0.45 else "#ffffff"
        return {"fc": fill, "ec": _darker(fill), "lw": width, "ls": style}, text
    return {"fc": _mix(label.color, 0.75), "ec": _darker(label.color, 0.15), "lw": width, "ls": style}, "#111111"


def _wrap(text: str, width: int) -> list[str]:
    """Lines of about `width` characters, broken between words: "co-created" stays whole. A word
    too long to sit on a line (a URL, text without spaces) is broken where it must be."""
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    if any(len(line) > width * 3 // 2 for line in lines):
        lines = textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=True)
    return lines


def _add_text(axes: Any, label: Label, renderer: Any) -> None:
    """Create the label's text artist and measure its box in inches."""
    size, weight, style, width = FONTS[label.kind]
    text = label.text + (" (discarded)" if label.status == "discarded" and label.kind != "legend" else "")
    wrapped = "\n".join(_wrap(text, width)) or text
    bbox, color = _box_style(label)
    label.artist = axes.text(
        0,
        0,
        wrapped,
        ha="center",
        va="center",
        multialignment="center",
        fontsize=size,
        fontweight=weight,
        fontstyle=style,
        color=color,
        zorder=4 if label.kind == "link" else 3,
        bbox={"boxstyle": f"round,pad={PAD}", **bbox},
    )
    extent = label.artist.get_window_extent(renderer)
    padding = 2 * PAD * size / 72  # the box adds PAD font sizes on each side
    label.w = extent.width / MEASURE_DPI + padding
    label.h = extent.height / MEASURE_DPI + padding


# -- layout -------------------------------------------------------------------------------


def _step(a: Label, b: Label, angle: float, radius: float) -> float:
    """The angle two neighbouring labels need between them at this angle and circle radius.

    Both touch the circle with their inner edge, so a wider box sits further out than a narrow
    one; the labels move apart along the tangent by a distance s, and they overlap while
    |s·t + (reach_b - reach_a)·u| is below their half sizes on both axes (t the tangent, u the ray).
    Each axis gives an interval of s; the step is the end of the interval where both overlap."""
    u = (math.cos(angle), math.sin(angle))
    t = (math.sin(angle), -math.cos(angle))  # clockwise
    reach_a, reach_b = _reach(a, angle), _reach(b, angle)
    offset = reach_b - reach_a
    low, high = -math.inf, math.inf
    for tc, uc, half in ((t[0], u[0], (a.w + b.w) / 2 + GAP), (t[1], u[1], (a.h + b.h) / 2 + GAP)):
        shift = offset * uc
        if abs(tc) < 1e-9:
            if abs(shift) >= half:
                low, high = math.inf, -math.inf  # apart on this axis wherever they are
            continue
        s1, s2 = (-half - shift) / tc, (half - shift) / tc
        low, high = max(low, min(s1, s2)), min(high, max(s1, s2))
    distance = high if low < 0 < high else 0.0
    return (distance + _group_gap(a, b)) / (radius + (reach_a + reach_b) / 2)


def _group_gap(a: Label, b: Label) -> float:
    if a.top is not b.top:
        return GROUP_GAP["theme"]
    if a.parent is not b.parent:
        return GROUP_GAP["parent"]
    return GROUP_GAP["sibling"]


def _assign_angles(root: Label) -> None:
    """Spread the leaves round the circle clockwise, centre each parent on its leaves, and start
    the walk where it puts the first theme at twelve o'clock (found by re-walking: the space a
    pair of labels needs depends on the angle it lands at)."""
    leaves = _leaves(root)
    if leaves == [root]:
        return
    start = math.pi / 2
    for _ in range(4):
        # Close the circle at one radius, found by bisection (a larger radius makes every
        # angular step smaller), then spread what is left of the circle evenly over the steps.
        low, high = 0.1, 1.0
        while _walk_angles(leaves, high, start)[1] > 2 * math.pi:
            high *= 2
        for _ in range(40):
            middle = (low + high) / 2
            low, high = (middle, high) if _walk_angles(leaves, middle, start)[1] > 2 * math.pi else (low, middle)
        angles, used = _walk_angles(leaves, high, start)
        spare = (2 * math.pi - used) / len(leaves)
        for k, leaf in enumerate(leaves):
            leaf.angle = angles[k] - spare * k
        for theme in root.children:
            _centre(theme)
        turn = math.pi / 2 - root.children[0].angle
        if abs(turn) < 1e-3:
            return
        start += turn


def _centre(label: Label) -> None:
    if label.children:
        for child in label.children:
            _centre(child)
        label.angle = (label.children[0].angle + label.children[-1].angle) / 2


def _walk_angles(leaves: list[Label], radius: float, start: float) -> tuple[list[float], float]:
    """Angles of the leaves walked clockwise from `start` at this radius, and the angle the whole
    walk takes (including the step from the last leaf back to the first)."""
    angles, angle = [], start
    n = len(leaves)
    if n == 1:
        return [start], 0.0
    for k in range(n):
        angles.append(angle)
        a, b = leaves[k], leaves[(k + 1) % n]
        guess = _step(a, b, angle, radius)
        angle -= _step(a, b, angle - guess / 2, radius)  # measured mid-way
    return angles, start - angle


def _ring_gap(label: Label) -> float:
    return CODE_RING_GAP if label.kind == "code" else RING_GAP.get(label.ring, RING_GAP[2])


def _place_rings(root: Label, labels: list[Label], interior: float = 0.0) -> None:
    """Put each ring on one circle, as small as it can be without overlaps (the themes' ring
    `interior` inches wider, to leave room for links between themes); then space the rings
    between the themes and the outermost evenly, so no ring of lines is much longer than another.

    A label touches its circle with its inner edge (its centre sits further out by half its
    extent along the ray), so each box lies wholly outside its circle: the lines from a parent
    inside the circle to its children on it then never pass under a neighbouring box."""
    count = max(label.ring for label in labels)
    radii = _ring_radii(root, labels, [0.0] * (count + 1))
    if interior:
        radii = _ring_radii(root, labels, [0.0, radii[1] + interior] + [0.0] * (count - 1))
    if count > 2:
        inner, outer = radii[1], radii[count]
        even = [0.0, inner] + [inner + (outer - inner) * (k - 1) / (count - 1) for k in range(2, count + 1)]
        radii = _ring_radii(root, labels, even)
    for label in labels[1:]:
        _set_on_ring(label, radii[label.ring])


def _reach(label: Label, angle: float) -> float:
    """How far the box extends from its centre along the ray at `angle`."""
    return abs(math.cos(angle)) * label.w / 2 + abs(math.sin(angle)) * label.h / 2


def _set_on_ring(label: Label, radius: float) -> None:
    centre = radius + _reach(label, label.angle)
    label.x, label.y = centre * math.cos(label.angle), centre * math.sin(label.angle)


def _ring_radii(root: Label, labels: list[Label], at_least: list[float]) -> list[float]:
    """Each ring's radius: at least the one asked for, and large enough that its labels clear each
    other and everything on the rings inside it.

    Every constraint is a pair of boxes whose centre offset is linear in the radius R,
    d(R) = a + b·R; they overlap while |dx| < half widths and |dy| < half heights, which is one
    interval of R. The radius is the first one at or above the start outside all intervals."""
    import numpy as np

    placed = [root]
    radii = [0.0]
    for number in range(1, len(at_least)):
        ring = [label for label in labels if label.ring == number]
        angles = np.array([label.angle for label in ring])
        ux, uy = np.cos(angles), np.sin(angles)
        w = np.array([label.w for label in ring])
        h = np.array([label.h for label in ring])
        reach = np.abs(ux) * w / 2 + np.abs(uy) * h / 2
        # Pairs on this ring: centre_i - centre_j = R (u_i - u_j) + (reach_i u_i - reach_j u_j).
        i, j = np.triu_indices(len(ring), k=1)
        constraints = [
            (
                reach[i] * ux[i] - reach[j] * ux[j],
                ux[i] - ux[j],
                reach[i] * uy[i] - reach[j] * uy[j],
                uy[i] - uy[j],
                (w[i] + w[j]) / 2 + GAP,
                (h[i] + h[j]) / 2 + GAP,
            )
        ]
        # Labels already placed: centre_i - other = R u_i + (reach_i u_i - other).
        if placed:
            ox = np.array([other.x for other in placed])
            oy = np.array([other.y for other in placed])
            ow = np.array([other.w for other in placed])
            oh = np.array([other.h for other in placed])
            gaps = np.array(
                [[_ring_gap(label) if other is label.parent else GAP for other in placed] for label in ring]
            )
            constraints.append(
                (
                    (reach * ux)[:, None] - ox[None, :],
                    np.repeat(ux[:, None], len(placed), 1),
                    (reach * uy)[:, None] - oy[None, :],
                    np.repeat(uy[:, None], len(placed), 1),
                    (w[:, None] + ow[None, :]) / 2 + gaps,
                    (h[:, None] + oh[None, :]) / 2 + gaps,
                )
            )
        radius = _first_free(max(radii[-1], at_least[number]), constraints)
        for label in ring:
            _set_on_ring(label, radius)
        placed += ring
        radii.append(radius)
    return radii


def _first_free(start: float, constraints: list[tuple]) -> float:
    import numpy as np

    lows, highs = [], []
    for ax, bx, ay, by, half_w, half_h in constraints:
        ax, bx, ay, by, half_w, half_h = (np.ravel(v) for v in (ax, bx, ay, by, half_w, half_h))
        low = np.full(ax.shape, -np.inf)
        high = np.full(ax.shape, np.inf)
        for a, b, half in ((ax, bx, half_w), (ay, by, half_h)):
            moving = np.abs(b) > 1e-12
            with np.errstate(divide="ignore", invalid="ignore"):
                r1 = np.where(moving, (-half - a) / b, -np.inf)
                r2 = np.where(moving, (half - a) / b, np.inf)
            # A fixed offset either always overlaps on this axis or never does.
            never = ~moving & (np.abs(a) >= half)
            low = np.maximum(low, np.where(never, np.inf, np.minimum(r1, r2)))
            high = np.minimum(high, np.where(never, -np.inf, np.maximum(r1, r2)))
        keep = low < high
        lows.append(low[keep])
        highs.append(high[keep])
    low, high = np.concatenate(lows), np.concatenate(highs)
    order = np.argsort(low)
    radius = start
    for lo, hi in zip(low[order].tolist(), high[order].tolist()):
        if lo >= radius:
            break
        radius = max(radius, hi)
    return radius


def _free_radius(label: Label, angle: float, start: float, obstacles: list[Label]) -> float:
    """The smallest radius ≥ start at which the label, on the ray at `angle`, clears every
    obstacle (by the ring gap for its parent, GAP for the rest). For each obstacle the radii at
    which the boxes overlap form one open interval; the answer is the first radius outside all."""
    ux, uy = math.cos(angle), math.sin(angle)
    intervals = []
    for other in obstacles:
        if other is label:
            continue
        gap = _ring_gap(label) if other is label.parent else GAP
        half_w = (label.w + other.w) / 2 + gap
        half_h = (label.h + other.h) / 2 + gap
        low, high = -math.inf, math.inf
        for u, centre, half in ((ux, other.x, half_w), (uy, other.y, half_h)):
            if abs(u) < 1e-12:
                if abs(centre) >= half:
                    low, high = math.inf, -math.inf  # never overlaps along this axis
                continue
            a, b = (centre - half) / u, (centre + half) / u
            low, high = max(low, min(a, b)), min(high, max(a, b))
        if low < high:
            intervals.append((low, high))
    radius = start
    for low, high in sorted(intervals):
        if low >= radius:
            break
        radius = max(radius, high)
    return radius


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _resolve_overlaps(labels: list[Label]) -> None:
    """Push any label that still overlaps another outward along its ray, inner labels first."""
    ordered = sorted(labels, key=lambda label: (label.ring, -label.angle))
    placed: list[Label] = []
    for label in ordered:
        if label.ring and any(_overlaps(label.bounds(GAP / 2), other.bounds(GAP / 2)) for other in placed):
            radius = _free_radius(label, label.angle, math.hypot(label.x, label.y), placed)
            label.x, label.y = radius * math.cos(label.angle), radius * math.sin(label.angle)
        placed.append(label)


# -- links between themes -----------------------------------------------------------------


def _bezier(a: tuple[float, float], control: tuple[float, float], b: tuple[float, float], n: int = 60):
    import numpy as np

    t = np.linspace(0.0, 1.0, n + 1)[:, None]
    return (1 - t) ** 2 * np.array(a) + 2 * (1 - t) * t * np.array(control) + t**2 * np.array(b)


def _inside(points, boxes):
    """(points × boxes) whether each point lies in each box (x0, y0, x1, y1)."""
    x, y = points[:, 0:1], points[:, 1:2]
    return (boxes[None, :, 0] <= x) & (x <= boxes[None, :, 2]) & (boxes[None, :, 1] <= y) & (y <= boxes[None, :, 3])


def _segments_crossing(starts, ends, box: tuple[float, float, float, float]) -> int:
    """How many segments cross the box (Liang-Barsky clipping, all segments at once)."""
    import numpy as np

    if not len(starts):
        return 0
    d = ends - starts
    low, high = np.zeros(len(starts)), np.ones(len(starts))
    crossing = np.ones(len(starts), dtype=bool)
    for p, q in (
        (-d[:, 0], starts[:, 0] - box[0]),
        (d[:, 0], box[2] - starts[:, 0]),
        (-d[:, 1], starts[:, 1] - box[1]),
        (d[:, 1], box[3] - starts[:, 1]),
    ):
        parallel = p == 0
        crossing &= ~(parallel & (q < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
        low = np.where(~parallel & (p < 0), np.maximum(low, t), low)
        high = np.where(~parallel & (p > 0), np.minimum(high, t), high)
    return int((crossing & (low <= high)).sum())


def _visible(curve, a: Label, b: Label):
    """The part of a curve between the two boxes it joins."""
    import numpy as np

    inside = _inside(curve, np.array([a.bounds(0.04), b.bounds(0.04)])).any(axis=1)
    return curve[~inside]


def _lengths_around(points, box: tuple[float, float, float, float] | None):
    """Length of the curve before it enters the box, after it leaves it, and its halfway point."""
    import numpy as np

    walked = np.r_[0.0, np.cumsum(np.hypot(*np.diff(points, axis=0).T))]
    total = walked[-1]
    halfway = tuple(points[min(int(np.searchsorted(walked, total / 2)), len(points) - 1)])
    inside = np.flatnonzero(_inside(points, np.array([box]))[:, 0]) if box is not None else []
    if not len(inside):
        return total, total, halfway
    return walked[inside[0]], total - walked[inside[-1]], halfway


def _place_links(graph: nx.DiGraph, labels: list[Label], axes: Any, renderer: Any) -> list[Link]:
    """Route each link as a curve through a label position that overlaps nothing, preferring
    curves that cross no other label, line or link, and bend least."""
    import numpy as np

    by_node = {label.node: label for label in labels if label.kind in ("theme", "subtheme")}
    boxes = list(labels)
    joined = [label for label in labels if label.parent is not None]
    starts = np.array([(label.parent.x, label.parent.y) for label in joined]).reshape(-1, 2)
    ends = np.array([(label.x, label.y) for label in joined]).reshape(-1, 2)
    links: list[Link] = []
    for source, target, data in graph.edges(data=True):
        a, b = by_node.get(source), by_node.get(target)
        text = data.get("label") or ""
        if a is None or b is None or (data["kind"] != "link" and not text):
            continue
        tag = None
        if text:
            tag = Label(f"{source}->{target}", "link", text, 0, "#ffffff")
            _add_text(axes, tag, renderer)
        links.append(_route(a, b, tag, boxes, (starts, ends), links, along_hierarchy=data["kind"] != "link"))
        if tag is not None:
            boxes.append(tag)
            labels.append(tag)
    return links


def _crossings(points, starts, ends) -> int:
    """How many of the segments (starts[i], ends[i]) the polyline through `points` crosses."""
    if not len(starts) or len(points) < 2:
        return 0
    p, q = points[:-1, None, :], points[1:, None, :]
    s, e = starts[None, :, :], ends[None, :, :]

    def turn(a, b, c):
        return (b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) - (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0])

    crossing = (turn(s, e, p) * turn(s, e, q) < 0) & (turn(p, q, s) * turn(p, q, e) < 0)
    return int(crossing.any(axis=0).sum())


def _route(
    a: Label,
    b: Label,
    tag: Label | None,
    boxes: list[Label],
    hierarchy: tuple,
    links: list[Link],
    along_hierarchy: bool,
) -> Link:
    """Try curves bending more and more to either side (first towards the middle of the map,
    where there is room between the themes) and keep the one that crosses least: a label box
    above all, then other links and the map's lines; the first curve crossing nothing wins. The
    label sits halfway along the visible curve, clear of every box, with enough curve showing on
    both sides for the arrow to read."""
    import numpy as np

    mid = ((a.x + b.x) / 2, (a.y + b.y) / 2)
    length = math.hypot(b.x - a.x, b.y - a.y) or 1.0
    normal = (-(b.y - a.y) / length, (b.x - a.x) / length)
    if normal[0] * -mid[0] + normal[1] * -mid[1] < 0:
        normal = (-normal[0], -normal[1])
    others = np.array([box.bounds() for box in boxes if box is not a and box is not b]).reshape(-1, 4)
    padded = others + np.array([-GAP / 2, -GAP / 2, GAP / 2, GAP / 2])
    placed = [np.array(link.points) for link in links]
    link_starts = np.concatenate([p[:-1] for p in placed]) if placed else np.zeros((0, 2))
    link_ends = np.concatenate([p[1:] for p in placed]) if placed else np.zeros((0, 2))
    best: tuple[float, Link, tuple[float, float]] | None = None
    offsets = [0.0] if along_hierarchy else []
    offsets += [side * k * 0.2 for k in range(1, 60) for side in (1, -1)]
    for offset in offsets:
        control = (mid[0] + 2 * normal[0] * offset, mid[1] + 2 * normal[1] * offset)
        visible = _visible(_bezier((a.x, a.y), control, (b.x, b.y)), a, b)
        if len(visible) < 2:
            continue
        under_label = 0
        point = tuple(visible[len(visible) // 2])
        if tag is not None:
            point = _lengths_around(visible, None)[2]
            tag.x, tag.y = point
            x0, y0, x1, y1 = tag.bounds(GAP / 2)
            if ((x0 < padded[:, 2]) & (padded[:, 0] < x1) & (y0 < padded[:, 3]) & (padded[:, 1] < y1)).any():
                continue
            before, after, _ = _lengths_around(visible, tag.bounds())
            if min(before, after) < MIN_VISIBLE_LINK:
                continue
            under_label = _segments_crossing(*hierarchy, (x0, y0, x1, y1))
        crossed = (
            100 * (int(_inside(visible, others).any(axis=0).sum()) if len(others) else 0)
            + 4 * under_label
            + 3 * _crossings(visible, link_starts, link_ends)
            + 2 * _crossings(visible, *hierarchy)
        )
        score = crossed + abs(offset) + (0.1 if offset < 0 else 0)
        if best is None or score < best[0]:
            best = (score, Link(a, b, [tuple(p) for p in visible], tag), point)
        if crossed == 0:
            break  # nothing crossed: bending further could only be worse
    if best is None:
        best = _fallback_route(a, b, tag, boxes, mid)
    if tag is not None:
        tag.x, tag.y = best[2]
    return best[1]


def _fallback_route(a: Label, b: Label, tag: Label | None, boxes: list[Label], mid: tuple[float, float]):
    """When no bend leaves room: push the label out along the ray through the midpoint until it is
    clear, and bend the curve through it."""
    point = mid
    if tag is not None:
        angle = math.atan2(mid[1], mid[0]) if any(mid) else math.pi / 2
        radius = _free_radius(tag, angle, math.hypot(*mid), boxes)
        point = (radius * math.cos(angle), radius * math.sin(angle))
    control = (2 * point[0] - mid[0], 2 * point[1] - mid[1])
    visible = _visible(_bezier((a.x, a.y), control, (b.x, b.y)), a, b)
    points = [tuple(p) for p in visible] if len(visible) >= 2 else [(a.x, a.y), (b.x, b.y)]
    return (0.0, Link(a, b, points, tag), point)


# -- drawing ------------------------------------------------------------------------------


def _draw_hierarchy(axes: Any, labels: list[Label]) -> None:
    from matplotlib.collections import LineCollection

    styles: dict[tuple[str, float], list] = {}
    for label in labels:
        if label.parent is None or label.kind == "link":
            continue
        if label.kind == "theme":
            key = ("#a6a6a6", 1.8)
        elif label.kind == "subtheme":
            key = (_darker(label.top.color, 0.1) if label.top else "#8a8a8a", 1.6)
        else:
            key = ("#b5b5b5", 0.9)
        styles.setdefault(key, []).append([(label.parent.x, label.parent.y), (label.x, label.y)])
    for (color, width), lines in styles.items():
        axes.add_collection(LineCollection(lines, colors=color, linewidths=width, zorder=1, capstyle="round"))
    for label in labels:
        if label.artist is not None:
            label.artist.set_position((label.x, label.y))


def _draw_link(axes: Any, link: Link) -> None:
    """The curve from box edge to box edge, with an arrowhead at the target."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as CurvePath

    arrow = FancyArrowPatch(
        path=CurvePath(link.points),
        arrowstyle="-|>,head_length=6,head_width=3.5",
        color="#4d4d4d",
        linewidth=1.3,
        zorder=2,
        mutation_scale=1,
    )
    axes.add_patch(arrow)


def _add_legend(axes: Any, renderer: Any, labels: list[Label]) -> None:
    """A row under the map saying what the borders mean, when the map mixes theme statuses."""
    present = {label.status for label in labels if label.kind in ("theme", "subtheme")}
    shown = [status for status in ("final", "reviewed", "candidate", "discarded") if status in present]
    if len(shown) < 2:
        return
    bottom = min(label.bounds()[1] for label in labels) - 0.35
    x = min(label.bounds()[0] for label in labels)
    for status in ["", *shown]:
        entry = Label(f"legend:{status}", "legend", status or "Theme status:", 0, "#ffffff", status=status)
        _add_text(axes, entry, renderer)
        entry.x, entry.y = x + entry.w / 2, bottom - entry.h / 2
        x += entry.w + 0.15
        labels.append(entry)


def _fit_figure(figure: Figure, axes: Any, labels: list[Label], links: list[Link]) -> None:
    xs, ys = [], []
    for label in labels:
        x0, y0, x1, y1 = label.bounds()
        xs += [x0, x1]
        ys += [y0, y1]
    for link in links:
        xs += [p[0] for p in link.points]
        ys += [p[1] for p in link.points]
    x0, x1 = min(xs) - MARGIN, max(xs) + MARGIN
    y0, y1 = min(ys) - MARGIN, max(ys) + MARGIN
    figure.set_size_inches(x1 - x0, y1 - y0)
    axes.set_xlim(x0, x1)
    axes.set_ylim(y0, y1)
