"""Choosing one access point per pin before routing, so that neighbouring pins do not fight.

Pins of one cell, and of cells stacked in neighbouring rows, share the level-1 tracks over
them; two access points of different nets on one track closer than its claim radius cannot
both be used (the via pads would break the end-of-line rule). Left to the negotiation, nets
keep the access points they reached first and the last pin of a cluster finds every option
taken. `assign_access` solves the cluster up front, as a small constraint problem: every pin
takes one of its access points so that no two chosen points of different nets conflict
(min-conflicts local search, deterministic). The router then reaches each pin at its chosen
point, and other nets pay to cross the claim window around it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ffet_flow.route.access import Terminal
from ffet_flow.route.trackgraph import TrackGraph

#: rounds of the local search (each visits every pin still in conflict)
MAX_ROUNDS = 50


def assign_access(g: TrackGraph, terminals: Mapping[str, Sequence[Terminal]],
                  net_ids: Mapping[str, int], stacked: bool = True
                  ) -> tuple[dict[tuple[str, int], int], list[tuple[str, int]]]:
    """({(net, terminal index): chosen node}, the pins left in conflict).

    With `stacked`, two access points also conflict where the vias leaving them straight up
    would (their pads on the level above): a pin can still leave sideways, so this is a
    preference; without it only the access points themselves count (the hard constraint)."""
    keys: list[tuple[str, int]] = []
    cand_node: list[int] = []
    cand_term: list[int] = []
    for net in sorted(terminals):
        for ti, t in enumerate(terminals[net]):
            if not len(t.nodes):
                continue
            tid = len(keys)
            keys.append((net, ti))
            for nd in np.unique(t.nodes).tolist():
                cand_node.append(nd)
                cand_term.append(tid)
    if not keys:
        return {}, []
    node = np.array(cand_node, dtype=np.int64)
    term = np.array(cand_term, dtype=np.int64)
    net_of_term = np.array([net_ids[n] for n, _ in keys], dtype=np.int64)
    # each candidate stands for its node and the node right above it (the pad of the via that
    # leaves the access point upwards): two candidates conflict where either pair does
    above = stacked_above(g, node)
    has = above >= 0 if stacked else np.zeros(len(node), dtype=bool)
    pa, pb = _window_pairs(g, np.concatenate([node, above[has]]))
    owner_of = np.concatenate([np.arange(len(node)), np.flatnonzero(has)])
    pa, pb = owner_of[pa], owner_of[pb]
    if len(pa):
        keep = net_of_term[term[pa]] != net_of_term[term[pb]]
        pa, pb = pa[keep], pb[keep]
    nbrs: list[set[int]] = [set() for _ in range(len(node))]
    for a, b in zip(pa.tolist(), pb.tolist(), strict=True):
        nbrs[a].add(b)
    return _solve(keys, node, term, nbrs)


def stacked_above(g: TrackGraph, nodes: np.ndarray) -> np.ndarray:
    """The node a via straight up from each node lands on (-1 at the top layer or off-grid)."""
    k, i, j = g.decode(nodes)
    out = np.full(len(nodes), -1, dtype=np.int64)
    ok = k + 1 < len(g.levels)
    if not ok.any():
        return out
    it = g.up_tr[g.soff[k[ok]] + j[ok]]
    js = g.up_st[g.toff[k[ok]] + i[ok]]
    good = (it >= 0) & (js >= 0)
    idx = np.flatnonzero(ok)[good]
    out[idx] = g.base[k[idx] + 1] + it[good] * g.nst[k[idx] + 1] + js[good]
    return out


def _window_pairs(g: TrackGraph, node: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (a, b), a != b, of nodes on one layer and track within a's claim window."""
    k, i, j = g.decode(node)
    order = np.lexsort((j, i, k))
    ks, iss, js = k[order], i[order], j[order]
    lo = g.win_lo[g.soff[ks] + js]
    hi = g.win_hi[g.soff[ks] + js]
    track_key = ks * (1 << 32) + iss
    pairs_a, pairs_b = [], []
    n = len(order)
    start = 0
    while start < n:
        end = start
        while end < n and track_key[end] == track_key[start]:
            end += 1
        if end - start > 1:
            seg = np.arange(start, end)
            jj = js[start:end]
            first = np.searchsorted(jj, lo[start:end], side="left") + start
            last = np.searchsorted(jj, hi[start:end], side="right") + start
            for a, f, la in zip(seg.tolist(), first.tolist(), last.tolist(), strict=True):
                for b in range(f, la):
                    if b != a:
                        pairs_a.append(order[a])
                        pairs_b.append(order[b])
        start = end
    return np.array(pairs_a, dtype=np.int64), np.array(pairs_b, dtype=np.int64)


def _solve(keys, node: np.ndarray, term: np.ndarray, nbrs: list[set[int]]
           ) -> tuple[dict[tuple[str, int], int], list[tuple[str, int]]]:
    """Min-conflicts choice of one candidate per pin."""
    degree = np.array([len(x) for x in nbrs], dtype=np.int64)
    cands: list[list[int]] = [[] for _ in keys]
    for c, t in enumerate(term.tolist()):
        cands[t].append(c)
    # start: each pin's least contested point
    choice = np.array([min(cs, key=lambda c: (degree[c], node[c])) for cs in cands],
                      dtype=np.int64)
    chosen = np.zeros(len(node), dtype=bool)
    chosen[choice] = True

    def clashes(c: int) -> int:
        return sum(1 for b in nbrs[c] if chosen[b])

    for _round in range(MAX_ROUNDS):
        bad = [t for t in range(len(keys)) if clashes(int(choice[t]))]
        if not bad:
            break
        changed = False
        for t in bad:
            cur = int(choice[t])
            if not clashes(cur):
                continue
            best = min(cands[t], key=lambda c: (clashes(c), degree[c], c != cur, node[c]))
            if best != cur:
                chosen[cur], chosen[best] = False, True
                choice[t] = best
                changed = True
        if not changed:
            break
    left = [keys[t] for t in range(len(keys)) if clashes(int(choice[t]))]
    return {key: int(node[choice[t]]) for t, key in enumerate(keys)}, left
