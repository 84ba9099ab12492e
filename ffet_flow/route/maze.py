"""Inner loops of the detailed router on a TrackGraph (numba-compiled; plain Python with
FFET_NO_JIT=1): the A* search that grows one net's tree, and the claims that stand for the
spacing rules along tracks.

A net "claims" every node of its wiring and every node of the same track closer than the
layer's claim radius (its window). `occ[n]` counts the claims on node n; a net routed while
its own claims are removed pays `occ_cost` per claim of other nets on each node it enters, so
a node with claims is a spacing conflict (a short or an end-of-line violation) in the making.
`hist[n]` is the negotiated-congestion history: it grows at every node that stayed in
conflict, so the nets that fought over it look elsewhere next time. Costs are in dbu of wire:
a step along a track costs its length, a via `via_cost`.
"""

from __future__ import annotations

import heapq

import numpy as np

from ffet_flow.route._jit import njit

BLOCKED = -2


@njit(cache=True)
def _decode(n, base, nst, nl):
    """(layer, track, stop) of node n."""
    k = 0
    while k + 1 < nl and n >= base[k + 1]:
        k += 1
    rel = n - base[k]
    i = rel // nst[k]
    return k, i, rel - i * nst[k]


@njit(cache=True)
def _coords(n, base, nst, soff, toff, stops, tracks, horiz, nl):
    k, i, j = _decode(n, base, nst, nl)
    s = stops[soff[k] + j]
    t = tracks[toff[k] + i]
    if horiz[k]:
        return k, i, j, s, t
    return k, i, j, t, s


@njit(cache=True)
def claim(nodes, sign, occ, base, nst, soff, win_lo, win_hi, nl):
    """Add (sign = 1) or remove (sign = -1) the claims of `nodes` (unique node ids)."""
    for n in nodes:
        k, i, j = _decode(n, base, nst, nl)
        row = base[k] + i * nst[k]
        for jj in range(win_lo[soff[k] + j], win_hi[soff[k] + j] + 1):
            occ[row + jj] += sign


@njit(cache=True)
def count_conflicts(nodes, occ, base, nst, soff, win_lo, win_hi, nl, out_nodes):
    """Nodes of one net (its claims removed from `occ`) that other nets claim; they are
    written to out_nodes[:count] and the count is returned."""
    c = 0
    for n in nodes:
        if occ[n] > 0:
            out_nodes[c] = n
            c += 1
    return c


