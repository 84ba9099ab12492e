"""The `tracks` step: the placed DEF with the routing tracks of every layer of this variant.

Floorplan and placement read only the placement part of the stack (`tech_place.lef`, levels
0..2 per side), so variants that differ only in routing layers per side share one placement
(issue: "one placement where only routing keys differ"). This step adds the DEF TRACKS of every
layer of the variant's full stack (`tech.lef`) to that placement for the router, and changes
nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ffet_flow.io.def_ import read_def, write_def
from ffet_flow.io.lef import read_lef
from ffet_flow.place.floorplan import make_tracks, rows_origin
from ffet_flow.steps.base import Step, StepContext


class TracksStep(Step):
    name = "tracks"
    inputs: ClassVar[tuple[str, ...]] = ("placed_def", "tech_lef")
    # republishes the placement under the same artifact name, so later steps read this one
    outputs: ClassVar[Mapping[str, str]] = {"placed_def": "placed_tracks.def"}
    version = 2  # tracks counted from the rows' origin

    def config_keys(self, config) -> list[str]:
        return []  # everything it uses is in its two input files

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        design = read_def(ctx.inputs["placed_def"])
        lib = read_lef([ctx.inputs["tech_lef"]], dbu_per_micron=design.dbu)
        design.tracks = make_tracks(lib, design.die_area, rows_origin(design))
        write_def(design, self.out(ctx, "placed_def"))
        layers = sorted({name for t in design.tracks for name in t.layers})
        ctx.logger.info("tracks of %d layers added to the placement", len(layers))
        return {"tracks__layers": len(layers)}
