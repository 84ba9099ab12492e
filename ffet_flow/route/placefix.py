"""Placement repair for pin access, before detailed routing.

Every cell alone has an access point for each pin in every placement phase it may take
(ffet_flow.cells.access, pins.json site residues); what a cell cannot know is its neighbours.
A lifted pin's level-1 stub in the row below may sit right where a pin's only access pads
would go, and two pins stacked in neighbouring rows may each have their only access point on
the same level-1 track, too close for two via pads. Such a pin cannot be routed whatever the
router does. `repair_access` finds the cells with such a pin (on any side) and moves each to
the nearest free site of its row (keeping its site residue) where all its pins, and those of
its new neighbours, can be reached with conflict-free access points, judged on a small track
graph around the new place with the same access machinery the router uses.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ffet_flow.io.def_ import Components, Design
from ffet_flow.io.lef import Library
from ffet_flow.log import get_logger
from ffet_flow.route.access import Terminal, placed_rect, side_terminals
from ffet_flow.route.pinassign import assign_access
from ffet_flow.route.rules import SideRules
from ffet_flow.route.trackgraph import FREE, TrackGraph, build_graph

log = get_logger("route")
#: sites a cell may move (each way) to find pin access
MAX_SHIFT_SITES = 12
#: the local graph reaches this far (dbu) around the moved cell, and one row above and below
MARGIN = 600


@dataclass(frozen=True)
class SideAccess:
    """What the repair needs of one side: its rules and track coordinates per level."""

    rules: SideRules
    coords: Mapping[int, np.ndarray]


def usable(g: TrackGraph, t: Terminal, net: int) -> np.ndarray:
    own = g.owner[t.nodes]
    return t.nodes[(own == FREE) | (own == net)]


def bad_instances(terms: Mapping[str, Sequence[Terminal]], g: TrackGraph,
                  net_ids: Mapping[str, int]) -> set[str]:
    """Instances with a pin that has no usable access point or whose access points all
    conflict with their neighbours' (after assign_access)."""
    filtered = {n: [Terminal(t.name, usable(g, t, net_ids[n]), t.vias) for t in ts]
                for n, ts in terms.items()}
    out = {t.name.split("/")[0] for ts in filtered.values() for t in ts if not len(t.nodes)}
    _chosen, left = assign_access(g, filtered, net_ids, stacked=False)
    out |= {filtered[n][ti].name.split("/")[0] for n, ti in left}
    out.discard("PIN")
    return out


def _mini_design(design: Design, lib: Library, keep: Sequence[int], box) -> Design:
    """The cells `keep` (component indices) and the nets among them, plus the I/O pins and
    special nets inside `box`, as a small Design."""
    comps = design.components
    sub = Components()
    names = set()
    for i in keep:
        sub.add(comps.names[i], comps.macros[i], int(comps.x[i]), int(comps.y[i]),
                comps.orients[i])
        names.add(comps.names[i])
    io = [p for p in design.pins if p.shapes and _hits(p.abs_shapes()[0][1], box)]
    io_names = {p.name for p in io}
    nets = []
    for net in design.nets:
        conns = [(c, p) for c, p in net.conns if c in names or (c == "PIN" and p in io_names)]
        if conns:
            nets.append(type(net)(net.name, conns, use=net.use))
    return Design(name=design.name, dbu=design.dbu, die_area=box, rows=design.rows,
                  components=sub, pins=io, nets=nets, specialnets=design.specialnets)


def _hits(r, box) -> bool:
    return r[0] < box[2] and box[0] < r[2] and r[1] < box[3] and box[1] < r[3]


class _Placement:
    """Rows of the placement: the cells of each row in x order, for free-space queries."""

    def __init__(self, design: Design, lib: Library):
        self.design, self.lib = design, lib
        comps = design.components
        self.rows: dict[int, list[tuple[int, int, int]]] = {}  # y -> [(x0, x1, index)]
        self.widths = np.array([lib.macros[m].width for m in comps.macros], dtype=np.int64)
        self.heights = np.array([lib.macros[m].height for m in comps.macros], dtype=np.int64)
        for i in range(len(comps)):
            self.rows.setdefault(int(comps.y[i]), []).append(
                (int(comps.x[i]), int(comps.x[i] + self.widths[i]), i))
        for cells in self.rows.values():
            cells.sort()
        self.row_of = {r.y: r for r in design.rows}

    def neighbours(self, box) -> list[int]:
        out = []
        for y, cells in self.rows.items():
            if y + int(self.heights[cells[0][2]]) <= box[1] or y >= box[3]:
                continue
            k = bisect.bisect_left(cells, (box[0] - 4000, 0, 0))
            while k < len(cells) and cells[k][0] < box[2]:
                if cells[k][1] > box[0]:
                    out.append(cells[k][2])
                k += 1
        return out

    def free(self, i: int, x: int, y: int) -> bool:
        """Whether cell i fits at (x, y) (alone: the others stay)."""
        row = self.row_of.get(y)
        w = int(self.widths[i])
        if row is None or x < row.x or x + w > row.x + row.num_x * row.step_x:
            return False
        cells = self.rows.setdefault(y, [])
        k = bisect.bisect_left(cells, (x - 100000, 0, 0))
        for a, b, j in cells[max(0, k - 1):]:
            if a >= x + w:
                break
            if j != i and b > x and a < x + w:
                return False
        return True

    def move(self, i: int, x: int, y: int, orient: str) -> None:
        comps = self.design.components
        self.rows[int(comps.y[i])].remove((int(comps.x[i]), int(comps.x[i] + self.widths[i]), i))
        comps.x[i], comps.y[i], comps.orients[i] = x, y, orient
        bisect.insort(self.rows.setdefault(y, []), (x, x + int(self.widths[i]), i))


