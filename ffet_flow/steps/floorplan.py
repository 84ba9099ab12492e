"""The `floorplan` step: die, core, rows, tracks, I/O pins and supply rails as DEF."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ffet_flow.place.floorplan import FloorplanOptions
from ffet_flow.place.run import run_floorplan
from ffet_flow.steps.base import Step, StepContext


class FloorplanStep(Step):
    """Reads the tech and cell LEFs, pins.json and the netlist; writes floorplan.def."""

    name = "floorplan"
    inputs: ClassVar[tuple[str, ...]] = ("tech_place_lef", "cells_lef", "pins_json", "netlist")
    outputs: ClassVar[Mapping[str, str]] = {"floorplan_def": "floorplan.def"}
    version = 5  # tracks from the rows; I/O pins reach a track crossing; back twins of input pins

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        cfg = ctx.config
        opts = FloorplanOptions(utilization=cfg.utilization, aspect_ratio=cfg.aspect_ratio,
                                core_margin=cfg.core_margin)
        top = cfg.top or None
        return run_floorplan([ctx.inputs["tech_place_lef"], ctx.inputs["cells_lef"]],
                             ctx.inputs["netlist"], self.out(ctx, "floorplan_def"), opts,
                             pins_json=ctx.inputs["pins_json"], dbu=cfg.dbu_per_micron, top=top)
