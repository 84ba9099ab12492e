"""Track planning of one cell: wire extents, track assignment, FFET side balancing and level-2
overflow wiring.

Given every net's wiring options (ffet_flow.cells.wiring), `TrackPlanner.solve` picks one
option per net and the nets lifted to the level-2 metal of their side, so that the level-0
tracks (M0 / BM0), the level-2 tracks (M2 / BM2) and the level-1 stubs between them fit. It starts
from the cheapest option of every net and, while something overflows, applies the single move that
lowers the overflow most: wire a net on the other side's metal (FFET), or lift a net's wire to
level 2 (through V0-M1-V1 stacks on level-0 pads at its contacts). Lengths in dbu.
"""

from __future__ import annotations

from collections.abc import Mapping

from ffet_flow.cells.geometry import SideGrid, assign_tracks, layer_tracks
from ffet_flow.cells.wiring import NetPlan

SIDES = ("front", "back")
#: rounds of the local search (each applies one move); cells settle within a few
MAX_ROUNDS = 24


class TrackPlanner:
    """Track usage of wiring choices for one cell of `width_sites` sites and `height` dbu."""

    def __init__(self, tech, grids: Mapping[str, SideGrid], width_sites: int, height: int):
        self.tech, self.grids, self.height = tech, grids, height
        self.cpp = tech.cpp
        self.width_sites, self.width = width_sites, width_sites * tech.cpp
        self.lay = {s: tech.layers(s)[0] for s in SIDES}
        self.has_up = {s: len(tech.layers(s)) > 2 for s in SIDES}
        self.up_layer = {s: (tech.layers(s)[2] if self.has_up[s] else self.lay[s]) for s in SIDES}
        self.up_grid = {s: (layer_tracks(self.up_layer[s].offset, self.up_layer[s].pitch,
                                         self.up_layer[s].width, self.up_layer[s].spacing,
                                         height, ()) if self.has_up[s] else ()) for s in SIDES}

    # ---- geometry of one wire ------------------------------------------------------------

    def extent(self, side: str, plan: NetPlan, span: tuple[int, int] | None = None
               ) -> tuple[int, int]:
        """x extent of a level-0 wire: its points +- half a width; a pin also spans a CPP grid
        point with half a width to spare, is at least CPP - spacing long and keeps half a
        spacing from the cell edges."""
        la = self.lay[side]
        cpp, width = self.cpp, self.width
        e = la.width // 2
        lo, hi = span or plan.wires[side]
        lo, hi = lo - e, hi + e
        if side in plan.pin_sides:
            inner = [k * cpp for k in range(1, self.width_sites)]
            mid = (lo + hi) // 2
            g = min(inner, key=lambda x: (abs(x - mid), x))
            lo, hi = min(lo, g - e), max(hi, g + e)
            need = cpp - la.spacing  # an up-via lands on the CPP grid with room to spare
            if hi - lo < need:
                grow = need - (hi - lo)
                lo, hi = lo - grow // 2, hi + grow - grow // 2
            margin = (la.spacing + 1) // 2
            shift = max(0, margin - lo) - max(0, hi - (width - margin))
            lo, hi = lo + shift, hi + shift
        return lo, hi

    @staticmethod
    def pads(side: str, plan: NetPlan) -> list[int]:
        """x of the level-0 pads of a lifted net: its contacts and FDM positions on `side`."""
        xs = {t.x for t, _tall in plan.contacts if t.side == side}
        xs |= {x for k, x in plan.links if k == "FDM"}
        return sorted(xs)

    def stub_span(self, side: str, y0: int, y2: int) -> tuple[int, int]:
        """y extent of a level-1 stub joining a level-0 pad and a level-2 wire."""
        l1 = self.tech.layers(side)[1]
        m = (l1.spacing + 1) // 2
        ext = max(self.tech.vias(side)[0].cut, l1.width) // 2
        lo, hi = max(m, min(y0, y2) - ext), min(self.height - m, max(y0, y2) + ext)
        if hi - lo < l1.width:  # keep the minimum width, pushed away from the nearer edge
            lo, hi = (lo, lo + l1.width) if lo < self.height - hi else (hi - l1.width, hi)
        return lo, hi

    # ---- usage of a whole choice ---------------------------------------------------------

    def usage(self, choice: Mapping[str, NetPlan], up: Mapping[str, set]) -> dict:
        """Per side: (level-0 tracks by key, count, level-2 tracks by net, count, level-0
        intervals, level-2 intervals). Keys of pads are "net@x"."""
        ivs0: dict[str, list] = {s: [] for s in SIDES}
        ivs2: dict[str, list] = {s: [] for s in SIDES}
        for net, plan in choice.items():
            for side in plan.wires:
                if net in up[side]:
                    e2 = self.up_layer[side].width // 2
                    ivs0[side] += [(f"{net}@{x}", *self.extent(side, plan, (x, x)))
                                   for x in self.pads(side, plan)]
                    lo, hi = plan.wires[side]
                    ivs2[side].append((net, lo - e2, hi + e2))
                else:
                    ivs0[side].append((net, *self.extent(side, plan)))
        res = {}
        for side in SIDES:
            # pins spread over the free tracks, so that each can grow for access
            t0, n0 = assign_tracks(ivs0[side], len(self.grids[side].tracks),
                                   self.lay[side].spacing, spread=True)
            t0 = self._pins_inside(side, t0, n0, choice)
            t2, n2 = (assign_tracks(ivs2[side], 0, self.up_layer[side].spacing) if ivs2[side]
                      else ({}, 0))
            res[side] = (t0, n0, t2, n2, ivs0[side], ivs2[side])
        return res

    def _pins_inside(self, side: str, t0: dict[str, int], n0: int,
                     choice: Mapping[str, NetPlan]) -> dict[str, int]:
        """Move the tracks carrying the most pins nearest the middle of the cell: a pin on a
        track at the cell's edge is an M1 pitch or two from the pins of the cell in the next
        row, and two via pads on one M1 track cannot come that close (end-of-line rule)."""
        tracks = self.grids[side].tracks
        if n0 > len(tracks) or not t0:
            return t0
        pins: dict[int, int] = {}
        for key, t in t0.items():
            plan = choice.get(key.split("@", 1)[0])
            if plan is not None and side in plan.pin_sides:
                pins[t] = pins.get(t, 0) + 1
        used = sorted(set(t0.values()), key=lambda t: (-pins.get(t, 0), t))
        inner = sorted(range(len(tracks)), key=lambda i: (abs(2 * tracks[i] - self.height), i))
        perm = {t: inner[r] for r, t in enumerate(used)}
        return {k: perm[v] for k, v in t0.items()}

    def stub_conflicts(self, res, up: Mapping[str, set]) -> int:
        """Pairs of level-1 stubs of different nets closer than the level-1 spacing."""
        n = 0
        for side in SIDES:
            if not up[side]:
                continue
            l1 = self.tech.layers(side)[1]
            t0, _n0, t2, _n2, ivs0, _ivs2 = res[side]
            tracks, up_tracks = self.grids[side].tracks, self.up_grid[side]
            stubs = []
            for key, _lo, _hi in ivs0:
                if "@" not in key:
                    continue
                net, x = key.rsplit("@", 1)
                i0, i2 = t0[key], t2.get(net, 0)
                if i0 >= len(tracks) or i2 >= len(up_tracks):
                    continue
                stubs.append((net, int(x), *self.stub_span(side, tracks[i0], up_tracks[i2])))
            for a in range(len(stubs)):
                for b in range(a + 1, len(stubs)):
                    na, xa, ya0, ya1 = stubs[a]
                    nb, xb, yb0, yb1 = stubs[b]
                    if na != nb and abs(xa - xb) < l1.width + l1.spacing and \
                            ya0 < yb1 + l1.spacing and yb0 < ya1 + l1.spacing:
                        n += 1
        return n

    def overflow(self, res, up: Mapping[str, set]) -> int:
        """Tracks missing on level 0 and level 2 plus colliding level-1 stubs."""
        over = sum(max(0, res[s][1] - len(self.grids[s].tracks))
                   + max(0, res[s][3] - len(self.up_grid[s])) for s in SIDES)
        return over + self.stub_conflicts(res, up)

    def score(self, res, up: Mapping[str, set]) -> tuple[int, int]:
        """Fewest overflowing tracks and stub conflicts, then least level-0 wire."""
        return self.overflow(res, up), sum(hi - lo for s in SIDES for _n, lo, hi in res[s][4])

    # ---- search ----------------------------------------------------------------------------

    def solve(self, options: Mapping[str, list[NetPlan]]):
        """(choice {net: plan}, lifted {side: nets}, usage) after the local search."""
        choice = {net: opts[0] for net, opts in options.items()}
        up: dict[str, set] = {s: set() for s in SIDES}
        res = self.usage(choice, up)
        current = self.score(res, up)
        for _round in range(MAX_ROUNDS):
            if current[0] == 0:
                break
            best = None
            for net, opts in options.items():
                for alt in opts:
                    if alt is choice[net]:
                        continue
                    trial = dict(choice)
                    trial[net] = alt
                    r2 = self.usage(trial, up)
                    sc = self.score(r2, up)
                    if best is None or sc < best[0]:
                        best = (sc, trial, up, r2)
            for side in SIDES:
                if not self.has_up[side]:
                    continue
                for net in sorted(n for n, p in choice.items() if side in p.wires):
                    ups = {s: set(v) for s, v in up.items()}
                    ups[side] ^= {net}
                    r2 = self.usage(choice, ups)
                    sc = self.score(r2, ups)
                    if best is None or sc < best[0]:
                        best = (sc, choice, ups, r2)
            if best is None or best[0] >= current:
                break
            current, choice, up, res = best
        return choice, up, res

    def shortage(self, res, up: Mapping[str, set]) -> list[tuple[str, int, int]]:
        """(layer, tracks needed, tracks available) of every overflowing layer."""
        needed = {s: res[s][1] for s in SIDES}
        short = [(self.lay[s].name, needed[s], len(self.grids[s].tracks)) for s in SIDES
                 if needed[s] > len(self.grids[s].tracks)]
        if not short and self.stub_conflicts(res, up):
            short = [(self.lay[s].name, needed[s] + 1, len(self.grids[s].tracks))
                     for s in SIDES if up[s]]
        short += [(self.up_layer[s].name, res[s][3], len(self.up_grid[s])) for s in SIDES
                  if res[s][3] > len(self.up_grid[s])]
        return short
