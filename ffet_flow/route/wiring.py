"""Routed nets as DEF wiring: runs along tracks, vias between layers and down to the pins,
and minimum-area patches.

A net's paths on the track graph become, per track, maximal runs of consecutive stops (one DEF
wire each, from centre to centre of its end stops) and, per layer change, a via of the LEF
definition the rules chose. A terminal reached at a level-1 access point gets the via down to
its level-0 pin shape. A piece of metal on a track (a run, or the pads of a via stack) shorter
than the layer's minimum area allows is lengthened along the track, away from its neighbours
(`patch`). DEF semantics: a wire's metal reaches half its width beyond its end points.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ffet_flow.io.def_nets import Path as DefPath
from ffet_flow.route.access import Terminal
from ffet_flow.route.detailed import NetWiring
from ffet_flow.route.rules import SideRules
from ffet_flow.route.trackgraph import BLOCKED, FREE, TrackGraph


@dataclass
class SideWiring:
    paths: dict[str, list[DefPath]]  # net -> DEF paths
    wirelength: dict[str, int]  # layer -> dbu
    vias: dict[str, int]  # via definition -> count
    patches: int


def _runs(stops_used: Sequence[int], edges: set[int], window_hi: np.ndarray,
          free: Callable[[int, int], bool],
          close: Callable[[int, int], bool] = lambda a, b: False) -> list[tuple[int, int]]:
    """Maximal runs (first stop, last stop) of a track's used stops, joined where the net's
    paths step from stop j to j + 1 (edge j), and where two runs of the net come closer than
    the claim radius (`window_hi[j]`: the last stop inside stop j's window) or their metal ends
    are `close` (nearer than the end-of-line spacing), and the stops between them are `free`
    for the net: their line ends would face each other too close, so the gap is filled (same
    net: only a little more metal)."""
    out: list[tuple[int, int]] = []
    for j in sorted(set(stops_used)):
        if out and j - 1 == out[-1][1] and (j - 1) in edges:
            out[-1] = (out[-1][0], j)
        elif (out and (j <= window_hi[out[-1][1]] or close(out[-1][1], j))
              and free(out[-1][1] + 1, j - 1)):
            out[-1] = (out[-1][0], j)
        else:
            out.append((j, j))
    return out


def side_wiring(g: TrackGraph, rules: SideRules, wiring: Mapping[str, NetWiring],
                terminals: Mapping[str, Sequence[Terminal]], net_ids: Mapping[str, int]
                ) -> SideWiring:
    """DEF paths of every routed net of one side."""
    out: dict[str, list[DefPath]] = {}
    length: dict[str, int] = defaultdict(int)
    vias: dict[str, int] = defaultdict(int)
    patches = 0
    for net in sorted(wiring):
        w = wiring[net]
        if not len(w.nodes):
            continue
        paths: list[DefPath] = []
        # per (layer, track): used stops and the edges between consecutive ones
        used: dict[tuple[int, int], list[int]] = defaultdict(list)
        edges: dict[tuple[int, int], set[int]] = defaultdict(set)
        via_at: dict[tuple[int, int, int], set[str]] = defaultdict(set)  # (k, i, j) -> pads
        k_all, i_all, j_all = g.decode(w.nodes)
        for k, i, j in zip(k_all.tolist(), i_all.tolist(), j_all.tolist(), strict=True):
            used[(k, i)].append(j)
        placed: set[tuple] = set()
        for path in w.paths:
            kk, ii, jj = g.decode(path)
            xs, ys = g.xy(path)
            for a in range(len(path) - 1):
                ka, ia, ja, kb, ib, jb = (int(kk[a]), int(ii[a]), int(jj[a]), int(kk[a + 1]),
                                          int(ii[a + 1]), int(jj[a + 1]))
                if ka == kb:
                    edges[(ka, ia)].add(min(ja, jb))
                    continue
                lo = min(ka, kb)
                level = g.levels[lo]
                vdef = rules.via(level)
                key = (vdef.name, int(xs[a]), int(ys[a]))
                if key in placed:
                    continue
                placed.add(key)
                paths.append(DefPath(rules.metals[level].name, [(int(xs[a]), int(ys[a])),
                                                                   vdef.name]))
                vias[vdef.name] += 1
                for k_, i_, j_, upper in ((ka, ia, ja, ka > kb), (kb, ib, jb, kb > ka)):
                    via_at[(k_, i_, j_)].add(("u" if upper else "l") + vdef.name)
        # vias down to the pins
        for ti, node in sorted(w.term_nodes.items()):
            t = terminals[net][ti]
            hit = np.nonzero(t.nodes == node)[0]
            vname = t.vias[int(hit[0])] if len(hit) else ""
            if not vname:
                continue
            x, y = g.xy(np.array([node]))
            key = (vname, int(x[0]), int(y[0]))
            if key in placed:
                continue
            placed.add(key)
            paths.append(DefPath(rules.metals[0].name, [(int(x[0]), int(y[0])), vname]))
            vias[vname] += 1
            k_, i_, j_ = (int(v[0]) for v in g.decode(np.array([node])))
            via_at[(k_, i_, j_)].add("u" + vname)
        # wires, patched to the minimum area
        for (k, i), js in sorted(used.items()):
            level = g.levels[k]
            m = rules.metals[level]
            name = m.name
            t = int(g.tracks[k][i])
            stops = g.stops[k]
            half = m.width // 2
            row = int(g.base[k] + i * g.nst[k])
            win = g.win_hi[g.soff[k]: g.soff[k + 1]]

            def free(a: int, b: int, row=row, nid=net_ids[net]) -> bool:
                own = g.owner[row + a: row + b + 1]
                ok = (own == FREE) | (own == nid)
                if len(g.near_net) and not ok.all():  # next to the net's own pin only
                    ok |= g.near_net[row + a: row + b + 1] == nid
                return bool(np.all(ok))

            reach = m.eol_spacing  # line ends nearer than this face each other too close

            def close(a: int, b: int, k=k, i=i, level=level, half=half, stops=stops,
                      reach=reach, pads=via_at) -> bool:
                end_a = int(stops[a]) + _pad_reach(rules, level, pads.get((k, i, a), ()), half)
                start_b = int(stops[b]) - _pad_reach(rules, level, pads.get((k, i, b), ()), half)
                return start_b - end_a < reach

            for a, b in _runs(js, edges[(k, i)], win, free, close):
                lo_ext = _pad_reach(rules, level, via_at.get((k, i, a), ()), half)
                hi_ext = _pad_reach(rules, level, via_at.get((k, i, b), ()), half)
                s0, s1 = int(stops[a]), int(stops[b])
                if a != b:  # the wire, centre to centre of its end stops
                    pts = [(s0, t), (s1, t)] if g.horizontal[k] else [(t, s0), (t, s1)]
                    paths.append(DefPath(name, pts))
                    length[name] += s1 - s0
                metal = s1 - s0 + lo_ext + hi_ext
                need = -(-m.min_area // m.width) if m.min_area and m.width else 0
                if metal >= need:
                    continue
                # a minimum-area patch (DEF RECT at the run's end, like OpenROAD's) along the
                # track, towards the next stop when nothing keeps it from there
                extra = need - metal
                up = _room_above(g, k, i, b, net_ids[net])
                at = s1 if up else s0
                lo, hi = ((s1 + hi_ext - at, s1 + hi_ext + extra - at) if up
                          else (s0 - lo_ext - extra - at, s0 - lo_ext - at))
                lo, hi = min(lo, -half), max(hi, half)  # overlap the run's own metal
                rect = (("RECT", lo, -half, hi, half) if g.horizontal[k]
                        else ("RECT", -half, lo, half, hi))
                point = (at, t) if g.horizontal[k] else (t, at)
                paths.append(DefPath(name, [point, rect]))
                patches += 1
        out[net] = paths
    return SideWiring(out, dict(length), dict(vias), patches)


def _pad_reach(rules: SideRules, level: int, pads, half: int) -> int:
    """How far the via pads at a run's end reach along the track beyond the end stop."""
    reach = half
    for p in pads:
        upper, vname = p[0] == "u", p[1:]
        for lv in (level, level - 1):
            for v in rules.vias.get(lv, ()):
                if v.name == vname:
                    reach = max(reach, rules.pad_half(level, v, upper=upper)[0])
    return reach


def _room_above(g: TrackGraph, k: int, i: int, j: int, net: int) -> bool:
    """Whether a patch may grow from stop j towards the next stop: that stop is not blocked or
    kept for another net (other nets' wiring keeps the claim radius, which has room for a
    patch on either side)."""
    if j + 1 >= g.nst[k]:
        return False
    own = int(g.owner[int(g.base[k] + i * g.nst[k] + j + 1)])
    return own != BLOCKED and own in (FREE, net)


def path_key(p: DefPath) -> tuple:
    return (p.layer, tuple(str(i) for i in p.items))
