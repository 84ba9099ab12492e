"""Benchmarks of the RISC-V core itself: CPI on the C programs (Icarus simulation)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from ffet_flow.bench import BenchContext


def _rvtool(root: Path):
    path = root / "designs/riscv32/sw/tools/rvtool.py"
    spec = importlib.util.spec_from_file_location("rvtool", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("rvtool", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def cpi(ctx: BenchContext) -> dict:
    rv = _rvtool(ctx.root)
    vvp = rv.compile_testbench(ctx.work_dir / "riscv32_tb.vvp")
    hexes = {p.name: hx for p, hx in ((rv.program(n), h) for n, h in
                                       rv.build_all(ctx.work_dir / "sw").items()) if p.is_c}
    report = rv.cpi_report(rv.run_all(vvp, hexes))
    if len(report["programs"]) != len(hexes):
        raise RuntimeError("a C program did not pass in simulation; run `make -C designs/riscv32 test`")
    out = {f"riscv32.cpi.{name}": v["cpi"] for name, v in report["programs"].items()}
    out["riscv32.cpi"] = report["mean_cpi"]
    return out


BENCHMARKS = {"riscv32.cpi": cpi}


def cells(ctx: BenchContext) -> dict:
    """Cell count of the core synthesized onto the generated FFET and CFET libraries."""
    import json
    import subprocess

    out = {}
    build = ctx.work_dir / "build"  # not the main job's build/
    for tech in ("ffet", "cfet"):
        variant = f"bench-synth-{tech}"
        subprocess.run([sys.executable, "-m", "ffet_flow", "flow", "--design", "riscv32",
                        "--tech", f"pdk/{tech}.toml", "--variant", variant, "--to", "synth",
                        "--build-dir", str(build)],
                       cwd=ctx.root, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        m = json.loads((build / "riscv32" / variant / "metrics.json").read_text())
        key = "riscv32.cells" if tech == "ffet" else f"riscv32.cells.{tech}"
        out[key] = m["synth__design__instance__count"]
        out[f"riscv32.cell_area_um2.{tech}"] = m["synth__design__instance__area__stdcell"]
    return out


BENCHMARKS["riscv32.cells"] = cells
KEYS = {"riscv32.cpi": ("riscv32.cpi", "riscv32.cpi.*"),  # one per C program
        "riscv32.cells": ("riscv32.cells", "riscv32.cells.cfet", "riscv32.cell_area_um2.ffet",
                          "riscv32.cell_area_um2.cfet")}
