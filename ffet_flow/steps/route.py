"""The `route` step: dual-sided global and detailed routing, routed DEF, congestion maps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ffet_flow.io.def_ import read_def, write_def
from ffet_flow.io.lef import apply_pin_sides, read_lef
from ffet_flow.place.parity import read_residues
from ffet_flow.route.run import RouteOptions, route_design, write_congestion_maps
from ffet_flow.steps.base import Step, StepContext
from ffet_flow.tech.model import read_layers_json


class RouteStep(Step):
    name = "route"
    inputs: ClassVar[tuple[str, ...]] = ("placed_def", "layers_json", "tech_lef", "cells_lef",
                                         "pins_json")
    outputs: ClassVar[Mapping[str, str]] = {"routed_def": "routed.def",
                                            "congestion": "congestion"}
    version = 5  # detailed routing on the track graph; local repair passes while congested

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        cfg = ctx.config
        design = read_def(ctx.inputs["placed_def"])
        lib = apply_pin_sides(read_lef([ctx.inputs["tech_lef"], ctx.inputs["cells_lef"]],
                                       dbu_per_micron=design.dbu), ctx.inputs["pins_json"])
        tech = read_layers_json(ctx.inputs["layers_json"])
        routable = {side: {la.name for la in tech.routing_layers(side)}
                    for side in ("front", "back")}
        options = RouteOptions(gcell_rows=cfg.route_gcell_rows,
                               max_iterations=cfg.route_max_iterations,
                               adjustment=cfg.route_capacity_adjustment,
                               detail_iterations=cfg.route_detail_iterations,
                               via_cost=cfg.route_via_cost)
        result = route_design(design, lib, routable, options, source=str(ctx.inputs["placed_def"]),
                              residues=read_residues(ctx.inputs["pins_json"]))
        write_def(design, self.out(ctx, "routed_def"))
        write_congestion_maps(result, self.out(ctx, "congestion"))
        m = result.metrics
        for side in ("front", "back"):
            if m.get(f"route__opens__{side}") or m.get(f"route__violations__{side}"):
                ctx.logger.warning("%s side: %d nets with an unreached pin, %d nodes in conflict "
                                   "(the router's own count; the drc step checks the layout)",
                                   side, m[f"route__opens__{side}"],
                                   m[f"route__violations__{side}"])
        ctx.logger.info("wirelength %.1f um (front %.1f, back %.1f), %d vias, global overflow %d",
                        m["route__wirelength"], m.get("route__wirelength__front", 0.0),
                        m.get("route__wirelength__back", 0.0), m["route__vias"],
                        m["globalroute__overflow"])
        units = {k: ("um" if "wirelength" in k else "s" if "seconds" in k else "count")
                 for k in m}
        return {**m, "units": units}
