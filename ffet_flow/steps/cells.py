"""The `cells` step: the characterized standard-cell library of the run's technology."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from ffet_flow.cells.library import LIB_FILES, build_library
from ffet_flow.io.liberty import read_liberty
from ffet_flow.steps.base import Step, StepContext


def synthesis_config(config):
    """The configuration of the library synthesis maps onto: the run's architecture with
    single-sided signals (every input on the front). Synthesis thereby gives one netlist per
    (architecture, clock), shared by every pin density and side setting of that architecture;
    placement, routing and sign-off then use the run's own library, whose cells have the same
    names, pins and functions."""
    return config.replace(input_pin_density=0.0, signal_sides="front")


class CellsStep(Step):
    """Writes cells.lef, cells.gds, cells.lib, cells.v, cells.sp, pins.json, and the Liberty of
    the synthesis library (`cells_synth.lib`, see `synthesis_config`)."""

    name = "cells"
    inputs: ClassVar[tuple[str, ...]] = ()
    outputs: ClassVar[Mapping[str, str]] = {**LIB_FILES, "synth_lib": "cells_synth.lib"}
    version = 4  # pins widened, spread (pin-heavy tracks in the middle) for router access; site residues

    def config_keys(self, config) -> list[str]:
        return [k for k in config.keys_for_step(self.name) if k != "char_jobs"]

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        paths = build_library(ctx.config, ctx.out_dir)
        reference = synthesis_config(ctx.config)
        if (ctx.config.effective_input_pin_density == 0.0
                and ctx.config.signal_sides == reference.signal_sides):  # already the one
            shutil.copyfile(paths["cells_lib"], self.out(ctx, "synth_lib"))
        else:
            ref_dir = ctx.out_dir / "synthesis-library"
            ref_paths = build_library(reference, ref_dir)
            shutil.copyfile(ref_paths["cells_lib"], self.out(ctx, "synth_lib"))
            shutil.rmtree(ref_dir)
        return library_metrics(paths["cells_lib"], paths["pins_json"])


def library_metrics(cells_lib: Path, pins_json: Path) -> dict[str, Any]:
    """The step's metrics: cell count, mean cell area (um^2, as the Liberty reader reads it)
    and the fraction of input pins on the back side."""
    pins = json.loads(Path(pins_json).read_text())
    areas = [cell.area for cell in read_liberty(cells_lib).cells.values()]
    sides = [s for cell in pins["cells"].values() for s in cell.values()]
    n_in = sum(s in ("front", "back") for s in sides)
    return {
        "cells__count": len(pins["cells"]),
        "cells__area__mean": sum(areas) / len(areas) if areas else 0.0,
        "cells__pins__back_fraction": (sum(s == "back" for s in sides) / n_in
                                       if n_in else 0.0),
        "units": {"cells__count": "count", "cells__area__mean": "um^2",
                  "cells__pins__back_fraction": "fraction"},
    }
