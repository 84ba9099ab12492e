"""Routing benchmarks: OpenROAD's recorded global-routing results on identical inputs, our
detailed route of OpenROAD's detailed-routing reference case, and the RISC-V core (each of the
main job's variants routed and checked, one benchmark per variant, `route.riscv32.<variant>`;
layers per side swept on one placement). The core's runs live under the benchmark's own
build/bench directory, never in the main job's build/riscv32: a benchmark does not rerun or
overwrite the main job's results. CFET and FFET single-sided do not route clean on the core
yet: their detailed routing runs to the `route_detail_iterations` limit (hours on 2 cores).

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
from functools import partial
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


#: OpenROAD's detailed route of ispd18_sample (shared/benchmarks/openroad-drt/README.md): the
#: sum of its DEF wire centre lines, counted by `_centre_line_um` below
ISPD18_OPENROAD_UM = 77.9


def _centre_line_um(def_path: Path) -> tuple[float, int]:
    """(sum of the DEF's wire centre lines in um, vias): the same count for both DEFs."""
    design = read_def(def_path)
    length = sum(abs(x1 - x0) + abs(y1 - y0) for n in design.nets
                 for _la, x0, y0, x1, y1, _w in n.segments())
    return length / design.dbu, sum(len(n.vias()) for n in design.nets)


def ispd18_sample(ctx: BenchContext) -> dict:
    """Our detailed route of the ISPD 2018 sample (its DEF and LEF; our own global routes as
    guides), judged by our layout checker, against OpenROAD's routed DEF of the same case."""
    from ffet_flow.io.def_ import write_def
    from ffet_flow.verify import check_layout

    case = ctx.shared / "benchmarks" / "openroad-drt"
    lef = case / "ispd18_sample.input.lef"
    start = time.monotonic()
    design = read_def(case / "ispd18_sample.input.def")
    lib = read_lef([lef], dbu_per_micron=design.dbu)
    layers = {la.name for la in lib.routing_layers()} - {"Metal1"}
    result = route_design(design, lib, {"front": layers, "back": set()}, RouteOptions(),
                          source="ispd18_sample.input.def")
    seconds = time.monotonic() - start
    out = ctx.work_dir / "ispd18_sample.routed.def"
    write_def(design, out)
    check = check_layout(out, [lef])
    ours, vias = _centre_line_um(out)
    ref, ref_vias = _centre_line_um(case / "ispd18_sample.openroad.def")
    return {"route.ispd18_sample.wirelength_um": round(ours, 3),
            "route.ispd18_sample.openroad_wirelength_um": round(ref, 3),
            "route.ispd18_sample.wl_over_openroad": round(ours / ISPD18_OPENROAD_UM, 4),
            "route.ispd18_sample.vias": vias, "route.ispd18_sample.openroad_vias": ref_vias,
            "route.ispd18_sample.drc": check.drc.count,
            "route.ispd18_sample.lvs_opens": check.lvs.opens,
            "route.ispd18_sample.lvs_shorts": check.lvs.shorts,
            "route.ispd18_sample.patches": result.metrics["route__patches"],
            "route.ispd18_sample.seconds": round(seconds, 3)}


#: the main job's variants: name -> (tech file, --set items)
MAIN_VARIANTS = {"cfet": ("pdk/cfet.toml", ()),
                 "ffet_single": ("pdk/ffet.toml", ("signal_sides=front",)),
                 "ffet_dual": ("pdk/ffet.toml", ("signal_sides=both",))}


def _flow_to_drc(ctx: BenchContext, variant: str, tech: str, sets) -> dict:
    """Run the flow up to the layout check for one variant (under the benchmark's work
    directory); its merged metrics."""
    import subprocess
    import sys

    build = ctx.work_dir / "build"
    argv = [sys.executable, "-m", "ffet_flow", "flow", "--design", "riscv32", "--tech", tech,
            "--variant", variant, "--to", "drc", "--build-dir", str(build)]
    for item in sets:
        argv += ["--set", item]
    subprocess.run(argv, cwd=ctx.root, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.loads((build / "riscv32" / variant / "metrics.json").read_text())


def _clean_figures(prefix: str, m: dict) -> dict:
    return {f"drc.{prefix}.count": m.get("finish__drc__count"),
            f"lvs.{prefix}.opens": m.get("finish__lvs__opens"),
            f"lvs.{prefix}.shorts": m.get("finish__lvs__shorts"),
            f"lvs.{prefix}.unconnected": m.get("finish__lvs__unconnected")}


def riscv32_variant(ctx: BenchContext, variant: str) -> dict:
    """One main-job variant of the core routed and checked: DRC/LVS by the independent
    checker, the route step's time and wirelength, the detailed router's time (both sides)
    and the checker's time."""
    tech, sets = MAIN_VARIANTS[variant]
    m = _flow_to_drc(ctx, variant, tech, sets)
    out = _clean_figures(f"riscv32.{variant}", m)
    out[f"route.riscv32.{variant}.seconds"] = m.get("route__runtime__seconds")
    out[f"route.riscv32.{variant}.wirelength_um"] = m.get("route__wirelength")
    detail = [m.get(f"detailedroute__runtime__{s}__seconds") for s in ("front", "back")]
    out[f"route.riscv32.{variant}.detail_seconds"] = (
        round(sum(d for d in detail if d is not None), 3)
        if any(d is not None for d in detail) else None)
    out[f"drc.riscv32.{variant}.seconds"] = m.get("drc__runtime__seconds")
    return out


def _riscv32_keys(variant: str) -> tuple[str, ...]:
    return (f"drc.riscv32.{variant}.count", f"lvs.riscv32.{variant}.opens",
            f"lvs.riscv32.{variant}.shorts", f"lvs.riscv32.{variant}.unconnected",
            f"route.riscv32.{variant}.seconds", f"route.riscv32.{variant}.wirelength_um",
            f"route.riscv32.{variant}.detail_seconds", f"drc.riscv32.{variant}.seconds")


def layers_curve(ctx: BenchContext) -> dict:
    """The same placement routed with fewer layers per side, for each main-job variant:
    global overflow, wirelength and the layout check per point, down to the first point that
    does not route clean, and the fewest layers per side that still do."""
    curve: dict = {}
    fewest: dict = {}
    for variant, (tech, sets) in MAIN_VARIANTS.items():
        for n in LAYER_COUNTS:
            back = n if variant == "ffet_dual" else None
            extra = [*sets, f"layers_front={n}"] + ([f"layers_back={back}"] if back else [])
            m = _flow_to_drc(ctx, f"bench-layers-{variant}-l{n}", tech, extra)
            clean = all(m.get(k) == 0 for k in ("finish__drc__count", "finish__lvs__opens",
                                                 "finish__lvs__shorts",
                                                 "finish__lvs__unconnected"))
            curve.setdefault(variant, {})[n] = {
                "overflow": m.get("globalroute__overflow"),
                "wirelength_um": m.get("route__wirelength"),
                "drc": m.get("finish__drc__count"), "lvs_opens": m.get("finish__lvs__opens"),
                "lvs_shorts": m.get("finish__lvs__shorts"), "clean": clean}
            if not clean:  # fewer layers only route worse: the curve of this variant ends
                break
            fewest[variant] = n
    out = {"route.layers_curve": curve}
    for variant, n in fewest.items():
        out[f"route.layers_curve.{variant}.fewest_clean"] = n
    return out


#: layers per side of the curve (the study sweeps 12 down to 5)
LAYER_COUNTS = (12, 8, 6, 5, 4, 3)


BENCHMARKS = {"route.gcd": gcd, "route.overlapping_edges": overlapping_edges,
              "route.ispd18_sample": ispd18_sample,
              **{f"route.riscv32.{v}": partial(riscv32_variant, variant=v) for v in MAIN_VARIANTS},
              "route.layers_curve": layers_curve}


def _case_keys(name: str) -> tuple[str, ...]:
    return tuple(f"route.{name}.{k}" for k in ("wirelength_um", "vias", "overflow",
                                                "wl_over_openroad", "vias_over_openroad",
                                                "seconds"))


KEYS = {"route.gcd": _case_keys("gcd"), "route.overlapping_edges": _case_keys("overlapping_edges"),
        "route.ispd18_sample": tuple(f"route.ispd18_sample.{k}" for k in (
            "wirelength_um", "openroad_wirelength_um", "wl_over_openroad", "vias",
            "openroad_vias", "drc", "lvs_opens", "lvs_shorts", "patches", "seconds")),
        **{f"route.riscv32.{v}": _riscv32_keys(v) for v in MAIN_VARIANTS},
        "route.layers_curve": ("route.layers_curve",
                               *(f"route.layers_curve.{v}.fewest_clean" for v in MAIN_VARIANTS))}
