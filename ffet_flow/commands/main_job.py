"""`ffet main-job`: CFET, FFET with single-sided and FFET with dual-sided signals through the
whole flow on one design, then `reports/<design>/compare.md` and its bar chart.

The FFET variants use the tech file's default input-pin density and layer counts. A fourth run,
FFET single-sided at the CFET run's core area (utilization = FFET cell area / CFET core area),
gives the study's "equal core area" frequency comparison; `--no-equal-area` leaves it out.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ffet_flow.commands.check import load_rules, violations
from ffet_flow.commands.flow import print_warnings
from ffet_flow.errors import ConfigError, Issue
from ffet_flow.flow import BUILD, ROOT, FlowResult, run_flow, setup_flow
from ffet_flow.log import get_logger, warnings_mark
from ffet_flow.report import (
    AREA,
    CFET,
    FFET_DUAL,
    FFET_EQUAL_AREA,
    FFET_SINGLE,
    INST_AREA,
    write_compare,
)
from ffet_flow.steps.base import Step

NAME = "main-job"
HELP = "the headline job: CFET, FFET single-sided and FFET dual-sided flows, then compare.md"

#: variant -> (tech file, extra --set items)
VARIANTS = {
    CFET: ("pdk/cfet.toml", ()),
    FFET_SINGLE: ("pdk/ffet.toml", ("signal_sides=front",)),
    FFET_DUAL: ("pdk/ffet.toml", ("signal_sides=both",)),
}


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--design", default="riscv32", help="design name (default riscv32)")
    p.add_argument("--set", dest="set_items", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config key in every variant (repeatable)")
    p.add_argument("--build-dir", type=Path, default=BUILD, metavar="DIR")
    p.add_argument("-o", "--out", type=Path, metavar="DIR",
                   help="report directory (default reports/<design>)")
    p.add_argument("--no-equal-area", action="store_true",
                   help="skip the FFET run at the CFET core area")


def _equal_area_utilization(single: FlowResult, cfet: FlowResult) -> float:
    """Utilization that gives the FFET run CFET's core area. The floorplan sizes the core from
    the netlist's cells, before the clock buffers are added: they are left out here too."""
    cell_area, core_area = single.metrics.get(INST_AREA), cfet.metrics.get(AREA)
    if cell_area:
        cell_area = float(cell_area) - float(single.metrics.get("cts__buffer_area", 0.0))
    if not cell_area or not core_area:
        raise ConfigError(Issue("main-job", "equal-area run", f"{INST_AREA}={cell_area}, "
                                f"{AREA}={core_area}", "both runs must report their areas"))
    return round(float(cell_area) / float(core_area), 4)


def run_main_job(design: str, set_items: Sequence[str], build_dir: Path, out: Path | None,
                 equal_area: bool = True, steps: Sequence[Step] | None = None
                 ) -> dict[str, Path]:
    """Run every variant (validated together first), then write the comparison report.

    `steps` replaces the real step list (tests use small fake steps)."""
    log = get_logger("main-job")
    start = time.monotonic()
    no_tools: dict[str, Any] = {} if steps is None else {"steps": []}
    setups = {name: setup_flow(design, ROOT / tech, [*extra, *set_items], name, build_dir,
                               **no_tools)
              for name, (tech, extra) in VARIANTS.items()}
    results: dict[str, FlowResult] = {}
    total = len(setups) + int(equal_area)
    # each variant's warnings are summarized on their own, under its name
    spans: dict[str, tuple[int, int | None]] = {}
    try:
        for i, (name, setup) in enumerate(setups.items(), start=1):
            log.info("variant %d/%d: %s (%s)", i, total, name, setup.run_dir)
            spans[name] = (warnings_mark(), None)
            results[name] = run_flow(setup, steps=steps)
            spans[name] = (spans[name][0], warnings_mark())
        notes = []
        if equal_area:
            util = _equal_area_utilization(results[FFET_SINGLE], results[CFET])
            tech, extra = VARIANTS[FFET_SINGLE]
            setup = setup_flow(design, ROOT / tech, [*extra, *set_items, f"utilization={util}"],
                               FFET_EQUAL_AREA, build_dir, **no_tools)
            log.info("variant %d/%d: %s (utilization %.4f)", total, total, FFET_EQUAL_AREA, util)
            spans[FFET_EQUAL_AREA] = (warnings_mark(), None)
            results[FFET_EQUAL_AREA] = run_flow(setup, steps=steps)
            notes.append(f"The equal-core-area FFET run uses utilization {util:.4f} "
                         "(its cell area over the CFET run's core area).")
    finally:
        for name, (since, until) in spans.items():
            print_warnings(since, until, f"variant {name}")
    notes.append("Run directories: " + ", ".join(
        f"`{os.path.relpath(r.setup.run_dir, ROOT)}`" for r in results.values()))
    notes.append("Synthesis buffers high-fanout nets and sizes gates (ABC with a constraint "
                 "file); the cts step builds a clock buffer tree and sign-off propagates the "
                 "clock through it. There is no post-placement timing repair (no resizing or "
                 "buffering against the extracted wires) and no hold fixing.")
    name = results[CFET].setup.design
    report_dir = out or ROOT / "reports" / name
    # layout views need the real flow's files (tests pass fake steps that write none)
    images = _layout_views(results, report_dir) if steps is None else []
    gates = _gates(results)
    for variant, broken in gates.items():
        if broken:
            log.warning("variant %s fails %d QoR gate(s) (see the report): %s", variant,
                        len(broken), ", ".join(re.split(r"[ :]", v, maxsplit=1)[0]
                                               for v in broken))
    paths = write_compare({n: r.metrics for n, r in results.items()}, report_dir, design=name,
                          notes=notes, images=images, gates=gates)
    log.info("main job finished in %.1f s", time.monotonic() - start)
    return paths


def _gates(results: Mapping[str, FlowResult]) -> dict[str, list[str]]:
    """Each variant's violations of its design's QoR rules (rules.json, as `ffet check`);
    none when the design has no rules file."""
    out: dict[str, list[str]] = {}
    for name, r in results.items():
        path = r.setup.design_dir / "rules.json"
        if path.is_file():
            out[name] = violations(r.metrics, load_rules(path))
    return out


def _layout_views(results: dict, report_dir: Path) -> list[tuple[str, str]]:
    """Render the cells of both architectures and the dual-sided FFET block for the report."""
    from ffet_flow.cellview import render_architectures
    from ffet_flow.render import render_run

    views = []
    cells = render_architectures([ROOT / "pdk/ffet.toml", ROOT / "pdk/cfet.toml"],
                                 report_dir / "cells.png", report_dir / "cells-work")
    views.append(("FFET and CFET cells (INV_X1, NAND2_X1) at one scale",
                  os.path.relpath(cells, report_dir)))
    dual = results.get(FFET_DUAL)
    if dual is not None:
        shots = render_run(dual.setup.run_dir, report_dir / "ffet_dual", size=(900, 900))
        for key, title in (("both", "both sides"), ("front", "front side only"),
                           ("back", "back side only"), ("hotspot", "most congested gcell")):
            views.append((f"FFET dual-sided, {title}", os.path.relpath(shots[key], report_dir)))
    return views


def run(args: argparse.Namespace) -> int:
    paths = run_main_job(args.design, args.set_items, args.build_dir, args.out,
                         equal_area=not args.no_equal_area)
    print(paths["markdown"])
    print(paths["png"])
    return 0
