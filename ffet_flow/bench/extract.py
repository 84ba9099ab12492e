"""Benchmarks of dual-sided extraction (`ffet bench --only extract`).

- extract.riscv32: the RISC-V core through the real flow up to `route` (pdk/ffet.toml,
  dual-sided signals), then the wall time of the extraction of its routed DEF
  (`extract.riscv32.seconds`, target < 20 s). Until every step before `route` exists the
  flow cannot run; the figure is then null and `extract.riscv32.status` says why.
- extract.synthetic: a seeded synthetic routed design of the core's size (25 000 instances,
  ffet_flow/extract/synthetic.py) through the same extraction code (DEF + LEF + Liberty
  reading, RC trees, SPEF writing): a proxy that can run on its own.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ffet_flow.bench import BenchContext

SYNTHETIC_INSTANCES = 25_000


def _layers_json(ctx: BenchContext):
    from ffet_flow.config import load_config
    from ffet_flow.tech.layers_json import write_layers_json
    from ffet_flow.tech.model import build_tech

    path = ctx.work_dir / "layers.json"
    write_layers_json(build_tech(load_config([ctx.root / "pdk" / "ffet.toml"])), path)
    return path


def bench_synthetic(ctx: BenchContext) -> Mapping[str, Any]:
    from ffet_flow.extract.synthetic import write_synthetic
    from ffet_flow.steps.extract import extract_design

    files = write_synthetic(ctx.work_dir / "design", SYNTHETIC_INSTANCES, seed=1)
    layers = _layers_json(ctx)
    start = time.perf_counter()
    m = extract_design(files["def"], layers, files["lib"], files["lef"], None,
                       ctx.work_dir / "synthetic.spef")
    seconds = time.perf_counter() - start
    return {"extract.synthetic.seconds": round(seconds, 2),
            "extract.synthetic.nets": m["extract__net__count"],
            "extract.synthetic.nets_two_sided": m["extract__net__count__two_sided"],
            "extract.synthetic.spef_mb": round(
                (ctx.work_dir / "synthetic.spef").stat().st_size / 1e6, 1)}


def bench_riscv32(ctx: BenchContext) -> Mapping[str, Any]:
    from ffet_flow.errors import FfetError
    from ffet_flow.flow import run_flow, setup_flow
    from ffet_flow.steps.extract import extract_design

    try:
        setup = setup_flow("riscv32", ctx.root / "pdk" / "ffet.toml", variant="bench_extract",
                           build_root=ctx.work_dir / "build",
                           steps=("pdk", "cells", "synth", "floorplan", "place", "route"))
        result = run_flow(setup, to="route")
    except FfetError as exc:
        return {"extract.riscv32.seconds": None,
                "extract.riscv32.status": f"flow up to route failed: {str(exc).splitlines()[0]}"}
    outs = {k: v for r in result.steps for k, v in r.outputs.items()}
    start = time.perf_counter()
    m = extract_design(outs["routed_def"], outs["layers_json"], outs["cells_lib"],
                       outs["cells_lef"], outs.get("pins_json"), ctx.work_dir / "riscv32.spef")
    seconds = time.perf_counter() - start
    return {"extract.riscv32.seconds": round(seconds, 2), "extract.riscv32.status": "ok",
            "extract.riscv32.nets": m["extract__net__count"],
            "extract.riscv32.nets_two_sided": m["extract__net__count__two_sided"],
            "extract.riscv32.estimated": m["extract__estimated__count"]}


BENCHMARKS = {"extract.synthetic": bench_synthetic, "extract.riscv32": bench_riscv32}
KEYS = {"extract.synthetic": tuple(f"extract.synthetic.{k}" for k in (
            "seconds", "nets", "nets_two_sided", "spef_mb")),
        "extract.riscv32": tuple(f"extract.riscv32.{k}" for k in (
            "seconds", "status", "nets", "nets_two_sided", "estimated"))}
