"""Pin access for the detailed router: where each pin of a net can be reached on the track
graph of its side, and which shapes block the graph.

A pin shape on the side's level 0 (M0 / BM0 / metal1) is reached by a via from a level-1
node: an access point is a crossing of a level-1 track and a level-1 stop where the via's
level-0 pad lies inside the pin shape (else, for pins narrower than the pad, where the cut's
centre is on the pin and the pad keeps the spacing from the cell's other level-0 shapes and
half a spacing from its outline). A pin shape on a routing level (a cell pin lifted inside the
cell, an I/O pin) is reached at the graph nodes on it. Access points depend on a cell master,
its orientation and its offset to the track grid only, so they are computed once per such key
and reused for every instance (`AccessCache`).

Blockages (`mark_obstacles`): every cell OBS shape and special-net shape on a routing level
blocks the nodes around it; every pin shape on a routing level keeps its surroundings for its
own net. All coordinates are dbu.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import gcd

import numpy as np

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.def_ import Design, orient_rect
from ffet_flow.io.lef import Library, Macro, layer_side
from ffet_flow.route.nets import POWER_USES, cell_pin
from ffet_flow.route.rules import SideRules
from ffet_flow.route.trackgraph import BLOCKED, TrackGraph

Rect = tuple[int, int, int, int]


@dataclass(frozen=True)
class Terminal:
    """One pin of a net on one side: the graph nodes it can be reached at and, per node, the
    via down to its level-0 shape ('' when the node lies on the pin's own routing-level shape).
    """

    name: str  # "inst/pin" or "PIN/name"
    nodes: np.ndarray
    vias: tuple[str, ...]


def placed_rect(r: Rect, macro: Macro, orient: str, x: int, y: int) -> Rect:
    """A macro-local rect in die coordinates for a cell placed at (x, y) with `orient` (DEF:
    orient about the origin, then move the bounding box's lower left to (x, y))."""
    q = orient_rect(r, orient)
    b = orient_rect((0, 0, macro.width, macro.height), orient)
    return q[0] - b[0] + x, q[1] - b[1] + y, q[2] - b[0] + x, q[3] - b[1] + y


def _inside(inner: Rect, outer: Rect) -> bool:
    return (outer[0] <= inner[0] and inner[2] <= outer[2] and outer[1] <= inner[1]
            and inner[3] <= outer[3])


def _shift(r: Rect, x: int, y: int) -> Rect:
    return r[0] + x, r[1] + y, r[2] + x, r[3] + y


def _gap(a: Rect, b: Rect) -> float:
    dx = max(a[0] - b[2], b[0] - a[2], 0)
    dy = max(a[1] - b[3], b[1] - a[3], 0)
    return float(np.hypot(dx, dy))


def _period(values: np.ndarray) -> int:
    """Step of a set of evenly spaced coordinates (gcd of the gaps; 1 if fewer than two)."""
    if len(values) < 2:
        return 1
    g = 0
    for d in np.unique(np.diff(values))[:16].tolist():
        g = gcd(g, int(d))
    return max(g, 1)


class AccessCache:
    """Access points of level-0 pins per (macro, orientation, grid offset)."""

    def __init__(self, graph: TrackGraph, rules: SideRules, lib: Library):
        self.graph, self.rules, self.lib = graph, rules, lib
        k1 = graph.layer_of_level(1)
        if k1 is None:
            raise ValueError("the graph has no level-1 layer")
        self.k1 = k1
        self.t1, self.s1 = graph.tracks[k1], graph.stops[k1]
        self.pt, self.ps = _period(self.t1), _period(self.s1)
        self.h1 = bool(graph.horizontal[k1])
        m1 = rules.metals[1]
        self.vias = [v for v in rules.vias.get(0, ())
                     if rules.pad_half(1, v, upper=True)[1] * 2 <= m1.width]
        self.level0 = rules.metals[0].name
        self.memo: dict[tuple, list[tuple[str, int, int, str]]] = {}

    def _local(self, macro: Macro, orient: str, ox: int, oy: int) -> list[tuple[str, int, int, str]]:
        """(pin, x, y, via) access points of `macro` placed at (ox, oy) with `orient`
        (absolute coordinates for this placement)."""
        out: list[tuple[str, int, int, str]] = []
        own0 = [(p.name, placed_rect(r, macro, orient, ox, oy)) for p in macro.pins.values()
                for la, r in p.shapes if la == self.level0]
        own0 += [("", placed_rect(r, macro, orient, ox, oy)) for la, r in macro.obstructions
                  if la == self.level0]
        outline = placed_rect((0, 0, macro.width, macro.height), macro, orient, ox, oy)
        spacing = self.rules.metals[0].spacing
        margin = (spacing + 1) // 2
        inner = (outline[0] + margin, outline[1] + margin, outline[2] - margin,
                 outline[3] - margin)
        xs_all, ys_all = (self.s1, self.t1) if self.h1 else (self.t1, self.s1)
        for pin in sorted(macro.pins.values(), key=lambda p: p.name):
            if pin.use.upper() in POWER_USES:
                continue
            rects = [r for n, r in own0 if n == pin.name]
            strict, loose = [], []
            for r in rects:
                xs = xs_all[(xs_all >= r[0]) & (xs_all <= r[2])]
                ys = ys_all[(ys_all >= r[1]) & (ys_all <= r[3])]
                for x in xs.tolist():
                    for y in ys.tolist():
                        for v in self.vias:
                            pad = _shift(v.lower, x, y)
                            if any(_inside(pad, q) for q in rects):
                                strict.append((pin.name, x, y, v.name))
                                break
                            cut = _shift(v.cut, x, y)
                            if (_inside(pad, inner) and _inside((x, y, x, y), r)
                                    and all(_gap(pad, q) >= spacing for n, q in own0
                                            if n != pin.name)
                                    and cut[0] < r[2] and r[0] < cut[2]):
                                loose.append((pin.name, x, y, v.name))
            out += sorted(set(strict)) if strict else sorted(set(loose))
        return out

    def points(self, macro: Macro, orient: str, x: int, y: int) -> list[tuple[str, int, int, str]]:
        ax, ay = (self.s1[0], self.t1[0]) if self.h1 else (self.t1[0], self.s1[0])
        px, py = (self.ps, self.pt) if self.h1 else (self.pt, self.ps)
        dx, dy = (x - int(ax)) % px, (y - int(ay)) % py
        key = (macro.name, orient, dx, dy)
        if key not in self.memo:
            # computed at a reference placement with the same offsets, stored relative to it
            rx, ry = int(ax) + dx + 4 * px, int(ay) + dy + 4 * py
            self.memo[key] = [(p, px_ - rx, py_ - ry, v)
                              for p, px_, py_, v in self._local(macro, orient, rx, ry)]
        return [(p, x + ex, y + ey, v) for p, ex, ey, v in self.memo[key]]

    def nodes(self, pts: Sequence[tuple[str, int, int, str]]) -> tuple[np.ndarray, list[str]]:
        """Graph nodes (level 1) of access points; points off the graph are dropped."""
        if not pts:
            return np.zeros(0, dtype=np.int64), []
        xs = np.array([p[1] for p in pts], dtype=np.int64)
        ys = np.array([p[2] for p in pts], dtype=np.int64)
        along, across = (xs, ys) if self.h1 else (ys, xs)
        i = np.searchsorted(self.t1, across)
        j = np.searchsorted(self.s1, along)
        ok = (i < len(self.t1)) & (j < len(self.s1))
        ok[ok] &= (self.t1[i[ok]] == across[ok]) & (self.s1[j[ok]] == along[ok])
        g = self.graph
        nodes = g.base[self.k1] + i * g.nst[self.k1] + j
        return nodes[ok].astype(np.int64), [p[3] for p, good in zip(pts, ok, strict=True) if good]


def _level_layers(graph: TrackGraph, rules: SideRules) -> dict[str, int]:
    """Metal layer name -> graph layer index, for the routing levels."""
    return {rules.metals[lv].name: k for k, lv in enumerate(graph.levels)}


def _spacings(graph: TrackGraph, rules: SideRules, k: int) -> tuple[int, int]:
    m = rules.metals[graph.levels[k]]
    return m.spacing, max(m.spacing, m.eol_spacing)


def side_terminals(design: Design, lib: Library, graph: TrackGraph, rules: SideRules,
                   net_ids: Mapping[str, int], source: str = "DEF", min_terminals: int = 2
                   ) -> dict[str, list[Terminal]]:
    """Every signal net's terminals on this side (nets with at least `min_terminals`), and
    the graph's blockages marked: OBS and special nets block, pin shapes on routing levels are
    kept for their nets. `net_ids` numbers the nets (the owner value of their nodes)."""
    side = rules.side
    layer_k = _level_layers(graph, rules)
    comps = design.components
    index = {n: i for i, n in enumerate(comps.names)}
    cache = AccessCache(graph, rules, lib) if graph.layer_of_level(1) is not None else None
    issues: list[Issue] = []
    # blockages: special nets (rails, stripes) and every instance's OBS on routing levels
    for net in design.specialnets:
        for p in net.paths:
            k = layer_k.get(p.layer)
            if k is None or p.width is None:
                continue
            pts = [it for it in p.items if isinstance(it, tuple) and not isinstance(it[0], str)]
            for a, b in zip(pts[:-1], pts[1:], strict=True):
                h = p.width // 2
                r = (min(a[0], b[0]) - h, min(a[1], b[1]) - h, max(a[0], b[0]) + h,
                     max(a[1], b[1]) + h)
                graph.mark(k, r, BLOCKED, *_spacings(graph, rules, k))
    for i, mname in enumerate(comps.macros):
        macro = lib.macros.get(mname)
        if macro is None:
            continue
        for la, r in macro.obstructions:
            k = layer_k.get(la)
            if k is not None:
                graph.mark(k, placed_rect(r, macro, comps.orients[i], int(comps.x[i]),
                                          int(comps.y[i])), BLOCKED, *_spacings(graph, rules, k))
    io = {p.name: p for p in design.pins}
    out: dict[str, list[Terminal]] = {}
    for net in design.nets:
        if net.use.upper() in POWER_USES or net.name not in net_ids:
            continue
        nid = net_ids[net.name]
        terms: list[Terminal] = []
        for comp, pin in net.conns:
            if comp == "PIN":
                p = io.get(pin)
                if p is None:
                    issues.append(Issue(source, f"net {net.name}", pin, "I/O pin not in PINS"))
                    continue
                shapes = [(la, r) for la, r in p.abs_shapes() if layer_side(la) == side]
                t = _shape_terminal(f"PIN/{pin}", shapes, graph, rules, layer_k, nid, None, ())
                if t is not None:
                    terms.append(t)
                continue
            found = cell_pin(design, index, lib, net.name, comp, pin, side, source, issues)
            if found is None:
                continue
            ci, macro, mpin = found
            o, x, y = comps.orients[ci], int(comps.x[ci]), int(comps.y[ci])
            shapes = [(la, placed_rect(r, macro, o, x, y)) for la, r in mpin.shapes
                      if layer_side(la) == side]
            if not shapes:
                continue
            unknown = [la for la, _ in shapes if la not in layer_k and la != rules.metals[0].name]
            if unknown:
                issues.append(Issue(source, f"cell {macro.name} pin {pin}", unknown[0],
                                    f"no {side}-side routing layer of that name"))
                continue
            pts = cache.points(macro, o, x, y) if cache is not None else []
            pts = [p for p in pts if p[0] == pin]
            t = _shape_terminal(f"{comp}/{pin}", shapes, graph, rules, layer_k, nid, cache, pts)
            if t is not None:
                terms.append(t)
        if len(terms) >= min_terminals:
            out[net.name] = terms
    if issues:
        raise ConfigError(list(dict.fromkeys(issues)))
    graph.finish_marks()
    return out


def _shape_terminal(name: str, shapes, graph: TrackGraph, rules: SideRules,
                    layer_k: Mapping[str, int], nid: int, cache: AccessCache | None,
                    pts) -> Terminal | None:
    """The terminal of one pin: nodes on its routing-level shapes (which it keeps for its net)
    and the access points of its level-0 shapes."""
    nodes: list[np.ndarray] = []
    vias: list[str] = []
    for la, r in shapes:
        k = layer_k.get(la)
        if k is None:
            continue
        graph.mark(k, r, nid, *_spacings(graph, rules, k))
        on = graph.nodes_in(k, r)
        nodes.append(on)
        vias += [""] * len(on)
    if cache is not None and pts:
        n1, v1 = cache.nodes(pts)
        nodes.append(n1)
        vias += v1
    if not nodes:
        return None
    all_nodes = np.concatenate(nodes) if nodes else np.zeros(0, dtype=np.int64)
    return Terminal(name, all_nodes.astype(np.int64), tuple(vias))
