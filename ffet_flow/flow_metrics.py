"""The run's merged metrics: every step's metrics under ORFS-style names plus a `units` table.

Units follow docs/architecture.md: lengths in um, areas in um^2, times in ns, frequency in Hz,
power in W, wall-clock runtimes in s. A step may state units itself by returning a `units`
mapping among its metrics; those win over the name-based rules below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ffet_flow.config import Config
from ffet_flow.steps.driver import StepResult

# (pattern on the metric name, unit); the first match wins
_UNIT_RULES: tuple[tuple[str, str], ...] = (
    (r"seconds$", "s"),
    (r"__timing__fmax", "Hz"),
    (r"__utilization", "fraction"),
    (r"__(count|overflow|opens|shorts|iterations|drc|vias?)(__|$)", "count"),
    (r"__area(__|$)", "um^2"),
    (r"__(wirelength|hpwl|length)(__|$)", "um"),
    (r"__power(__|$)", "W"),
    (r"__timing__|__slack|__period|__delay|__skew|__latency", "ns"),
    (r"__(capacitance|cap)(__|$)", "fF"),
    (r"__(resistance|res)(__|$)", "Ohm"),
    (r"^pdk__site__", "um"),
    (r"__layers(__|$)", "count"),
)


def unit_of(name: str) -> str:
    """Unit of a metric from its ORFS-style name; "" when the rules do not know it."""
    for pattern, unit in _UNIT_RULES:
        if re.search(pattern, name):
            return unit
    return ""


def merge_metrics(results: Iterable[StepResult], config: Config | None = None) -> dict[str, Any]:
    """Flat metrics of all steps (later steps win on a name clash) plus a `units` table.

    Design-level metrics the floorplan and place steps do not report are derived from the
    placed DEF (see `design_metrics`)."""
    results = list(results)
    merged: dict[str, Any] = {}
    stated: dict[str, str] = {}
    for r in results:
        for name, value in r.metrics.items():
            if name == "units" and isinstance(value, Mapping):
                stated.update({str(k): str(v) for k, v in value.items()})
            else:
                merged[name] = value
    outputs = {a: p for r in results for a, p in r.outputs.items()}
    placed = outputs.get("placed_def")
    lefs = [outputs[a] for a in ("tech_lef", "cells_lef") if a in outputs]
    if (placed is not None and len(lefs) == 2
            and any(m not in merged for m in DESIGN_METRICS)):
        for name, value in design_metrics(placed, lefs).items():
            merged.setdefault(name, value)
    if config is not None:
        merged.setdefault("design__clock__period", float(config.clock_period))
    units = {name: stated.get(name) or unit_of(name) for name in merged}
    merged["units"] = dict(sorted(units.items()))
    return merged


#: design-level metrics that `design_metrics` can derive from a placed DEF and the cell LEF
DESIGN_METRICS = ("design__die__area", "design__core__area", "design__instance__count",
                  "design__instance__area", "design__instance__utilization")


def design_metrics(def_path: Path, lef_paths: Sequence[Path]) -> dict[str, float]:
    """Die and core area (um^2, core = bounding box of the rows), instance count and area
    (filler cells excluded, as ORFS does) and utilization of a placed design."""
    from ffet_flow.io.def_ import read_def
    from ffet_flow.io.lef import read_lef

    design = read_def(def_path)
    lib = read_lef(list(lef_paths), dbu_per_micron=design.dbu)
    um2 = 1.0 / design.dbu ** 2
    x0, y0, x1, y1 = design.die_area
    out: dict[str, float] = {"design__die__area": (x1 - x0) * (y1 - y0) * um2}
    if design.rows:
        heights = {r.site: lib.sites[r.site].height for r in design.rows if r.site in lib.sites}
        rx0 = min(r.x for r in design.rows)
        ry0 = min(r.y for r in design.rows)
        rx1 = max(r.x + max(r.num_x, 1) * max(r.step_x, 0) for r in design.rows)
        ry1 = max(r.y + (max(r.num_y, 1) - 1) * r.step_y + heights.get(r.site, 0)
                  for r in design.rows)
        out["design__core__area"] = (rx1 - rx0) * (ry1 - ry0) * um2
    areas = {name: m.width * m.height for name, m in lib.macros.items()
             if not name.upper().startswith("FILL")}
    placed = [areas[m] for m in design.components.macros if m in areas]
    out["design__instance__count"] = len(placed)
    out["design__instance__area"] = float(np.sum(placed, dtype=np.float64)) * um2
    if out.get("design__core__area"):
        out["design__instance__utilization"] = (out["design__instance__area"]
                                                / out["design__core__area"])
    return out


def numeric(metrics: Mapping[str, Any]) -> dict[str, float]:
    """The numeric metrics only (nested tables such as `units` and strings left out)."""
    return {k: float(v) for k, v in metrics.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)}
