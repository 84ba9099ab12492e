"""Step `extract`: dual-sided RC extraction of the routed design into one SPEF.

Reads the routed DEF, layers.json (R and C per layer, via resistance), the Liberty (pin
directions), the cell LEF (pin shapes) and pins.json (pin sides); writes `design.spef` where each
net is one RC tree over its front and back wiring joined at the driver pin
(ffet_flow/extract/rctree.py has the model).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.extract.coupling import neighbour_capacitance
from ffet_flow.extract.from_def import routes_from_def
from ffet_flow.extract.rctree import build_rc_net, rc_tech_from
from ffet_flow.extract.spef import header_notes, write_spef
from ffet_flow.log import Progress
from ffet_flow.steps.base import Step, StepContext


def _pin_sides(path: Path | None) -> dict[str, dict[str, str]] | None:
    if path is None:
        return None
    try:
        return json.loads(Path(path).read_text()).get("cells", {})
    except (OSError, ValueError) as exc:
        raise ConfigError(Issue(str(path), "pins.json", "", f"unreadable: {exc}")) from None


def extract_design(routed_def: Path, layers_json: Path, cells_lib: Path, cells_lef: Path,
                   pins_json: Path | None, spef_out: Path, logger=None,
                   coupling: str = "neighbours") -> dict[str, Any]:
    """Extract `routed_def` into `spef_out`; return the step's metrics.

    coupling: 'neighbours' (per-side occupancy of the adjacent tracks, extract/coupling.py) or
    'worst' (layers.json c_per_um everywhere)."""
    from ffet_flow.io.def_ import read_def
    from ffet_flow.io.lef import read_lef
    from ffet_flow.io.liberty import read_liberty
    from ffet_flow.tech.model import read_layers_json

    tech = read_layers_json(layers_json)
    rct = rc_tech_from(tech)
    design = read_def(routed_def)
    if design.dbu != tech.dbu:
        raise ConfigError(Issue(str(routed_def), "UNITS DISTANCE MICRONS", design.dbu,
                                f"must equal layers.json dbu_per_micron {tech.dbu}"))
    lef_lib = read_lef([cells_lef], dbu_per_micron=design.dbu)
    liberty = read_liberty(cells_lib)
    routes, ports = routes_from_def(design, lef_lib, liberty, rct, _pin_sides(pins_json))
    if coupling == "neighbours":
        routes = neighbour_capacitance(routes, rct)
    elif coupling != "worst":
        raise ConfigError(Issue("config", "extract_coupling", coupling,
                                "allowed: 'neighbours', 'worst'"))
    progress = Progress(len(routes), "extract nets", logger) if logger else None
    nets = []
    chunk, last = max(len(routes) // 10, 1), 0
    for i, route in enumerate(routes, start=1):
        nets.append(build_rc_net(route, rct))
        if progress and (i % chunk == 0 or i == len(routes)):
            progress.update(f"{i} nets", advance=i - last)
            last = i
    write_spef(spef_out, design.name, nets, ports, header_notes(coupling))
    cap = {"front": 0.0, "back": 0.0}
    for n in nets:
        for side, c in n.cap_by_side.items():
            cap[side] = cap.get(side, 0.0) + c
    two_sided = sum(1 for n in nets if len([s for s, c in n.cap_by_side.items() if c > 0]) == 2)
    return {
        "extract__net__count": len(nets),
        "extract__net__count__two_sided": two_sided,
        "extract__capacitance__front": round(cap["front"], 4),
        "extract__capacitance__back": round(cap["back"], 4),
        "extract__capacitance__total": round(cap["front"] + cap["back"], 4),
        "extract__estimated__count": sum(n.estimated for n in nets),
        "units": {"extract__capacitance__front": "fF", "extract__capacitance__back": "fF",
                  "extract__capacitance__total": "fF", "extract__net__count": "count",
                  "extract__net__count__two_sided": "count",
                  "extract__estimated__count": "count"},
    }


class ExtractStep(Step):
    name = "extract"
    inputs = ("routed_def", "layers_json", "cells_lib", "cells_lef", "pins_json", "netlist")
    outputs: Mapping[str, str] = {"spef": "design.spef"}
    version = 3

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        return extract_design(ctx.inputs["routed_def"], ctx.inputs["layers_json"],
                              ctx.inputs["cells_lib"], ctx.inputs["cells_lef"],
                              ctx.inputs.get("pins_json"), self.out(ctx, "spef"), ctx.logger,
                              coupling=ctx.config.extract_coupling)
