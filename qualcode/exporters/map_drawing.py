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

Steps 1-3 are in map_layout, step 4 in map_links, the tree of labels in map_labels and the
choice of fonts in map_fonts; this module measures and draws.
"""

from __future__ import annotations

import math
import textwrap
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.exporters.map_figure import FigureLayout, lay_out
from qualcode.exporters.map_fonts import MissingGlyphsWarning, font_families, quiet_fonts
from qualcode.exporters.map_labels import Label, label_tree, walk
from qualcode.exporters.map_layout import LINK_ROOM, LINK_ROOM_MAX, assign_angles, place_rings, resolve_overlaps
from qualcode.exporters.map_links import Link, place_links

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

# kind -> (font size in points, weight, style, characters per line)
FONTS: dict[str, tuple[float, str, str, int]] = {
    "project": (13.0, "bold", "normal", 22),
    "theme": (12.0, "bold", "normal", 18),
    "subtheme": (10.0, "normal", "normal", 20),
    "code": (8.0, "normal", "normal", 22),
    "link": (8.5, "normal", "italic", 20),
    "legend": (8.5, "normal", "normal", 30),
}
# The report's figure (map_figure), laid out at the size it prints: these are points on paper.
FIGURE_FONTS: dict[str, tuple[float, str, str, int]] = {
    "project": (10.0, "bold", "normal", 40),
    "theme": (8.5, "bold", "normal", 0),
    "subtheme": (7.5, "normal", "normal", 0),
    "link": (7.0, "normal", "italic", 0),
    "code": (7.0, "normal", "normal", 0),
    "legend": (7.0, "normal", "normal", 30),
}
ONE_THEME_WIDTH = 3.0  # inches: a one-theme map is a single card under the title
FIGURE_DPI = 300
SMALLEST_FONT_KEY = "Smallest label font (px)"  # a PNG text chunk
PAD = 0.4  # box padding, in units of the font size (matplotlib's boxstyle pad)
MARGIN = 0.3  # inches round the whole map
DPI = {"png": 200, "svg": 72, "pdf": 72}
MAX_PIXELS = 40_000_000  # a PNG's area; very large maps are drawn at a lower resolution (use SVG or PDF)
MIN_DPI = 72
MEASURE_DPI = 100


@dataclass(frozen=True)
class MapMetrics:
    """What a drawn map measures: its size, and the smallest font its labels use, in pixels of
    the saved image (at 72 per inch for SVG and PDF), so a reader can tell how large the smallest
    label prints once the image is placed at some width."""

    width_px: float
    height_px: float
    smallest_font_px: float

    def smallest_points(self, placed_width_points: float) -> float:
        """The smallest label's size in points when the image is placed this wide."""
        return self.smallest_font_px * placed_width_points / self.width_px


def draw_map(
    graph: nx.DiGraph,
    path: Path,
    fmt: str,
    pixels_wide: int | None = None,
    pages: Sequence[tuple[float, float]] = (),
) -> MapMetrics:
    """Draw the map and save it as png, svg or pdf; a PNG `pixels_wide` across when given.
    With `pages` (the room a printed page has for the figure, width and height in inches, in
    order of preference: portrait, landscape) the map is the compact figure laid out to print
    at that size (map_figure), as the report places it."""
    import matplotlib

    figure = draw_figure(graph) if not pages else draw_print_figure(graph, pages)
    width, height = figure.get_size_inches()
    dpi = DPI[fmt] if fmt != "png" else min(DPI["png"], max(MIN_DPI, int(math.sqrt(MAX_PIXELS / (width * height)))))
    if fmt == "png" and pages:
        dpi = FIGURE_DPI
    if fmt == "png" and pixels_wide:
        dpi = min(dpi, max(MIN_DPI, int(pixels_wide / width)))
    # TrueType fonts in PDFs stay editable in journals' tools; SVG text as paths looks the same everywhere.
    smallest = min(float(text.get_fontsize()) for text in figure.axes[0].texts)
    metrics = MapMetrics(round(width * dpi), round(height * dpi), smallest * dpi / 72)
    metadata = _metadata(fmt, graph)
    if fmt == "png":
        # Recorded in the image, so whoever places it (the report, a test) can tell the smallest
        # label's printed size from the width it is placed at.
        metadata[SMALLEST_FONT_KEY] = f"{metrics.smallest_font_px:.2f}"
    with (
        matplotlib.rc_context({"pdf.fonttype": 42, "svg.fonttype": "path", "svg.hashsalt": "qualcode"}),
        quiet_fonts(),
    ):
        figure.savefig(path, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    return metrics


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

    # A single theme has no circle to go round: its map is one card under the project's title.
    if sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "theme") == 1:
        return _with_fonts(graph, lambda: _draw_compact(graph, [(ONE_THEME_WIDTH, math.inf)]))
    return _with_fonts(graph, lambda: _draw(graph))


