"""Detailed routing of one wafer side on its track graph, with negotiated congestion.

Every net is grown as a tree by repeated A* searches on the graph (ffet_flow.route.maze): from
the access points of its first pin to the nearest access point of a pin not yet reached, then
from the whole tree to the next, inside a search box around the net's pins (widened when no
path fits). While a net is routed its own claims are removed; the others' claims on a node cost
it `occ_cost` each, so a node it takes with claims on it is a spacing conflict. After every
pass the nets that still conflict are ripped up and rerouted, with a history cost growing at the
nodes they fought over and a rising conflict cost (PathFinder's negotiated congestion), until no
net conflicts or the iteration limit is reached; what remains is reported per net. A reroute
rips up only the net's wiring in the area of the conflicts and joins what is left again (the
whole net when nothing is left), so that later passes cost little more than the conflicts. When
the passes stall with many conflicts left, they turn local: the rip area shrinks to the
conflicts themselves, and a net also rips what nets rerouted before it in the pass ran into.

Lengths and costs in dbu.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ffet_flow.route import maze
from ffet_flow.route.access import Terminal
from ffet_flow.route.pinassign import assign_access, stacked_above
from ffet_flow.route.trackgraph import BLOCKED, FREE, TrackGraph


@dataclass(frozen=True)
class DetailOptions:
    max_iterations: int = 40
    via_cost: float = 0.0  # dbu; 0 = via_pitches pitches of the level-2 layer
    via_pitches: float = 10.0
    occ_cost: float = 0.0  # dbu per claim; 0 = 8 level-2 pitches, then grows per iteration
    occ_growth: float = 1.5
    hist_cost: float = 0.0  # dbu per unit of history; 0 = 4 level-2 pitches
    pin_cost: float = 0.0  # dbu to enter the claim window of another net's pin; 0 = 8 pitches
    weight: float = 1.5  # A* heuristic weight of the first pass (reroutes are exact)
    box_margin: int = 0  # dbu around a net's pins for its search box; 0 = 8 level-2 pitches
    level1_cost: float = 8.0  # cost per dbu of wire on level 1 (over the pins), others 1
    off_guide_cost: float = 1.0  # extra cost factor off the global route's layers
    guide_iterations: int = 2  # passes confined to the 2D guide; later ones only prefer it
    marker_share: float = 0.5  # share of a conflict's history put on the nodes around it
    rip_tracks: int = 2  # nets this many tracks ...
    rip_stops: int = 4  # ... and stops from a conflict are rerouted with the conflicting ones
    # (that area also gets marker_share of the conflict's history)
    local_above: int = 1000  # once a pass removes less than `stall` of the conflicts while
    stall: float = 0.05  # more than this many nodes conflict, the passes repair locally:
    # rip_local (tracks, stops) around each conflict, and a reroute also rips the area of its
    # kept wiring that nets rerouted earlier in the pass ran into (docs/routing.md: on riscv32
    # CFET, after the wide passes stall at about 3,300 conflict nodes, this gets to 1,625 by
    # pass 30; from the first pass on it stalls at about 6,000, and on small runs it keeps two
    # nets trading a conflict that the wide area clears)
    rip_local: tuple[int, int] = (0, 1)
    max_expand: int = 2_000_000
    partial: bool = True  # reroutes rip up only the area of the conflicts (False: whole
    # nets, as before; kept to compare the two)


@dataclass
class NetWiring:
    """One routed net: its paths (node sequences, each leading from a pin back to the tree),
    and per reached terminal the node it was reached at."""

    paths: list[np.ndarray] = field(default_factory=list)
    term_nodes: dict[int, int] = field(default_factory=dict)  # terminal index -> node
    nodes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    unreached: list[int] = field(default_factory=list)  # terminals no path reached
    expansions: int = 0  # search effort of its last routing


@dataclass
class DetailResult:
    wiring: dict[str, NetWiring]
    conflicts: dict[str, int]  # net -> nodes other nets claim (after the last iteration)
    conflict_nodes: np.ndarray
    iterations: int
    history: list[int]  # conflicting nets after each iteration
    seconds: float
    expansions: int


class _Search:
    """The graph's arrays and the per-search scratch arrays, bound once."""

    def __init__(self, g: TrackGraph):
        n = g.n_nodes
        self.g = g
        self.dist = np.zeros(n, dtype=np.float64)
        self.prev = np.full(n, -1, dtype=np.int64)
        self.seen = np.zeros(n, dtype=np.int32)
        self.tmark = np.zeros(n, dtype=np.int32)
        self.tpin = np.zeros(n, dtype=np.int32)
        self.occ = np.zeros(n, dtype=np.int32)
        self.hist = np.zeros(n, dtype=np.float32)
        self.pinmark = np.full(n, -1, dtype=np.int32)
        self.stamp = 0
        self.trace_buf = np.zeros(1 << 16, dtype=np.int64)
        self.nl = len(g.levels)
        self.gny = 1
        self.n_gcells = 0
        self.unit = 1.0
        self.weight = 1.0
        self.no_guide = np.zeros(0, dtype=np.uint8)
        self.searches = [0] * 8  # A* searches per box tried (see _grow)

    def node_cost(self, nodes: np.ndarray, net: int, o: DetailOptions,
                  occ_cost: float) -> np.ndarray:
        """What entering each node costs besides its length (claims, history, pins)."""
        pm = self.pinmark[nodes]
        return (occ_cost * self.occ[nodes] + o.hist_cost * self.hist[nodes]
                + np.where((pm != -1) & (pm != net), o.pin_cost, 0.0)).astype(np.float64)

    def run(self, net: int, sources: np.ndarray, source_cost: np.ndarray, targets: np.ndarray,
            target_pin: np.ndarray, box: np.ndarray, guide: np.ndarray, soft: np.ndarray,
            o: DetailOptions, occ_cost: float, layer_cost: np.ndarray):
        g = self.g
        self.stamp += 1
        return maze.search(g.base, g.nst, g.soff, g.toff, g.stops_flat, g.tracks_flat,
                           g.horizontal, g.up_tr, g.up_st, g.dn_tr, g.dn_st, g.owner, self.occ,
                           self.hist, self.pinmark, net, sources, source_cost, targets,
                           target_pin, box, guide, self.gny, soft, len(g.levels),
                           o.off_guide_cost, g.tr_gc, g.st_gc,
                           self.dist, self.prev, self.seen, self.tmark, self.tpin, self.stamp,
                           o.via_cost, occ_cost, o.hist_cost, o.pin_cost, layer_cost,
                           self.weight, o.max_expand, self.unit)

    def trace(self, end: int) -> np.ndarray:
        c = maze.trace(end, self.prev, self.trace_buf)
        return self.trace_buf[:c].copy()

    def claim(self, nodes: np.ndarray, sign: int) -> None:
        g = self.g
        maze.claim(nodes, sign, self.occ, g.base, g.nst, g.soff, g.win_lo, g.win_hi, self.nl)


