"""Routing the links between themes on the thematic map: curves bent to either side until one
overlaps no label and crosses no other line, with the link's label halfway along it."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qualcode.exporters.map_labels import Label
from qualcode.exporters.map_layout import GAP, free_radius

if TYPE_CHECKING:
    import networkx as nx

MIN_VISIBLE_LINK = 0.22  # inches of a link's curve that must show on each side of its label


@dataclass
class Link:
    source: Label
    target: Label
    points: list[tuple[float, float]]
    label: Label | None


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
    """The part of a curve between the two boxes it joins, clipped exactly at their borders: it
    starts on the source's border and ends on the target's, where the arrowhead's tip goes."""
    import numpy as np

    inside = _inside(curve, np.array([a.bounds(), b.bounds()]))
    outside = np.flatnonzero(~inside.any(axis=1))
    if not len(outside):
        return curve[:0]
    first, last = outside[0], outside[-1]
    start = [_border_point(curve[first - 1], curve[first], a)] if first > 0 and inside[first - 1, 0] else []
    end = [_border_point(curve[last + 1], curve[last], b)] if last + 1 < len(curve) and inside[last + 1, 1] else []
    return np.array([*start, *curve[first : last + 1], *end])


def _border_point(inner, outer, box: Label) -> tuple[float, float]:
    """Where the segment from a point inside the box to one outside crosses its border."""
    x0, y0, x1, y1 = box.bounds()
    (px, py), (qx, qy) = inner, outer
    t = 1.0
    for p, q, low, high in ((px, qx, x0, x1), (py, qy, y0, y1)):
        if q > high:
            t = min(t, (high - p) / (q - p))
        elif q < low:
            t = min(t, (low - p) / (q - p))
    return (px + (qx - px) * t, py + (qy - py) * t)


def _lengths_around(points, box: tuple[float, float, float, float] | None):
    """Length of the curve before it enters the box, after it leaves it, and its halfway point."""
    import numpy as np

    walked = np.r_[0.0, np.cumsum(np.hypot(*np.diff(points, axis=0).T))]
    total = walked[-1]
    halfway = tuple(points[min(int(np.searchsorted(walked, total / 2)), len(points) - 1)])
    if box is None:
        return total, total, halfway
    inside = np.flatnonzero(_inside(points, np.array([box]))[:, 0])
    if not len(inside):
        return total, total, halfway
    return walked[inside[0]], total - walked[inside[-1]], halfway


def place_links(graph: nx.DiGraph, labels: list[Label], measure: Callable[[Label], None]) -> list[Link]:
    """Route each link as a curve through a label position that overlaps nothing, preferring
    curves that cross no other label, line or link, and bend least. `measure` sizes a link's
    label (the drawing creates its text to know how large it is); the labels join `labels`."""
    import numpy as np

    by_node = {label.node: label for label in labels if label.kind in ("theme", "subtheme")}
    boxes = list(labels)
    joined = [(label.parent, label) for label in labels if label.parent is not None]
    starts = np.array([(parent.x, parent.y) for parent, _ in joined]).reshape(-1, 2)
    ends = np.array([(label.x, label.y) for _, label in joined]).reshape(-1, 2)
    links: list[Link] = []
    drawn = [
        (by_node[source], by_node[target], data)
        for source, target, data in graph.edges(data=True)
        if source in by_node and target in by_node and (data["kind"] == "link" or data.get("label"))
    ]
    anchors = _anchors(drawn)
    for a, b, data in drawn:
        source, target = a.node, b.node
        text = data.get("label") or ""
        tag = None
        if text:
            tag = Label(f"{source}->{target}", "link", text, 0, "#ffffff")
            measure(tag)
        ends_at = (anchors[(a.node, b.node, a.node)], anchors[(a.node, b.node, b.node)])
        links.append(
            _route(a, b, tag, boxes, (starts, ends), links, along_hierarchy=data["kind"] != "link", anchors=ends_at)
        )
        if tag is not None:
            boxes.append(tag)
            labels.append(tag)
    return links


