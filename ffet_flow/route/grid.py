"""The global-routing grid of one wafer side: gcells, layers, per-edge capacities.

All coordinates are integer database units (dbu). A side's grid is three-dimensional: the 2D
gcell array (nx x ny) times the side's routing layers. Each layer has a preferred direction;
a horizontal layer offers capacity on the edges between horizontally adjacent gcells
(arrays of shape (nx - 1, ny)), a vertical one on the edges between vertically adjacent gcells
(shape (nx, ny - 1)). Capacity counts the layer's tracks that cross the gcell boundary
(FastRoute's definition: the tracks of the preferred direction inside the gcell row/column),
minus a user adjustment fraction (OpenROAD's `set_global_routing_layer_adjustment`), minus the
tracks blocked by obstructions (cell OBS, special-net stripes, pins on routing layers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RouteLayer:
    """One routing layer of a side. Lengths in dbu.

    `level` is the layer's position in the side's full metal stack (M0 = 0 / metal1 = 0), so
    the number of vias between two layers is the difference of their levels. `track_start`,
    `track_step` and `track_count` describe the preferred-direction tracks (DEF TRACKS);
    `track_count` 0 means "fill the die".
    """

    name: str
    level: int
    horizontal: bool
    pitch: int
    width: int
    track_start: int
    track_step: int
    track_count: int = 0

    def tracks(self, lo: int, hi: int) -> np.ndarray:
        """Track coordinates (y for horizontal, x for vertical layers) inside [lo, hi)."""
        step = self.track_step or self.pitch
        if self.track_count:
            t = self.track_start + step * np.arange(self.track_count, dtype=np.int64)
        else:
            first = self.track_start + step * max(0, -(-(lo - self.track_start) // step))
            t = np.arange(first, hi, step, dtype=np.int64)
        return t[(t >= lo) & (t < hi)]


@dataclass(frozen=True)
class Grid:
    """Gcell boundaries: `xs` (nx + 1 values) and `ys` (ny + 1 values), dbu, increasing."""

    xs: np.ndarray
    ys: np.ndarray

    @property
    def nx(self) -> int:
        return len(self.xs) - 1

    @property
    def ny(self) -> int:
        return len(self.ys) - 1

    @property
    def cx(self) -> np.ndarray:
        """Gcell centres in x (dbu, integer division)."""
        return (self.xs[:-1] + self.xs[1:]) // 2

    @property
    def cy(self) -> np.ndarray:
        return (self.ys[:-1] + self.ys[1:]) // 2

    def locate(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Gcell indices of points (dbu); points outside are clamped to the border gcells."""
        i = np.searchsorted(self.xs, np.asarray(x), side="right") - 1
        j = np.searchsorted(self.ys, np.asarray(y), side="right") - 1
        return np.clip(i, 0, self.nx - 1), np.clip(j, 0, self.ny - 1)


def make_grid(die: tuple[int, int, int, int], step_x: int, step_y: int | None = None,
              origin: tuple[int, int] | None = None) -> Grid:
    """Uniform gcells of `step_x` x `step_y` dbu over the die (x0, y0, x1, y1).

    Like OpenROAD, the last gcell of a row/column absorbs the remainder when it is smaller
    than a full gcell (so no sliver gcells with almost no capacity exist).
    """
    step_y = step_y or step_x
    x0, y0, x1, y1 = die
    ox, oy = origin or (x0, y0)

    def edges(lo: int, o: int, hi: int, step: int) -> np.ndarray:
        e = np.arange(o, hi, step, dtype=np.int64)
        e = e[e > lo]
        e = np.concatenate(([lo], e, [hi])).astype(np.int64)
        if len(e) > 2 and e[-1] - e[-2] < step:
            e = np.delete(e, -2)
        return np.unique(e)

    return Grid(edges(x0, ox, x1, step_x), edges(y0, oy, y1, step_y))


def grid_from_gcellgrid(die: tuple[int, int, int, int], x_lines: np.ndarray,
                        y_lines: np.ndarray) -> Grid:
    """Grid from the lines of a DEF GCELLGRID (clipped to the die, die edges added)."""
    x0, y0, x1, y1 = die
    xs = np.unique(np.concatenate(([x0, x1], np.asarray(x_lines)[(x_lines > x0) & (x_lines < x1)])))
    ys = np.unique(np.concatenate(([y0, y1], np.asarray(y_lines)[(y_lines > y0) & (y_lines < y1)])))
    return Grid(xs.astype(np.int64), ys.astype(np.int64))


