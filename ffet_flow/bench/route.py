"""Routing benchmarks: OpenROAD's recorded global-routing results on identical inputs, and the
RISC-V core (both sides, layers per side swept on one placement).

OpenROAD figures (shared/benchmarks/openroad-tests/README.md): gcd_grt.def on metal2-metal10:
10,767 um, 3,503 vias, overflow 0; overlapping_edges.def on met1-met5 with layer adjustment
0.3: 467,785 um, 55,423 vias, overflow 0. Global-route wirelength is counted the same way as
OpenROAD's GRT-0018 figure: per straight single-layer segment, gcell centre to gcell centre plus
one gcell (docs/routing.md). gcd_grt.def has no GCELLGRID: we use OpenROAD's default gcell of
15 tracks of the third routing layer (metal3 pitch 0.14 um -> 2.1 um).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from ffet_flow.bench import BenchContext
from ffet_flow.io.def_ import read_def
from ffet_flow.io.lef import read_lef
from ffet_flow.route.run import RouteOptions, route_design

OPENROAD = {"gcd": {"wirelength": 10767.0, "vias": 3503, "overflow": 0},
            "overlapping_edges": {"wirelength": 467785.0, "vias": 55423, "overflow": 0}}


def _case(ctx: BenchContext, name: str, def_file: str, lef: str, layers: list[str],
          adjustment: float, gcell_size_um: float | None) -> dict:
    cases = ctx.shared / "benchmarks" / "openroad-tests"
    start = time.monotonic()
    design = read_def(cases / def_file)
    lib = read_lef([cases / lef], dbu_per_micron=design.dbu)
    options = RouteOptions(adjustment=adjustment,
                           gcell_size=int(round(gcell_size_um * design.dbu)) if gcell_size_um
                           else 0, detail=False)  # OpenROAD's figures are global-route ones
    result = route_design(design, lib, {"front": set(layers), "back": set()}, options,
                          source=def_file)
    m = result.metrics
    wl = m["globalroute__wirelength__front"]
    ref = OPENROAD[name]
    return {f"route.{name}.wirelength_um": wl, f"route.{name}.vias": m["globalroute__vias__front"],
            f"route.{name}.overflow": m["globalroute__overflow__front"],
            f"route.{name}.wl_over_openroad": round(wl / ref["wirelength"], 4),
            f"route.{name}.vias_over_openroad": round(m["globalroute__vias__front"] / ref["vias"], 4),
            f"route.{name}.seconds": round(time.monotonic() - start, 2)}


def gcd(ctx: BenchContext) -> dict:
    return _case(ctx, "gcd", "gcd_grt.def", "Nangate45.lef",
                 [f"metal{i}" for i in range(2, 11)], 0.0, 15 * 0.14)


def overlapping_edges(ctx: BenchContext) -> dict:
    return _case(ctx, "overlapping_edges", "overlapping_edges.def", "overlapping_edges.lef",
                 [f"met{i}" for i in range(1, 6)], 0.3, None)


def riscv32(ctx: BenchContext) -> dict:
    """Route the core's FFET placement (12 + 12 layers, 70 % utilization) and the same
    placement with fewer layers per side (the flow shares the placement across them)."""
    import subprocess
    import sys

    out: dict = {}
    curve = {}
    for n in (12, 10, 8, 6, 5, 4, 3):
        variant = f"bench-route-l{n}"
        argv = [sys.executable, "-m", "ffet_flow", "flow", "--design", "riscv32", "--tech",
                "pdk/ffet.toml", "--variant", variant, "--to", "route",
                "--set", f"layers_front={n}", "--set", f"layers_back={n}"]
        subprocess.run(argv, cwd=ctx.root, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run = ctx.root / "build" / "riscv32" / variant
        m = json.loads((run / "metrics.json").read_text())
        curve[n] = {"overflow": m.get("globalroute__overflow"),
                    "wirelength_um": m.get("route__wirelength"),
                    "shorts": m.get("route__shorts"), "opens": m.get("route__opens")}
        if n == 12:
            out["route.riscv32.seconds"] = m.get("route__runtime__seconds")
            out["route.riscv32.overflow"] = m.get("globalroute__overflow")
            out["route.riscv32.wirelength_um"] = m.get("route__wirelength")
            out["route.riscv32.shorts"] = m.get("route__shorts")
            out["route.riscv32.opens"] = m.get("route__opens")
            out["extract.riscv32.seconds"] = _extract_seconds(run)
    out["route.layers_curve"] = curve
    return out


def _extract_seconds(run: Path) -> float | None:
    import subprocess
    import sys

    variant = run.name
    subprocess.run([sys.executable, "-m", "ffet_flow", "flow", "--design", "riscv32", "--tech",
                    "pdk/ffet.toml", "--variant", variant, "--to", "extract"],
                   cwd=run.parents[2], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    m = json.loads((run / "metrics.json").read_text())
    return m.get("extract__runtime__seconds")


BENCHMARKS = {"route.gcd": gcd, "route.overlapping_edges": overlapping_edges,
              "route.riscv32": riscv32}
