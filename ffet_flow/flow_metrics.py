"""The run's merged metrics: every step's metrics under ORFS-style names plus a `units` table.

Units follow docs/architecture.md: lengths in um, areas in um^2, times in ns, frequency in Hz,
power in W, wall-clock runtimes in s. A step may state units itself by returning a `units`
mapping among its metrics; those win over the name-based rules below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

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
    """Flat metrics of all steps (later steps win on a name clash) plus a `units` table."""
    merged: dict[str, Any] = {}
    stated: dict[str, str] = {}
    for r in results:
        for name, value in r.metrics.items():
            if name == "units" and isinstance(value, Mapping):
                stated.update({str(k): str(v) for k, v in value.items()})
            else:
                merged[name] = value
    if config is not None:
        merged.setdefault("design__clock__period", float(config.clock_period))
    units = {name: stated.get(name) or unit_of(name) for name in merged}
    merged["units"] = dict(sorted(units.items()))
    return merged


def numeric(metrics: Mapping[str, Any]) -> dict[str, float]:
    """The numeric metrics only (nested tables such as `units` and strings left out)."""
    return {k: float(v) for k, v in metrics.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)}