def _pitch2(g: TrackGraph) -> int:
    """The level-2 track pitch (dbu): the unit of the cost defaults."""
    k2 = g.layer_of_level(2)
    return int(np.median(np.diff(g.tracks[k2]))) if k2 is not None and len(g.tracks[k2]) > 1 \
        else 100


def _defaults(g: TrackGraph, o: DetailOptions) -> DetailOptions:
    pitch = _pitch2(g)
    from dataclasses import replace

    return replace(o, via_cost=o.via_cost or o.via_pitches * pitch, occ_cost=o.occ_cost or 8.0 * pitch,
                   hist_cost=o.hist_cost or 4.0 * pitch, pin_cost=o.pin_cost or 8.0 * pitch,
                   box_margin=o.box_margin or 8 * pitch)


def _usable(g: TrackGraph, t: Terminal, net: int) -> Terminal:
    """The terminal without the nodes its net may not use (blocked, or kept for another net)."""
    own = g.owner[t.nodes]
    ok = (own == FREE) | (own == net)
    if ok.all():
        return t
    return Terminal(t.name, t.nodes[ok], tuple(v for v, good in zip(t.vias, ok, strict=True)
                                               if good))


def detail_route(g: TrackGraph, terminals: Mapping[str, Sequence[Terminal]],
                 net_ids: Mapping[str, int], options: DetailOptions = DetailOptions(),
                 progress: Callable[[str], None] | None = None,
                 guides: Mapping[str, np.ndarray] | None = None,
                 gcells: tuple[int, int] = (0, 0)) -> DetailResult:
    """Route every net of `terminals` on `g` (whose owner array already holds the blockages);
    `net_ids` gives each net's owner value. `guides` (net -> (k, 3) gcell column, row and metal
    level of its global route, on a grid of gcells = (nx, ny) that g.gcell_maps was given)
    confine each net's search to those gcells and their neighbours on those layers first,
    then to its gcells on every layer, then to ever larger boxes."""
    t0 = time.perf_counter()
    o = _defaults(g, options)
    s = _Search(g)
    nx_g, ny_g = gcells
    s.gny = max(ny_g, 1)
    s.n_gcells = nx_g * ny_g
    s.unit = float(_pitch2(g))
    nl = len(g.levels)
    k_of_level = np.full(max(g.levels) + 2, -1, dtype=np.int64)
    k_of_level[np.array(g.levels)] = np.arange(nl)

    def guide_masks(n: str) -> tuple[np.ndarray, np.ndarray]:
        """(the 3D guide, the 2D guide) of net n, each dilated by one gcell."""
        cells = None if guides is None else guides.get(n)
        if cells is None or not len(cells) or nx_g == 0:
            return s.no_guide, s.no_guide
        ks = k_of_level[np.clip(cells[:, 2], 0, len(k_of_level) - 1)]
        cells = cells[ks >= 0]
        ks = ks[ks >= 0]
        m3 = np.zeros((nx_g, ny_g, nl), dtype=np.uint8)
        m2 = np.zeros((nx_g, ny_g), dtype=np.uint8)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                cx = np.clip(cells[:, 0] + dx, 0, nx_g - 1)
                cy = np.clip(cells[:, 1] + dy, 0, ny_g - 1)
                m3[cx, cy, ks] = 1
                m2[cx, cy] = 1
        return m3.ravel(), m2.ravel()
    names = sorted(terminals)
    terms = {n: [_usable(g, t, net_ids[n]) for t in terminals[n]] for n in names}
    # one access point per pin, chosen for the whole side at once; the claim window around it
    # is kept for its net (other nets pay pin_cost to enter it)
    chosen, left = assign_access(g, terms, net_ids)
    if progress is not None:
        progress(f"access points chosen for {len(chosen)} pins ({len(left)} in unavoidable "
                 "conflict)")
    items = sorted(chosen.items())
    nodes = np.array([nd for _key, nd in items], dtype=np.int64)
    owners = np.array([net_ids[n] for (n, _ti), _nd in items], dtype=np.int64)
    above = stacked_above(g, nodes)  # and the pad of the via straight up from it
    for nds, nets in ((nodes, owners), (above[above >= 0], owners[above >= 0])):
        ks, iis, jjs = g.decode(nds)
        for k, i, j, nid in zip(ks.tolist(), iis.tolist(), jjs.tolist(), nets.tolist(),
                                strict=True):
            row = int(g.base[k] + i * g.nst[k])
            lo, hi = int(g.win_lo[g.soff[k] + j]), int(g.win_hi[g.soff[k] + j])
            pm = s.pinmark[row + lo: row + hi + 1]
            pm[...] = np.where((pm == -1) | (pm == nid), nid, -3)
    xs, ys = {}, {}
    for n in names:
        allnodes = np.concatenate([t.nodes for t in terms[n]]) if terms[n] else np.zeros(0, int)
        x, y = g.xy(allnodes) if len(allnodes) else (np.zeros(1, int), np.zeros(1, int))
        xs[n], ys[n] = x, y
    # short nets first: they have the fewest ways around
    order = sorted(names, key=lambda n: (int(xs[n].max() - xs[n].min() + ys[n].max() - ys[n].min()),
                                         len(terms[n]), n))
    # level 1 runs over the pins: wires there block access points, so they cost more
    layer_cost = np.ones(len(g.levels), dtype=np.float64)
    if 1 in g.levels and len(g.levels) > 2:
        layer_cost[g.levels.index(1)] = o.level1_cost
    xlo, ylo, xhi, yhi = (int(g.stops_flat.min()), int(g.stops_flat.min()),
                          int(g.stops_flat.max()), int(g.stops_flat.max()))
    die_box = np.array([min(xlo, g.tracks_flat.min()), min(ylo, g.tracks_flat.min()),
                        max(xhi, g.tracks_flat.max()), max(yhi, g.tracks_flat.max())],
                       dtype=np.int64)
    wiring: dict[str, NetWiring] = {}
    expansions = 0
    occ_cost = o.occ_cost
    history: list[int] = []
    todo = order
    conflicts: dict[str, int] = {}
    conflict_nodes = np.zeros(0, dtype=np.int64)
    it = 0
    done = 0
    rip = np.zeros(g.n_nodes, dtype=bool)  # the area of the last pass's conflicts
    local = stalled = False  # this pass repairs locally (see DetailOptions.local_above)
    history_nodes: list[int] = []  # conflict nodes after each pass
    for it in range(max(1, o.max_iterations)):
        # the first pass is greedy (weighted A*: fast, within `weight` of the cheapest); the
        # reroutes are exact, so that no conflict is accepted to save a little search
        s.weight = o.weight if it == 0 else 1.0
        for n in todo:
            nid = net_ids[n]
            old = wiring.get(n)
            if old is not None and len(old.nodes):
                s.claim(old.nodes, -1)
            margin = o.box_margin
            box = np.array([xs[n].min() - margin, ys[n].min() - margin, xs[n].max() + margin,
                            ys[n].max() + margin], dtype=np.int64)
            soft, hard = guide_masks(n)
            if it >= o.guide_iterations:  # a net still in conflict may leave its 2D guide
                hard = s.no_guide
            if old is not None and o.partial and it > 0:
                # a local pass: what nets rerouted earlier in it ran into is ripped up too
                # (for this net only), or that conflict would stay until the next pass
                fresh = _fresh_area(g, old.nodes, s.occ, rip, o.rip_local) if local else \
                    np.zeros(0, dtype=np.int64)
                rip[fresh] = True
                w, exp = _reroute_net(s, nid, terms[n], old, rip, box, (soft, hard), die_box, o,
                                      occ_cost, layer_cost)
                rip[fresh] = False
            else:
                w, exp = _route_net(s, nid, terms[n], box, (soft, hard), die_box, o, occ_cost,
                                    layer_cost)
            expansions += exp
            wiring[n] = w
            if len(w.nodes):
                s.claim(w.nodes, 1)
        conflicts, conflict_nodes = _conflicts(s, wiring, names)
        history.append(len(conflicts))
        history_nodes.append(len(conflict_nodes))
        if progress is not None:
            per_layer = ""
            if len(conflict_nodes):
                kk = np.bincount(g.decode(conflict_nodes)[0], minlength=len(g.levels))
                per_layer = " [" + ", ".join(
                    f"{g.rules.metals[g.levels[k]].name} {int(c)}" for k, c in enumerate(kk)
                    if c) + "]"
            progress(f"iteration {it + 1}: {len(todo)} nets routed, {len(conflicts)} in conflict "
                     f"({len(conflict_nodes)} nodes{per_layer}), "
                     f"{time.perf_counter() - t0:.1f} s; {sum(s.searches)} searches "
                     f"({sum(s.searches[1:])} retried wider), "
                     f"{(expansions - done) / 1e6:.1f} M expansions")
            done = expansions
            s.searches = [0] * 8
        if not conflicts:
            break
        # history in units of today's conflict cost, so that it keeps pace with it, and a
        # share of it on the area around each conflict (like a DRC marker's cost): a net that
        # is not in conflict but holds the only way out of one then feels it too
        step = occ_cost / o.hist_cost
        if len(history) > 1 and history_nodes[-1] > (1.0 - o.stall) * history_nodes[-2]:
            stalled = True
        local = stalled and len(conflict_nodes) > o.local_above
        d_tracks, d_stops = o.rip_local if local else (o.rip_tracks, o.rip_stops)
        area = _around(g, conflict_nodes, d_tracks, d_stops)
        rip[:] = False
        rip[area] = True
        s.hist[area] += o.marker_share * step
        s.hist[conflict_nodes] += step
        occ_cost *= o.occ_growth
        # the nets in that area may hold the way out: they are rerouted with the conflicting
        again = set(conflicts) | _nets_at(g, wiring, names, area)
        todo = [n for n in order if n in again]
    unreached = [n for n in names if wiring[n].unreached]
    for n in unreached:
        conflicts.setdefault(n, 0)
    return DetailResult(wiring, conflicts, conflict_nodes, it + 1, history,
                        time.perf_counter() - t0, expansions)


