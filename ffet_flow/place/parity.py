"""Site parity of cells whose pins can be reached on some sites only.

With CPP 51 nm against a 34 nm M1 pitch, the M1 tracks cross a cell at one of two offsets,
depending on whether it sits on an even or an odd site; a few small cells (e.g. a two-site
inverter) only leave each pin an access track of its own on one of them (ffet_flow.cells.access,
recorded in pins.json as `site_residues`). After legalization, `enforce_site_residues` moves
each such cell to the nearest allowed site of its row, pushing its neighbours along where they
touch it, so the rows stay legal: a left-to-right pass packs the row in order, and if that runs
past the row's end, a right-to-left pass packs it back. Lengths in dbu.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from ffet_flow.place.problem import PlaceProblem


def read_residues(pins_json: Path | Mapping | None) -> tuple[int, dict[str, set[int]]]:
    """(site modulus, {macro: allowed site indices mod it}) from pins.json (none: (1, {}))."""
    if pins_json is None:
        return 1, {}
    doc = pins_json if isinstance(pins_json, Mapping) else json.loads(Path(pins_json).read_text())
    res = doc.get("site_residues") or {}
    return int(doc.get("site_modulus", 1)), {c: set(v) for c, v in res.items()}


def _allowed(site: int, ok: set[int] | None, mod: int) -> bool:
    return ok is None or (site % mod) in ok


def enforce_site_residues(p: PlaceProblem, x: np.ndarray, y: np.ndarray,
                          macros: Sequence[str], modulus: int,
                          residues: Mapping[str, set[int]]) -> tuple[np.ndarray, int]:
    """x with every movable cell on an allowed site of its row; returns (x, cells moved).

    Cells keep their order in the row; a cell moves by as few sites as its parity and its
    neighbours allow. Fixed cells stay and bound the segments around them."""
    x = np.asarray(x, dtype=np.int64).copy()
    nc = p.n_components
    if modulus <= 1 or not residues:
        return x, 0
    need = [residues.get(m) for m in macros[:nc]]
    if not any(r is not None for r in need):
        return x, 0
    moved = 0
    for row in p.rows:
        members = np.flatnonzero((y[:nc] == row.y0) & (x[:nc] >= row.x0)
                                 & (x[:nc] < row.x1) & (p.width[:nc] > 0))
        if not len(members):
            continue
        members = members[np.argsort(x[members], kind="stable")]
        # segments between fixed cells
        segs: list[list[int]] = [[]]
        bounds = [row.x0]
        for c in members.tolist():
            if p.fixed[c]:
                bounds.append(int(x[c]))
                bounds.append(int(x[c] + p.width[c]))
                segs.append([])
            else:
                segs[-1].append(c)
        bounds.append(row.x1)
        for k, seg in enumerate(segs):
            lo, hi = bounds[2 * k], bounds[2 * k + 1]
            if seg and any(need[c] is not None for c in seg):
                new = _pack(x, seg, need, p.width, lo, hi, row.x0, row.step, modulus)
                moved += int(np.count_nonzero(new != x[seg]))
                x[seg] = new
    return x, moved


def _pack(x: np.ndarray, seg: list[int], need, width, lo: int, hi: int, x0: int, step: int,
          mod: int) -> np.ndarray:
    """Positions of the cells `seg` (in order) in [lo, hi): each at the allowed site nearest
    its own, no overlap; falls back to the original positions if no packing fits."""
    orig = x[seg].astype(np.int64)
    site = lambda v: (v - x0) // step  # noqa: E731
    out = orig.copy()
    end = lo
    for k, c in enumerate(seg):
        s = max(site(int(orig[k])), -(-(end - x0) // step))
        # the nearest allowed site at or after s (one period at most)
        for d in range(mod + 1):
            if _allowed(s + d, need[c], mod):
                s += d
                break
        out[k] = x0 + s * step
        end = int(out[k] + width[c])
    if end <= hi:
        return out
    start = hi
    for k in range(len(seg) - 1, -1, -1):
        c = seg[k]
        s = min(site(int(out[k])), (start - int(width[c]) - x0) // step)
        for d in range(mod + 1):
            if _allowed(s - d, need[c], mod):
                s -= d
                break
        out[k] = x0 + s * step
        start = int(out[k])
    if start < lo:
        return orig  # the segment is too full to honour every parity
    return out


def parity_violations(p: PlaceProblem, x: np.ndarray, y: np.ndarray, macros: Sequence[str],
                      modulus: int, residues: Mapping[str, set[int]], limit: int = 20
                      ) -> list[str]:
    """Cells on a site their pins cannot be reached from (for the legality check)."""
    out: list[str] = []
    if modulus <= 1 or not residues:
        return out
    for row in p.rows:
        for c in np.flatnonzero((y[:p.n_components] == row.y0) & (x[:p.n_components] >= row.x0)
                                & (x[:p.n_components] < row.x1)).tolist():
            ok = residues.get(macros[c])
            if ok is not None and ((int(x[c]) - row.x0) // row.step) % modulus not in ok:
                out.append(f"cell {p.names[c]} ({macros[c]}) on site "
                           f"{(int(x[c]) - row.x0) // row.step}: its pins need a site "
                           f"index in {sorted(ok)} modulo {modulus}")
    if len(out) > limit:
        out = out[:limit] + [f"... {len(out)} cells in all"]
    return out
