"""Dual-sided RC trees from routed wiring (pure: plain data in, plain data out).

For each net, the wiring of both wafer sides becomes one RC network:

- nodes sit at wire end points, via locations and wherever a wire end or a via touches the
  inside of another wire on the same layer (T junctions are split there);
- a wire piece of length L (um) on layer `l` is one resistor R = r_per_um(l) x L and a
  capacitance C = c_per_um(l) x L split half to each end node (the pi model of a uniform line);
- a via is one resistor of its per-cut resistance (no capacitance: a via cut adds well under
  0.01 fF, below the accuracy of the line model);
- every wiring node lying on a pin shape of the net (on that pin's layer) is that pin: the
  pin is one node. The dual-sided output pin of an FFET cell has shapes on M0 and BM0, so the
  front and back sub-trees share the driver node, which is what DESIGN.md section 2 asks;
- pin capacitances are NOT added: OpenSTA adds the Liberty pin capacitance itself
  (SPEF `*DESIGN_FLOW "PIN_CAP NONE"`), so adding them here would count them twice.

Coupling capacitance: `c_per_um` of layers.json is the total of the ground part and the
coupling to both same-level neighbours at minimum spacing (Wong/PTM model, tech/rc.py). It is
folded into ground capacitance here (worst case: both neighbours present, quiet), written
as one *CAP entry per node; the SPEF header says so.

Repairs, counted and reported, never silent: a pin no wiring node touches (or a piece of
wiring not connected to the driver) is joined to the nearest node of the driver's component on
the same side by an estimated Manhattan wire on that side's lowest routing layer (level 1).
Lengths are integer dbu on input and converted to um with `dbu`; R in Ohm, C in fF.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ffet_flow.extract.netdata import (  # noqa: F401  (re-exported)
    LayerRC,
    NetPin,
    NetRoute,
    RcNet,
    RcTech,
    Shape,
    ViaAt,
    ViaRC,
    Wire,
    rc_tech_from,
)


class _Uf:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, a: int) -> int:
        p = self.parent
        while p[a] != a:
            p[a] = p[p[a]]
            a = p[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _split_index(wires: Sequence[Wire], vias: Sequence[ViaAt], tech: RcTech
                 ) -> tuple[dict[tuple[str, int], list[int]], dict[tuple[str, int], list[int]]]:
    """Every point (x, y) a wire piece must end at, indexed for the two wire directions:
    by (layer, y) -> sorted xs (for horizontal wires) and (layer, x) -> sorted ys."""
    pts: set[tuple[str, int, int]] = set()
    for w in wires:
        pts.add((w.layer, w.x0, w.y0))
        pts.add((w.layer, w.x1, w.y1))
    for v in vias:
        via = tech.vias[v.via]
        pts.add((via.lower, v.x, v.y))
        pts.add((via.upper, v.x, v.y))
    by_y: dict[tuple[str, int], list[int]] = {}
    by_x: dict[tuple[str, int], list[int]] = {}
    for layer, x, y in pts:
        by_y.setdefault((layer, y), []).append(x)
        by_x.setdefault((layer, x), []).append(y)
    for lst in by_y.values():
        lst.sort()
    for lst in by_x.values():
        lst.sort()
    return by_y, by_x


def _inside(sorted_vals: list[int], lo: int, hi: int) -> list[int]:
    """Values strictly between lo and hi of a sorted list."""
    return sorted_vals[bisect_right(sorted_vals, lo):bisect_left(sorted_vals, hi)]


def build_rc_net(route: NetRoute, tech: RcTech) -> RcNet:
    """Build the RC network of one net (see module docstring)."""
    um = 1.0 / tech.dbu
    node_of: dict[tuple[str, int, int], int] = {}
    node_xy: list[tuple[str, int, int]] = []
    uf = _Uf()
    caps: list[float] = []
    res: list[tuple[int, int, float]] = []

    def node(layer: str, x: int, y: int) -> int:
        key = (layer, x, y)
        n = node_of.get(key)
        if n is None:
            n = node_of[key] = len(node_xy)
            node_xy.append(key)
            caps.append(0.0)
            uf.add()
        return n

    by_y, by_x = _split_index(route.wires, route.vias, tech)
    pieces: set[tuple[int, int]] = set()  # node pairs already joined
    for w in route.wires:
        lrc = tech.layers[w.layer]
        c_um = lrc.c_per_um if w.c_per_um is None else w.c_per_um
        x0, x1 = (w.x0, w.x1) if w.x0 <= w.x1 else (w.x1, w.x0)
        y0, y1 = (w.y0, w.y1) if w.y0 <= w.y1 else (w.y1, w.y0)
        if y0 == y1:  # horizontal: stops at every point strictly inside on this line
            stops = [(x0, y0)] + [(x, y0) for x in _inside(by_y[(w.layer, y0)], x0, x1)] \
                + [(x1, y0)]
        elif x0 == x1:
            stops = [(x0, y0)] + [(x0, y) for y in _inside(by_x[(w.layer, x0)], y0, y1)] \
                + [(x0, y1)]
        else:  # not Manhattan: one piece of Manhattan length
            stops = [(w.x0, w.y0), (w.x1, w.y1)]
        for (ax, ay), (bx, by) in zip(stops[:-1], stops[1:], strict=True):
            length = (abs(bx - ax) + abs(by - ay)) * um
            a, b = node(w.layer, ax, ay), node(w.layer, bx, by)
            if a == b or (min(a, b), max(a, b)) in pieces:
                continue  # overlapping wires of one net on one layer are one piece of metal
            pieces.add((min(a, b), max(a, b)))
            half = 0.5 * c_um * length
            caps[a] += half
            caps[b] += half
            res.append((a, b, lrc.r_per_um * length))
            uf.union(a, b)
    for v in route.vias:
        via = tech.vias[v.via]
        a, b = node(via.lower, v.x, v.y), node(via.upper, v.x, v.y)
        if (min(a, b), max(a, b)) in pieces:
            continue  # the same via written twice
        pieces.add((min(a, b), max(a, b)))
        res.append((a, b, via.resistance))
        uf.union(a, b)

    n_nodes = len(node_xy)
    # nodes per layer sorted by x, for the pin-shape lookup
    per_layer: dict[str, list[tuple[int, int, int]]] = {}
    for k, (layer, x, y) in enumerate(node_xy):
        per_layer.setdefault(layer, []).append((x, y, k))
    for lst in per_layer.values():
        lst.sort()

    # Pins: nodes on a pin shape are that pin. alias[node] = pin index
    alias: dict[int, int] = {}
    pin_node = {}  # pin index -> a representative wiring node (or None)
    for i, pin in enumerate(route.pins):
        hits: list[int] = []
        for sh in pin.shapes:
            lst = per_layer.get(sh.layer)
            if not lst:
                continue
            j = bisect_left(lst, (sh.x0, -(1 << 62), -1))
            while j < len(lst) and lst[j][0] <= sh.x1:
                x, y, k = lst[j]
                if sh.y0 <= y <= sh.y1 and k not in alias:
                    hits.append(k)
                j += 1
        for k in hits:
            alias[k] = i
        for a, b in zip(hits[:-1], hits[1:], strict=True):
            uf.union(a, b)
        pin_node[i] = hits[0] if hits else None

    xy = np.zeros((0, 2), dtype=np.int64)
    side = np.zeros(0, dtype=object)
    roots = {uf.find(k) for k in range(n_nodes)}
    if len(roots) > 1 or any(v is None for v in pin_node.values()):  # repairs needed
        xy = np.array([(x, y) for _, x, y in node_xy], dtype=np.int64).reshape(-1, 2)
        side = np.array([tech.layers[k[0]].side for k in node_xy], dtype=object)
    drivers = [i for i, p in enumerate(route.pins) if p.drives]
    root_pin = drivers[0] if drivers else (0 if route.pins else None)
    estimated = 0
    extra_caps: dict[object, float] = {}
    extra_res: list[tuple[object, object, float]] = []
    side_caps: dict[str, float] = {}

    def pin_side_center(pin: NetPin, want: str | None) -> tuple[str, int, int] | None:
        for s in pin.shapes:
            if s.layer in tech.layers and (want is None or tech.layers[s.layer].side == want):
                cx, cy = s.center()
                return tech.layers[s.layer].side, cx, cy
        return None

    def estimate(a: object, b: object, side_name: str, dist_dbu: int) -> None:
        nonlocal estimated
        estimated += 1
        lrc = tech.estimate_layer(side_name)
        length = dist_dbu * um
        half = 0.5 * lrc.c_per_um * length
        extra_caps[a] = extra_caps.get(a, 0.0) + half
        extra_caps[b] = extra_caps.get(b, 0.0) + half
        side_caps[side_name] = side_caps.get(side_name, 0.0) + 2 * half
        # a zero-length join still needs an edge so the tree stays connected
        extra_res.append((a, b, max(lrc.r_per_um * length, 1e-3)))

    if root_pin is not None and n_nodes:
        # join every piece of wiring not connected to the root pin, in node order
        root_nodes = [k for k, i in alias.items() if i == root_pin]
        in_root = np.zeros(n_nodes, dtype=bool)
        if root_nodes:
            rc0 = uf.find(root_nodes[0])
            in_root = np.array([uf.find(k) == rc0 for k in range(n_nodes)])
        comps: dict[int, list[int]] = {}
        for k in range(n_nodes):
            comps.setdefault(uf.find(k), []).append(k)
        for members_list in sorted(comps.values(), key=min):
            members = np.array(members_list, dtype=np.int64)
            if in_root[members[0]]:
                continue
            s = side[members[0]]
            connected = np.nonzero(in_root & (side == s))[0]
            if connected.size:
                d = np.abs(xy[members][:, None, :] - xy[connected][None, :, :]).sum(axis=2)
                ia, ib = np.unravel_index(int(np.argmin(d)), d.shape)
                estimate(int(members[ia]), int(connected[ib]), s, int(d[ia, ib]))
            else:  # the root has no wiring on this side yet: join to the root pin itself
                at = pin_side_center(route.pins[root_pin], s) or pin_side_center(
                    route.pins[root_pin], None)
                d = (np.abs(xy[members] - np.array(at[1:])).sum(axis=1) if at
                     else np.zeros(len(members), dtype=np.int64))
                ia = int(np.argmin(d))
                estimate(int(members[ia]), ("pin", root_pin), s, int(d[ia]))
            in_root[members] = True
    # pins no wiring touches: nearest node on their side, else straight to the root pin
    for i, pin in enumerate(route.pins):
        if i == root_pin or pin_node.get(i) is not None:
            continue
        at = pin_side_center(pin, None)
        s = at[0] if at else "front"
        cands = np.nonzero(side == s)[0] if n_nodes else np.zeros(0, dtype=np.int64)
        if at is not None and cands.size:
            d = np.abs(xy[cands] - np.array(at[1:])).sum(axis=1)
            j = int(np.argmin(d))
            estimate(("pin", i), _label(int(cands[j]), alias), s, int(d[j]))
        elif root_pin is not None:
            rat = pin_side_center(route.pins[root_pin], s) or pin_side_center(
                route.pins[root_pin], None)
            dist = abs(at[1] - rat[1]) + abs(at[2] - rat[2]) if at and rat else 0
            estimate(("pin", i), ("pin", root_pin), s, dist)

    out = RcNet(name=route.name, pins=route.pins, estimated=estimated)
    # renumber internal nodes densely in first-seen order (deterministic)
    new_id: dict[int, int] = {}
    for k in range(n_nodes):
        if k not in alias:
            new_id[k] = len(new_id)

    def lab(k: int) -> object:
        return ("pin", alias[k]) if k in alias else new_id[k]

    for k in range(n_nodes):
        c = caps[k]
        if c:
            key = lab(k)
            out.caps[key] = out.caps.get(key, 0.0) + c
            sk = tech.layers[node_xy[k][0]].side
            side_caps[sk] = side_caps.get(sk, 0.0) + c
    for key, c in extra_caps.items():
        key = lab(key) if isinstance(key, int) else key
        out.caps[key] = out.caps.get(key, 0.0) + c
    for a, b, r in res:
        la_, lb_ = lab(a), lab(b)
        if la_ != lb_:
            out.resistors.append((la_, lb_, r))
    for a, b, r in extra_res:
        la_ = lab(a) if isinstance(a, int) else a
        lb_ = lab(b) if isinstance(b, int) else b
        if la_ != lb_:
            out.resistors.append((la_, lb_, r))
    out.cap_by_side = {str(k): v for k, v in sorted(side_caps.items())}
    return out


def _label(k: int, alias: Mapping[int, int]) -> object:
    """Pre-renumbering label of a wiring node (pin nodes become ("pin", i))."""
    return ("pin", alias[k]) if k in alias else k


def build_rc_nets(routes: Iterable[NetRoute], tech: RcTech) -> list[RcNet]:
    return [build_rc_net(r, tech) for r in routes]
