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
#: nearby jog-layer tracks tried for an L-shaped pin access when the direct jog is blocked
ACCESS_TRACKS = 6


@dataclass(frozen=True)
class Wire:
    net: int
    level: int
    horizontal: bool
    c: int  # fixed coordinate (track): y of a horizontal wire, x of a vertical one
    a: int  # start along the wire (a <= b)
    b: int
    kind: str = ""  # "piece" (a global route's run), "jog" (pin access), "local"

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
    global_segments: int = 0  # straight single-layer runs of the global routes
    gcell_size: int = 0  # dbu, typical gcell edge (median of width and height, averaged)

    @property
    def global_wirelength_openroad(self) -> int:
        """Global-route wirelength as OpenROAD's `global_route` reports it (GRT-0018): every
        straight single-layer segment counts its gcell-centre length plus one gcell, i.e. it
        reaches the far edges of its end gcells (OpenROAD src/grt GlobalRouter::
        computeNetWirelength)."""
        return self.global_wirelength + self.global_segments * self.gcell_size


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
        self.horizontal = [la.horizontal for la in sg.layers]
        for layer in sg.layers:
            bounds = g.ys if layer.horizontal else g.xs
            t = layer.tracks(int(bounds[0]), int(bounds[-1]))
            idx = np.searchsorted(bounds, t, side="right") - 1
            self.by_layer.append([t[idx == k] for k in range(len(bounds) - 1)])
        self.used: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)

    def free(self, li: int, t: int, lo: int, hi: int, net: int) -> bool:
        return all(n == net or b < lo or a > hi for a, b, n in self.used[(li, t)])

    def pick(self, li: int, panel: int, lo: int, hi: int, prefer: int, net: int,
             fallback: int, jog: tuple[int, int, int] | None = None,
             via: tuple[int, Sequence[int]] | None = None) -> int:
        """The free track of layer `li` in `panel` nearest `prefer` over [lo, hi].

        jog = (jog layer, jog line, pin coordinate): the track must also leave the jog from
        the pin to it free on that line (the pin's access wire). via = (coordinate along the
        track, layer indices): the via stack joining the previous wire at that point passes
        those layers, whose lines through the point must be free too."""
        cands = self.by_layer[li][panel]
        self.last_conflicts = 0
        if not len(cands):
            return fallback
        order = np.argsort(np.abs(cands - prefer), kind="stable")
        best, best_conf = int(cands[order[0]]), None
        for k in order.tolist():
            t = int(cands[k])
            conf = self.conflicts(li, t, lo, hi, net)
            if jog is not None:
                conf += self.conflicts(jog[0], jog[1], min(t, jog[2]), max(t, jog[2]), net)
            if via is not None:
                at = via[0]
                x, y = (at, t) if self.horizontal[li] else (t, at)
                conf += self.point_conflicts(via[1], x, y, net)
            if conf == 0:
                self.last_conflicts = 0
                return t
            if best_conf is None or conf < best_conf:
                best, best_conf = t, conf
        self.last_conflicts = best_conf or 0
        return best

    def conflicts(self, li: int, t: int, lo: int, hi: int, net: int) -> int:
        return sum(1 for a, b, n in self.used[(li, t)] if n != net and b >= lo and a <= hi)

    def point_conflicts(self, layers: Sequence[int], x: int, y: int, net: int) -> int:
        """Other nets' wires through (x, y) on each of `layers` (a via stack's crossings)."""
        return sum(self.conflicts(li, y, x, x, net) if self.horizontal[li] else
                   self.conflicts(li, x, y, y, net) for li in layers)

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
    # every pin's access point is its net's on both jog lines: the via stack down to the pin
    # stands there, so other nets' wires must not pass over it
    for k, name in enumerate(names):
        for p in nets[name]:
            if jog_v is not None:
                tracks.take(jog_v, p.x, p.y, p.y, k)
            if jog_h is not None:
                tracks.take(jog_h, p.y, p.x, p.x, k)
    wires: list[Wire] = []
    vias: set[tuple[int, int, int, int]] = set()
    node_levels: dict[tuple[int, int, int], set[int]] = defaultdict(set)

    def edge_slack(li: int, horizontal: bool, fixed: int, a: int, b: int) -> np.ndarray:
        """Free tracks of layer li on the edges between gcells a and b (increasing)."""
        lo, hi = min(a, b), max(a, b)
        cap, dem = sg.capacity[li], demand[li]
        return (cap[lo:hi, fixed] - dem[lo:hi, fixed]) if horizontal else \
            (cap[fixed, lo:hi] - dem[fixed, lo:hi])

    def layer_has_room(li: int, horizontal: bool, fixed: int, a: int, b: int) -> bool:
        sl = edge_slack(li, horizontal, fixed, a, b)
        return bool(sl.size == 0 or int(sl.min()) >= 1)

    def move_demand(src: int, dst: int, horizontal: bool, fixed: int, a: int, b: int) -> None:
        lo, hi = min(a, b), max(a, b)
        for li, d in ((src, -1), (dst, 1)):
            if horizontal:
                demand[li][lo:hi, fixed] += d
            else:
                demand[li][fixed, lo:hi] += d

    def layer_order(horizontal: bool, long_piece: bool) -> list[int]:
        # the lowest two levels also carry every pin's access jogs: pieces longer than
        # LOCAL_SPAN gcells try the upper layers first and leave them room
        cands = hl if horizontal else vl
        return sorted(cands, key=lambda i: ((sg.layers[i].level <= JOG_LEVELS) and long_piece,
                                            sg.layers[i].level))

    def assign_layers(horizontal: bool, fixed: int, a: int, b: int) -> list[tuple[int, int, int]]:
        """Layers of a straight piece from gcell a to gcell b: [(layer index, from, to)].

        The lowest-preference layer with a free track on every edge takes the whole piece; when
        none has, the piece changes layer where it must (`_split_layers`), so a layer change
        costs vias but never overflow where the side's 2D capacity suffices."""
        lo, hi = min(a, b), max(a, b)
        order = layer_order(horizontal, hi - lo > LOCAL_SPAN)
        slack = []
        for li in order:
            if layer_has_room(li, horizontal, fixed, a, b):
                parts = [(li, a, b)]
                break
            slack.append(edge_slack(li, horizontal, fixed, a, b))
        else:
            parts = _split_layers(order, [sg.layers[i].level for i in order], slack, a, b)
        for li, p, q in parts:
            p, q = min(p, q), max(p, q)
            if horizontal:
                demand[li][p:q, fixed] += 1
            else:
                demand[li][fixed, p:q] += 1
        return parts

    by_level = {la.level: i for i, la in enumerate(sg.layers)}

    def between(li0: int, li1: int) -> list[int]:
        """Routing layers strictly between two layers' levels (a via stack passes them)."""
        lo, hi = sorted((sg.layers[li0].level, sg.layers[li1].level))
        return [by_level[v] for v in range(lo + 1, hi) if v in by_level]

    def stack(net: int, x: int, y: int, l0: int, l1: int) -> None:
        """Vias from level l0 to l1 at (x, y); the point is the net's on every routing layer
        the stack touches, so later wires keep off it."""
        for lev in range(min(l0, l1), max(l0, l1)):
            vias.add((net, lev, x, y))
        for lev in range(min(l0, l1), max(l0, l1) + 1):
            li = by_level.get(lev)
            if li is not None:
                line, at = (y, x) if sg.layers[li].horizontal else (x, y)
                tracks.take(li, line, at, at, net)

    # pins sharing a gcell with their net's representative pin: a local connection on the jog
    # layers to the representative point, an L (either way) or a Z through a nearby track,
    # whichever crosses the fewest wires and pins of other nets, then the shortest; drawn
    # before the global routes so those avoid them
    for net, local in enumerate(extras):
        for p, rep in local:
            best = None
            for path in _local_paths(tracks, g, jog_h, jog_v, (p.x, p.y), (rep.x, rep.y)):
                segs = [(u, v) for u, v in zip(path[:-1], path[1:], strict=True) if u != v]
                conf = sum(_jog_conflicts(tracks, jog_h, jog_v, net, u, v) for u, v in segs)
                length = sum(abs(u[0] - v[0]) + abs(u[1] - v[1]) for u, v in segs)
                if best is None or (conf, length) < best[:2]:
                    best = (conf, length, segs)
            prev_level = p.level
            node_levels[(net, p.x, p.y)].add(p.level)
            for u, v in best[2]:
                h = u[1] == v[1]
                li = jog_h if h else jog_v
                level = sg.layers[li].level if li is not None else p.level
                c, lo, hi = (u[1], min(u[0], v[0]), max(u[0], v[0])) if h else \
                    (u[0], min(u[1], v[1]), max(u[1], v[1]))
                wires.append(Wire(net, level, h, c, lo, hi, kind="local"))
                if li is not None:
                    tracks.take(li, c, lo, hi, net)
                stack(net, u[0], u[1], prev_level, level)
                prev_level = level
            stack(net, rep.x, rep.y, prev_level, rep.level)
            node_levels[(net, rep.x, rep.y)].update((prev_level, rep.level))

    def plan_access(net: int, h: bool, li: int, c: int, px: int, py: int
                    ) -> tuple[int, list[tuple[int | None, bool, int, int, int]]]:
        """How a track wire (layer li, horizontal h, on line c) reaches the node (px, py):
        returns where along its track the wire ends, and the jog segments from there to the
        node [(jog layer index, horizontal, line, lo, hi)] in order.

        Directly: the wire runs to the node's coordinate and one jog crosses to the node on
        the node's own line. When that jog or wire meets another net, an L through a nearby
        track of the jog layer (the wire ends at that track, jogs across on it, then along the
        node's line to the node) is taken instead if it meets fewer."""
        jl_cross = jog_v if h else jog_h  # crosses from the track to the node's line
        jl_along = jog_h if h else jog_v  # runs along the node's line
        end, node_c = (px, py) if h else (py, px)
        if c == node_c:
            return end, []
        direct = [(jl_cross, not h, end, min(c, node_c), max(c, node_c))]
        if jl_cross is None or jl_along is None:
            return end, direct
        passed = between(li, jl_cross)

        def stack_conflicts(along: int) -> int:
            return tracks.point_conflicts(passed, *((along, c) if h else (c, along)), net)

        conf = (tracks.conflicts(jl_cross, end, direct[0][3], direct[0][4], net)
                + stack_conflicts(end))
        if conf == 0:
            return end, direct
        panel = int(g.locate(np.array([px]), np.array([py]))[0 if h else 1][0])
        cands = tracks.by_layer[jl_cross][panel]
        best = (conf, 0, end, direct)
        for t in cands[np.argsort(np.abs(cands - end), kind="stable")][:ACCESS_TRACKS].tolist():
            if t == end:
                continue
            segs = [(jl_cross, not h, t, min(c, node_c), max(c, node_c)),
                    (jl_along, h, node_c, min(t, end), max(t, end))]
            n = (tracks.conflicts(li, c, min(t, end), max(t, end), net) + stack_conflicts(t)
                 + sum(tracks.conflicts(sl, line, lo, hi, net) for sl, _h, line, lo, hi in segs))
            if (n, abs(t - end)) < best[:2]:
                best = (n, abs(t - end), t, segs)
        return best[2], best[3]

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
    global_segments = 0
    # Steiner node -> (direction, layer) of the route ends meeting there (segment merging)
    node_ends: dict[tuple[int, tuple[int, int]], list[tuple[bool, int]]] = defaultdict(list)
    for ci, route in enumerate(r2.routes):
        net = conn_net[ci]
        pieces = _pieces(route)
        if not pieces:
            continue
        start, end = route[0], route[-1]
        sx, sy, _ = node_xy(net, (start[0], start[1]))
        ex, ey, _ = node_xy(net, (end[0], end[1]))
        pieces, layers = _with_layer_changes(
            pieces, [assign_layers(h, f, a, b) for h, f, a, b in pieces], sg)
        global_segments += sum(1 for _h, _f, a, b in pieces if a != b)
        for (cell, k) in (((start[0], start[1]), 0), ((end[0], end[1]), len(pieces) - 1)):
            if node_pt[net].get(cell) is None:  # a Steiner node: may merge straight through
                node_ends[(net, cell)].append((pieces[k][0], layers[k]))
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
            via = None
            if k:  # the via stack from the previous piece, at its track on this one
                via = (coords[-1], between(layers[k - 1], li))
            t = tracks.pick(li, f, lo, hi, prefer, net, prefer, jog, via)
            if tracks.last_conflicts:
                # no clean track on the assigned layer: another layer of the direction with a
                # free track on every edge of the piece and a clean track takes it instead
                for li2 in sorted(hl if h else vl, key=lambda i: abs(sg.layers[i].level
                                                                     - sg.layers[li].level)):
                    if li2 == li or not layer_has_room(li2, h, f, a, b):
                        continue
                    via2 = None if via is None else (via[0], between(layers[k - 1], li2))
                    t2 = tracks.pick(li2, f, lo, hi, prefer, net, prefer, jog, via2)
                    if tracks.last_conflicts == 0:
                        move_demand(li, li2, h, f, a, b)
                        layers[k], t = li2, t2
                        break
            coords.append(t)
        # the two ends: how each track wire reaches its node point (pin or Steiner point)
        plans = [plan_access(net, pieces[0][0], layers[0], coords[0], sx, sy),
                 plan_access(net, pieces[-1][0], layers[-1], coords[-1], ex, ey)]
        # geometry: piece k runs along its track from the previous crossing to the next one
        for k, ((h, _f, _a, _b), li) in enumerate(zip(pieces, layers, strict=True)):
            c = coords[k]
            first = plans[0][0] if k == 0 else coords[k - 1]
            last = plans[1][0] if k == len(pieces) - 1 else coords[k + 1]
            lo, hi = min(first, last), max(first, last)
            level = sg.layers[li].level
            if hi > lo:
                wires.append(Wire(net, level, h, c, lo, hi, kind="piece"))
                tracks.take(li, c, lo, hi, net)
            if k + 1 < len(pieces):
                nx_, ny_ = (coords[k + 1], c) if h else (c, coords[k + 1])
                stack(net, nx_, ny_, level, sg.layers[layers[k + 1]].level)
        for (h, li, c), (px, py), cell, (along, segs) in (
                ((pieces[0][0], layers[0], coords[0]), (sx, sy), (start[0], start[1]), plans[0]),
                ((pieces[-1][0], layers[-1], coords[-1]), (ex, ey), (end[0], end[1]), plans[1])):
            level = sg.layers[li].level
            x, y = (along, c) if h else (c, along)
            for jl, jh, line, lo, hi in segs:
                jlev = sg.layers[jl].level if jl is not None else level
                wires.append(Wire(net, jlev, jh, line, lo, hi, kind="jog"))
                if jl is not None:
                    tracks.take(jl, line, lo, hi, net)
                stack(net, x, y, level, jlev)
                level = jlev
                # the segment's far end: the next corner, or the node point
                x, y = ((hi if x == lo else lo), y) if jh else (x, (hi if y == lo else lo))
            node_levels[(net, px, py)].add(level)
            _, _, plevel = node_xy(net, cell)
            if plevel is not None:
                node_levels[(net, px, py)].add(plevel)
                stack(net, px, py, plevel, level)  # now, so later routes see it

    for (net, x, y), levels in node_levels.items():
        stack(net, x, y, min(levels), max(levels))

    result = SideRouting(names, wires, sorted(vias), demand,
                         int(r2.overflow_history[-1]) if r2.overflow_history else 0,
                         r2.iterations)
    # two collinear route ends on one layer meeting at a Steiner node (nothing else there) are
    # one segment
    global_segments -= sum(1 for ends in node_ends.values()
                           if len(ends) == 2 and ends[0] == ends[1])
    result.global_wirelength, result.global_vias = global_len, global_vias
    result.global_segments = global_segments
    result.gcell_size = int(round((float(np.median(np.diff(g.xs)))
                                   + float(np.median(np.diff(g.ys)))) / 2))
    result.shorts = count_shorts(wires, result.vias)
    result.opens = find_opens(nets, names, wires, result.vias)
    return result


