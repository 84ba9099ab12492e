"""Half-perimeter wirelength, whole nets and per wafer side (vectorized, dbu in, microns out).

Dual-sided net model (DESIGN.md section 2): a net's front sub-net is its pins on the front or
on both sides (the dual-sided driver output is the junction), its back sub-net the pins on the
back or both sides. A sub-net with fewer than two pins has no wire.
"""

from __future__ import annotations

import numpy as np

from ffet_flow.place.problem import BACK, FRONT, PlaceProblem

# orientation code -> (mirror x, mirror y, swap axes); only N/S/FN/FS occur on rows
_ORIENT = {"N": (0, 0, 0), "S": (1, 1, 0), "FN": (1, 0, 0), "FS": (0, 1, 0),
           "W": (0, 1, 1), "E": (1, 0, 1), "FW": (0, 0, 1), "FE": (1, 1, 1)}


def orient_codes(orient: list[str]) -> np.ndarray:
    """(n, 3) int8 array of mirror-x, mirror-y, swap flags per cell."""
    return np.array([_ORIENT.get(o, (0, 0, 0)) for o in orient], dtype=np.int8).reshape(-1, 3)


def pin_positions(p: PlaceProblem, x: np.ndarray, y: np.ndarray,
                  orient: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Absolute pin positions (dbu) for cell lower-left corners x, y and orientations."""
    c = p.pin_cell
    dx, dy = p.pin_dx, p.pin_dy
    w, h = p.width[c], p.height[c]
    if orient is None:
        return x[c] + dx, y[c] + dy
    code = orient_codes(orient)[c]
    swap = code[:, 2].astype(bool)
    ex, ey = np.where(swap, dy, dx), np.where(swap, dx, dy)
    ew, eh = np.where(swap, h, w), np.where(swap, w, h)
    px = x[c] + np.where(code[:, 0].astype(bool), ew - ex, ex)
    py = y[c] + np.where(code[:, 1].astype(bool), eh - ey, ey)
    return px, py


def net_hpwl(p: PlaceProblem, px: np.ndarray, py: np.ndarray,
             side_mask: int | None = None) -> np.ndarray:
    """HPWL per net (dbu) over the pins whose side shares a bit with `side_mask` (all if None)."""
    n_nets = len(p.net_start) - 1
    counts = np.diff(p.net_start)
    net_of_pin = np.repeat(np.arange(n_nets), counts)
    if side_mask is not None:
        keep = (p.pin_side & side_mask) != 0
        net_of_pin, px, py = net_of_pin[keep], px[keep], py[keep]
    out = np.zeros(n_nets, dtype=np.int64)
    if len(net_of_pin) == 0:
        return out
    # pins stay grouped by net, so each group is one reduceat segment
    first = np.flatnonzero(np.r_[True, net_of_pin[1:] != net_of_pin[:-1]])
    nets = net_of_pin[first]
    span = (np.maximum.reduceat(px, first) - np.minimum.reduceat(px, first)
            + np.maximum.reduceat(py, first) - np.minimum.reduceat(py, first))
    out[nets] = span
    return out


def hpwl_report(p: PlaceProblem, x: np.ndarray, y: np.ndarray,
                orient: list[str] | None = None) -> dict[str, float]:
    """HPWL in microns: whole nets, front and back sub-nets, and their sum (what is routed)."""
    px, py = pin_positions(p, x, y, orient)
    whole = net_hpwl(p, px, py).sum()
    front = net_hpwl(p, px, py, FRONT).sum()
    back = net_hpwl(p, px, py, BACK).sum()
    um = float(p.dbu)
    return {"whole": whole / um, "front": front / um, "back": back / um,
            "sides": (front + back) / um}
