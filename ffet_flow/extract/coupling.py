"""Neighbour-aware wire capacitance (coupling still folded into ground).

`layers.json`'s `c_per_um` assumes both same-level neighbour tracks are occupied along the
whole wire (worst case). Here each wire side is looked at separately: along the part of the
wire where the adjacent track (one pitch away, same layer) carries wiring of any net, that
side contributes half the minimum-spacing Wong/PTM capacitance (ground + coupling,
`(c_ground + c_coupling) / 2`); where the track is empty it contributes half the ground
capacitance of an isolated line (Wong/PTM with the spacing taken as 100 pitches, where the
coupling term has vanished and the fringe goes to the planes). Per um:

    c = sum over both sides of  f_side x c_full / 2 + (1 - f_side) x c_iso / 2

with f_side the occupied fraction of that side. Both sides occupied gives back `c_per_um`.
The coupling part is still folded into ground capacitance (quiet neighbours, Miller factor 1),
and wiring of the same net on the adjacent track is counted like any other.
Lengths in dbu; capacitances in fF/um.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from ffet_flow.extract.rctree import NetRoute, RcTech


def _union_length_below(starts: np.ndarray, ends: np.ndarray, cum: np.ndarray,
                        x: np.ndarray) -> np.ndarray:
    """Length of the union of sorted disjoint intervals lying below each x."""
    k = np.searchsorted(starts, x, side="right") - 1
    out = np.zeros(len(x), dtype=np.float64)
    ok = k >= 0
    kk = k[ok]
    out[ok] = cum[kk] + np.minimum(x[ok], ends[kk]) - starts[kk]
    return out


def _merge(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Disjoint union of intervals: (starts, ends, length of the union before each start)."""
    order = np.argsort(lo, kind="stable")
    lo, hi = lo[order], hi[order]
    run_hi = np.maximum.accumulate(hi)
    new = np.ones(len(lo), dtype=bool)
    new[1:] = lo[1:] > run_hi[:-1]
    idx = np.nonzero(new)[0]
    starts = lo[idx]
    ends = np.maximum.reduceat(hi, idx) if len(idx) else hi[:0]
    lengths = ends - starts
    cum = np.concatenate(([0.0], np.cumsum(lengths)[:-1])).astype(np.float64)
    return starts, ends, cum


def neighbour_capacitance(routes: Sequence[NetRoute], tech: RcTech) -> list[NetRoute]:
    """The routes with every Manhattan wire's `c_per_um` set from its neighbour occupancy."""
    rows = []  # (route index, wire index, layer, horizontal, track, lo, hi)
    for ri, r in enumerate(routes):
        for wi, w in enumerate(r.wires):
            lrc = tech.layers[w.layer]
            if lrc.pitch <= 0:
                continue
            if w.y0 == w.y1 and w.x0 != w.x1:
                rows.append((ri, wi, w.layer, w.y0, min(w.x0, w.x1), max(w.x0, w.x1)))
            elif w.x0 == w.x1 and w.y0 != w.y1:
                rows.append((ri, wi, w.layer + "|v", w.x0, min(w.y0, w.y1), max(w.y0, w.y1)))
    if not rows:
        return list(routes)
    c_new: dict[tuple[int, int], float] = {}
    by_layer: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_layer.setdefault(row[2], []).append(i)
    for key, idxs in by_layer.items():
        lrc = tech.layers[key.split("|")[0]]
        track = np.array([rows[i][3] for i in idxs], dtype=np.int64)
        lo = np.array([rows[i][4] for i in idxs], dtype=np.int64)
        hi = np.array([rows[i][5] for i in idxs], dtype=np.int64)
        # every track's intervals on one line: position = track rank x span + coordinate, so
        # intervals of different tracks never touch and one merge serves all tracks
        tracks = np.unique(track)
        base = int(lo.min())
        span = int(hi.max()) - base + 2
        rank = np.searchsorted(tracks, track)
        starts, ends, cum = _merge((rank * span + lo - base).astype(np.float64),
                                   (rank * span + hi - base).astype(np.float64))
        occupied = np.zeros(len(idxs), dtype=np.float64)  # covered length, both sides
        for nb in (track - lrc.pitch, track + lrc.pitch):
            r = np.searchsorted(tracks, nb)
            has = (r < len(tracks)) & (tracks[np.minimum(r, len(tracks) - 1)] == nb)
            a = (r[has] * span + lo[has] - base).astype(np.float64)
            b = (r[has] * span + hi[has] - base).astype(np.float64)
            occupied[has] += (_union_length_below(starts, ends, cum, b)
                              - _union_length_below(starts, ends, cum, a))
        frac = occupied / (2.0 * (hi - lo))  # both sides together, in [0, 1]
        c = frac * lrc.c_side_full * 2 + (1.0 - frac) * lrc.c_side_iso * 2
        for j, i in enumerate(idxs):
            c_new[(rows[i][0], rows[i][1])] = float(c[j])
    out = []
    for ri, r in enumerate(routes):
        if not any((ri, wi) in c_new for wi in range(len(r.wires))):
            out.append(r)
            continue
        wires = tuple(dataclasses.replace(w, c_per_um=c_new[(ri, wi)]) if (ri, wi) in c_new
                      else w for wi, w in enumerate(r.wires))
        out.append(dataclasses.replace(r, wires=wires))
    return out
