"""Where the thematic map's labels sit: angles round the circle, the radius of each ring, and a
last pass that pushes apart labels that still touch. Pure geometry in inches: the boxes' sizes
come measured, nothing here draws."""

from __future__ import annotations

import math

from qualcode.exporters.map_labels import Label, leaf_labels

GAP = 0.1  # inches kept free between any two label boxes
RING_GAP = {1: 0.9, 2: 0.4}  # inches between a label and its parent, so the line between them shows
CODE_RING_GAP = 0.3
GROUP_GAP = {"theme": 0.7, "parent": 0.3, "sibling": 0.0}  # extra space between leaves round the circle
LINK_ROOM, LINK_ROOM_MAX = 0.2, 1.6  # inches the themes' ring widens per link between themes, and at most


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


def assign_angles(root: Label) -> None:
    """Spread the leaves round the circle clockwise, centre each parent on its leaves, and start
    the walk where it puts the first theme at twelve o'clock (found by re-walking: the space a
    pair of labels needs depends on the angle it lands at)."""
    leaves = leaf_labels(root)
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


def place_rings(root: Label, labels: list[Label], interior: float = 0.0) -> None:
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


def free_radius(label: Label, angle: float, start: float, obstacles: list[Label]) -> float:
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


def resolve_overlaps(labels: list[Label]) -> None:
    """Push any label that still overlaps another outward along its ray, inner labels first."""
    ordered = sorted(labels, key=lambda label: (label.ring, -label.angle))
    placed: list[Label] = []
    for label in ordered:
        if label.ring and any(_overlaps(label.bounds(GAP / 2), other.bounds(GAP / 2)) for other in placed):
            radius = free_radius(label, label.angle, math.hypot(label.x, label.y), placed)
            label.x, label.y = radius * math.cos(label.angle), radius * math.sin(label.angle)
        placed.append(label)
