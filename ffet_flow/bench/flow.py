"""Benchmarks of the whole flow on the RISC-V core.

- `flow.riscv32.seconds`: wall time of one complete flow run of FFET with single-sided signals,
  from an empty run directory, with the cell library already in its cache (the library is
  built first, untimed, by a `--to cells` run); `flow.riscv32.steps` gives each step's time.
- `flow.riscv32.ffet_over_cfet`: core area, fmax and total power of FFET single-sided over CFET
  at the design's (equal) utilization, both runs fresh and complete.
"""

from __future__ import annotations

import shutil
from typing import Any

from ffet_flow.bench import BenchContext
from ffet_flow.flow import ROOT, run_flow, setup_flow
from ffet_flow.report import AREA, CFET, FFET_SINGLE, FMAX, POWER

DESIGN = "riscv32"


def _variant(ctx: BenchContext, name: str):
    from ffet_flow.commands.main_job import VARIANTS

    tech, extra = VARIANTS[name]
    return setup_flow(DESIGN, ROOT / tech, list(extra), name, ctx.work_dir)


def bench_riscv32(ctx: BenchContext) -> dict[str, Any]:
    runs = {}
    for name in (FFET_SINGLE, CFET):
        setup = _variant(ctx, name)
        shutil.rmtree(setup.run_dir, ignore_errors=True)
        run_flow(setup, to="cells")  # fills the library cache; not timed
        shutil.rmtree(setup.run_dir)
        runs[name] = run_flow(setup)
    timed = runs[FFET_SINGLE]
    ratios = {}
    for label, metric in (("area", AREA), ("fmax", FMAX), ("power", POWER)):
        a, b = timed.metrics.get(metric), runs[CFET].metrics.get(metric)
        ratios[label] = round(a / b, 4) if a and b else None
    return {
        "flow.riscv32.seconds": round(timed.seconds, 2),
        "flow.riscv32.steps": {r.name: round(r.seconds, 2) for r in timed.steps},
        "flow.riscv32.cfet_seconds": round(runs[CFET].seconds, 2),
        "flow.riscv32.ffet_over_cfet": ratios,
    }


BENCHMARKS = {"flow.riscv32": bench_riscv32}
