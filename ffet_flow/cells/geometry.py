"""Integer-dbu rectangle helpers, the M0/BM0 track grid inside a cell, and track assignment.

All lengths are database units (dbu). A Rect is (x0, y0, x1, y1) with x0 < x1, y0 < y1, in the
cell's frame (origin at its lower-left corner).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Rect = tuple[int, int, int, int]


def rect_gap(a: Rect, b: Rect) -> tuple[int, int]:
    """Axis gaps (dx, dy) between two rects; both 0 when they overlap or touch."""
    dx = max(a[0] - b[2], b[0] - a[2], 0)
    dy = max(a[1] - b[3], b[1] - a[3], 0)
    return dx, dy


@dataclass(frozen=True)
class SideGrid:
    """The horizontal track grid of one cell side's level-0 layer (M0 or BM0).

    tracks: y of every track a signal wire may use (dbu, bottom-up); rails: (net, y_center,
    width) of each supply rail on this layer, centred on a cell edge.
    """

    layer: str
    tracks: tuple[int, ...]
    rails: tuple[tuple[str, int, int], ...]


def layer_tracks(offset: int, pitch: int, width: int, spacing: int, height: int,
                 rail_edges: Sequence[int]) -> tuple[int, ...]:
    """Tracks y = offset + k * pitch whose wire fits inside the cell.

    A wire of `width` centred on a track must (i) stay at least spacing / 2 from a cell edge
    without a rail, so that the track mirrored into the abutting row (rows flip, SYMMETRY X) keeps
    the minimum spacing, and (ii) leave room for a rail of at least `width` on every edge in
    `rail_edges` (y = 0 or y = height), i.e. its distance to that edge is at least
    width / 2 + spacing + width / 2.
    """
    half = width // 2
    out = []
    k = 0
    while True:
        y = offset + k * pitch
        if y - half > height:
            break
        k += 1
        ok = True
        for edge in (0, height):
            dist = abs(y - edge)
            need = (width + spacing) if edge in rail_edges else (half + (spacing + 1) // 2)
            if dist < need:
                ok = False
        if ok and y - half >= 0 and y + half <= height:
            out.append(y)
    return tuple(out)


def rail_width(tracks: Sequence[int], edge: int, width: int, spacing: int, pitch: int) -> int:
    """Width of a rail centred on `edge` on a layer that also carries signal tracks.

    The rail takes the room left between the edge and the nearest track (keeping the minimum
    spacing on both of its sides: this cell's track and, mirrored, the abutting row's), at least
    the layer's minimum width and at most one track pitch. Rounded down to an even number of dbu
    so that the rail is symmetric about the edge.
    """
    if tracks:
        nearest = min(abs(t - edge) for t in tracks)
        room = 2 * (nearest - width // 2 - spacing)
    else:
        room = pitch
    w = max(width, min(room, pitch))
    return w - (w % 2)


def assign_tracks(intervals: Sequence[tuple[str, int, int]], n_tracks: int,
                  spacing: int, spread: bool = False) -> tuple[dict[str, int], int]:
    """Left-edge track assignment of horizontal wires (one interval per net).

    intervals: (net, x0, x1) in dbu. Two wires may share a track when the line-end gap between
    them is at least `spacing`. First-fit in order of the left edge is optimal for interval
    graphs (the number of tracks used equals the largest number of wires crossing any x).
    With `spread`, a wire takes a track of its own while fewer than `n_tracks` are in use
    (else the free track that has been free longest): still optimal, since a new track is only
    opened below the limit, and it leaves each pin room along its track for router access.
    Returns ({net: track index}, tracks used); may use more than `n_tracks` (the caller reports).
    """
    order = sorted(intervals, key=lambda iv: (iv[1], iv[2], iv[0]))
    ends: list[int] = []  # right end of the last wire on each track
    out: dict[str, int] = {}
    for net, x0, x1 in order:
        free = [t for t, end in enumerate(ends) if x0 - end >= spacing]
        if spread and len(ends) < n_tracks:
            free = []
        elif spread and free:
            free = [min(free, key=lambda t: (ends[t], t))]
        if free:
            ends[free[0]] = x1
            out[net] = free[0]
        else:
            ends.append(x1)
            out[net] = len(ends) - 1
    return out, len(ends)
