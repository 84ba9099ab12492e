"""The `cells` step: the characterized standard-cell library of the run's technology."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from ffet_flow.cells.library import LIB_FILES, build_library
from ffet_flow.steps.base import Step, StepContext


class CellsStep(Step):
    """Writes cells.lef, cells.gds, cells.lib, cells.v, cells.sp and pins.json."""

    name = "cells"
    inputs: ClassVar[tuple[str, ...]] = ()
    outputs: ClassVar[Mapping[str, str]] = dict(LIB_FILES)
    version = 1

    def config_keys(self, config) -> list[str]:
        return [k for k in config.keys_for_step(self.name) if k != "char_jobs"]

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        paths = build_library(ctx.config, ctx.out_dir)
        pins = json.loads(paths["pins_json"].read_text())
        lib = paths["cells_lib"].read_text()
        areas = [float(a) for a in re.findall(r"^\s*area : ([0-9.eE+-]+);", lib, re.M)]
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
