"""2D global routing of one side: pattern routes, then negotiated-congestion rip-up and reroute.

The side's layers are collapsed onto one 2D gcell grid whose horizontal-edge capacity is the sum
over its horizontal layers (and likewise vertical), as in FastRoute (Pan and Chu, ICCAD 2006 and
later). Every 2-pin connection (a Steiner-tree edge, in gcell indices) first gets the cheaper of
its two L-shapes under a probabilistic congestion estimate (each L carries half a track),
evaluated for all connections at once with prefix sums. Connections crossing overflowed edges
are then ripped up and rerouted by an A* maze search (heapq) inside their bounding box, expanded
as iterations go, under the PathFinder cost (McMurchie and Ebeling, FPGA 1995):
cost(e) = (1 + history(e)) * (1 + present_factor * max(0, demand(e) + 1 - capacity(e))),
with history growing on overflowed edges after each iteration and the present factor growing
geometrically, until no edge overflows or the iteration limit is reached.

A route is a list of gcell corner points; consecutive points share x or y.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np

from ffet_flow.log import get_logger

# PathFinder schedule. The present-congestion factor starts mild so early iterations spread
# load, and grows 1.6x per iteration so late ones refuse overflow; history rises by one unit
# per overflowed iteration (McMurchie-Ebeling's h_e increment). Box margin grows with the
# iteration so detours can leave the bounding box when the box itself is full.
PRES_FAC_START = 0.5
PRES_FAC_GROWTH = 1.6
HIST_INCREMENT = 1.0
BOX_MARGIN_START = 2
BOX_MARGIN_GROWTH = 2


@dataclass
class Routing2D:
    """Result of 2D routing: per connection its corner points, and the demand arrays."""

    routes: list[list[tuple[int, int]]]
    dem_h: np.ndarray
    dem_v: np.ndarray
    iterations: int = 0
    overflow_history: list[int] = field(default_factory=list)


def overflow(dem: np.ndarray, cap: np.ndarray) -> int:
    """Total overflow: sum over edges of max(0, demand - capacity) (tracks)."""
    return int(np.maximum(dem - cap, 0).sum())


def _apply(route: list[tuple[int, int]], dem_h: np.ndarray, dem_v: np.ndarray, sign: int) -> None:
    for (x1, y1), (x2, y2) in zip(route[:-1], route[1:], strict=True):
        if y1 == y2:
            dem_h[min(x1, x2):max(x1, x2), y1] += sign
        else:
            dem_v[x1, min(y1, y2):max(y1, y2)] += sign


def _range_add(shape: tuple[int, int], axis: int, lo: np.ndarray, hi: np.ndarray,
               other: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Add w on edges [lo, hi) along `axis` at index `other` on the other axis (difference array)."""
    n0, n1 = shape
    diff = np.zeros((n0 + 1, n1) if axis == 0 else (n0, n1 + 1))
    if axis == 0:
        np.add.at(diff, (lo, other), w)
        np.add.at(diff, (hi, other), -w)
        return np.cumsum(diff, axis=0)[:n0]
    np.add.at(diff, (other, lo), w)
    np.add.at(diff, (other, hi), -w)
    return np.cumsum(diff, axis=1)[:, :n1]


