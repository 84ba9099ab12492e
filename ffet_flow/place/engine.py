"""Placement with Coloquinte (global placement, legalization, detailed placement), plus what the
flow needs around it:

- Fixed cells: Coloquinte's legalizer displaces cells far (tens of microns on medium01) when
  fixed cells sit inside rows, so fixed cells are given to it as non-obstructing fixed pins on
  whole rows, and `repair` moves cells off them afterwards (row-local, on the site grid).
- Target density: Coloquinte spreads cells evenly over the rows. To reach a local density of
  `density` (as RePlAce/OpenROAD's target density), movable cell widths are multiplied by
  1/density during global placement (at most up to 95% of the free row area) and restored,
  centre kept, before legalization.
- Dual-sided nets: each net is given as its front and back sub-nets (`subnets`), weighted per
  side, so the placer minimizes the wirelength each side's router will see.
- Coloquinte prints progress on the C++ stdout; it is captured into the log (`_captured`).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from ffet_flow.log import get_logger
from ffet_flow.place.hpwl import hpwl_report
from ffet_flow.place.problem import BACK, FRONT, PlaceProblem, RowSpec
from ffet_flow.place.repair import repair

log = get_logger("place")

# Coloquinte's global placer ends when cells fill their region; 0.95 keeps 5% of each row free so
# the legalizer can still move cells by whole sites when inflated widths are restored.
MAX_INFLATED_FILL = 0.95


@dataclass(frozen=True)
class PlaceOptions:
    effort: int = 3  # Coloquinte effort 1..9
    seed: int = 1
    density: float = 0.7  # target local density of global placement, (0, 1]
    weight_front: float = 1.0
    weight_back: float = 1.0
    net_model: str = "split"  # "split": front/back sub-nets; "whole": each net as one
    detailed: bool = True


@dataclass
class PlaceResult:
    x: np.ndarray
    y: np.ndarray
    orient: list[str]
    hpwl_global: dict[str, float]  # microns, after global placement (orientation N)
    hpwl_legal: dict[str, float]  # after legalization
    hpwl_final: dict[str, float]  # after detailed placement
    seconds: dict[str, float]
    inflation: float
    engine_log: str
    repaired: int = 0  # cells moved off fixed cells after the engine's last step


@contextmanager
def _captured() -> Iterator[list[str]]:
    """Redirect the process's fd 1 (where the C++ engine prints) into a list of lines."""
    import sys

    sys.stdout.flush()
    out: list[str] = []
    saved = os.dup(1)
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 1)
        try:
            yield out
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
            tmp.seek(0)
            out.extend(tmp.read().decode(errors="replace").splitlines())


def subnets(p: PlaceProblem, opts: PlaceOptions) -> list[tuple[np.ndarray, float]]:
    """(pin indices, weight) of every net given to the placer, per the net model."""
    out = []
    starts = p.net_start.tolist()
    side = p.pin_side
    for k in range(len(starts) - 1):
        a, b = starts[k], starts[k + 1]
        if b - a < 2:
            continue
        if opts.net_model == "whole":
            out.append((np.arange(a, b), 1.0))
            continue
        s = side[a:b]
        for bit, weight in ((FRONT, opts.weight_front), (BACK, opts.weight_back)):
            sel = np.flatnonzero(s & bit) + a
            if len(sel) >= 2 and weight > 0:
                out.append((sel, weight))
    return out


def _circuit(p: PlaceProblem, rows: list[RowSpec], opts: PlaceOptions):
    import coloquinte as cq

    n = p.n_cells
    circ = cq.Circuit(n)
    circ.cell_width = p.width.tolist()
    circ.cell_height = p.height.tolist()
    circ.cell_is_fixed = p.fixed.tolist()
    circ.cell_is_obstruction = (~p.fixed).tolist()  # fixed cells are cut out of the rows
    circ.cell_x = p.x.tolist()
    circ.cell_y = p.y.tolist()
    orient = {"N": cq.CellOrientation.N, "FS": cq.CellOrientation.FS,
              "S": cq.CellOrientation.S, "FN": cq.CellOrientation.FN}
    circ.cell_orientation = [orient.get(o, cq.CellOrientation.N) for o in p.orient]
    circ.rows = [cq.Row(cq.Rectangle(r.x0, r.x1, r.y0, r.y0 + r.height),
                        orient.get(r.orient, cq.CellOrientation.N)) for r in rows]
    circ.cell_row_polarity = [cq.CellRowPolarity.SAME] * n
    pin_cell, dx, dy = p.pin_cell, p.pin_dx, p.pin_dy
    for sel, weight in subnets(p, opts):
        circ.add_net(pin_cell[sel].tolist(), dx[sel].tolist(), dy[sel].tolist(), float(weight))
    return circ


def _state(circ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    return (np.array(circ.cell_x, dtype=np.int64), np.array(circ.cell_y, dtype=np.int64),
            [o.name for o in circ.cell_orientation])


def place(p: PlaceProblem, opts: PlaceOptions) -> PlaceResult:
    """Place the movable cells of `p`; fixed cells and I/O terminals keep their positions."""
    import coloquinte as cq

    t0 = time.monotonic()
    move = ~p.fixed
    rows = p.rows  # whole rows, fixed cells transparent: see ffet_flow.place.repair
    circ = _circuit(p, rows, opts)
    params = cq.ColoquinteParameters(int(opts.effort), int(opts.seed))
    seconds: dict[str, float] = {"build": time.monotonic() - t0}

    blocked = p.fixed & ~p.terminal
    free_area = p.row_area() - int((p.width[blocked] * p.height[blocked]).sum())
    cell_area = int((p.width[move] * p.height[move]).sum())
    inflation = 1.0
    if cell_area > 0 and free_area > 0:
        inflation = max(1.0, min(1.0 / opts.density, MAX_INFLATED_FILL * free_area / cell_area))
    width0 = p.width.copy()
    width1 = np.where(move, np.round(width0 * inflation), width0).astype(np.int64)

    with _captured() as engine_log:
        t = time.monotonic()
        if inflation > 1.0:
            circ.cell_width = width1.tolist()
        circ.place_global(params)
        x, y, _ = _state(circ)
        if inflation > 1.0:  # restore true widths, keeping each cell's centre
            x = np.where(move, x + (width1 - width0) // 2, x)
            circ.cell_width = width0.tolist()
            circ.cell_x = x.tolist()
        seconds["global"] = time.monotonic() - t
        hpwl_global = hpwl_report(p, x, y)
        t = time.monotonic()
        circ.legalize(params)
        x, y, orient = _state(circ)
        repaired = repair(p, x, y, orient)
        seconds["legalize"] = time.monotonic() - t
        hpwl_legal = hpwl_report(p, x, y, orient)
        if opts.detailed:
            t = time.monotonic()
            circ.place_detailed(params)
            x, y, orient = _state(circ)
            repaired = repair(p, x, y, orient)
            seconds["detailed"] = time.monotonic() - t
    hpwl_final = hpwl_report(p, x, y, orient) if opts.detailed else hpwl_legal
    # fixed cells and terminals are reported exactly as given
    x = np.where(move, x, p.x)
    y = np.where(move, y, p.y)
    orient = [o if m else p.orient[i] for i, (o, m) in enumerate(zip(orient, move, strict=True))]
    seconds["total"] = time.monotonic() - t0
    text = "\n".join(line for line in engine_log if not line.startswith("#"))
    log.debug("coloquinte:\n%s", text)
    return PlaceResult(x, y, orient, hpwl_global, hpwl_legal, hpwl_final, seconds, inflation,
                       text, repaired)
