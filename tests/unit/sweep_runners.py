"""Small runners for sweep tests: deterministic metrics from the variant's keys."""

from __future__ import annotations

import os
import time


def _keys(set_items):
    return dict(item.split("=", 1) for item in set_items)


def analytic(design, tech, set_items, variant, log_path, build_root):
    """A pretend flow: metrics follow from the keys, with a short pause like real work."""
    keys = _keys(set_items)
    time.sleep(float(os.environ.get("FFET_TEST_SWEEP_SLEEP", "0.05")))
    layers = int(keys.get("layers_back", 12))
    if layers == 1:
        raise RuntimeError("route: 1 layer per side leaves no signal layer to route on")
    density = float(keys.get("input_pin_density", 0.5))
    return {"finish__timing__fmax": 1e9 * (1.0 + 0.1 * density - 0.01 * (12 - layers)),
            "route__wirelength": 1000.0 + 10 * layers, "route__runtime__seconds": 0.1,
            "tech_stem": tech.rsplit("/", 1)[-1]}
