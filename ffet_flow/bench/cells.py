"""Benchmarks of the cell library: characterization time (empty and warm cache) and the
FFET-over-CFET ratios of mean cell area and of mean delay at the middle table point."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from ffet_flow.bench import BenchContext
from ffet_flow.config import load_config
from ffet_flow.io.liberty import parse_liberty


def liberty_figures(text: str, source: str = "<liberty>") -> dict[str, dict]:
    """{cell: {"area": um^2, "delays": {(related_pin, output): mean of cell_rise/cell_fall at
    the middle index, ns}}} from Liberty text, read by ffet_flow.io.liberty."""
    lib = parse_liberty(text, source, timing=True)
    out: dict[str, dict] = {}
    for name, cell in lib.cells.items():
        delays = {}
        for pin in cell.pins.values():
            for arc in pin.timing:
                vals = [v for v in (arc.middle("cell_rise"), arc.middle("cell_fall"))
                        if v is not None]
                if vals:
                    delays[(arc.related_pin, pin.name)] = sum(vals) / len(vals)
        out[name] = {"area": cell.area, "delays": delays}
    return out


def ratios(ffet_lib: Path, cfet_lib: Path) -> dict[str, float]:
    f = liberty_figures(ffet_lib.read_text(), str(ffet_lib))
    c = liberty_figures(cfet_lib.read_text(), str(cfet_lib))
    common = sorted(set(f) & set(c))
    area = [f[n]["area"] / c[n]["area"] for n in common if c[n]["area"] > 0]
    delay = [f[n]["delays"][k] / c[n]["delays"][k] for n in common
             for k in sorted(set(f[n]["delays"]) & set(c[n]["delays"]))
             if c[n]["delays"][k] > 0]
    return {"cells.ffet_over_cfet.area": round(sum(area) / len(area), 4),
            "cells.ffet_over_cfet.delay": round(sum(delay) / len(delay), 4),
            "cells.common_cells": len(common), "cells.common_arcs": len(delay)}


def bench_cells(ctx: BenchContext) -> dict[str, float]:
    from ffet_flow.cells.library import build_library

    cache = ctx.work_dir / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    cfgs = {t: load_config([ctx.root / "pdk" / f"{t}.toml"]) for t in ("ffet", "cfet")}
    start = time.monotonic()
    libs = {t: build_library(cfg, ctx.work_dir / t, cache_root=cache) for t, cfg in cfgs.items()}
    cold = time.monotonic() - start
    start = time.monotonic()
    for t, cfg in cfgs.items():
        build_library(cfg, ctx.work_dir / f"{t}-again", cache_root=cache)
    warm = time.monotonic() - start
    figures = {"cells.characterize.seconds": round(cold, 1),
               "cells.cached.seconds": round(warm, 2)}
    figures.update(ratios(libs["ffet"]["cells_lib"], libs["cfet"]["cells_lib"]))
    return figures


BENCHMARKS = {"cells": bench_cells}
KEYS = {"cells": ("cells.characterize.seconds", "cells.cached.seconds",
                  "cells.ffet_over_cfet.area", "cells.ffet_over_cfet.delay",
                  "cells.common_cells", "cells.common_arcs")}