def _jog_conflicts(tracks: _Tracks, jog_h: int | None, jog_v: int | None, net: int,
                   u: tuple[int, int], v: tuple[int, int]) -> int:
    """Other nets' wires and pins on the jog-layer line from u to v (a horizontal or vertical
    segment)."""
    if u[1] == v[1]:
        return 0 if jog_h is None else tracks.conflicts(jog_h, u[1], min(u[0], v[0]),
                                                        max(u[0], v[0]), net)
    return 0 if jog_v is None else tracks.conflicts(jog_v, u[0], min(u[1], v[1]),
                                                    max(u[1], v[1]), net)


def _local_paths(tracks: _Tracks, g, jog_h: int | None, jog_v: int | None,
                 p: tuple[int, int], q: tuple[int, int]) -> list[list[tuple[int, int]]]:
    """Candidate corner paths from p to q on the jog layers: the two L shapes, and Z shapes
    whose middle leg runs on one of the nearest tracks of either jog layer."""
    paths = [[p, (q[0], p[1]), q], [p, (p[0], q[1]), q]]
    mid_x, mid_y = (p[0] + q[0]) // 2, (p[1] + q[1]) // 2
    i, j = g.locate(np.array([mid_x]), np.array([mid_y]))
    if jog_v is not None:  # vertical middle leg at x = t
        cands = tracks.by_layer[jog_v][int(i[0])]
        for t in cands[np.argsort(np.abs(cands - mid_x), kind="stable")][:ACCESS_TRACKS]:
            paths.append([p, (int(t), p[1]), (int(t), q[1]), q])
    if jog_h is not None:  # horizontal middle leg at y = t
        cands = tracks.by_layer[jog_h][int(j[0])]
        for t in cands[np.argsort(np.abs(cands - mid_y), kind="stable")][:ACCESS_TRACKS]:
            paths.append([p, (p[0], int(t)), (q[0], int(t)), q])
    return paths


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
                # a layer of the other direction between the two (the stack alternates), else
                # the nearest one: the via stack at the jog passes all levels between anyway
                jog = min((i for i, la in enumerate(sg.layers) if la.horizontal != h),
                          key=lambda i: (not lo < sg.layers[i].level < hi,
                                         abs(2 * sg.layers[i].level - lo - hi),
                                         sg.layers[i].level))
                out.append((not h, p, f, f))
                layers.append(jog)
            out.append((h, f, p, q))
            layers.append(li)
    return out, layers


def count_shorts(wires: Sequence[Wire], vias: Sequence[tuple[int, int, int, int]] = ()) -> int:
    """Shorts: pairs of overlapping wires of different nets on one track (same level and line),
    plus vias standing on another net's wire (the via's point on the line of either of its two
    levels, within the wire)."""
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
    # a via at a point is counted once, whatever number of other-net wires it stands on
    def on_other_wire(net: int, key: tuple[int, bool, int], at: int) -> bool:
        return any(a <= at <= b and n != net for a, b, n in by_line.get(key, ()))

    shorts += sum(1 for net, lev, x, y in vias
                  if any(on_other_wire(net, (level, True, y), x)
                         or on_other_wire(net, (level, False, x), y)
                         for level in (lev, lev + 1)))
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
