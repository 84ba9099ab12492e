"""The `cts` step: a clock buffer tree on the placed design (ffet_flow/cts/).

Reads the placement and the netlist, writes both again with the clock tree (`placed_def` and
`netlist` are republished, so routing, extraction and sign-off see the buffered clock). With
`cts_max_fanout = 0`, or a design without the clock port, they pass through unchanged.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from typing import Any, ClassVar

from ffet_flow.cts.run import clock_buffer, rewrite_netlist, synthesize_clock_tree
from ffet_flow.errors import CheckFailure
from ffet_flow.flow_metrics import design_metrics
from ffet_flow.io.def_ import read_def, write_def
from ffet_flow.io.lef import apply_pin_sides, read_lef
from ffet_flow.io.liberty import read_liberty
from ffet_flow.place.legal import check_legality
from ffet_flow.place.problem import build_problem
from ffet_flow.steps.base import Step, StepContext
from ffet_flow.util import atomic_write_text


class CtsStep(Step):
    name = "cts"
    inputs: ClassVar[tuple[str, ...]] = ("placed_def", "netlist", "cells_lib", "tech_place_lef",
                                         "cells_lef", "pins_json")
    outputs: ClassVar[Mapping[str, str]] = {"placed_def": "cts.def", "netlist": "netlist_cts.v"}
    version = 2

    def config_keys(self, config) -> list[str]:
        return [*config.keys_for_step(self.name), "clock_port"]

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        cfg = ctx.config
        design = read_def(ctx.inputs["placed_def"])
        port = cfg.clock_port
        net = next((n for n in design.nets if ("PIN", port) in n.conns), None)
        sinks = [(c, p) for c, p in net.conns if c != "PIN"] if net else []
        if cfg.cts_max_fanout == 0 or len(sinks) < 2:
            why = ("cts_max_fanout = 0" if cfg.cts_max_fanout == 0 else
                   f"the clock port {port!r} drives {len(sinks)} pins")
            ctx.logger.info("no clock tree (%s): placement and netlist pass through", why)
            shutil.copyfile(ctx.inputs["placed_def"], self.out(ctx, "placed_def"))
            shutil.copyfile(ctx.inputs["netlist"], self.out(ctx, "netlist"))
            return {"cts__buffers": 0, "cts__sinks": len(sinks), "cts__levels": 0,
                    "units": {"cts__buffers": "count", "cts__sinks": "count",
                              "cts__levels": "count"}}
        lib = apply_pin_sides(read_lef([ctx.inputs["tech_place_lef"], ctx.inputs["cells_lef"]],
                                       dbu_per_micron=design.dbu), ctx.inputs["pins_json"])
        buffer = clock_buffer(read_liberty(ctx.inputs["cells_lib"]), cfg.cts_buffer,
                              str(ctx.inputs["cells_lib"]))
        sink_pins = dict(sinks)
        result, sink_net = synthesize_clock_tree(design, lib, net.name, buffer,
                                                 cfg.cts_max_fanout)
        p = build_problem(design, lib)
        violations = check_legality(p, p.x, p.y, p.orient)
        if violations:
            raise CheckFailure([f"clock buffers not legally placed: {v}" for v in violations])
        text = ctx.inputs["netlist"].read_text(encoding="utf-8")
        atomic_write_text(self.out(ctx, "netlist"),
                          rewrite_netlist(text, net.name, sink_net, sink_pins, design, buffer,
                                          str(ctx.inputs["netlist"])))
        write_def(design, self.out(ctx, "placed_def"))
        # the design's instance count, area and utilization now include the clock buffers
        totals = {k: v for k, v in design_metrics(
            self.out(ctx, "placed_def"), [ctx.inputs["tech_place_lef"], ctx.inputs["cells_lef"]]
        ).items() if k.startswith("design__instance__")}
        ctx.logger.info("clock tree on %r: %d sinks, %d %s buffers in %d levels (max fanout %d), "
                        "buffers %.2f um from their targets on average", net.name,
                        result.sinks, len(result.buffers), buffer[0], result.levels,
                        result.max_fanout, result.displacement / design.dbu)
        return {**totals, "cts__buffers": len(result.buffers), "cts__sinks": result.sinks,
                "cts__levels": result.levels, "cts__max_fanout": result.max_fanout,
                "cts__buffer_displacement_um": round(result.displacement / design.dbu, 4),
                "cts__buffer_area": round(len(result.buffers) * lib.macros[buffer[0]].width
                                          * lib.macros[buffer[0]].height / design.dbu ** 2, 6),
                "units": {"cts__buffers": "count", "cts__sinks": "count", "cts__levels": "count",
                          "cts__max_fanout": "count", "cts__buffer_displacement_um": "um",
                          "cts__buffer_area": "um^2",
                          "design__instance__count": "count", "design__instance__area": "um^2",
                          "design__instance__utilization": "fraction"}}
