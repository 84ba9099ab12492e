"""Global routing of one wafer side: gcell routes of every net and their layer assignment.

Pipeline (all nets at once):
1. every net's pins are grouped by gcell; a rectilinear Steiner tree joins the gcells
   (`steiner.py`);
2. the tree edges are routed on the 2D grid (`groute.route_2d`: pattern routes, then
   negotiated-congestion rip-up and reroute);
3. layer assignment: each straight piece takes the lowest layer of its direction whose edges
   still have a free track (pieces longer than LOCAL_SPAN gcells try the layers above the two
   lowest first); when no single layer has room on every edge the piece changes layers where
   it must (a dynamic program over its edges), so 3D overflow equals 2D overflow.

The result gives the detailed router its guides (the gcells each net's routes cross) and the
global-route figures OpenROAD reports (overflow, wirelength as GRT-0018 counts it, vias).
Coordinates are gcell indices; lengths dbu.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ffet_flow.route.grid import SideGrid
from ffet_flow.route.groute import route_2d
from ffet_flow.route.nets import PinPoint
from ffet_flow.route.steiner import steiner_tree

#: pieces spanning more gcells than this prefer the layers above the two lowest ones
LOCAL_SPAN = 2
#: levels 1 and 2 (the lowest vertical and horizontal routing layers) hold the pin accesses
JOG_LEVELS = 2


@dataclass
class GlobalRouting:
    net_names: list[str]
    routes: list[list[tuple[int, int]]]  # per connection: its gcells in order
    conn_net: list[int]  # per connection: index into net_names
    demand: list[np.ndarray]  # per routing layer of the side grid, after layer assignment
    overflow_2d: int
    iterations: int
    wirelength: int = 0  # dbu, gcell-centre to gcell-centre length of the routes
    vias: int = 0  # layer changes along the routes plus pin-to-layer stacks
    segments: int = 0  # straight single-layer runs
    gcell_size: int = 0  # dbu, typical gcell edge
    gcells: dict[str, np.ndarray] = field(default_factory=dict)  # net -> (k, 2) gcells used
    # net -> (k, 3) (gcell column, row, metal level) its layer assignment uses, via stacks and
    # the levels from the pins up to the first piece included: the detailed router's guide
    guides: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def wirelength_openroad(self) -> int:
        """Global-route wirelength as OpenROAD's `global_route` reports it (GRT-0018): every
        straight single-layer segment counts its gcell-centre length plus one gcell, i.e. it
        reaches the far edges of its end gcells (OpenROAD src/grt GlobalRouter::
        computeNetWirelength)."""
        return self.wirelength + self.segments * self.gcell_size


def _pieces(route: Sequence[tuple[int, int]]) -> list[tuple[bool, int, int, int]]:
    """Straight pieces of a gcell route: (horizontal, fixed index, from, to)."""
    out = []
    for (x0, y0), (x1, y1) in zip(route[:-1], route[1:], strict=True):
        if x0 == x1 and y0 == y1:
            continue
        if y0 == y1:
            out.append((True, y0, x0, x1))
        else:
            out.append((False, x0, y0, y1))
    return out


def global_route_side(nets: Mapping[str, Sequence[PinPoint]], sg: SideGrid,
                      max_iterations: int) -> GlobalRouting:
    """Route every net of one side on the gcells of `sg` and assign layers."""
    g = sg.grid
    names = list(nets)
    conns: list[np.ndarray] = []
    conn_net: list[int] = []
    node_level: list[dict[tuple[int, int], int | None]] = []
    cells: dict[str, np.ndarray] = {}
    for k, name in enumerate(names):
        pts = nets[name]
        gx, gy = g.locate(np.array([p.x for p in pts]), np.array([p.y for p in pts]))
        reps: dict[tuple[int, int], int | None] = {}
        for p, i, j in zip(pts, gx.tolist(), gy.tolist(), strict=True):
            reps.setdefault((i, j), p.level)
        cells[name] = np.array(sorted(reps), dtype=np.int64)
        if len(reps) >= 2:
            edges = steiner_tree(np.array(list(reps), dtype=np.int64))
            conns.append(edges)
            conn_net.extend([k] * len(edges))
            for a, b, c, d in edges.tolist():
                reps.setdefault((a, b), None)
                reps.setdefault((c, d), None)
        node_level.append(reps)
    all_conns = np.concatenate(conns) if conns else np.zeros((0, 4), dtype=np.int64)
    cap_h, cap_v = sg.capacity_2d()
    r2 = route_2d(all_conns, cap_h, cap_v, max_iterations)

    hl = [i for i, la in enumerate(sg.layers) if la.horizontal]
    vl = [i for i, la in enumerate(sg.layers) if not la.horizontal]
    demand = [np.zeros_like(c, dtype=np.int64) for c in sg.capacity]

    def edge_slack(li: int, horizontal: bool, fixed: int, a: int, b: int) -> np.ndarray:
        lo, hi = min(a, b), max(a, b)
        cap, dem = sg.capacity[li], demand[li]
        return (cap[lo:hi, fixed] - dem[lo:hi, fixed]) if horizontal else \
            (cap[fixed, lo:hi] - dem[fixed, lo:hi])

    def assign_layers(horizontal: bool, fixed: int, a: int, b: int) -> list[tuple[int, int, int]]:
        lo, hi = min(a, b), max(a, b)
        long_piece = hi - lo > LOCAL_SPAN
        cands = hl if horizontal else vl
        order = sorted(cands, key=lambda i: ((sg.layers[i].level <= JOG_LEVELS) and long_piece,
                                             sg.layers[i].level))
        slack = []
        for li in order:
            sl = edge_slack(li, horizontal, fixed, a, b)
            if sl.size == 0 or int(sl.min()) >= 1:
                parts = [(li, a, b)]
                break
            slack.append(sl)
        else:
            parts = _split_layers(order, [sg.layers[i].level for i in order], slack, a, b)
        for li, p, q in parts:
            p, q = min(p, q), max(p, q)
            if horizontal:
                demand[li][p:q, fixed] += 1
            else:
                demand[li][fixed, p:q] += 1
        return parts

    result = GlobalRouting(names, [list(r) for r in r2.routes], conn_net, demand,
                           int(r2.overflow_history[-1]) if r2.overflow_history else 0,
                           r2.iterations)
    node_ends: dict[tuple[int, tuple[int, int]], list[tuple[bool, int]]] = defaultdict(list)
    used: dict[int, set[tuple[int, int]]] = defaultdict(set)
    used3: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
    for ci, route in enumerate(r2.routes):
        net = conn_net[ci]
        pieces = _pieces(route)
        used[net].update((int(a), int(b)) for a, b in route)
        for h, f, a, b in pieces:  # a route lists its corners: every gcell between them too
            lo, hi = min(a, b), max(a, b)
            used[net].update(((v, f) if h else (f, v)) for v in range(lo, hi + 1))
        if not pieces:
            continue
        pieces, layers = _with_layer_changes(
            pieces, [assign_layers(h, f, a, b) for h, f, a, b in pieces], sg)
        result.segments += sum(1 for _h, _f, a, b in pieces if a != b)
        start, end = (route[0][0], route[0][1]), (route[-1][0], route[-1][1])
        for cell, k in ((start, 0), (end, len(pieces) - 1)):
            if node_level[net].get(cell) is None:  # a Steiner node: may merge straight through
                node_ends[(net, cell)].append((pieces[k][0], layers[k]))
        centres = [g.cx if h else g.cy for h, _f, _a, _b in pieces]
        result.wirelength += sum(abs(int(c[b]) - int(c[a])) for c, (_h, _f, a, b)
                                 in zip(centres, pieces, strict=True))
        levels_used = [sg.layers[li].level for li in layers]
        result.vias += sum(abs(u - v) for u, v in zip(levels_used[:-1], levels_used[1:],
                                                       strict=True))
        for cell, lev in ((start, levels_used[0]), (end, levels_used[-1])):
            base = node_level[net].get(cell)
            result.vias += abs(lev - base) if base is not None else 0
        # the 3D guide: every gcell of every piece on its layer, the via stacks between
        # consecutive pieces, and at both ends every level down to the lowest routing level
        top = max(la.level for la in sg.layers)
        for (h, f, a, b), lev in zip(pieces, levels_used, strict=True):
            lo, hi = min(a, b), max(a, b)
            used3[net].update(((v, f, lev) if h else (f, v, lev)) for v in range(lo, hi + 1))
        for k in range(len(pieces) - 1):
            h, f, a, b = pieces[k]
            cell = (b, f) if h else (f, b)
            lo, hi = sorted((levels_used[k], levels_used[k + 1]))
            used3[net].update((cell[0], cell[1], v) for v in range(lo, hi + 1))
        for cell, lev in ((start, levels_used[0]), (end, levels_used[-1])):
            used3[net].update((int(cell[0]), int(cell[1]), v) for v in range(1, min(lev, top) + 1))
    # two collinear route ends on one layer meeting at a Steiner node are one segment
    result.segments -= sum(1 for ends in node_ends.values()
                           if len(ends) == 2 and ends[0] == ends[1])
    result.gcell_size = int(round((float(np.median(np.diff(g.xs)))
                                   + float(np.median(np.diff(g.ys)))) / 2))
    low = sorted(la.level for la in sg.layers)[:3]
    for k, name in enumerate(names):
        have = used.get(k, set()) | {tuple(c) for c in cells[name].tolist()}
        result.gcells[name] = np.array(sorted(have), dtype=np.int64).reshape(-1, 2)
        # pins' gcells: the lowest routing levels (access and local wiring within the gcell)
        g3 = used3.get(k, set()) | {(int(c[0]), int(c[1]), v) for c in cells[name].tolist()
                                    for v in low}
        result.guides[name] = np.array(sorted(g3), dtype=np.int64).reshape(-1, 3)
    return result


#: DP costs of a piece that must change layers: an overflowed edge costs far more than vias
_OVERFLOW_COST = 1000.0
_VIA_COST = 1.0


def _split_layers(order: Sequence[int], levels: Sequence[int], slack: Sequence[np.ndarray],
                  a: int, b: int) -> list[tuple[int, int, int]]:
    """Layer per edge of a straight piece from gcell a to b, by dynamic programming over its
    edges (in travel order): cost = _OVERFLOW_COST per edge without a free track + _VIA_COST
    per via level changed + a small preference for the order's first layers. `slack[k]` is the
    free-track count of layer order[k] over the edges min(a,b)..max(a,b)-1 (increasing).
    Returns runs [(layer index, from gcell, to gcell)] in travel order."""
    n_l = len(order)
    m = abs(b - a)
    step = 1 if b > a else -1
    # edge t in travel order is the slack index t (increasing) or m - 1 - t (decreasing)
    over = [[0.0 if (sl[t if step > 0 else m - 1 - t] >= 1) else
             _OVERFLOW_COST * float(1 - sl[t if step > 0 else m - 1 - t])
             for sl in slack] for t in range(m)]
    cost = [over[0][k] + 1e-3 * k for k in range(n_l)]
    back: list[list[int]] = []
    for t in range(1, m):
        new, arg = [], []
        for k in range(n_l):
            best, bk = None, 0
            for j in range(n_l):
                c = cost[j] + _VIA_COST * abs(levels[j] - levels[k])
                if best is None or c < best:
                    best, bk = c, j
            new.append(best + over[t][k])
            arg.append(bk)
        cost = new
        back.append(arg)
    k = min(range(n_l), key=lambda i: cost[i])
    per_edge = [k]
    for arg in reversed(back):
        k = arg[k]
        per_edge.append(k)
    per_edge.reverse()
    runs: list[tuple[int, int, int]] = []
    pos = a
    for k in per_edge:
        if runs and runs[-1][0] == order[k]:
            runs[-1] = (order[k], runs[-1][1], pos + step)
        else:
            runs.append((order[k], pos, pos + step))
        pos += step
    return runs


def _with_layer_changes(pieces: Sequence[tuple[bool, int, int, int]],
                        parts: Sequence[Sequence[tuple[int, int, int]]], sg: SideGrid
                        ) -> tuple[list[tuple[bool, int, int, int]], list[int]]:
    """Expand pieces split over several layers: each run becomes a piece, and between two runs
    of one direction a zero-length piece of the other direction on a layer between them carries
    the jog from one track to the other."""
    out: list[tuple[bool, int, int, int]] = []
    layers: list[int] = []
    for (h, f, _a, _b), runs in zip(pieces, parts, strict=True):
        for r, (li, p, q) in enumerate(runs):
            if r:
                prev = layers[-1]
                lo, hi = sorted((sg.layers[prev].level, sg.layers[li].level))
                jog = min((i for i, la in enumerate(sg.layers) if la.horizontal != h),
                          key=lambda i: (not lo < sg.layers[i].level < hi,
                                         abs(2 * sg.layers[i].level - lo - hi),
                                         sg.layers[i].level))
                out.append((not h, p, f, f))
                layers.append(jog)
            out.append((h, f, p, q))
            layers.append(li)
    return out, layers
