"""Sweep benchmark: the same 8-variant sweep on the tiny design with 1 and with 2 workers.

Each sweep gets its own build root (its own run directories and step cache), so neither finds
the other's results; the cell library cache is shared and warmed first, so both measure the
same work: one synthesis and placement (shared by the routing-only variants), then routing,
extraction and sign-off per variant.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

from ffet_flow.bench import BenchContext

VARY = ("--vary", "layers_front=12,10,8,6", "--vary", "layers_back=12,5")


def _sweep(ctx: BenchContext, jobs: int, tag: str) -> float:
    root = ctx.work_dir / tag
    shutil.rmtree(root, ignore_errors=True)
    argv = [sys.executable, "-m", "ffet_flow", "sweep", "--design", "tiny", *VARY, "-j",
            str(jobs), "-o", str(root / "sweep"), "--build-dir", str(root / "build")]
    start = time.monotonic()
    subprocess.run(argv, cwd=ctx.root, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def speedup(ctx: BenchContext) -> dict:
    _sweep(ctx, 2, "warm")  # fills the shared cell-library cache
    one = _sweep(ctx, 1, "j1")
    two = _sweep(ctx, 2, "j2")
    return {"sweep.tiny8.seconds_1_worker": round(one, 2),
            "sweep.tiny8.seconds_2_workers": round(two, 2),
            "sweep.speedup_2_workers": round(one / two, 3),
            "sweep.tiny.seconds_per_variant": round(one / 8, 2)}


BENCHMARKS = {"sweep.speedup": speedup}
KEYS = {"sweep.speedup": ("sweep.tiny8.seconds_1_worker", "sweep.tiny8.seconds_2_workers",
                          "sweep.speedup_2_workers", "sweep.tiny.seconds_per_variant")}