def _route_net(s: _Search, nid: int, terms: Sequence[Terminal], box: np.ndarray,
               guides: tuple[np.ndarray, np.ndarray], die_box: np.ndarray, o: DetailOptions,
               occ_cost: float, layer_cost: np.ndarray) -> tuple[NetWiring, int]:
    """The whole net, from scratch: Prim's order from the pin nearest its centre."""
    w = NetWiring()
    live = [k for k, t in enumerate(terms) if len(t.nodes)]
    w.unreached = [k for k, t in enumerate(terms) if not len(t.nodes)]
    if len(live) < 2:
        w.unreached = [k for k in range(len(terms)) if k not in live[:1]] if len(terms) > 1 else []
        return w, 0
    pts = {k: s.g.xy(terms[k].nodes) for k in live}
    cx = np.median(np.concatenate([pts[k][0] for k in live]))
    cy = np.median(np.concatenate([pts[k][1] for k in live]))
    first = min(live, key=lambda k: (float(np.min(np.abs(pts[k][0] - cx) + np.abs(pts[k][1] - cy))), k))
    # the first pin's access points are chosen by the search too: each starts at its own cost
    sources = terms[first].nodes
    groups = [_Group(terms[k].nodes, k) for k in live if k != first]
    exp = _grow(s, nid, w, sources, s.node_cost(sources, nid, o, occ_cost), groups, first, box,
                guides, die_box, o, occ_cost, layer_cost)
    return w, exp


