"""From global routes to wires on tracks, for one wafer side.

Pipeline per side (all nets at once):
1. every net's pins are grouped by gcell; a rectilinear Steiner tree joins the gcells;
2. the tree edges are routed on the 2D grid (`groute.route_2d`: pattern routes, then
   negotiated-congestion rip-up and reroute);
3. layer assignment: each straight piece of a route takes the lowest layer of its direction
   whose edges still have a free track, else the least overflowed one (per-layer demand);
4. track assignment: the piece becomes a wire on one track of its layer inside its gcell
   row/column: the free track nearest the point it leads to (greedy interval assignment);
   consecutive pieces meet at the crossing of their tracks, joined by vias;
5. at every tree node (a pin, or a Steiner gcell) the arriving wires jog on the lowest
   vertical (level 1) or horizontal routing layer to the node point, where one via stack joins
   all levels present (the pin's own level included).
Shorts are overlapping wires of different nets on one track; opens are nets whose wires and
vias (union-find over their end points) do not join all pins.
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

#: pieces spanning more gcells than this prefer the layers above the jog levels
LOCAL_SPAN = 2
#: levels 1 and 2 (the lowest vertical and horizontal routing layers) hold the pin jogs
JOG_LEVELS = 2


@dataclass(frozen=True)
class Wire:
    net: int
    level: int
    horizontal: bool
    c: int  # fixed coordinate (track): y of a horizontal wire, x of a vertical one
    a: int  # start along the wire (a <= b)
    b: int

    @property
    def length(self) -> int:
        return self.b - self.a

    def ends(self) -> tuple[tuple[int, int], tuple[int, int]]:
        if self.horizontal:
            return (self.a, self.c), (self.b, self.c)
        return (self.c, self.a), (self.c, self.b)


@dataclass
class SideRouting:
    net_names: list[str]
    wires: list[Wire]
    vias: list[tuple[int, int, int, int]]  # (net, level, x, y): joins level and level + 1
    demand: list[np.ndarray]  # per routing layer of the side grid
    overflow_2d: int
    iterations: int
    shorts: int = 0
    opens: list[str] = field(default_factory=list)
    global_wirelength: int = 0  # dbu, gcell-centre to gcell-centre length of the global routes
    global_vias: int = 0  # layer changes along the global routes plus pin-to-layer stacks


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


class _Tracks:
    """Track coordinates of every routing layer per gcell row/column, and their occupancy."""

    def __init__(self, sg: SideGrid):
        g = sg.grid
        self.by_layer: list[list[np.ndarray]] = []
        for layer in sg.layers:
            bounds = g.ys if layer.horizontal else g.xs
            t = layer.tracks(int(bounds[0]), int(bounds[-1]))
            idx = np.searchsorted(bounds, t, side="right") - 1
            self.by_layer.append([t[idx == k] for k in range(len(bounds) - 1)])
        self.used: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)

    def free(self, li: int, t: int, lo: int, hi: int, net: int) -> bool:
        return all(n == net or b < lo or a > hi for a, b, n in self.used[(li, t)])

    def pick(self, li: int, panel: int, lo: int, hi: int, prefer: int, net: int,
             fallback: int, jog: tuple[int, int, int] | None = None) -> int:
        """The free track of layer `li` in `panel` nearest `prefer` over [lo, hi].

        jog = (jog layer, jog line, pin coordinate): the track must also leave the jog from
        the pin to it free on that line (the pin's access wire)."""
        cands = self.by_layer[li][panel]
        if not len(cands):
            return fallback
        order = np.argsort(np.abs(cands - prefer), kind="stable")
        for k in order.tolist():
            t = int(cands[k])
            if not self.free(li, t, lo, hi, net):
                continue
            if jog is not None and not self.free(jog[0], jog[1], min(t, jog[2]),
                                                 max(t, jog[2]), net):
                continue
            return t
        return int(cands[order[0]])

    def take(self, li: int, t: int, a: int, b: int, net: int) -> None:
        self.used[(li, t)].append((a, b, net))


def route_side(nets: Mapping[str, Sequence[PinPoint]], sg: SideGrid,
               max_iterations: int) -> SideRouting:
    """Route every net of one side on `sg` (its layers must include level-1 and level-2 jog
    layers when they exist); returns wires and vias with net indices into `net_names`."""
    g = sg.grid
    names = list(nets)
    conns: list[np.ndarray] = []
    conn_net: list[int] = []
    node_pt: list[dict[tuple[int, int], PinPoint | None]] = []
    extras: list[list[tuple[PinPoint, PinPoint]]] = []
    for k, name in enumerate(names):
        pts = nets[name]
        gx, gy = g.locate(np.array([p.x for p in pts]), np.array([p.y for p in pts]))
        reps: dict[tuple[int, int], PinPoint | None] = {}
        local: list[tuple[PinPoint, PinPoint]] = []
        for p, i, j in zip(pts, gx.tolist(), gy.tolist(), strict=True):
            if (i, j) in reps:
                local.append((p, reps[(i, j)]))
            else:
                reps[(i, j)] = p
        if len(reps) >= 2:
            edges = steiner_tree(np.array(list(reps), dtype=np.int64))
            conns.append(edges)
            conn_net.extend([k] * len(edges))
            for a, b, c, d in edges.tolist():
                reps.setdefault((a, b), None)
                reps.setdefault((c, d), None)
        node_pt.append(reps)
        extras.append(local)
    all_conns = np.concatenate(conns) if conns else np.zeros((0, 4), dtype=np.int64)
    cap_h, cap_v = sg.capacity_2d()
    r2 = route_2d(all_conns, cap_h, cap_v, max_iterations)

    hl = [i for i, la in enumerate(sg.layers) if la.horizontal]
    vl = [i for i, la in enumerate(sg.layers) if not la.horizontal]
    demand = [np.zeros_like(c, dtype=np.int64) for c in sg.capacity]
    jog_v = min(vl, key=lambda i: sg.layers[i].level) if vl else None
    jog_h = min(hl, key=lambda i: sg.layers[i].level) if hl else None
    tracks = _Tracks(sg)
    wires: list[Wire] = []
    vias: set[tuple[int, int, int, int]] = set()
    node_levels: dict[tuple[int, int, int], set[int]] = defaultdict(set)

    def assign_layer(horizontal: bool, fixed: int, a: int, b: int) -> int:
        lo, hi = min(a, b), max(a, b)
        cands = hl if horizontal else vl
        best, best_slack = cands[0], None
        # the lowest two levels also carry every pin's access jogs: pieces longer than
        # LOCAL_SPAN gcells try the upper layers first and leave them room
        long_piece = hi - lo > LOCAL_SPAN
        order = sorted(cands, key=lambda i: ((sg.layers[i].level <= JOG_LEVELS) and long_piece,
                                             sg.layers[i].level))
        for li in order:
            cap, dem = sg.capacity[li], demand[li]
            sl = (cap[lo:hi, fixed] - dem[lo:hi, fixed]) if horizontal else \
                (cap[fixed, lo:hi] - dem[fixed, lo:hi])
            slack = int(sl.min()) if sl.size else 0
            if slack >= 1:
                best = li
                break
            if best_slack is None or slack > best_slack:
                best, best_slack = li, slack
        if horizontal:
            demand[best][lo:hi, fixed] += 1
        else:
            demand[best][fixed, lo:hi] += 1
        return best

    def stack(net: int, x: int, y: int, l0: int, l1: int) -> None:
        for lev in range(min(l0, l1), max(l0, l1)):
            vias.add((net, lev, x, y))

    steiner_xy: dict[tuple[int, int, int], tuple[int, int]] = {}

    def node_xy(net: int, cell: tuple[int, int]) -> tuple[int, int, int | None]:
        p = node_pt[net].get(cell)
        if p is not None:
            return p.x, p.y, p.level
        key = (net, cell[0], cell[1])
        if key not in steiner_xy:  # a Steiner point: its own free jog tracks in the gcell
            i, j = cell
            cx, cy = int(g.cx[i]), int(g.cy[j])
            # a point on a jog track free near the centre; the jogs drawn to it are recorded
            # as they are made, so no whole track is held for the node
            x = tracks.pick(jog_v, i, cy, cy, cx, net, cx) if jog_v is not None else cx
            y = tracks.pick(jog_h, j, x, x, cy, net, cy) if jog_h is not None else cy
            steiner_xy[key] = (x, y)
        x, y = steiner_xy[key]
        return x, y, None

    global_len = 0
    global_vias = 0
    for ci, route in enumerate(r2.routes):
        net = conn_net[ci]
        pieces = _pieces(route)
        if not pieces:
            continue
        start, end = route[0], route[-1]
        sx, sy, _ = node_xy(net, (start[0], start[1]))
        ex, ey, _ = node_xy(net, (end[0], end[1]))
        layers = [assign_layer(h, f, a, b) for h, f, a, b in pieces]
        centres = [g.cx if h else g.cy for h, _f, _a, _b in pieces]
        global_len += sum(abs(int(c[b]) - int(c[a])) for c, (_h, _f, a, b)
                          in zip(centres, pieces, strict=True))
        levels_used = [sg.layers[li].level for li in layers]
        global_vias += sum(abs(u - v) for u, v in zip(levels_used[:-1], levels_used[1:],
                                                       strict=True))
        for cell, lev in (((start[0], start[1]), levels_used[0]),
                          ((end[0], end[1]), levels_used[-1])):
            base = node_xy(net, cell)[2]
            global_vias += abs(lev - base) if base is not None else 0
        coords: list[int] = []
        for k, ((h, f, a, b), li) in enumerate(zip(pieces, layers, strict=True)):
            if k == 0:
                prefer = sy if h else sx
            elif k == len(pieces) - 1:
                prefer = ey if h else ex
            else:
                prefer = int(g.cy[f] if h else g.cx[f])
            along_prev = (sx if h else sy) if k == 0 else coords[-1]
            bounds = g.xs if h else g.ys
            end_cell = b
            lo = min(along_prev, int(bounds[min(a, end_cell)]))
            hi = max(along_prev, int(bounds[max(a, end_cell) + 1]))
            jog = None
            if k in (0, len(pieces) - 1):  # the route's end jogs along the node's own line
                px, py = (sx, sy) if k == 0 else (ex, ey)
                jl = jog_v if h else jog_h
                if jl is not None:
                    jog = (jl, px, py) if h else (jl, py, px)
            coords.append(tracks.pick(li, f, lo, hi, prefer, net, prefer, jog))
        # geometry: piece k runs along its track from the previous crossing to the next one
        for k, ((h, _f, _a, _b), li) in enumerate(zip(pieces, layers, strict=True)):
            c = coords[k]
            first = (sx if h else sy) if k == 0 else coords[k - 1]
            last = (ex if h else ey) if k == len(pieces) - 1 else coords[k + 1]
            lo, hi = min(first, last), max(first, last)
            level = sg.layers[li].level
            if hi > lo:
                wires.append(Wire(net, level, h, c, lo, hi))
                tracks.take(li, c, lo, hi, net)
            if k + 1 < len(pieces):
                nx_, ny_ = (coords[k + 1], c) if h else (c, coords[k + 1])
                stack(net, nx_, ny_, level, sg.layers[layers[k + 1]].level)
        # the two ends: jog from the track to the node point, then the node's via stack
        for (h, li, c), (px, py), cell in (
                ((pieces[0][0], layers[0], coords[0]), (sx, sy), (start[0], start[1])),
                ((pieces[-1][0], layers[-1], coords[-1]), (ex, ey), (end[0], end[1]))):
            level = sg.layers[li].level
            if h and c != py:  # horizontal wire at y=c ends at x=px: jog vertically
                jl = sg.layers[jog_v].level if jog_v is not None else level
                wires.append(Wire(net, jl, False, px, min(c, py), max(c, py)))
                if jog_v is not None:
                    tracks.take(jog_v, px, min(c, py), max(c, py), net)
                stack(net, px, c, level, jl)
                node_levels[(net, px, py)].add(jl)
            elif not h and c != px:  # vertical wire at x=c ends at y=py: jog horizontally
                jl = sg.layers[jog_h].level if jog_h is not None else level
                wires.append(Wire(net, jl, True, py, min(c, px), max(c, px)))
                if jog_h is not None:
                    tracks.take(jog_h, py, min(c, px), max(c, px), net)
                stack(net, c, py, level, jl)
                node_levels[(net, px, py)].add(jl)
            else:
                node_levels[(net, px, py)].add(level)
            _, _, plevel = node_xy(net, cell)
            if plevel is not None:
                node_levels[(net, px, py)].add(plevel)

    # pins sharing a gcell with their net's representative pin: a local L (horizontal jog
    # layer, then vertical jog layer) to the representative point
    for net, local in enumerate(extras):
        for p, rep in local:
            jh = sg.layers[jog_h].level if jog_h is not None else p.level
            jv = sg.layers[jog_v].level if jog_v is not None else p.level
            if p.x != rep.x:
                wires.append(Wire(net, jh, True, p.y, min(p.x, rep.x), max(p.x, rep.x)))
                node_levels[(net, p.x, p.y)].update((p.level, jh))
                node_levels[(net, rep.x, p.y)].update((jh, jv))
            else:
                node_levels[(net, p.x, p.y)].update((p.level, jv))
            if p.y != rep.y:
                wires.append(Wire(net, jv, False, rep.x, min(p.y, rep.y), max(p.y, rep.y)))
            node_levels[(net, rep.x, rep.y)].update((jv, rep.level))
    for (net, x, y), levels in node_levels.items():
        stack(net, x, y, min(levels), max(levels))

    result = SideRouting(names, wires, sorted(vias), demand,
                         int(r2.overflow_history[-1]) if r2.overflow_history else 0,
                         r2.iterations)
    result.global_wirelength, result.global_vias = global_len, global_vias
    result.shorts = count_shorts(wires)
    result.opens = find_opens(nets, names, wires, result.vias)
    return result


def count_shorts(wires: Sequence[Wire]) -> int:
    """Pairs of overlapping wires of different nets on one track (same level and line)."""
    by_line: dict[tuple[int, bool, int], list[tuple[int, int, int]]] = defaultdict(list)
    for w in wires:
        by_line[(w.level, w.horizontal, w.c)].append((w.a, w.b, w.net))
    shorts = 0
    for spans in by_line.values():
        spans.sort()
        reach_b, reach_net = None, None
        for a, b, n in spans:
            if reach_b is not None and a <= reach_b and n != reach_net:
                shorts += 1
            if reach_b is None or b > reach_b:
                reach_b, reach_net = b, n
    return shorts


def find_opens(nets: Mapping[str, Sequence[PinPoint]], names: Sequence[str],
               wires: Sequence[Wire], vias: Sequence[tuple[int, int, int, int]]) -> list[str]:
    """Names of nets whose wiring does not connect all their pins."""
    parent: dict[tuple, tuple] = {}

    def find(a):
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    for w in wires:
        (x0, y0), (x1, y1) = w.ends()
        union((w.net, w.level, x0, y0), (w.net, w.level, x1, y1))
    for net, lev, x, y in vias:
        union((net, lev, x, y), (net, lev + 1, x, y))
    opens = []
    for k, name in enumerate(names):
        roots = {find((k, p.level, p.x, p.y)) for p in nets[name]}
        if len(roots) > 1:
            opens.append(name)
    return opens


def layer_wirelength(wires: Sequence[Wire]) -> dict[int, int]:
    """Wire length (dbu) per metal level."""
    out: dict[int, int] = defaultdict(int)
    for w in wires:
        out[w.level] += w.length
    return dict(out)