def _local_ok(design: Design, lib: Library, place: _Placement, i: int,
              sides: Mapping[str, SideAccess], net_ids: Mapping[str, int],
              pending: set[str]) -> bool:
    """Whether cell i and its neighbours have conflict-free access where they stand now (the
    neighbours still `pending` a move of their own are not held against it)."""
    comps = design.components
    m = lib.macros[comps.macros[i]]
    cell = placed_rect((0, 0, m.width, m.height), m, comps.orients[i], int(comps.x[i]),
                       int(comps.y[i]))
    box = (cell[0] - MARGIN, cell[1] - m.height, cell[2] + MARGIN, cell[3] + m.height)
    keep = place.neighbours((box[0] - MARGIN, box[1] - MARGIN, box[2] + MARGIN, box[3] + MARGIN))
    mini = _mini_design(design, lib, keep, box)
    near = {comps.names[j] for j in place.neighbours(
        (cell[0] - MARGIN // 2, cell[1] - m.height // 2, cell[2] + MARGIN // 2,
         cell[3] + m.height // 2))} - (pending - {comps.names[i]})
    for sa in sides.values():
        levels = [lv for lv in (1, 2) if lv in sa.coords and sa.rules.metals[lv].routable]
        if len(levels) < 2:
            continue
        g = build_graph(sa.rules, levels, sa.coords, box)
        terms = side_terminals(mini, lib, g, sa.rules, net_ids, min_terminals=1)
        if bad_instances(terms, g, net_ids) & near:
            return False
    return True


def _orient_on(orient: str, old_row: str, new_row: str) -> str:
    """A cell's orientation after moving from a row of orientation old_row to one of new_row:
    flipped in y with the row, keeping any mirror in x."""
    if old_row == new_row:
        return orient
    flip = {"N": "FS", "FS": "N", "FN": "S", "S": "FN"}
    return flip.get(orient, orient)


def repair_access(design: Design, lib: Library, sides: Mapping[str, SideAccess],
                  bad: set[str], net_ids: Mapping[str, int],
                  residues: Mapping[str, set[int]], modulus: int) -> list[tuple[str, int, int]]:
    """Move the cells in `bad` where their pins (and their new neighbours') can be reached;
    returns (cell, old x, new x) of every move. Cells with no such place within
    MAX_SHIFT_SITES sites stay (the router then reports them)."""
    comps = design.components
    index = {n: k for k, n in enumerate(comps.names)}
    place = _Placement(design, lib)
    moves = []
    pending = set(bad)
    for name in sorted(bad):
        i = index.get(name)
        if i is None or comps.status[i] == "FIXED":
            continue
        row = place.row_of.get(int(comps.y[i]))
        if row is None:
            continue
        x0, y0, o0 = int(comps.x[i]), int(comps.y[i]), comps.orients[i]
        ok_res = residues.get(comps.macros[i])
        rows = sorted(place.row_of.values(), key=lambda r: (abs(r.y - y0), r.y))[:5]
        cands = sorted(((abs(d) + 4 * abs(r.y - y0) // max(r.step_x, 1), d, r.y, r)
                        for r in rows for d in range(-MAX_SHIFT_SITES, MAX_SHIFT_SITES + 1)
                        if (d, r.y) != (0, y0)), key=lambda c: c[:3])
        for _cost, d, y, r in cands:
            x = x0 + d * r.step_x
            site = (x - r.x) // r.step_x
            if ok_res is not None and modulus > 1 and site % modulus not in ok_res:
                continue
            if not place.free(i, x, y):
                continue
            # a cell takes its row's orientation (or that one mirrored in x, as it had)
            orient = _orient_on(o0, row.orient, r.orient)
            place.move(i, x, y, orient)
            if _local_ok(design, lib, place, i, sides, net_ids, pending):
                moves.append((name, x0, x))
                break
            place.move(i, x0, y0, o0)
        pending.discard(name)
    if moves:
        log.info("pin access: moved %d of %d cells whose pins could not be reached",
                 len(moves), len(bad))
    return moves