@dataclass
class _Group:
    """What a net's tree still has to reach: a pin (`term` >= 0, any of its access points) or a
    piece of the net's kept wiring (term = -1, any of its nodes; the pins it holds with it)."""

    nodes: np.ndarray  # where the tree may reach it
    term: int
    held: frozenset = frozenset()  # a piece of wiring: all its nodes (they join the tree)


def _grow(s: _Search, nid: int, w: NetWiring, sources: np.ndarray, source_cost: np.ndarray,
          groups: list[_Group], first: int, box: np.ndarray,
          guides: tuple[np.ndarray, np.ndarray], die_box: np.ndarray, o: DetailOptions,
          occ_cost: float, layer_cost: np.ndarray, local: np.ndarray | None = None) -> int:
    """Grow w's tree from `sources` until it reaches every group, always the one nearest the
    tree next (Prim's order), one A* search each: its heuristic then aims at a single group.
    `first` is the pin the sources stand for (-1: they are the net's kept wiring). Groups no
    path reaches are pins added to w.unreached, or, for kept wiring, the pins it held. Returns
    the search effort (expansions)."""
    expansions = 0
    tree: list[np.ndarray] = [] if first >= 0 else [sources]
    tx, ty = s.g.xy(sources)
    pts = [s.g.xy(gr.nodes) for gr in groups]
    remaining = set(range(len(groups)))
    wide = box + np.array([-1, -1, 1, 1], dtype=np.int64) * 4 * o.box_margin
    soft, hard = guides
    # inside the 2D guide (the global route's layers preferred), then in ever larger boxes;
    # a repair first tries the area around what it has to join
    tries = []
    for bx in ([local] if local is not None else []) + [box]:
        tries += ([(bx, hard)] if len(hard) else []) + [(bx, s.no_guide)]
    tries += [(wide, s.no_guide), (die_box, s.no_guide)]
    while remaining:
        nxt = min(remaining, key=lambda q: (_gap(pts[q], tx, ty), q))
        remaining.discard(nxt)
        gr = groups[nxt]
        tpin = np.full(len(gr.nodes), nxt, dtype=np.int32)
        reached = -1
        for q, (bx, gd) in enumerate(tries):
            reached, _pin, exp = s.run(nid, sources, source_cost, gr.nodes, tpin, bx, gd, soft, o,
                                       occ_cost, layer_cost)
            expansions += exp
            s.searches[q] += 1
            if reached >= 0:
                break
        if reached < 0:
            if gr.term >= 0:
                w.unreached.append(gr.term)
            else:  # (the caller then routes the whole net again)
                w.unreached += [t for t, nd in w.term_nodes.items() if nd in gr.held]
            continue
        path = s.trace(reached)
        if first >= 0 and first not in w.term_nodes:
            w.term_nodes[first] = int(path[-1])
        if gr.term >= 0:
            w.term_nodes[gr.term] = int(reached)
        tree.append(path)
        w.paths.append(path)
        if gr.term < 0:  # a piece of kept wiring joins the tree whole
            tree.append(np.array(sorted(gr.held), dtype=np.int64))
        sources = np.unique(np.concatenate(tree))
        source_cost = np.zeros(len(sources), dtype=np.float64)
        tx, ty = s.g.xy(sources)
    w.nodes = (np.unique(np.concatenate([w.nodes] + w.paths)) if w.paths
               else np.zeros(0, dtype=np.int64))
    w.expansions = expansions
    return expansions


