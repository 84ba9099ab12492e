"""Free row segments: rows minus the footprints of fixed cells, on the site grid (dbu)."""

from __future__ import annotations

import numpy as np

from ffet_flow.place.problem import PlaceProblem, RowSpec


def free_rows(p: PlaceProblem) -> list[RowSpec]:
    """Rows with the footprints of fixed components removed, cut on the site grid."""
    fixed = np.flatnonzero(p.fixed & ~p.terminal)
    fx0, fx1 = p.x[fixed], p.x[fixed] + p.width[fixed]
    fy0, fy1 = p.y[fixed], p.y[fixed] + p.height[fixed]
    out: list[RowSpec] = []
    for r in p.rows:
        hit = (fy0 < r.y0 + r.height) & (fy1 > r.y0) & (fx0 < r.x1) & (fx1 > r.x0)
        spans = sorted(zip(fx0[hit].tolist(), fx1[hit].tolist(), strict=True))
        cursor = r.x0
        for a, b in spans:
            # blocked sites: every site the fixed cell touches
            a_site = r.x0 + max((a - r.x0) // r.step, 0) * r.step
            b_site = r.x0 + -(-(b - r.x0) // r.step) * r.step
            if a_site > cursor:
                out.append(RowSpec(cursor, a_site, r.y0, r.height, r.step, r.orient))
            cursor = max(cursor, b_site)
        if cursor < r.x1:
            out.append(RowSpec(cursor, r.x1, r.y0, r.height, r.step, r.orient))
    return out