def _congestion_cost(dem: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Pattern-routing edge cost: 1 per gcell, plus a penalty growing with utilization."""
    util = (dem + 1.0) / np.maximum(cap, 0.5)
    return 1.0 + np.where(util > 1.0, 8.0 * (util - 1.0) + 2.0, util * util)


def pattern_route(conns: np.ndarray, cap_h: np.ndarray, cap_v: np.ndarray
                  ) -> list[list[tuple[int, int]]]:
    """Cheaper L-shape per connection (conns: (m, 4) gcell x1, y1, x2, y2), all at once."""
    if not len(conns):
        return []
    x1, y1, x2, y2 = (conns[:, k] for k in range(4))
    lo_x, hi_x = np.minimum(x1, x2), np.maximum(x1, x2)
    lo_y, hi_y = np.minimum(y1, y2), np.maximum(y1, y2)
    bent = (x1 != x2) & (y1 != y2)
    w = np.where(bent, 0.5, 1.0)
    # Option A: horizontal at y1, then vertical at x2. Option B: vertical at x1, then horizontal
    # at y2. Straight connections have one route; count it fully in both halves.
    est_h = (_range_add(cap_h.shape, 0, lo_x, hi_x, y1, w)
             + _range_add(cap_h.shape, 0, lo_x[bent], hi_x[bent], y2[bent], w[bent]))
    est_v = (_range_add(cap_v.shape, 1, lo_y, hi_y, x2, w)
             + _range_add(cap_v.shape, 1, lo_y[bent], hi_y[bent], x1[bent], w[bent]))
    ch = _congestion_cost(est_h, cap_h)
    cv = _congestion_cost(est_v, cap_v)
    ph = np.vstack([np.zeros((1, ch.shape[1])), np.cumsum(ch, axis=0)])  # (nx, ny)
    pv = np.hstack([np.zeros((cv.shape[0], 1)), np.cumsum(cv, axis=1)])  # (nx, ny)
    cost_a = (ph[hi_x, y1] - ph[lo_x, y1]) + (pv[x2, hi_y] - pv[x2, lo_y])
    cost_b = (pv[x1, hi_y] - pv[x1, lo_y]) + (ph[hi_x, y2] - ph[lo_x, y2])
    use_a = cost_a <= cost_b
    routes = []
    for k, (a, b, c, d) in enumerate(conns.tolist()):
        if a == c or b == d:
            routes.append([(a, b), (c, d)])
        elif use_a[k]:
            routes.append([(a, b), (c, b), (c, d)])
        else:
            routes.append([(a, b), (a, d), (c, d)])
    return routes


def maze_route(src: tuple[int, int], dst: tuple[int, int], cost_h: np.ndarray,
               cost_v: np.ndarray, box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """A* shortest path from src to dst on the gcell graph restricted to box (x0, y0, x1, y1).

    Costs are local to the box: cost_h[i, j] is the cost of edge (x0 + i, y0 + j)-(x0 + i + 1,
    y0 + j), shape (w - 1, h); cost_v[i, j] of (x0 + i, y0 + j)-(x0 + i, y0 + j + 1), shape
    (w, h - 1). All costs must be >= 1 so the Manhattan distance is an admissible heuristic.
    Returns the corner points of the path.
    """
    bx0, by0, bx1, by1 = box
    w, h = bx1 - bx0 + 1, by1 - by0 + 1
    ch = cost_h.ravel().tolist()  # (w - 1) x h
    cv = cost_v.ravel().tolist()  # w x (h - 1)
    sx, sy = src[0] - bx0, src[1] - by0
    tx, ty = dst[0] - bx0, dst[1] - by0
    start, goal = sx * h + sy, tx * h + ty
    inf = float("inf")
    g = [inf] * (w * h)
    parent = [-1] * (w * h)
    g[start] = 0.0
    heap = [(abs(sx - tx) + abs(sy - ty), 0.0, start)]
    push, pop = heapq.heappush, heapq.heappop
    hm1 = h - 1
    while heap:
        f, gc, node = pop(heap)
        if node == goal:
            break
        if gc > g[node]:
            continue
        i, j = divmod(node, h)
        if i > 0:
            nb, c = node - h, ch[(i - 1) * h + j]
            ng = gc + c
            if ng < g[nb]:
                g[nb], parent[nb] = ng, node
                push(heap, (ng + abs(i - 1 - tx) + abs(j - ty), ng, nb))
        if i < w - 1:
            nb, c = node + h, ch[i * h + j]
            ng = gc + c
            if ng < g[nb]:
                g[nb], parent[nb] = ng, node
                push(heap, (ng + abs(i + 1 - tx) + abs(j - ty), ng, nb))
        if j > 0:
            nb, c = node - 1, cv[i * hm1 + j - 1]
            ng = gc + c
            if ng < g[nb]:
                g[nb], parent[nb] = ng, node
                push(heap, (ng + abs(i - tx) + abs(j - 1 - ty), ng, nb))
        if j < hm1:
            nb, c = node + 1, cv[i * hm1 + j]
            ng = gc + c
            if ng < g[nb]:
                g[nb], parent[nb] = ng, node
                push(heap, (ng + abs(i - tx) + abs(j + 1 - ty), ng, nb))
    nodes = [goal]
    while nodes[-1] != start:
        nodes.append(parent[nodes[-1]])
    nodes.reverse()
    pts = [(n // h + bx0, n % h + by0) for n in nodes]
    return simplify(pts)


def simplify(pts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep only the end points and the corners of a rectilinear point path."""
    if len(pts) <= 2:
        return list(pts)
    out = [pts[0]]
    for k in range(1, len(pts) - 1):
        (ax, ay), (bx, by), (cx, cy) = out[-1], pts[k], pts[k + 1]
        if (ax == bx == cx) or (ay == by == cy):
            continue
        out.append(pts[k])
    out.append(pts[-1])
    return out


def _uses_overflow(routes: list[list[tuple[int, int]]], over_h: np.ndarray,
                   over_v: np.ndarray) -> np.ndarray:
    """Which routes cross an overflowed edge (vectorized over all segments via prefix sums)."""
    seg = [(k, a, b, c, d) for k, r in enumerate(routes)
           for (a, b), (c, d) in zip(r[:-1], r[1:], strict=True)]
    hit = np.zeros(len(routes), dtype=bool)
    if not seg:
        return hit
    s = np.array(seg, dtype=np.int64)
    k, x1, y1, x2, y2 = (s[:, i] for i in range(5))
    ph = np.vstack([np.zeros((1, over_h.shape[1]), np.int64), np.cumsum(over_h, axis=0)])
    pv = np.hstack([np.zeros((over_v.shape[0], 1), np.int64), np.cumsum(over_v, axis=1)])
    horiz = y1 == y2
    lo_x, hi_x = np.minimum(x1, x2), np.maximum(x1, x2)
    lo_y, hi_y = np.minimum(y1, y2), np.maximum(y1, y2)
    n_h = np.where(horiz, ph[hi_x, y1] - ph[lo_x, y1], 0)
    n_v = np.where(~horiz, pv[x1, hi_y] - pv[x1, lo_y], 0)
    np.logical_or.at(hit, k, (n_h + n_v) > 0)
    return hit


def route_2d(conns: np.ndarray, cap_h: np.ndarray, cap_v: np.ndarray,
             max_iterations: int = 30) -> Routing2D:
    """Route connections (m, 4) on a 2D grid; returns routes and the final demand."""
    log = get_logger("route")
    conns = np.asarray(conns, dtype=np.int64).reshape(-1, 4)
    nx, ny = cap_v.shape[0], cap_h.shape[1]
    routes = pattern_route(conns, cap_h, cap_v)
    dem_h = np.zeros(cap_h.shape, dtype=np.int64)
    dem_v = np.zeros(cap_v.shape, dtype=np.int64)
    for r in routes:
        _apply(r, dem_h, dem_v, +1)
    hist_h = np.zeros(cap_h.shape)
    hist_v = np.zeros(cap_v.shape)
    result = Routing2D(routes, dem_h, dem_v)
    total = overflow(dem_h, cap_h) + overflow(dem_v, cap_v)
    result.overflow_history.append(total)
    pres = PRES_FAC_START
    span = np.abs(conns[:, 0] - conns[:, 2]) + np.abs(conns[:, 1] - conns[:, 3])
    for it in range(max_iterations):
        if total == 0:
            break
        over_h, over_v = dem_h > cap_h, dem_v > cap_v
        hist_h += HIST_INCREMENT * over_h
        hist_v += HIST_INCREMENT * over_v
        todo = np.nonzero(_uses_overflow(routes, over_h, over_v))[0]
        todo = todo[np.argsort(span[todo], kind="stable")]
        margin = BOX_MARGIN_START + BOX_MARGIN_GROWTH * it
        for k in todo.tolist():
            _apply(routes[k], dem_h, dem_v, -1)
            a, b, c, d = conns[k].tolist()
            box = (max(min(a, c) - margin, 0), max(min(b, d) - margin, 0),
                   min(max(a, c) + margin, nx - 1), min(max(b, d) + margin, ny - 1))
            x0, y0, x1, y1 = box
            sub_h = (slice(x0, x1), slice(y0, y1 + 1))
            sub_v = (slice(x0, x1 + 1), slice(y0, y1))
            cost_h = (1.0 + hist_h[sub_h]) * (
                1.0 + pres * np.maximum(dem_h[sub_h] + 1 - cap_h[sub_h], 0))
            cost_v = (1.0 + hist_v[sub_v]) * (
                1.0 + pres * np.maximum(dem_v[sub_v] + 1 - cap_v[sub_v], 0))
            routes[k] = maze_route((a, b), (c, d), cost_h, cost_v, box)
            _apply(routes[k], dem_h, dem_v, +1)
        pres *= PRES_FAC_GROWTH
        total = overflow(dem_h, cap_h) + overflow(dem_v, cap_v)
        result.overflow_history.append(total)
        result.iterations = it + 1
        log.debug("rip-up iteration %d: %d connections rerouted, overflow %d",
                  it + 1, len(todo), total)
    return result