def _reroute_net(s: _Search, nid: int, terms: Sequence[Terminal], old: NetWiring,
                 rip: np.ndarray, box: np.ndarray, guides: tuple[np.ndarray, np.ndarray],
                 die_box: np.ndarray, o: DetailOptions, occ_cost: float,
                 layer_cost: np.ndarray) -> tuple[NetWiring, int]:
    """Rip up only the net's wiring on the nodes marked in `rip` (and what then dangles), and
    join again what is left: the pieces of kept wiring and the pins they no longer reach
    (TritonRoute-style repair in the area of the conflicts). The whole net is routed again when
    nothing of it is kept."""
    w, pieces, loose = _kept(s.g, old, rip, len(terms))
    if not pieces:
        return _route_net(s, nid, terms, box, guides, die_box, o, occ_cost, layer_cost)
    # the piece that holds the most pins grows; the others and the loose pins are its groups
    main = max(range(len(pieces)), key=lambda q: (len(pieces[q][1]), -q))
    # another piece is reached where it was cut (a few nodes: the search stays aimed)
    groups = [_Group(cuts, -1, frozenset(nodes.tolist()))
              for q, (nodes, _t, cuts) in enumerate(pieces) if q != main]
    groups += [_Group(terms[t].nodes, t) for t in loose if len(terms[t].nodes)]
    w.unreached = [t for t in loose if not len(terms[t].nodes)]
    src = pieces[main][0]
    # the repair's own box: around the places to join, and where the growing piece was cut
    x, y = s.g.xy(np.concatenate([gr.nodes for gr in groups] + [pieces[main][2]]))
    m = o.box_margin
    local = np.array([x.min() - m, y.min() - m, x.max() + m, y.max() + m], dtype=np.int64)
    exp = _grow(s, nid, w, src, np.zeros(len(src), dtype=np.float64), groups, -1, box, guides,
                die_box, o, occ_cost, layer_cost, local)
    if w.unreached and any(len(terms[t].nodes) for t in w.unreached):
        full, exp2 = _route_net(s, nid, terms, box, guides, die_box, o, occ_cost, layer_cost)
        return full, exp + exp2
    return w, exp


