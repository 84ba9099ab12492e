"""The `pdk` step: the technology files every later step reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ffet_flow.commands.pdk import PDK_FILES, write_pdk
from ffet_flow.steps.base import Step, StepContext
from ffet_flow.tech.model import read_layers_json


class PdkStep(Step):
    """Writes tech LEFs (front, back, merged), layers.json and the KLayout .lyt/.lyp."""

    name = "pdk"
    inputs: ClassVar[tuple[str, ...]] = ()
    outputs: ClassVar[Mapping[str, str]] = dict(PDK_FILES)
    version = 2  # design rules in the tech LEF and layers.json

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        paths = write_pdk(ctx.config, ctx.out_dir)
        tech = read_layers_json(paths["layers_json"])
        ctx.logger.info("%s: %d front, %d back metal layers; site %.4f x %.4f um",
                        tech.arch, len(tech.front), len(tech.back), tech.um(tech.cpp),
                        tech.um(tech.cell_height))
        return {
            "pdk__layers__front": len(tech.front),
            "pdk__layers__back": len(tech.back),
            "pdk__layers__routing__front": len(tech.routing_layers("front")),
            "pdk__layers__routing__back": len(tech.routing_layers("back")),
            "pdk__site__width": tech.um(tech.cpp),
            "pdk__site__height": tech.um(tech.cell_height),
        }