def _anchors(drawn: list[tuple[Label, Label, Any]]) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Where each link aims inside each of its two boxes: the centre when a box has one link,
    else points spread across the box in the order of the links' other ends, so links into one
    theme meet its border at points of their own instead of one."""
    at: dict[str, list[tuple[float, str, str, Label]]] = {}
    for a, b in ((a, b) for a, b, _ in drawn):
        at.setdefault(a.node, []).append((math.atan2(b.y - a.y, b.x - a.x), a.node, b.node, a))
        at.setdefault(b.node, []).append((math.atan2(a.y - b.y, a.x - b.x), a.node, b.node, b))
    anchors = {}
    for node, found in at.items():
        found.sort(key=lambda item: -item[0])
        for i, (_, source, target, box) in enumerate(found):
            share = 0.0 if len(found) == 1 else (i / (len(found) - 1) - 0.5) * 0.6
            anchors[(source, target, node)] = (box.x + share * box.w, box.y + share * box.h * 0.5)
    return anchors


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
    hierarchy: tuple[Any, Any],  # the map's lines: (starts, ends), one row per line
    links: list[Link],
    along_hierarchy: bool,
    anchors: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> Link:
    """Try curves bending more and more to either side (first towards the middle of the map,
    where there is room between the themes) and keep the one that crosses least: a label box
    above all, then other links and the map's lines; the first curve crossing nothing wins. The
    label sits halfway along the visible curve, clear of every box, with enough curve showing on
    both sides for the arrow to read."""
    import numpy as np

    start, end = anchors or ((a.x, a.y), (b.x, b.y))
    mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    length = math.hypot(end[0] - start[0], end[1] - start[1]) or 1.0
    normal = (-(end[1] - start[1]) / length, (end[0] - start[0]) / length)
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
        visible = _visible(_bezier(start, control, end), a, b)
        if len(visible) < 2:
            continue
        under_label = 0
        point = tuple(visible[len(visible) // 2])
        if tag is not None:
            spot = _label_spot(visible, tag, padded, hierarchy, (link_starts, link_ends))
            if spot is None:
                continue
            point, under_label = spot
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


def _label_spot(visible, tag: Label, padded, hierarchy: tuple[Any, Any], other_links: tuple[Any, Any]):
    """Where on the curve its label goes: halfway if that is clear, else the nearest of a few
    points along it that overlaps no box, leaves enough curve showing on both sides and has the
    fewest lines under it (another link under a label would put their crossing inside it).
    Returns (point, how many lines pass under the label), or None when no point is clear."""
    import numpy as np

    walked = np.r_[0.0, np.cumsum(np.hypot(*np.diff(visible, axis=0).T))]
    best = None
    for fraction in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78):
        index = min(int(np.searchsorted(walked, walked[-1] * fraction)), len(visible) - 1)
        tag.x, tag.y = visible[index]
        x0, y0, x1, y1 = tag.bounds(GAP / 2)
        if ((x0 < padded[:, 2]) & (padded[:, 0] < x1) & (y0 < padded[:, 3]) & (padded[:, 1] < y1)).any():
            continue
        before, after, _ = _lengths_around(visible, tag.bounds())
        if min(before, after) < MIN_VISIBLE_LINK:
            continue
        under = _segments_crossing(*hierarchy, (x0, y0, x1, y1)) + 3 * _segments_crossing(
            *other_links, (x0, y0, x1, y1)
        )
        if best is None or under < best[1]:
            best = ((float(tag.x), float(tag.y)), under)
        if under == 0:
            break
    return best


def _fallback_route(a: Label, b: Label, tag: Label | None, boxes: list[Label], mid: tuple[float, float]):
    """When no bend leaves room: push the label out along the ray through the midpoint until it is
    clear, and bend the curve through it."""
    point = mid
    if tag is not None:
        angle = math.atan2(mid[1], mid[0]) if any(mid) else math.pi / 2
        radius = free_radius(tag, angle, math.hypot(*mid), boxes)
        point = (radius * math.cos(angle), radius * math.sin(angle))
    control = (2 * point[0] - mid[0], 2 * point[1] - mid[1])
    visible = _visible(_bezier((a.x, a.y), control, (b.x, b.y)), a, b)
    points = [tuple(p) for p in visible] if len(visible) >= 2 else [(a.x, a.y), (b.x, b.y)]
    return (0.0, Link(a, b, points, tag), point)