def _kept(g: TrackGraph, old: NetWiring, rip: np.ndarray, n_terms: int
          ) -> tuple[NetWiring, list[tuple[np.ndarray, list[int], np.ndarray]], list[int]]:
    """What is left of a net's wiring without the nodes marked in `rip`, with the dead ends
    that leaves (branches that reach no pin) cut back: a NetWiring of the kept path pieces, the
    connected pieces (nodes, pins they reach, the nodes where wiring was cut off them), and the
    pins no longer reached."""
    frags: list[np.ndarray] = []
    for p in old.paths:
        keep = ~rip[p]
        if keep.all():
            frags.append(p)
            continue
        idx = np.flatnonzero(keep)
        if len(idx):
            frags += [p[part] for part in np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)]
    terms = {nd: t for t, nd in old.term_nodes.items() if not rip[nd]}
    full: dict[int, set[int]] = {}  # the wiring before
    for p in old.paths:
        fl = p.tolist()
        for a, b in zip(fl, fl[1:], strict=False):
            if a != b:
                full.setdefault(a, set()).add(b)
                full.setdefault(b, set()).add(a)
    adj: dict[int, set[int]] = {}
    for f in frags:
        fl = f.tolist()
        for nd in fl:
            adj.setdefault(nd, set())
        for a, b in zip(fl, fl[1:], strict=False):
            if a != b:
                adj[a].add(b)
                adj[b].add(a)
    # cut back the dead ends: leaves that are no pin's access point
    stack = [nd for nd, nb in adj.items() if len(nb) <= 1 and nd not in terms]
    while stack:
        nd = stack.pop()
        nb = adj.pop(nd, None)
        if nb is None:
            continue
        for m in nb:
            other = adj.get(m)
            if other is not None:
                other.discard(nd)
                if len(other) <= 1 and m not in terms:
                    stack.append(m)
    w = NetWiring()
    for f in frags:
        keep = np.fromiter((nd in adj for nd in f.tolist()), dtype=bool, count=len(f))
        idx = np.flatnonzero(keep)
        if len(idx):
            w.paths += [f[part] for part in np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)]
    # connected pieces (the wiring is a forest, so a walk per piece)
    pieces: list[tuple[np.ndarray, list[int]]] = []
    seen: set[int] = set()
    for start in sorted(adj):
        if start in seen:
            continue
        comp, todo = [], [start]
        seen.add(start)
        while todo:
            nd = todo.pop()
            comp.append(nd)
            for m in adj[nd]:
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        pins = sorted(terms[nd] for nd in comp if nd in terms)
        cuts = sorted(nd for nd in comp if any(m not in adj for m in full.get(nd, ())))
        nodes = np.array(sorted(comp), dtype=np.int64)
        pieces.append((nodes, pins, np.array(cuts, dtype=np.int64) if cuts else nodes))
    w.term_nodes = {t: nd for nd, t in terms.items() if nd in adj}
    w.nodes = np.array(sorted(adj), dtype=np.int64)
    loose = [t for t in range(n_terms) if t not in w.term_nodes]
    return w, pieces, loose