def draw_print_figure(graph: nx.DiGraph, pages: Sequence[tuple[float, float]]) -> Figure:
    """The map as the report's figure: the compact layout of map_figure, fitting the first of
    `pages` (width, height in inches) it can, with FIGURE_FONTS in printed points."""
    return _with_fonts(graph, lambda: _draw_compact(graph, pages))


def _with_fonts(graph: nx.DiGraph, draw: Any) -> Figure:
    import matplotlib

    texts = [str(d.get("label", "")) for _, d in graph.nodes(data=True)]
    texts += [str(d.get("label", "")) for _, _, d in graph.edges(data=True)]
    families, missing = font_families(texts)
    with matplotlib.rc_context({"font.family": families}), quiet_fonts():
        figure = draw()
    if missing:
        warnings.warn(MissingGlyphsWarning(missing), stacklevel=3)
    return figure


def _draw(graph: nx.DiGraph) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    root = label_tree(graph)
    labels = walk(root)
    figure = Figure(dpi=MEASURE_DPI)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    renderer = canvas.get_renderer()
    for label in labels:
        _add_text(axes, label, renderer)
    assign_angles(root)
    links_between_themes = sum(1 for _, _, d in graph.edges(data=True) if d["kind"] == "link")
    place_rings(root, labels, interior=min(LINK_ROOM_MAX, LINK_ROOM * links_between_themes))
    resolve_overlaps(labels)
    links = place_links(graph, labels, lambda tag: _add_text(axes, tag, renderer))
    _add_legend(axes, renderer, labels)
    _draw_hierarchy(axes, labels)
    for link in links:
        _draw_link(axes, link)
    _fit_figure(figure, axes, labels, links)
    return figure


def _draw_compact(graph: nx.DiGraph, pages: Sequence[tuple[float, float]]) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    root = label_tree(graph)
    figure = Figure(dpi=MEASURE_DPI)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    renderer = canvas.get_renderer()
    top_of = {label.node: label.top for label in walk(root) if label.top is not None}
    links = []
    for source, target, data in graph.edges(data=True):
        # The figure routes links between its theme cards: a subtheme's link starts or ends at its theme.
        a, b = top_of.get(source), top_of.get(target)
        if data["kind"] != "link" or a is None or b is None or a is b:
            continue
        text = data.get("label") or ""
        tag = Label(f"{source}->{target}", "link", text, 0, "#ffffff") if text else None
        links.append((a, b, tag))

    measured: dict[tuple[str, str], tuple[float, float]] = {}

    def fit(label: Label, inches: float) -> None:
        _add_text(axes, label, renderer, FIGURE_FONTS, fit=inches, measured=measured)

    layout = lay_out(root, links, fit, pages, lambda label: _darker(label.top.color, 0.1) if label.top else "#8a8a8a")
    _draw_layout(axes, layout)
    figure.set_size_inches(layout.width, layout.height)
    axes.set_xlim(0, layout.width)
    axes.set_ylim(-layout.height, 0)
    return figure


