"""Benchmark of the cell layout generator (ffet_flow.cells.layout) for the FFET and CFET techs.

Figures (`ffet bench --only cells_layout`):
- cells_layout.seconds: layouts of the whole cell set for both default techs from a cold
  column-order cache, plus the layout checker (wall time);
- cells_layout.write_seconds: cells.lef + cells.gds for both techs;
- cells_layout.ffet_over_cfet.area: mean over the non-filler cells of FFET area / CFET area
  (layout-derived; the characterization benchmark reports the same ratio as
  cells.ffet_over_cfet.area);
- cells_layout.violations: checker violations over both libraries (0 expected);
- cells_layout.level2_cells__{ffet,cfet}, cells_layout.fdm_cells__ffet: cells that need level-2
  intra-cell wiring / a field drain merge;
- cells_layout.pin_density_error: |measured - requested| back-side input fraction at 0.5.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping
from typing import Any

from ffet_flow.bench import BenchContext
from ffet_flow.cells import columns
from ffet_flow.cells.check import check_library
from ffet_flow.cells.gds import write_cells_gds
from ffet_flow.cells.layout import build_layouts
from ffet_flow.cells.lef import write_cells_lef
from ffet_flow.cells.netlists import all_cells
from ffet_flow.cells.pinsides import assign_pin_sides, back_fraction
from ffet_flow.config import load_config
from ffet_flow.tech.model import build_tech


def bench_cells_layout(ctx: BenchContext) -> Mapping[str, Any]:
    cells = all_cells()
    techs, libs, sides = {}, {}, {}
    columns._order_cached.cache_clear()
    start = time.perf_counter()
    violations = 0
    for arch in ("ffet", "cfet"):
        cfg = load_config([ctx.root / "pdk" / f"{arch}.toml"])
        techs[arch] = tech = build_tech(cfg)
        sides[arch] = assign_pin_sides(cells, cfg.effective_input_pin_density,
                                       tech.signal_sides == "both")
        libs[arch] = build_layouts(cells, tech, sides[arch])
        violations += len(check_library(libs[arch], tech))
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    for arch in ("ffet", "cfet"):
        out = ctx.work_dir / arch
        write_cells_lef(libs[arch], techs[arch], sides[arch], out / "cells.lef", cells)
        write_cells_gds(libs[arch], techs[arch], out / "cells.gds")
    write_seconds = time.perf_counter() - start
    f, c = libs["ffet"], libs["cfet"]
    ratios = [f[n].width * f[n].height / (c[n].width * c[n].height)
              for n in f if f[n].kind != "fill"]

    def level2(lib) -> int:
        return sum(1 for lay in lib.values() if any(k in ("M2", "BM2") for k in lay.shapes))

    fdm = sum(1 for lay in f.values()
              if any(k == "FDM" for p in lay.parasitics.values() for k, _ in p.links))
    err = abs(back_fraction(assign_pin_sides(cells, 0.5, True), cells) - 0.5)
    return {"cells_layout.seconds": round(seconds, 3),
            "cells_layout.write_seconds": round(write_seconds, 3),
            "cells_layout.ffet_over_cfet.area": round(statistics.mean(ratios), 4),
            "cells_layout.violations": violations,
            "cells_layout.level2_cells__ffet": level2(f),
            "cells_layout.level2_cells__cfet": level2(c),
            "cells_layout.fdm_cells__ffet": fdm,
            "cells_layout.pin_density_error": round(err, 6)}


BENCHMARKS = {"cells_layout": bench_cells_layout}
KEYS = {"cells_layout": tuple(f"cells_layout.{k}" for k in (
    "seconds", "write_seconds", "ffet_over_cfet.area", "violations", "level2_cells__ffet",
    "level2_cells__cfet", "fdm_cells__ffet", "pin_density_error"))}
