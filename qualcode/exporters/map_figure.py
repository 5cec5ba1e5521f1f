"""The thematic map as a printed figure: a compact layout drawn at the size it prints.

The radial map (map_layout) spreads labels round circles, which reads well on screen but leaves
most of a page empty: scaled to a page's text width its labels print at 3-4 pt. The report's
figure is laid out instead as a grid of theme cards at the final size in inches, with the fonts
in printed points, so nothing is scaled down and the smallest label prints at FIGURE_FONTS'
smallest size:

- the project is a title box across the top;
- each theme is a card: its box across the card, its subthemes stacked under it, indented, on a
  line from the theme (sub-subthemes indented again);
- cards fill rows of as few columns as fit the page's height (wider cards wrap names less);
- links between themes run orthogonally in the gutters: up from a port on the source theme's top
  edge, along the gutter above its row (and down a gutter between columns to another row), then
  down onto the target's top edge, the arrowhead's tip on its border. Each theme's links use
  ports of their own, and each horizontal run has a lane of its own, tall enough for the link's
  label, so labels never overlap each other.

Pure geometry in inches, y growing upwards from 0 at the top (so everything is at y <= 0):
`fit` measures a label at a width (the drawing wraps and sizes its text), nothing here draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from qualcode.exporters.map_labels import Label

COLUMN_GAP = 0.22  # inches between cards side by side, before any link tracks
ROW_GAP = 0.14  # inches between rows of cards (and under the title), before any link lanes
TRACK = 0.09  # inches a vertical link track takes in a gutter between columns
LANE_AIR = 0.03  # inches between two lanes' labels
INDENT = 0.16  # inches a subtheme is indented under its parent
STACK_GAP = 0.05  # inches between stacked boxes in a card
WIDEST_CARD = 2.4  # inches: a card no wider, so a small map stays small
NARROWEST_CARD = 1.0
MARGIN = 0.04  # inches round the figure, so the outer boxes' borders are not cut


@dataclass
class Segment:
    """One straight run of a link's path, horizontal in a gutter above a row, or vertical."""

    x0: float
    x1: float
    y0: float
    y1: float


@dataclass
class FigureLink:
    source: Label
    target: Label
    tag: Label | None
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class FigureLayout:
    width: float
    height: float
    labels: list[Label]
    lines: list[tuple[tuple[float, float], tuple[float, float], str]]  # hierarchy lines and their colour
    links: list[FigureLink]


def lay_out(
    root: Label,
    links: list[tuple[Label, Label, Label | None]],
    fit: Callable[[Label, float], None],
    pages: Sequence[tuple[float, float]],
    line_color: Callable[[Label], str],
) -> FigureLayout:
    """The most compact grid that fits a page's `(width, height)` in inches, trying the pages in
    order (portrait, then landscape): the fewest columns whose rows fit the height. When none
    fits, the grid that loses least when scaled down to its page."""
    best: tuple[float, tuple[float, float], int] | None = None  # (scale, page, columns)
    for width, height in pages:
        for columns in range(1, len(root.children) + 1):
            layout = _grid(root, links, fit, width, columns, line_color)
            if layout is None:
                break  # cards would be too narrow
            if layout.height <= height:
                return layout
            scale = min(1.0, width / layout.width, height / layout.height)
            if best is None or scale > best[0]:
                best = (scale, (width, height), columns)
    if best is None:  # even one column is too narrow (a very narrow page): take it anyway
        return _grid(root, links, fit, pages[0][0], 1, line_color, force=True)  # type: ignore[return-value]
    # Laid out again: every try moved the same labels.
    return _grid(root, links, fit, best[1][0], best[2], line_color)  # type: ignore[return-value]


