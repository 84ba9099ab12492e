"""Row-local legalization: site grid and fixed cells (what Coloquinte 0.4 does not do).

Coloquinte's rows have no sites: its legal positions are any integer x, so every cell is snapped
to the nearest site here (packing keeps the order and removes overlaps the snapping creates).

Coloquinte's legalizer displaces cells by tens of microns when rows are split by fixed cells
(medium01's tap cells: mean displacement 49 um, HPWL x3), whether the fixed cells are given as
obstructions or the rows are cut. So the engine legalizes on whole rows with fixed cells
transparent, and this pass then moves the movable cells off the fixed ones: per row, each cell
goes to the free segment (row minus fixed footprints, on the site grid) holding its centre, or
the nearest one with room, and each segment is packed in x order with the least shifting
(left-to-right push, then right-to-left push). Cells that fit in no segment of their row go to
the nearest row with room. Coordinates in dbu.
"""

from __future__ import annotations

import numpy as np

from ffet_flow.place.problem import PlaceProblem, RowSpec
from ffet_flow.place.rows import free_rows


def _pack(cells: list[int], x: np.ndarray, w: np.ndarray, seg: RowSpec) -> None:
    """Place `cells` (sorted by x) inside `seg` in order, moving each as little as possible."""
    pos = []
    end = seg.x0
    step = seg.step
    for c in cells:
        p = seg.x0 + ((int(x[c]) - seg.x0 + step // 2) // step) * step  # nearest site
        p = max(p, end)
        pos.append(p)
        end = seg.x0 + -(-(p + int(w[c]) - seg.x0) // step) * step  # next free site
    limit = seg.x1
    for k in range(len(cells) - 1, -1, -1):
        c = cells[k]
        if pos[k] + w[c] > limit:
            p = limit - int(w[c])
            pos[k] = seg.x0 + ((p - seg.x0) // seg.step) * seg.step
        limit = pos[k]
    for k, c in enumerate(cells):
        x[c] = pos[k]


def repair(p: PlaceProblem, x: np.ndarray, y: np.ndarray, orient: list[str]) -> int:
    """Snap movable cells to the site grid and move them off fixed ones, in place.

    Returns the number of cells moved."""
    segs_by_y: dict[int, list[RowSpec]] = {}
    for s in free_rows(p):
        segs_by_y.setdefault(s.y0, []).append(s)
    row_orient = {r.y0: r.orient for r in p.rows}
    ys = sorted(segs_by_y)
    x_before, y_before = x.copy(), y.copy()
    movable = np.flatnonzero(~p.fixed)
    w = p.width
    members: dict[tuple[int, int], list[int]] = {}
    room: dict[tuple[int, int], int] = {}
    for yy in ys:
        for j, s in enumerate(segs_by_y[yy]):
            members[(yy, j)] = []
            room[(yy, j)] = s.x1 - s.x0
    overflow: list[int] = []
    order = movable[np.lexsort((x[movable], y[movable]))]
    for c in order.tolist():
        segs = segs_by_y.get(int(y[c]))
        if segs is None:
            overflow.append(c)
            continue
        centre = int(x[c]) + int(w[c]) // 2
        best, best_d = -1, None
        for j, s in enumerate(segs):
            if room[(int(y[c]), j)] < w[c]:
                continue
            d = 0 if s.x0 <= centre < s.x1 else min(abs(centre - s.x0), abs(centre - s.x1))
            if best_d is None or d < best_d:
                best, best_d = j, d
        if best < 0:
            overflow.append(c)
            continue
        members[(int(y[c]), best)].append(c)
        room[(int(y[c]), best)] -= int(w[c])
    for c in overflow:  # nearest row (then nearest segment) with room
        centre = int(x[c]) + int(w[c]) // 2
        cands = [(abs(yy - int(y[c])), min(abs(centre - s.x0), abs(centre - s.x1)), yy, j)
                 for yy in ys for j, s in enumerate(segs_by_y[yy]) if room[(yy, j)] >= w[c]]
        if not cands:
            continue  # no room anywhere: left for the checker to report
        _, _, yy, j = min(cands)
        s = segs_by_y[yy][j]
        x[c] = min(max(int(x[c]), s.x0), s.x1 - int(w[c]))
        y[c] = yy
        members[(yy, j)].append(c)
        room[(yy, j)] -= int(w[c])
    for (yy, j), cells in members.items():
        if cells:
            cells.sort(key=lambda c: (int(x[c]), c))
            _pack(cells, x, w, segs_by_y[yy][j])
    for c in np.flatnonzero(y != y_before).tolist():
        ro = row_orient.get(int(y[c]), orient[c])
        orient[c] = ro if orient[c] in ("N", "FS") else {"N": "FN", "FS": "S"}.get(ro, ro)
    return int(((x != x_before) | (y != y_before)).sum())
