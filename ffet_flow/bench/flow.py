"""Benchmarks of the whole flow on the RISC-V core: the main job's three variants (CFET, FFET
with single-sided signals, FFET with dual-sided signals), each run fresh and complete.

- `flow.riscv32.<variant>.seconds`: wall time of one complete flow run from an empty run
  directory, with the cell library already in its cache (the library is built first, untimed,
  by a `--to cells` run); `flow.riscv32.<variant>.steps` gives each step's time.
- `flow.riscv32.ffet_single_over_cfet`, `flow.riscv32.ffet_dual_over_cfet`: core area, fmax and
  total power of that FFET variant over CFET at the design's (equal) utilization.
- `power.riscv32.<variant>.switching_share` / `.switching_share_at_fmax`: the share of
  switching power in the total at the target clock / at fmax, as the sta step reports it
  (`finish__power__switching_share`, `finish__power__at_fmax__switching_share`); null when the
  run has no such metric.

CFET and FFET single-sided do not route clean on the core yet: their detailed routing runs to
the `route_detail_iterations` limit, which takes hours on 2 cores.
"""

from __future__ import annotations

import shutil
from typing import Any

from ffet_flow.bench import BenchContext
from ffet_flow.flow import ROOT, run_flow, setup_flow
from ffet_flow.report import (
    AREA,
    CFET,
    FFET_DUAL,
    FFET_SINGLE,
    FMAX,
    POWER,
    SHARE,
    SHARE_AT_FMAX,
)

DESIGN = "riscv32"
VARIANTS = (CFET, FFET_SINGLE, FFET_DUAL)
SWITCHING_SHARE = {"switching_share": SHARE, "switching_share_at_fmax": SHARE_AT_FMAX}


def _variant(ctx: BenchContext, name: str):
    from ffet_flow.commands.main_job import VARIANTS as MAIN_JOB

    tech, extra = MAIN_JOB[name]
    return setup_flow(DESIGN, ROOT / tech, list(extra), name, ctx.work_dir)


def over_cfet(variant: dict[str, Any], cfet: dict[str, Any]) -> dict[str, float | None]:
    """{area, fmax, power}: the variant's metric over CFET's (None when either is missing)."""
    ratios = {}
    for label, metric in (("area", AREA), ("fmax", FMAX), ("power", POWER)):
        a, b = variant.get(metric), cfet.get(metric)
        ratios[label] = round(a / b, 4) if a and b else None
    return ratios


def bench_riscv32(ctx: BenchContext) -> dict[str, Any]:
    runs = {}
    for name in VARIANTS:
        setup = _variant(ctx, name)
        shutil.rmtree(setup.run_dir, ignore_errors=True)
        run_flow(setup, to="cells")  # fills the library cache; not timed
        shutil.rmtree(setup.run_dir)
        runs[name] = run_flow(setup)
    out: dict[str, Any] = {}
    for name, run in runs.items():
        out[f"flow.riscv32.{name}.seconds"] = round(run.seconds, 2)
        out[f"flow.riscv32.{name}.steps"] = {r.name: round(r.seconds, 2) for r in run.steps}
        for label, metric in SWITCHING_SHARE.items():
            out[f"power.riscv32.{name}.{label}"] = run.metrics.get(metric)
    for name in (FFET_SINGLE, FFET_DUAL):
        out[f"flow.riscv32.{name}_over_cfet"] = over_cfet(runs[name].metrics, runs[CFET].metrics)
    return out


BENCHMARKS = {"flow.riscv32": bench_riscv32}
KEYS = {"flow.riscv32": (
    *(f"flow.riscv32.{v}.{k}" for v in VARIANTS for k in ("seconds", "steps")),
    *(f"power.riscv32.{v}.{k}" for v in VARIANTS for k in SWITCHING_SHARE),
    *(f"flow.riscv32.{v}_over_cfet" for v in (FFET_SINGLE, FFET_DUAL)))}