def _grid(
    root: Label,
    links: list[tuple[Label, Label, Label | None]],
    fit: Callable[[Label, float], None],
    width: float,
    columns: int,
    line_color: Callable[[Label], str],
    force: bool = False,
) -> FigureLayout | None:
    themes = root.children
    rows = (len(themes) + columns - 1) // columns
    cell = {theme: (k // columns, k % columns) for k, theme in enumerate(themes)}
    # Which vertical gutter each link between rows takes (gutter v lies left of column v; 0 and
    # `columns` are the margins), and how many tracks each gutter then needs.
    gutter_of: dict[int, int] = {}
    tracks = [0] * (columns + 1)
    for k, (source, target, _) in enumerate(links):
        (rs, cs), (rt, ct) = cell[source], cell[target]
        if rs == rt:
            continue
        if ct > cs or (ct == cs and cs + 1 < columns):
            v = cs + 1
        elif ct < cs or cs > 0:
            v = cs
        else:
            v = columns
        gutter_of[k] = v
        tracks[v] += 1
    gutter_widths = [
        (COLUMN_GAP if 0 < v < columns else 0.0) + tracks[v] * TRACK + (0.06 if tracks[v] and v in (0, columns) else 0)
        for v in range(columns + 1)
    ]
    card = min(WIDEST_CARD, (width - 2 * MARGIN - sum(gutter_widths)) / columns)
    if card < NARROWEST_CARD and not force:
        return None
    card = max(card, 0.5)
    lefts, x = [], gutter_widths[0] + MARGIN
    for c in range(columns):
        lefts.append(x)
        x += card + gutter_widths[c + 1]
    total_width = x + MARGIN
    track_x: dict[int, list[float]] = {}
    for v in range(columns + 1):
        start = (lefts[v] - gutter_widths[v]) if v < columns else total_width - gutter_widths[v]
        middle = start + gutter_widths[v] / 2
        track_x[v] = [middle + (i - (tracks[v] - 1) / 2) * TRACK for i in range(tracks[v])]

    # Sizes: every label measured at the width it has.
    fit(root, min(total_width, 4.5))
    for theme in themes:
        _fit_card(theme, card, fit)
    for _, _, tag in links:
        if tag is not None:
            fit(tag, card * 0.9)

    # Ports: each link leaves or enters its theme's top edge at a point of its own, in the order
    # of where the link goes, so two links at one theme neither meet nor cross there.
    ends: dict[Label, list[tuple[float, int, str]]] = {theme: [] for theme in themes}
    for k, (source, target, _) in enumerate(links):
        ends[source].append((_column_x(cell[target], lefts, card), k, "out"))
        ends[target].append((_column_x(cell[source], lefts, card), k, "in"))
    port: dict[tuple[int, str], float] = {}
    for theme, found in ends.items():
        left = lefts[cell[theme][1]]
        for i, (_, k, side) in enumerate(sorted(found)):
            port[(k, side)] = left + card * (i + 1) / (len(found) + 1)

    # Horizontal runs per gutter (gutter r lies above row r), packed into lanes.
    runs: dict[int, list[tuple[float, float, int, bool]]] = {r: [] for r in range(rows)}
    vertical_at: dict[int, float] = {}
    for k, (source, target, _) in enumerate(links):
        (rs, _), (rt, _) = cell[source], cell[target]
        a, b = port[(k, "out")], port[(k, "in")]
        if rs == rt:
            runs[rs].append((min(a, b), max(a, b), k, True))
            continue
        v = gutter_of[k]
        vx = track_x[v].pop(0)
        vertical_at[k] = vx
        first, last = (min(a, vx), max(a, vx)), (min(vx, b), max(vx, b))
        label_on_last = last[1] - last[0] >= first[1] - first[0]
        runs[rs].append((*first, k, not label_on_last))
        runs[rt].append((*last, k, label_on_last))
    lane_of: dict[tuple[int, int], int] = {}
    lanes_in: dict[int, list[float]] = {}  # each lane's height, per gutter
    label_x: dict[int, float] = {}
    for r, in_gutter in runs.items():
        occupied: list[list[tuple[float, float]]] = []
        heights: list[float] = []
        for x0, x1, k, labelled in sorted(in_gutter, key=lambda run: run[1] - run[0]):
            tag = links[k][2] if labelled else None
            middle = (x0 + x1) / 2
            span = (min(x0, middle - tag.w / 2), max(x1, middle + tag.w / 2)) if tag else (x0, x1)
            span = (span[0] - 0.04, span[1] + 0.04)
            lane = next(
                (i for i, taken in enumerate(occupied) if all(span[1] <= t0 or t1 <= span[0] for t0, t1 in taken)),
                len(occupied),
            )
            if lane == len(occupied):
                occupied.append([])
                heights.append(0.0)
            occupied[lane].append(span)
            heights[lane] = max(heights[lane], (tag.h if tag else 0.0) + LANE_AIR, 0.08)
            lane_of[(k, r)] = lane
            if tag is not None:
                label_x[k] = middle
        lanes_in[r] = heights

    # Rows from the top down: the title, then per row its gutter of lanes and its cards.
    labels: list[Label] = [root]
    lines: list[tuple[tuple[float, float], tuple[float, float], str]] = []
    root.x, root.y = total_width / 2, -MARGIN - root.h / 2
    y = -MARGIN - root.h
    lane_y: dict[tuple[int, int], float] = {}
    for r in range(rows):
        heights = lanes_in[r]
        y -= ROW_GAP
        bottom = y - sum(heights)
        below = bottom
        for lane, lane_height in enumerate(heights):  # lane 0 sits just above the row
            lane_y[(r, lane)] = below + lane_height / 2
            below += lane_height
        y = bottom - (0.06 if heights else 0.0)
        row_bottom = y
        for theme in themes[r * columns : (r + 1) * columns]:
            left = lefts[cell[theme][1]]
            row_bottom = min(row_bottom, _place_card(theme, left, card, y, labels, lines, line_color))
        y = row_bottom
    total_height = MARGIN - y

    placed: list[FigureLink] = []
    for k, (source, target, tag) in enumerate(links):
        (rs, _), (rt, _) = cell[source], cell[target]
        a, b = port[(k, "out")], port[(k, "in")]
        top_s, top_t = source.y + source.h / 2, target.y + target.h / 2
        if rs == rt:
            ly = lane_y[(rs, lane_of[(k, rs)])]
            points = [(a, top_s), (a, ly), (b, ly), (b, top_t)]
            tag_y = ly
        else:
            vx = vertical_at[k]
            y1, y2 = lane_y[(rs, lane_of[(k, rs)])], lane_y[(rt, lane_of[(k, rt)])]
            points = [(a, top_s), (a, y1), (vx, y1), (vx, y2), (b, y2), (b, top_t)]
            labelled_here = next(run[3] for run in runs[rt] if run[2] == k)
            tag_y = y2 if labelled_here else y1
        if tag is not None:
            tag.x, tag.y = label_x[k], tag_y
            labels.append(tag)
        placed.append(FigureLink(source, target, tag, _without_repeats(points)))
    _slide_labels(placed)
    return FigureLayout(total_width, total_height, labels, lines, placed)


def _slide_labels(links: list[FigureLink]) -> None:
    """Move each label along its own run to where no other link's line passes under it and no
    other label is (it starts at the run's middle, which another link's riser may cross)."""
    for link in links:
        tag = link.tag
        if tag is None:
            continue
        run = next(
            (a, b)
            for a, b in zip(link.points, link.points[1:])
            if abs(a[1] - tag.y) < 1e-9 and abs(b[1] - tag.y) < 1e-9
        )
        low, high = sorted((run[0][0], run[1][0]))
        others = [other for other in links if other is not link]
        candidates = [tag.x] + [low + (high - low) * k / 8 for k in range(9)]

        def clashes(x: float, tag: Label = tag, others: list[FigureLink] = others) -> float:
            x0, x1 = x - tag.w / 2, x + tag.w / 2
            y0, y1 = tag.y - tag.h / 2, tag.y + tag.h / 2
            count = 0.0
            for other in others:
                for a, b in zip(other.points, other.points[1:]):
                    if abs(a[0] - b[0]) < 1e-9 and x0 < a[0] < x1 and min(a[1], b[1]) < y1 and max(a[1], b[1]) > y0:
                        count += 1
                if other.tag is not None and _overlap(other.tag.bounds(0.02), (x0, y0, x1, y1)):
                    count += 10
            return count + abs(x - tag.x) * 0.01

        tag.x = min(candidates, key=clashes)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _column_x(cell: tuple[int, int], lefts: list[float], card: float) -> float:
    return lefts[cell[1]] + card / 2 + cell[0] * 0.001  # ties broken by row


def _fit_card(label: Label, width: float, fit: Callable[[Label, float], None]) -> None:
    fit(label, width)
    for child in label.children:
        _fit_card(child, width - INDENT, fit)


def _place_card(
    label: Label,
    left: float,
    width: float,
    top: float,
    labels: list[Label],
    lines: list[tuple[tuple[float, float], tuple[float, float], str]],
    line_color: Callable[[Label], str],
) -> float:
    """Place a theme and (recursively) its subthemes from `top` down; returns the bottom."""
    label.x, label.y = left + label.w / 2, top - label.h / 2
    labels.append(label)
    bottom = top - label.h
    spine = left + INDENT / 2
    last_middle = None
    for child in label.children:
        bottom -= STACK_GAP
        child_top = bottom
        child_bottom = _place_card(child, left + INDENT, width - INDENT, child_top, labels, lines, line_color)
        lines.append(((spine, child.y), (left + INDENT, child.y), line_color(child)))
        last_middle = child.y
        bottom = child_bottom
    if last_middle is not None:
        lines.append(((spine, top - label.h), (spine, last_middle), line_color(label.children[0])))
    return bottom


def _without_repeats(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept = [points[0]]
    for point in points[1:]:
        if abs(point[0] - kept[-1][0]) > 1e-9 or abs(point[1] - kept[-1][1]) > 1e-9:
            kept.append(point)
    return kept