@njit(cache=True)
def search(base, nst, soff, toff, stops, tracks, horiz, up_tr, up_st, dn_tr, dn_st,
           owner, occ, hist, pinmark, net, sources, source_cost, targets, target_pin,
           box, guide, gny, soft, nl_soft, off_cost, tr_gc, st_gc, dist, prev, seen, tmark,
           tpin, stamp, via_cost, occ_cost, hist_cost, pin_cost, layer_cost, weight,
           max_expand, unit):
    """A* from the `sources` (starting at source_cost) to the nearest of `targets`
    (target_pin[t] = the pin each belongs to), over nodes inside `box` = (x0, y0, x1, y1) that
    the net may use and, when `guide` is not empty, whose gcell it marks (column * gny + row).
    When `soft` is not empty, a step onto a node whose (gcell, layer) it does not mark (entry
    gcell * nl_soft + layer) costs `off_cost` times more: the global route's layers, kept
    where they can be. `unit` (dbu) is the step length at which conflict and history costs
    count once; longer steps count them proportionally.

    Returns (reached node or -1, its pin, expansions); prev[] then leads back to a source
    (prev = -1)."""
    nl = len(horiz)
    tx0 = np.int64(1) << 60
    ty0 = tx0
    tx1 = -tx0
    ty1 = -tx0
    tk0 = nl
    tk1 = -1
    for q in range(len(targets)):
        t = targets[q]
        tmark[t] = stamp
        tpin[t] = target_pin[q]
        tk, _i, _j, x, y = _coords(t, base, nst, soff, toff, stops, tracks, horiz, nl)
        tx0 = min(tx0, x)
        ty0 = min(ty0, y)
        tx1 = max(tx1, x)
        ty1 = max(ty1, y)
        tk0 = min(tk0, tk)
        tk1 = max(tk1, tk)
    # the heuristic: the Manhattan distance to the targets' box, plus a via per layer between
    # the node's layer and the targets' (a lower bound: each via changes one layer)
    heap = [(0.0, 0.0, np.int64(0))]
    heap.pop()
    for q in range(len(sources)):
        s = sources[q]
        g0 = source_cost[q]
        if seen[s] == stamp and dist[s] <= g0:
            continue
        seen[s] = stamp
        dist[s] = g0
        prev[s] = -1
        sk, _i, _j, x, y = _coords(s, base, nst, soff, toff, stops, tracks, horiz, nl)
        h = float(max(tx0 - x, 0, x - tx1) + max(ty0 - y, 0, y - ty1))
        h += via_cost * max(tk0 - sk, 0, sk - tk1)
        heapq.heappush(heap, (g0 + weight * h, g0, s))
    expanded = 0
    while len(heap):
        f, g, n = heapq.heappop(heap)
        if g > dist[n]:
            continue
        if tmark[n] == stamp:
            return n, tpin[n], expanded
        expanded += 1
        if expanded > max_expand:
            return -1, -1, expanded
        k, i, j, x, y = _coords(n, base, nst, soff, toff, stops, tracks, horiz, nl)
        row = base[k] + i * nst[k]
        for step in range(4):
            # the neighbour's (layer, track, stop) follow from the step: no decoding
            if step == 0:
                if j == 0:
                    continue
                km, im, jm = k, i, j - 1
                m = row + jm
                cost = float(stops[soff[k] + j] - stops[soff[k] + jm]) * layer_cost[k]
            elif step == 1:
                if j + 1 >= nst[k]:
                    continue
                km, im, jm = k, i, j + 1
                m = row + jm
                cost = float(stops[soff[k] + jm] - stops[soff[k] + j]) * layer_cost[k]
            elif step == 2:
                if k + 1 >= nl:
                    continue
                im = up_tr[soff[k] + j]
                jm = up_st[toff[k] + i]
                if im < 0 or jm < 0:
                    continue
                km = k + 1
                m = base[km] + im * nst[km] + jm
                cost = via_cost
            else:
                if k == 0:
                    continue
                im = dn_tr[soff[k] + j]
                jm = dn_st[toff[k] + i]
                if im < 0 or jm < 0:
                    continue
                km = k - 1
                m = base[km] + im * nst[km] + jm
                cost = via_cost
            o = owner[m]
            if o == BLOCKED or (o >= 0 and o != net):
                continue
            if horiz[km]:
                mx = stops[soff[km] + jm]
                my = tracks[toff[km] + im]
            else:
                mx = tracks[toff[km] + im]
                my = stops[soff[km] + jm]
            if mx < box[0] or mx > box[2] or my < box[1] or my > box[3]:
                continue
            if len(guide) or len(soft):
                if horiz[km]:
                    gc = st_gc[soff[km] + jm] * gny + tr_gc[toff[km] + im]
                else:
                    gc = tr_gc[toff[km] + im] * gny + st_gc[soff[km] + jm]
                if len(guide) and guide[gc] == 0:
                    continue
                if len(soft) and soft[gc * nl_soft + km] == 0:
                    cost *= 1.0 + off_cost
            # conflicts and history scale with the step (long steps on the upper layers cross
            # as much of another net's wire), so that no weighted-A* progress outweighs them
            scale = max(1.0, cost / unit)
            cost += (occ_cost * occ[m] + hist_cost * hist[m]) * scale
            pm = pinmark[m]
            if pm != -1 and pm != net:
                cost += pin_cost
            ng = g + cost
            if seen[m] != stamp or ng < dist[m]:
                seen[m] = stamp
                dist[m] = ng
                prev[m] = n
                h = float(max(tx0 - mx, 0, mx - tx1) + max(ty0 - my, 0, my - ty1))
                h += via_cost * max(tk0 - km, 0, km - tk1)
                heapq.heappush(heap, (ng + weight * h, ng, m))
    return -1, -1, expanded


@njit(cache=True)
def trace(end, prev, out):
    """Nodes from `end` back to its source along prev[]; count written to out, returned."""
    c = 0
    n = end
    while n != -1:
        out[c] = n
        c += 1
        n = prev[n]
    return c