@dataclass(frozen=True)
class Blockage:
    """A rectangle (dbu) on one layer that removes the tracks it covers."""

    layer: str
    x0: int
    y0: int
    x1: int
    y1: int


def layer_capacity(grid: Grid, layer: RouteLayer, adjustment: float = 0.0,
                   blockages: Sequence[Blockage] = ()) -> np.ndarray:
    """Integer capacity (tracks) of every gcell edge of `layer`'s preferred direction.

    Returns shape (nx - 1, ny) for a horizontal layer, (nx, ny - 1) for a vertical one.
    The adjustment removes `floor`-rounded fraction of the tracks of every edge (OpenROAD's
    layer adjustment). A blockage removes each track it covers in proportion to the part of the
    edge (the span between the two gcell centres) it covers; the track is counted as covered
    when the blockage comes within half a wire width plus the layer's spacing (pitch - width)
    of its centre line, the clearance a wire on that track would need.
    """
    if layer.horizontal:
        along_c = grid.cx
        lines = layer.tracks(int(grid.ys[0]), int(grid.ys[-1]))
        row = np.searchsorted(grid.ys, lines, side="right") - 1
        per_row = np.bincount(row, minlength=grid.ny)[: grid.ny].astype(float)
        cap = np.repeat(per_row[None, :], max(grid.nx - 1, 0), axis=0)
    else:
        along_c = grid.cy
        lines = layer.tracks(int(grid.xs[0]), int(grid.xs[-1]))
        col = np.searchsorted(grid.xs, lines, side="right") - 1
        per_col = np.bincount(col, minlength=grid.nx)[: grid.nx].astype(float)
        cap = np.repeat(per_col[:, None], max(grid.ny - 1, 0), axis=1)
    cap = np.floor(cap * (1.0 - adjustment) + 1e-9)
    if len(blockages) and cap.size:
        lost = np.zeros_like(cap)
        clearance = layer.width // 2 + max(layer.pitch - layer.width, 0)
        e_lo, e_hi = along_c[:-1], along_c[1:]
        e_len = np.maximum(e_hi - e_lo, 1).astype(float)
        for b in blockages:
            if b.layer != layer.name:
                continue
            if layer.horizontal:
                a0, a1, c0, c1 = b.x0, b.x1, b.y0, b.y1
                cells = grid.ys
            else:
                a0, a1, c0, c1 = b.y0, b.y1, b.x0, b.x1
                cells = grid.xs
            hit = lines[(lines > c0 - clearance) & (lines < c1 + clearance)]
            if not len(hit):
                continue
            where = np.searchsorted(cells, hit, side="right") - 1
            counts = np.bincount(where, minlength=len(cells) - 1)[: len(cells) - 1]
            k = np.nonzero(counts)[0]
            frac = np.clip((np.minimum(e_hi, a1) - np.maximum(e_lo, a0)) / e_len, 0.0, 1.0)
            e = np.nonzero(frac)[0]
            if not len(e):
                continue
            if layer.horizontal:
                lost[np.ix_(e, k)] += frac[e][:, None] * counts[k][None, :]
            else:
                lost[np.ix_(k, e)] += counts[k][:, None] * frac[e][None, :]
        cap = np.maximum(cap - np.round(lost, 6), 0.0)
        cap = np.floor(cap + 1e-9)
    return cap.astype(np.int32)


@dataclass(frozen=True)
class SideGrid:
    """A side's grid with its layers and per-layer capacities (index i of `layers`)."""

    grid: Grid
    layers: tuple[RouteLayer, ...]
    capacity: tuple[np.ndarray, ...]

    def capacity_2d(self) -> tuple[np.ndarray, np.ndarray]:
        """Capacities summed over the layers of each direction: (H edges, V edges)."""
        g = self.grid
        cap_h = np.zeros((max(g.nx - 1, 0), g.ny), dtype=np.int32)
        cap_v = np.zeros((g.nx, max(g.ny - 1, 0)), dtype=np.int32)
        for layer, cap in zip(self.layers, self.capacity, strict=True):
            if layer.horizontal:
                cap_h += cap
            else:
                cap_v += cap
        return cap_h, cap_v


def build_side_grid(grid: Grid, layers: Sequence[RouteLayer], adjustment: float = 0.0,
                    blockages: Sequence[Blockage] = ()) -> SideGrid:
    layers = tuple(sorted(layers, key=lambda la: la.level))
    caps = tuple(layer_capacity(grid, la, adjustment, blockages) for la in layers)
    return SideGrid(grid, layers, caps)
