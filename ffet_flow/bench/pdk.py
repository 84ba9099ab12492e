"""Benchmark of `ffet pdk`: wall time of write_pdk for the FFET and CFET configs."""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Mapping
from typing import Any

from ffet_flow.bench import BenchContext
from ffet_flow.commands.pdk import write_pdk
from ffet_flow.config import load_config

REPEATS = 3


def _median_seconds(tech_file, out_dir) -> float:
    cfg = load_config([tech_file])
    times = []
    for i in range(REPEATS):
        target = out_dir / f"run{i}"
        shutil.rmtree(target, ignore_errors=True)
        start = time.perf_counter()
        write_pdk(cfg, target)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_pdk(ctx: BenchContext) -> Mapping[str, Any]:
    """pdk.seconds: median of 3 write_pdk runs for pdk/ffet.toml (config loading excluded)."""
    ffet = _median_seconds(ctx.root / "pdk/ffet.toml", ctx.work_dir / "ffet")
    cfet = _median_seconds(ctx.root / "pdk/cfet.toml", ctx.work_dir / "cfet")
    return {"pdk.seconds": round(ffet, 4), "pdk.seconds__cfet": round(cfet, 4)}


BENCHMARKS = {"pdk": bench_pdk}
KEYS = {"pdk": ("pdk.seconds", "pdk.seconds__cfet")}