def _draw_layout(axes: Any, layout: FigureLayout) -> None:
    """Boxes as patches of the sizes the layout gave (cards line up on both sides), the lines
    inside cards, and the links as arrows whose tips touch the target's top edge."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path as CurvePath

    for label in layout.labels:
        if label.artist is None:
            continue
        size = float(label.artist.get_fontsize())
        pad = PAD * size / 72
        bbox: Any = label.artist.get_bbox_patch()
        style: dict[str, Any] = {
            "fc": bbox.get_facecolor(),
            "ec": bbox.get_edgecolor(),
            "lw": bbox.get_linewidth(),
            "ls": bbox.get_linestyle(),
        }
        label.artist.set_bbox(None)
        label.artist.set_position((label.x, label.y))
        x0, y0, x1, y1 = label.bounds()
        axes.add_patch(
            FancyBboxPatch(
                (x0 + pad, y0 + pad),
                x1 - x0 - 2 * pad,
                y1 - y0 - 2 * pad,
                boxstyle=f"round,pad={pad},rounding_size={pad}",
                zorder=4 if label.kind == "link" else 3,
                **style,
            )
        )
        label.artist.set_zorder(5)
    by_color: dict[str, list] = {}
    for start, end, color in layout.lines:
        by_color.setdefault(color, []).append([start, end])
    for color, lines in by_color.items():
        axes.add_collection(LineCollection(lines, colors=color, linewidths=1.1, zorder=1, capstyle="butt"))
    for link in layout.links:
        axes.add_patch(
            FancyArrowPatch(
                path=CurvePath(link.points),
                arrowstyle="-|>,head_length=4.5,head_width=2.5",
                color="#4d4d4d",
                linewidth=0.9,
                joinstyle="miter",
                zorder=2,
                mutation_scale=1,
                shrinkA=0,
                shrinkB=0,
            )
        )


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


def _add_text(
    axes: Any,
    label: Label,
    renderer: Any,
    fonts: dict[str, tuple[float, str, str, int]] = FONTS,
    fit: float = 0.0,
    measured: dict[tuple[str, str], tuple[float, float]] | None = None,
) -> None:
    """Create the label's text artist and measure its box in inches; with `fit`, its lines are
    wrapped as long as fit a box that many inches wide."""
    size, weight, style, width = fonts[label.kind]
    text = label.text + (" (discarded)" if label.status == "discarded" and label.kind != "legend" else "")
    if label.artist is not None:
        label.artist.remove()
    if measured is None:
        measured = {}  # (kind, wrapped text) -> its size in inches, in this figure's fonts
    if fit:
        # Start from the characters an average line of this font holds and narrow until it fits.
        room = fit - 2 * PAD * size / 72
        width = max(6, int(room * 72 / (size * 0.5)))
        # The compact figure tries several grids: each wrapping is measured once (it is the
        # renderer's text layout that costs).
        while True:
            wrapped = "\n".join(_wrap(text, width)) or text
            if (label.kind, wrapped) not in measured:
                artist = _make_text(axes, label, wrapped, size, weight, style)
                extent = artist.get_window_extent(renderer)
                measured[(label.kind, wrapped)] = (extent.width / MEASURE_DPI, extent.height / MEASURE_DPI)
                artist.remove()
            if width <= 6 or measured[(label.kind, wrapped)][0] <= room:
                break
            width -= 1
        _make_text(axes, label, wrapped, size, weight, style)
        text_w, text_h = measured[(label.kind, wrapped)]
    else:
        artist = _make_text(axes, label, "\n".join(_wrap(text, width)) or text, size, weight, style)
        extent = artist.get_window_extent(renderer)
        text_w, text_h = extent.width / MEASURE_DPI, extent.height / MEASURE_DPI
    padding = 2 * PAD * size / 72  # the box adds PAD font sizes on each side
    label.w = text_w + padding
    label.h = text_h + padding
    if fit and label.kind in ("theme", "subtheme", "code"):
        label.w = fit  # boxes in a card line up on both sides


def _make_text(axes: Any, label: Label, wrapped: str, size: float, weight: str, style: str) -> Any:
    bbox, color = _box_style(label)
    label.artist = artist = axes.text(
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
    return artist


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
        shrinkA=0,
        shrinkB=0,  # the curve is clipped at the boxes' borders: the tip touches the target's
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
