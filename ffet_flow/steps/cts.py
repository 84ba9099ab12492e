"""The `cts` step: a clock buffer tree on the placed design (ffet_flow/cts/).

Reads the placement and the netlist, writes both again with the clock tree (`placed_def` and
`netlist` are republished, so routing, extraction and sign-off see the buffered clock). With
`cts_max_fanout = 0`, or a design without the clock port, they pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ffet_flow.cts.run import run_cts
from ffet_flow.steps.base import Step, StepContext


class CtsStep(Step):
    name = "cts"
    inputs: ClassVar[tuple[str, ...]] = ("placed_def", "netlist", "cells_lib", "tech_place_lef",
                                         "cells_lef", "pins_json")
    outputs: ClassVar[Mapping[str, str]] = {"placed_def": "cts.def", "netlist": "netlist_cts.v"}
    version = 3  # clock buffers on sites where their pins can be reached

    def config_keys(self, config) -> list[str]:
        return [*config.keys_for_step(self.name), "clock_port"]

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        cfg = ctx.config
        return run_cts(def_path=ctx.inputs["placed_def"], netlist=ctx.inputs["netlist"],
                       liberty=ctx.inputs["cells_lib"],
                       lefs=[ctx.inputs["tech_place_lef"], ctx.inputs["cells_lef"]],
                       pins_json=ctx.inputs["pins_json"], out_def=self.out(ctx, "placed_def"),
                       out_netlist=self.out(ctx, "netlist"), clock_port=cfg.clock_port,
                       max_fanout=cfg.cts_max_fanout, buffer_name=cfg.cts_buffer)
