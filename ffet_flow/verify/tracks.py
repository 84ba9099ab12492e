"""`offtrack`: DEF wiring off the DEF TRACKS (numpy over the wire segments and via sites).

- A wire segment of NETS (not SPECIALNETS) running in its layer's preferred direction must
  have its centre line on a track of that layer across that direction (a HORIZONTAL layer's
  `TRACKS Y`, a VERTICAL layer's `TRACKS X`). Segments across the preferred direction (jogs)
  are not checked.
- A via of NETS must have its cut centre on a crossing of tracks of the two metal layers its
  cut layer joins: x on an X track of one of them and y on a Y track of the other.
A layer without tracks on the axis a check needs is not checked (and named in the report).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ffet_flow.io.def_ import Tracks
from ffet_flow.verify.drc import Violations
from ffet_flow.verify.layout import Geometry

MARKERS = 1000  # marker shapes kept per layer (the counts are complete)


def _tracks(tracks: Sequence[Tracks]) -> dict[tuple[str, str], list[tuple[int, int, int]]]:
    """(layer, axis) -> [(start, num, step)]."""
    out: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    for t in tracks:
        for layer in t.layers:
            out.setdefault((layer, t.axis), []).append((t.start, t.num, t.step))
    return out


def on_tracks(values: np.ndarray, grids: Sequence[tuple[int, int, int]]) -> np.ndarray:
    """Which of `values` (dbu) lie on one of the track grids (start, num, step)."""
    ok = np.zeros(values.shape, dtype=bool)
    for start, num, step in grids:
        rel = values - start
        if step <= 0:
            ok |= rel == 0
            continue
        ok |= (rel % step == 0) & (rel >= 0) & (rel // step < num)
    return ok


def offtrack(g: Geometry) -> tuple[list[Violations], list[str]]:
    """Violations per metal (wires) and cut layer (vias), and the layers not checked."""
    import klayout.db as kdb

    grid = _tracks(g.design.tracks)
    out: list[Violations] = []
    skipped: set[str] = set()
    wires: dict[str, list[tuple[int, int, int, int]]] = {}
    for _net, layer, x0, y0, x1, y1 in g.segments():
        wires.setdefault(layer, []).append((x0, y0, x1, y1))
    for layer, segs in sorted(wires.items()):
        rule = g.rules.metals.get(layer)
        if rule is None or rule.direction not in ("HORIZONTAL", "VERTICAL"):
            continue
        a = np.array(segs, dtype=np.int64)
        horizontal = rule.direction == "HORIZONTAL"
        axis, across, along = ("Y", 1, (0, 2)) if horizontal else ("X", 0, (1, 3))
        preferred = (a[:, across] == a[:, across + 2]) & (a[:, along[0]] != a[:, along[1]])
        if not preferred.any():
            continue
        if (layer, axis) not in grid:
            skipped.add(layer)
            continue
        bad = a[preferred & ~on_tracks(a[:, across], grid[(layer, axis)])]
        edges = kdb.Edges([kdb.Edge(*s) for s in bad[:MARKERS].tolist()])
        out.append(Violations("offtrack", layer, rule.side,
                              f"{rule.direction.lower()} wires off the TRACKS {axis} of "
                              f"{layer}", edges=edges, total=len(bad)))
    out.extend(_via_offtrack(g, grid, skipped))
    return out, sorted(skipped)


def _via_offtrack(g: Geometry, grid, skipped: set[str]) -> list[Violations]:
    import klayout.db as kdb

    special = {n.name for n in g.design.specialnets}  # power vias are not on signal tracks
    found: dict[str, list] = {}
    for via, every in sorted(g.vias.items()):
        placed = [site for site in every if site[2] not in special] if special else every
        cuts = [(layer, p) for layer, p in g.via_shapes.get(via, []) if layer in g.rules.cuts]
        if not cuts or not placed:
            continue
        layer = cuts[0][0]
        box = kdb.Region([p for la, p in cuts if la == layer]).bbox()
        rule = g.rules.cuts[layer]
        xs = [grid.get((m, "X")) for m in (rule.below, rule.above)]
        ys = [grid.get((m, "Y")) for m in (rule.below, rule.above)]
        if not any(xs) or not any(ys):
            skipped.add(layer)
            continue
        pts = np.array([(x, y) for x, y, _ in placed], dtype=np.int64)
        cx = pts[:, 0] + (box.left + box.right) // 2
        cy = pts[:, 1] + (box.bottom + box.top) // 2

        def on(values, grids):
            return on_tracks(values, grids) if grids else np.zeros(values.shape, dtype=bool)

        ok = (on(cx, xs[0]) & on(cy, ys[1])) | (on(cx, xs[1]) & on(cy, ys[0]))
        bad = pts[~ok]
        total, boxes = found.setdefault(layer, [0, []])
        found[layer][0] += len(bad)
        boxes.extend(box.moved(x, y) for x, y in bad[:max(0, MARKERS - len(boxes))].tolist())
    out = []
    for layer, (total, boxes) in sorted(found.items()):
        rule = g.rules.cuts[layer]
        markers = kdb.Region(boxes) if boxes else kdb.Region()
        markers.merged_semantics = False
        out.append(Violations("offtrack", layer, rule.side,
                              f"via cuts off the track crossings of {rule.below} and "
                              f"{rule.above}", polygons=markers, total=total))
    return out
