"""Legality checker of a placement (our own; used by the tests and the flow).

Rules, all in integer dbu:
- every component lies inside the core (the union of the rows) and starts on a row (its y is a
  row's y and its x is on that row's site grid); multi-row cells must span whole rows;
- its orientation is the row's orientation or that orientation mirrored in x (N/FN on N rows,
  FS/S on FS rows);
- no two components overlap (fixed ones included);
- fixed components are where they were given (same x, y and orientation).
"""

from __future__ import annotations

import numpy as np

from ffet_flow.place.problem import PlaceProblem

_ROW_ORIENT_OK = {"N": ("N", "FN"), "FS": ("FS", "S"), "S": ("S", "FS"), "FN": ("FN", "N")}


def check_legality(p: PlaceProblem, x: np.ndarray, y: np.ndarray, orient: list[str],
                   limit: int = 20) -> list[str]:
    """Violations (at most `limit` listed, then a count line); empty when legal."""
    nc = p.n_components
    x, y = np.asarray(x[:nc], dtype=np.int64), np.asarray(y[:nc], dtype=np.int64)
    w, h = p.width[:nc], p.height[:nc]
    names = p.names
    problems: list[str] = []

    def add(msg: str) -> None:
        problems.append(msg)

    # fixed cells unmoved
    fixed = np.flatnonzero(p.fixed[:nc])
    moved = fixed[(x[fixed] != p.x[fixed]) | (y[fixed] != p.y[fixed])]
    for i in moved.tolist():
        add(f"fixed cell {names[i]} moved from ({p.x[i]}, {p.y[i]}) to ({x[i]}, {y[i]})")
    for i in fixed.tolist():
        if orient[i] != p.orient[i]:
            add(f"fixed cell {names[i]} changed orientation {p.orient[i]} -> {orient[i]}")

    # rows: map each movable cell's y to a row band
    rows = sorted(p.rows, key=lambda r: (r.y0, r.x0))
    movable = np.flatnonzero(~p.fixed[:nc])
    by_y: dict[int, list] = {}
    for r in rows:
        by_y.setdefault(r.y0, []).append(r)
    row_ys = np.array(sorted(by_y), dtype=np.int64)
    on_row = np.isin(y[movable], row_ys)
    for i in movable[~on_row].tolist():
        add(f"cell {names[i]} at y={y[i]} is not on a row")
    for i in movable[on_row].tolist():
        segs = by_y[int(y[i])]
        ok = False
        for r in segs:
            if r.x0 <= x[i] and x[i] + w[i] <= r.x1 and (x[i] - r.x0) % r.step == 0:
                ok = True
                if orient[i] not in _ROW_ORIENT_OK.get(r.orient, (r.orient,)):
                    add(f"cell {names[i]} orientation {orient[i]} on a {r.orient} row")
                if h[i] > r.height and not _spans_rows(int(y[i]), int(h[i]), by_y):
                    add(f"multi-row cell {names[i]} does not span whole rows")
                break
        if not ok:
            add(f"cell {names[i]} at ({x[i]}, {y[i]}) is off the site grid or outside the core")

    # overlaps: cut every cell into the row bands it covers, then sweep each band
    overlaps = _overlaps(x, y, w, h, row_ys, p.rows[0].height if p.rows else 1)
    for a, b in overlaps[: limit]:
        add(f"cells {names[a]} and {names[b]} overlap")
    if len(overlaps) > limit:
        add(f"... {len(overlaps)} overlapping pairs in all")
    if len(problems) > limit:
        problems = problems[:limit] + [f"... {len(problems)} violations in all"]
    return problems


def _spans_rows(y0: int, height: int, by_y: dict[int, list]) -> bool:
    y = y0
    while y < y0 + height:
        segs = by_y.get(y)
        if not segs:
            return False
        y += segs[0].height
    return y == y0 + height


def _overlaps(x, y, w, h, row_ys: np.ndarray, row_h: int) -> list[tuple[int, int]]:
    """Pairs of overlapping cells (zero-area cells ignored), found band by band."""
    keep = np.flatnonzero((w > 0) & (h > 0))
    if len(keep) == 0:
        return []
    # bands: rows' y grid (cells off rows use their own y as a band start)
    bands = np.unique(np.concatenate([row_ys, y[keep]]))
    first = np.searchsorted(bands, y[keep], side="right") - 1
    last = np.searchsorted(bands, y[keep] + h[keep], side="left") - 1
    reps = last - first + 1
    cell = np.repeat(keep, reps)
    band = np.repeat(first, reps) + (np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps,
                                                                        reps))
    order = np.lexsort((x[cell], band))
    cell, band = cell[order], band[order]
    x0, x1 = x[cell], x[cell] + w[cell]
    # offset every band so a running max of right edges never carries across bands
    span = int(x1.max() - x0.min()) + 1
    off = band.astype(np.int64) * span
    same = band[1:] == band[:-1]
    out: list[tuple[int, int]] = []
    hit = np.flatnonzero(same & (x0[1:] + off[1:] < np.maximum.accumulate(x1 + off)[:-1]))
    if len(hit) == 0:
        return out
    # exact pairs for the (few) hits: compare with the predecessors in the same band
    for k in hit.tolist():
        j = k
        while j >= 0 and band[j] == band[k + 1]:
            if x1[j] > x0[k + 1]:
                pair = (int(min(cell[j], cell[k + 1])), int(max(cell[j], cell[k + 1])))
                if pair not in out:
                    out.append(pair)
                break
            j -= 1
    return out
