"""The `drc` step: the independent layout check of the routed DEF (DRC and LVS with KLayout).

Runs right after `route`. It reads only files (routed DEF, tech and cell LEF, the netlist), never
the router's data structures, and writes the marker databases and JSON reports of
`ffet_flow.verify` (docs/verify.md). Violations do not stop the flow: they are metrics
(`finish__drc__count`, `finish__drc__<rule>`, `finish__lvs__opens|shorts|unconnected`) that
QoR gates (`designs/<d>/rules.json`) and reports read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ffet_flow.steps.base import Step, StepContext
from ffet_flow.verify.report import drc_lines, lvs_lines
from ffet_flow.verify.run import OUTPUTS, check_layout


class DrcStep(Step):
    name = "drc"
    inputs: ClassVar[tuple[str, ...]] = ("routed_def", "tech_lef", "cells_lef", "netlist")
    outputs: ClassVar[Mapping[str, str]] = dict(OUTPUTS)
    version = 1

    def config_keys(self, config) -> list[str]:
        return []  # the rules come from the LEF, the geometry from the DEF

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        result = check_layout(ctx.inputs["routed_def"],
                              [ctx.inputs["tech_lef"], ctx.inputs["cells_lef"]],
                              netlist=ctx.inputs["netlist"], out_dir=ctx.out_dir)
        assert result.drc is not None and result.lvs is not None
        drc, lvs = result.drc, result.lvs
        if not result.clean:  # one warning for the run's summary, the details in step.log
            ctx.logger.warning("layout check: %d DRC violations, LVS %d opens, %d shorts, %d "
                               "unconnected pins (%s)", drc.count, lvs.opens, lvs.shorts,
                               lvs.unconnected, ctx.step_dir / "drc.json")
        for line in drc_lines(drc) + lvs_lines(lvs, limit=5):
            ctx.logger.info(line)
        return result.metrics()
