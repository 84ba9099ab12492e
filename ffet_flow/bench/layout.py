"""Layout benchmark: GDS + OASIS of the routed RISC-V core (FFET, dual-sided signals)."""

from __future__ import annotations

import subprocess
import sys
import time

from ffet_flow.bench import BenchContext


def riscv32(ctx: BenchContext) -> dict:
    variant, build = "bench-layout", ctx.work_dir / "build"  # not the main job's build/
    subprocess.run([sys.executable, "-m", "ffet_flow", "flow", "--design", "riscv32", "--tech",
                    "pdk/ffet.toml", "--variant", variant, "--to", "route", "--build-dir",
                    str(build)], cwd=ctx.root,
                   check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    from ffet_flow.layout import write_run_layout

    start = time.monotonic()
    paths = write_run_layout(build / "riscv32" / variant, ctx.work_dir)
    seconds = time.monotonic() - start
    return {"layout.riscv32.seconds": round(seconds, 2),
            "layout.riscv32.gds_mib": round(paths["gds"].stat().st_size / 2**20, 2)}


BENCHMARKS = {"layout.riscv32": riscv32}
KEYS = {"layout.riscv32": ("layout.riscv32.seconds", "layout.riscv32.gds_mib")}
