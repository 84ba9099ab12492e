"""Benchmarks of the cell library: characterization time (empty and warm cache) and the
FFET-over-CFET ratios of mean cell area and of mean delay at the middle table point."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from ffet_flow.bench import BenchContext
from ffet_flow.config import load_config


def liberty_figures(text: str) -> dict[str, dict]:
    """{cell: {"area": um^2, "delays": {(related_pin, output): mean of cell_rise/cell_fall at
    the middle index}}} from a cells.lib written by ffet_flow.cells.liberty."""
    out: dict[str, dict] = {}
    for block in re.split(r"\n  cell \(", text)[1:]:
        name = block.split(")", 1)[0]
        area = float(re.search(r"area : ([0-9.eE+-]+);", block).group(1))
        delays = {}
        for pin_block in re.split(r"\n    pin \(", block)[1:]:
            out_pin = pin_block.split(")", 1)[0]
            for tblock in re.split(r"\n      timing \(\) \{", pin_block)[1:]:
                rel = re.search(r'related_pin : "([^"]+)"', tblock).group(1)
                vals = []
                for kind in ("cell_rise", "cell_fall"):
                    m = re.search(kind + r" \([^)]*\) \{\s*values \((.*?)\);", tblock, re.S)
                    if m:
                        rows = [[float(v) for v in r.split(",")]
                                for r in re.findall(r'"([^"]*)"', m.group(1))]
                        vals.append(rows[len(rows) // 2][len(rows[0]) // 2])
                if vals:
                    delays[(rel, out_pin)] = sum(vals) / len(vals)
        out[name] = {"area": area, "delays": delays}
    return out


def ratios(ffet_lib: Path, cfet_lib: Path) -> dict[str, float]:
    f = liberty_figures(ffet_lib.read_text())
    c = liberty_figures(cfet_lib.read_text())
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
