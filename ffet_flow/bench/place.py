"""Placement benchmarks.

- `place.medium01` / `place.simple03`: OpenROAD's own regression cases placed as given (fixed
  instances fixed, I/O pins as given) at target density 0.7. Pin-to-pin HPWL (sum over nets of
  the bounding box of pin-shape centres, I/O pins included, microns) after global placement and
  after legalization + detailed placement, beside the global-placement HPWL OpenROAD recorded
  (shared/benchmarks/openroad-tests/README.md). `hpwl_over_openroad` divides our final, legal
  HPWL by OpenROAD's global (not yet legal) one.
- `place.riscv32`: the `place` step of an FFET dual-sided-signal flow run of the RISC-V core
  (runs pdk, cells, synth, floorplan first); produces nothing when the flow cannot get there.
- `place.scaling`: synthetic Rent-like netlists from 5k to 200k cells, each placed in its own
  process; runtime exponent k of seconds ~ cells^k (least squares in log-log) on the CPU time
  of the placement process (`exponent`; the machine is shared, so wall time also measures the
  neighbours' load) and on wall time (`exponent_wall`), and the 200k-cell run's wall and CPU
  seconds and peak resident memory.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from typing import Any

from ffet_flow.bench import BenchContext
from ffet_flow.log import get_logger

log = get_logger("bench")

#: OpenROAD global_placement results recorded with the cases (README of openroad-tests)
OPENROAD_GPL_HPWL = {"medium01": 383_022.8, "simple03": 2_594.902}
SCALING_SIZES = (5_000, 10_000, 20_000, 50_000, 100_000, 200_000)
SCALING_EFFORT = 2  # one effort for every size, so the exponent measures the engine alone
CASE_EFFORT = 3  # the flow's default place_effort


def _openroad_case(ctx: BenchContext, case: str) -> dict[str, Any]:
    from ffet_flow.io.def_ import read_def, write_def
    from ffet_flow.io.lef import read_lef
    from ffet_flow.place.engine import PlaceOptions, place
    from ffet_flow.place.legal import check_legality
    from ffet_flow.place.problem import build_problem, store_placement

    base = ctx.shared / "benchmarks" / "openroad-tests"
    start = time.monotonic()
    design = read_def(base / f"{case}.def")
    lib = read_lef([base / "nangate45.lef"], design.dbu)
    problem = build_problem(design, lib)
    result = place(problem, PlaceOptions(effort=CASE_EFFORT, seed=1, density=0.7))
    violations = check_legality(problem, result.x, result.y, result.orient)
    seconds = time.monotonic() - start
    store_placement(design, problem, result.x, result.y, result.orient)
    write_def(design, ctx.work_dir / f"{case}_placed.def")
    ref = OPENROAD_GPL_HPWL[case]
    key = f"place.{case}"
    return {
        f"{key}.hpwl_global_um": round(result.hpwl_global["whole"], 1),
        f"{key}.hpwl_legal_um": round(result.hpwl_legal["whole"], 1),
        f"{key}.hpwl_final_um": round(result.hpwl_final["whole"], 1),
        f"{key}.openroad_global_hpwl_um": ref,
        f"{key}.global_over_openroad": round(result.hpwl_global["whole"] / ref, 4),
        f"{key}.hpwl_over_openroad": round(result.hpwl_final["whole"] / ref, 4),
        f"{key}.legal": not violations,
        f"{key}.seconds": round(seconds, 2),
        f"{key}.engine_seconds": {k: round(v, 2) for k, v in result.seconds.items()},
    }


def bench_medium01(ctx: BenchContext) -> dict[str, Any]:
    return _openroad_case(ctx, "medium01")


def bench_simple03(ctx: BenchContext) -> dict[str, Any]:
    return _openroad_case(ctx, "simple03")


def bench_riscv32(ctx: BenchContext) -> dict[str, Any]:
    from ffet_flow.errors import FfetError
    from ffet_flow.flow import ROOT, run_flow, setup_flow

    try:
        setup = setup_flow("riscv32", ROOT / "pdk" / "ffet.toml", ["signal_sides=both"],
                           "ffet_dual", ctx.work_dir)
        result = run_flow(setup, to="place")
    except FfetError as exc:
        log.warning("place.riscv32: the flow does not reach placement yet (%s); no figures",
                    str(exc).splitlines()[0])
        return {}
    step = next((s for s in result.steps if s.name == "place"), None)
    if step is None:
        return {}
    m = step.metrics
    return {"place.riscv32.seconds": m.get("place__runtime__seconds", round(step.seconds, 2)),
            "place.riscv32.hpwl_um": m["detailedplace__hpwl"],
            "place.riscv32.hpwl_front_um": m["detailedplace__hpwl__front"],
            "place.riscv32.hpwl_back_um": m["detailedplace__hpwl__back"],
            "place.riscv32.cells": m["detailedplace__instance__count__movable"]}


def _worker(cells: int) -> dict[str, Any]:
    argv = [sys.executable, "-m", "ffet_flow.bench._place_worker", str(cells), "1",
            str(SCALING_EFFORT)]
    # a child Python of our own (not an external program): its JSON line is the result
    done = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def fit_exponent(cells: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) against log(cells)."""
    xs = [math.log(c) for c in cells]
    ys = [math.log(max(s, 1e-3)) for s in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / \
        sum((x - mx) ** 2 for x in xs)


def bench_scaling(ctx: BenchContext) -> dict[str, Any]:
    runs = []
    for n in SCALING_SIZES:
        r = _worker(n)
        log.info("place.scaling: %d cells in %.1f s (CPU %.1f s), peak %.0f MiB", n,
                 r["seconds"], r["cpu_seconds"], r["peak_mib"])
        runs.append(r)
    cells = [r["cells"] for r in runs]
    out: dict[str, Any] = {
        "place.scaling.exponent": round(fit_exponent(cells, [r["cpu_seconds"] for r in runs]), 3),
        "place.scaling.exponent_wall": round(fit_exponent(cells, [r["seconds"] for r in runs]), 3),
        "place.scaling.effort": SCALING_EFFORT,
        "place.scaling.runs": {str(r["cells"]): {k: r[k] for k in
                                                 ("seconds", "cpu_seconds", "peak_mib", "legal", "stages")}
                               for r in runs},
    }
    big = runs[-1]
    out["place.200k.seconds"] = big["seconds"]
    out["place.200k.cpu_seconds"] = big["cpu_seconds"]
    out["place.200k.peak_mib"] = big["peak_mib"]
    out["place.200k.legal"] = big["legal"]
    return out


BENCHMARKS = {"place.simple03": bench_simple03, "place.medium01": bench_medium01,
              "place.riscv32": bench_riscv32, "place.scaling": bench_scaling}


def _case_keys(case: str) -> tuple[str, ...]:
    return tuple(f"place.{case}.{k}" for k in (
        "hpwl_global_um", "hpwl_legal_um", "hpwl_final_um", "openroad_global_hpwl_um",
        "global_over_openroad", "hpwl_over_openroad", "legal", "seconds", "engine_seconds"))


KEYS = {"place.simple03": _case_keys("simple03"), "place.medium01": _case_keys("medium01"),
        "place.riscv32": tuple(f"place.riscv32.{k}" for k in (
            "seconds", "hpwl_um", "hpwl_front_um", "hpwl_back_um", "cells")),
        "place.scaling": ("place.scaling.exponent", "place.scaling.exponent_wall",
                          "place.scaling.effort", "place.scaling.runs", "place.200k.seconds",
                          "place.200k.cpu_seconds", "place.200k.peak_mib", "place.200k.legal")}
