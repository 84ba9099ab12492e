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
