"""The `place` step: Coloquinte placement of the floorplan with the dual-sided net model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ffet_flow.place.engine import PlaceOptions
from ffet_flow.place.run import run_placement
from ffet_flow.steps.base import Step, StepContext


def place_options(cfg) -> PlaceOptions:
    return PlaceOptions(effort=cfg.place_effort, seed=cfg.place_seed, density=cfg.place_density,
                        weight_front=cfg.place_weight_front, weight_back=cfg.place_weight_back,
                        net_model=cfg.place_net_model)


class PlaceStep(Step):
    """Reads floorplan.def, the netlist, the LEFs and pins.json; writes placed.def."""

    name = "place"
    inputs: ClassVar[tuple[str, ...]] = ("floorplan_def", "netlist", "tech_place_lef", "cells_lef",
                                         "pins_json")
    outputs: ClassVar[Mapping[str, str]] = {"placed_def": "placed.def"}
    version = 2  # cells moved to sites where their pins can be reached

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        cfg = ctx.config
        return run_placement(ctx.inputs["floorplan_def"],
                             [ctx.inputs["tech_place_lef"], ctx.inputs["cells_lef"]],
                             self.out(ctx, "placed_def"), place_options(cfg),
                             netlist=ctx.inputs["netlist"], pins_json=ctx.inputs["pins_json"],
                             top=cfg.top or None)
