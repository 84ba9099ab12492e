"""The detailed-routing graph of one wafer side: the nodes of every routing layer's tracks.

Layer k of the graph is routing level `levels[k]` (level 1 upwards; level 0 holds the cell pins
and is reached through access vias). A layer's nodes lie on its preferred-direction tracks
(DEF TRACKS) at its "stops": the tracks of the levels directly below and above, so that every
crossing with an adjacent layer's track is a node of both and a via can stand there. A wire
runs along a track from stop to stop; nothing runs in the non-preferred direction. Node id =
base[k] + i * n_stops[k] + j (track i, stop j). All coordinates are integer dbu.

Rules on the graph (ffet_flow.route.rules):
- width and spacing: tracks are a pitch apart, so wires on neighbouring tracks keep the spacing;
- end of line, via pads and cut spacing along a track: a net at stop j keeps every other net off
  the stops closer than `radius[k]` = two via pads' reach plus the tip-to-tip spacing (plus the
  longest minimum-area patch), its "claim window" on that track;
- obstructions and other nets' pins: a node is blocked (owner -2) when a wire or via pad there
  would come within the spacing (the end-of-line spacing along the track) of the shape, or
  reserved for the pin's net (owner = that net) when the shape is a pin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ffet_flow.route.grid import Grid
from ffet_flow.route.rules import SideRules

FREE = -1
BLOCKED = -2


def _index_in(values: np.ndarray, coords: np.ndarray) -> np.ndarray:
    """For each coordinate, its index in the sorted `values`, or -1 when absent."""
    if not len(values):
        return np.full(len(coords), -1, dtype=np.int32)
    pos = np.searchsorted(values, coords)
    pos_c = np.clip(pos, 0, len(values) - 1)
    return np.where(values[pos_c] == coords, pos_c, -1).astype(np.int32)


@dataclass
class TrackGraph:
    rules: SideRules
    levels: list[int]
    horizontal: np.ndarray  # bool per layer
    tracks: list[np.ndarray]  # across coordinate per track (y of a horizontal layer)
    stops: list[np.ndarray]  # along coordinate per stop
    radius: np.ndarray  # claim distance per layer (dbu)
    base: np.ndarray = field(init=False)
    # flat arrays for the kernels (per-layer parts at soff / toff)
    nst: np.ndarray = field(init=False)
    ntr: np.ndarray = field(init=False)
    soff: np.ndarray = field(init=False)
    toff: np.ndarray = field(init=False)
    stops_flat: np.ndarray = field(init=False)
    tracks_flat: np.ndarray = field(init=False)
    up_tr: np.ndarray = field(init=False)  # per stop: track index of the layer above, or -1
    up_st: np.ndarray = field(init=False)  # per track: stop index on the layer above, or -1
    dn_tr: np.ndarray = field(init=False)
    dn_st: np.ndarray = field(init=False)
    win_lo: np.ndarray = field(init=False)  # per stop: first stop inside its claim window
    win_hi: np.ndarray = field(init=False)  # per stop: last stop inside it
    owner: np.ndarray = field(init=False)  # per node: FREE, BLOCKED or the net it is kept for
    tr_gc: np.ndarray = field(init=False)  # per track: gcell index along its axis
    st_gc: np.ndarray = field(init=False)  # per stop: gcell index along its axis

    def __post_init__(self) -> None:
        nl = len(self.levels)
        self.ntr = np.array([len(t) for t in self.tracks], dtype=np.int64)
        self.nst = np.array([len(s) for s in self.stops], dtype=np.int64)
        self.base = np.zeros(nl + 1, dtype=np.int64)
        self.base[1:] = np.cumsum(self.ntr * self.nst)
        self.soff = np.zeros(nl + 1, dtype=np.int64)
        self.soff[1:] = np.cumsum(self.nst)
        self.toff = np.zeros(nl + 1, dtype=np.int64)
        self.toff[1:] = np.cumsum(self.ntr)
        self.stops_flat = np.concatenate(self.stops).astype(np.int64)
        self.tracks_flat = np.concatenate(self.tracks).astype(np.int64)
        up_tr, up_st, dn_tr, dn_st, lo, hi = [], [], [], [], [], []
        for k in range(nl):
            s, t = self.stops[k], self.tracks[k]
            none_s = np.full(len(s), -1, dtype=np.int32)
            none_t = np.full(len(t), -1, dtype=np.int32)
            up_tr.append(_index_in(self.tracks[k + 1], s) if k + 1 < nl else none_s)
            up_st.append(_index_in(self.stops[k + 1], t) if k + 1 < nl else none_t)
            dn_tr.append(_index_in(self.tracks[k - 1], s) if k > 0 else none_s)
            dn_st.append(_index_in(self.stops[k - 1], t) if k > 0 else none_t)
            r = int(self.radius[k])
            lo.append(np.searchsorted(s, s - r + 1, side="left").astype(np.int32))
            hi.append((np.searchsorted(s, s + r - 1, side="right") - 1).astype(np.int32))
        self.up_tr, self.up_st = np.concatenate(up_tr), np.concatenate(up_st)
        self.dn_tr, self.dn_st = np.concatenate(dn_tr), np.concatenate(dn_st)
        self.win_lo, self.win_hi = np.concatenate(lo), np.concatenate(hi)
        self.owner = np.full(int(self.base[-1]), FREE, dtype=np.int32)
        self._near: np.ndarray | None = None  # pin marks before finish_marks
        self._touch: np.ndarray | None = None
        # per node blocked for being near pin shapes of one net only: that net (else -1); the
        # wiring may fill a same-net gap there (the metal joins that net's own)
        self.near_net = np.full(0, -1, dtype=np.int32)
        self.tr_gc = np.zeros(len(self.tracks_flat), dtype=np.int32)
        self.st_gc = np.zeros(len(self.stops_flat), dtype=np.int32)

    # ---- geometry ------------------------------------------------------------------------

    @property
    def n_nodes(self) -> int:
        return int(self.base[-1])

    def node(self, k: int, i: int, j: int) -> int:
        return int(self.base[k] + i * self.nst[k] + j)

    def decode(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(layer, track index, stop index) of node ids."""
        nodes = np.asarray(nodes, dtype=np.int64)
        k = np.searchsorted(self.base, nodes, side="right") - 1
        rel = nodes - self.base[k]
        return k, rel // self.nst[k], rel % self.nst[k]

    def xy(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k, i, j = self.decode(nodes)
        t = self.tracks_flat[self.toff[k] + i]
        s = self.stops_flat[self.soff[k] + j]
        h = self.horizontal[k]
        return np.where(h, s, t), np.where(h, t, s)

    def layer_of_level(self, level: int) -> int | None:
        return self.levels.index(level) if level in self.levels else None

    def _ranges(self, k: int, rect, d_across: int, d_along: int, ext: int):
        """Track and stop index ranges whose node footprint (a line of the layer's width, the
        via pads' reach along) comes within (d_across, d_along) of `rect`."""
        x0, y0, x1, y1 = rect
        a0, a1, c0, c1 = (x0, x1, y0, y1) if self.horizontal[k] else (y0, y1, x0, x1)
        half = self.rules.metals[self.levels[k]].width // 2
        t, s = self.tracks[k], self.stops[k]
        i0 = np.searchsorted(t, c0 - half - d_across, side="right")
        i1 = np.searchsorted(t, c1 + half + d_across, side="left")
        j0 = np.searchsorted(s, a0 - ext - d_along, side="right")
        j1 = np.searchsorted(s, a1 + ext + d_along, side="left")
        return int(i0), int(i1), int(j0), int(j1)

    def _view(self, arr: np.ndarray, k: int) -> np.ndarray:
        return arr[self.base[k]:self.base[k + 1]].reshape(self.ntr[k], self.nst[k])

    def mark(self, k: int, rect, owner: int, d_across: int, d_along: int) -> None:
        """Block the nodes of layer k near an obstruction (`owner` BLOCKED), or note a pin
        shape of net `owner`: the nodes whose wire or pad would touch it may be used by that
        net only, and the nodes near it without touching it by no net at all (metal there
        would break the spacing to the pin, whatever its net). Call `finish_marks` after the
        last pin."""
        ext = self.rules.ext(self.levels[k])
        i0, i1, j0, j1 = self._ranges(k, rect, d_across, d_along, ext)
        if i0 >= i1 or j0 >= j1:
            return
        if owner == BLOCKED:
            self._view(self.owner, k)[i0:i1, j0:j1] = BLOCKED
            return
        if self._near is None:
            self._near = np.full(self.n_nodes, FREE, dtype=np.int32)
            self._touch = np.full(self.n_nodes, FREE, dtype=np.int32)
        for arr, (a0, a1, b0, b1) in ((self._near, (i0, i1, j0, j1)),
                                      (self._touch, self._ranges(k, rect, 0, 0, ext))):
            sub = self._view(arr, k)[a0:a1, b0:b1]
            sub[(sub != FREE) & (sub != owner)] = BLOCKED
            sub[sub == FREE] = owner

    def finish_marks(self) -> None:
        """Combine the pin marks into `owner`: a node touching a pin of one net and near no
        other net's pin is that net's; any other node near a pin is blocked."""
        if self._near is None:
            return
        near, touch = self._near, self._touch
        own = np.where((touch >= 0) & ((near == touch) | (near == FREE)), touch,
                       np.where(near != FREE, BLOCKED, FREE)).astype(np.int32)
        self.near_net = np.where((self.owner != BLOCKED) & (own == BLOCKED) & (near >= 0)
                                 & (touch == FREE), near, -1).astype(np.int32)
        self.owner = np.where(self.owner == BLOCKED, BLOCKED, own).astype(np.int32)
        self._near = self._touch = None

    def nodes_in(self, k: int, rect) -> np.ndarray:
        """Nodes of layer k whose point lies inside `rect` (inclusive)."""
        i0, i1, j0, j1 = self._ranges(k, rect, 0, 0, 0)
        half = self.rules.metals[self.levels[k]].width // 2
        x0, y0, x1, y1 = rect
        c0, c1 = (y0, y1) if self.horizontal[k] else (x0, x1)
        a0, a1 = (x0, x1) if self.horizontal[k] else (y0, y1)
        t, s = self.tracks[k], self.stops[k]
        ii = np.arange(i0, i1)
        ii = ii[(t[ii] + half > c0) & (t[ii] - half < c1) & (t[ii] >= c0) & (t[ii] <= c1)]
        jj = np.arange(j0, j1)
        jj = jj[(s[jj] >= a0) & (s[jj] <= a1)]
        if not len(ii) or not len(jj):
            return np.zeros(0, dtype=np.int64)
        return (self.base[k] + ii[:, None] * self.nst[k] + jj[None, :]).ravel().astype(np.int64)

    def gcell_maps(self, grid: Grid) -> None:
        """Per track and stop, the index of the gcell column/row it lies in (for guides)."""
        tr, st = [], []
        for k in range(len(self.levels)):
            across, along = (grid.ys, grid.xs) if self.horizontal[k] else (grid.xs, grid.ys)
            n_across, n_along = len(across) - 1, len(along) - 1
            tr.append(np.clip(np.searchsorted(across, self.tracks[k], side="right") - 1, 0,
                              n_across - 1).astype(np.int32))
            st.append(np.clip(np.searchsorted(along, self.stops[k], side="right") - 1, 0,
                              n_along - 1).astype(np.int32))
        self.tr_gc, self.st_gc = np.concatenate(tr), np.concatenate(st)


def claim_radius(rules: SideRules, level: int) -> int:
    """Distance along a track (dbu) below which two nets' nodes conflict: both via pads' reach,
    the tip-to-tip spacing between them, and the longest minimum-area patch one end may add;
    at least the cut pitch of the vias standing there."""
    m = rules.metals[level]
    ext = rules.ext(level)
    patch = 0
    if m.min_area and m.width:
        patch = max(0, -(-m.min_area // m.width) - 2 * ext)
    cut_pitch = 0
    for lv in (level - 1, level):
        if lv in rules.vias:
            c = rules.vias[lv][0].cut
            size = max(c[2] - c[0], c[3] - c[1])
            cut_pitch = max(cut_pitch, size + rules.cut_spacing.get(lv, 0))
    return max(2 * ext + m.eol_spacing + patch, cut_pitch)


def build_graph(rules: SideRules, levels: Sequence[int], tracks: Mapping[int, np.ndarray],
                die: tuple[int, int, int, int]) -> TrackGraph:
    """The graph of `levels` (consecutive routing levels from 1) with the track coordinates
    of every level in `tracks` (level 0 included: its tracks are stops of level 1)."""
    x0, y0, x1, y1 = die
    tr, st, horiz, radius = [], [], [], []
    for lv in levels:
        m = rules.metals[lv]
        lo, hi = (y0, y1) if m.horizontal else (x0, x1)
        t = np.asarray(tracks.get(lv, ()), dtype=np.int64)
        tr.append(np.unique(t[(t >= lo) & (t <= hi)]))
        near = [np.asarray(tracks.get(n, ()), dtype=np.int64) for n in (lv - 1, lv + 1)
                if n in tracks and rules.metals[n].horizontal != m.horizontal]
        a_lo, a_hi = (x0, x1) if m.horizontal else (y0, y1)
        s = np.unique(np.concatenate(near)) if near else np.zeros(0, dtype=np.int64)
        st.append(s[(s >= a_lo) & (s <= a_hi)])
        horiz.append(m.horizontal)
        radius.append(claim_radius(rules, lv))
    return TrackGraph(rules, list(levels), np.array(horiz, dtype=bool), tr, st,
                      np.array(radius, dtype=np.int64))