def _gap(p: tuple[np.ndarray, np.ndarray], tx: np.ndarray, ty: np.ndarray) -> float:
    """Manhattan distance (dbu) from the nearest of points p to the nearest tree point."""
    px, py = p
    return float(np.min(np.abs(px[:, None] - tx[None, :]) + np.abs(py[:, None] - ty[None, :])))


def _around(g: TrackGraph, nodes: np.ndarray, d_tracks: int, d_stops: int) -> np.ndarray:
    """The nodes within `d_tracks` tracks and `d_stops` stops of the given ones, same layer."""
    if not len(nodes):
        return np.zeros(0, dtype=np.int64)
    k, i, j = g.decode(nodes)
    out = []
    for dk in range(-d_tracks, d_tracks + 1):
        for dj in range(-d_stops, d_stops + 1):
            ii, jj = i + dk, j + dj
            ok = (ii >= 0) & (ii < g.ntr[k]) & (jj >= 0) & (jj < g.nst[k])
            out.append(g.base[k[ok]] + ii[ok] * g.nst[k[ok]] + jj[ok])
    return np.unique(np.concatenate(out))


def _fresh_area(g: TrackGraph, nodes: np.ndarray, occ: np.ndarray, rip: np.ndarray,
                around: tuple[int, int]) -> np.ndarray:
    """The area (`around` = tracks, stops) of the nodes of a net's wiring that other nets
    claim now (its own claims removed) and that the rip area does not hold, less the rip area."""
    bad = nodes[(occ[nodes] > 0) & ~rip[nodes]]
    if not len(bad):
        return bad
    area = _around(g, bad, *around)
    return area[~rip[area]]


def _nets_at(g: TrackGraph, wiring: Mapping[str, NetWiring], names: Sequence[str],
             nodes: np.ndarray) -> set[str]:
    """Nets with wiring on any of `nodes`."""
    if not len(nodes):
        return set()
    who = np.full(g.n_nodes, -1, dtype=np.int32)
    for idx, n in enumerate(names):
        w = wiring.get(n)
        if w is not None and len(w.nodes):
            who[w.nodes] = idx
    near = who[nodes]
    return {names[v] for v in np.unique(near[near >= 0]).tolist()}


def _conflicts(s: _Search, wiring: Mapping[str, NetWiring], names: Sequence[str]
               ) -> tuple[dict[str, int], np.ndarray]:
    """Nets whose nodes other nets claim, with the count, and all such nodes."""
    out: dict[str, int] = {}
    nodes: list[np.ndarray] = []
    for n in names:
        w = wiring.get(n)
        if w is None or not len(w.nodes):
            continue
        s.claim(w.nodes, -1)
        bad = w.nodes[s.occ[w.nodes] > 0]
        s.claim(w.nodes, 1)
        if len(bad):
            out[n] = len(bad)
            nodes.append(bad)
    return out, (np.unique(np.concatenate(nodes)) if nodes else np.zeros(0, dtype=np.int64))


__all__ = ["BLOCKED", "DetailOptions", "DetailResult", "NetWiring", "detail_route"]
