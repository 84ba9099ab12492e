"""Results of the checks as data: counts per rule, layer and side, the flow metrics, the JSON
summaries and the few lines a command prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ffet_flow.util import write_json
from ffet_flow.verify.drc import RULES, Violations
from ffet_flow.verify.lvs import LvsResult


@dataclass
class DrcResult:
    """Counts of every rule (zeros included), per layer and per side."""

    counts: dict[str, int]
    by_layer: dict[str, dict[str, int]]
    by_side: dict[str, dict[str, int]]
    not_checked: list[str] = field(default_factory=list)
    examples: dict[str, list[str]] = field(default_factory=dict)  # "rule layer" -> lines
    violations: list[Violations] = field(default_factory=list, repr=False)
    seconds: float = 0.0
    rdb: Path | None = None
    report: Path | None = None

    @property
    def count(self) -> int:
        return sum(self.counts.values())

    @property
    def clean(self) -> bool:
        return self.count == 0

    def metrics(self) -> dict[str, int]:
        out = {"finish__drc__count": self.count}
        out.update({f"finish__drc__{rule}": n for rule, n in self.counts.items()})
        for side in ("front", "back"):
            out[f"finish__drc__count__{side}"] = sum(self.by_side.get(side, {}).values())
        return out


def summarize(violations: list[Violations], not_checked: list[str]) -> DrcResult:
    counts = dict.fromkeys(RULES, 0)
    by_layer: dict[str, dict[str, int]] = {}
    by_side: dict[str, dict[str, int]] = {"front": {}, "back": {}}
    examples: dict[str, list[str]] = {}
    for v in violations:
        n = v.count
        if not n:
            continue
        counts[v.rule] = counts.get(v.rule, 0) + n
        layer = by_layer.setdefault(v.layer, {})
        layer[v.rule] = layer.get(v.rule, 0) + n
        side = by_side.setdefault(v.side, {})
        side[v.rule] = side.get(v.rule, 0) + n
        if v.notes:
            examples[f"{v.rule} {v.layer}"] = v.notes
    return DrcResult(counts=counts, by_layer=by_layer, by_side=by_side,
                     not_checked=not_checked, examples=examples, violations=violations)


def drc_json(result: DrcResult, source: dict[str, Any]) -> dict[str, Any]:
    return {"source": source, "count": result.count, "clean": result.clean,
            "rules": result.counts, "layers": result.by_layer, "sides": result.by_side,
            "not_checked": result.not_checked, "examples": result.examples,
            "descriptions": {f"{v.rule} {v.layer}": v.description for v in result.violations
                             if v.count},
            "seconds": round(result.seconds, 3)}


def lvs_json(result: LvsResult, source: dict[str, Any], seconds: float) -> dict[str, Any]:
    nets: dict[str, list[dict[str, str]]] = {}
    for p in result.problems:
        nets.setdefault(p.net, []).append({"kind": p.kind, "text": p.text})
    return {"source": source, "reference": result.reference, "clean": result.clean,
            "opens": result.opens, "extra_groups": result.extra_groups,
            "shorts": result.shorts, "unconnected": result.unconnected,
            "nets_checked": result.nets, "missing_from_def": result.missing,
            "nets": nets, "seconds": round(seconds, 3)}


def write_report(path: Path, data: dict[str, Any]) -> Path:
    write_json(Path(path), data)
    return Path(path)


def drc_lines(result: DrcResult) -> list[str]:
    """A short human summary: totals, then the rules and layers with violations."""
    if result.clean:
        lines = [f"DRC clean ({result.seconds:.1f} s)"]
    else:
        rules = ", ".join(f"{r} {n}" for r, n in result.counts.items() if n)
        lines = [f"DRC: {result.count} violations ({rules}) in {result.seconds:.1f} s"]
        for side in ("front", "back"):
            per = result.by_side.get(side, {})
            if per:
                lines.append(f"  {side}: " + ", ".join(f"{r} {n}" for r, n in per.items()))
        worst = sorted(result.by_layer.items(), key=lambda kv: -sum(kv[1].values()))[:6]
        lines.append("  layers: " + "; ".join(
            f"{layer} " + ", ".join(f"{r} {n}" for r, n in per.items()) for layer, per in worst))
    lines += [f"  not checked: {x}" for x in result.not_checked]
    return lines


def lvs_lines(result: LvsResult, limit: int = 10) -> list[str]:
    head = (f"LVS against {result.reference}: {result.nets} nets, {result.opens} open "
            f"({result.extra_groups} extra groups), {result.shorts} shorts, "
            f"{result.unconnected} unconnected terminals")
    lines = [head]
    for p in result.problems[:limit]:
        lines.append(f"  {p.kind} {p.net}: {p.text[:160]}")
    if len(result.problems) > limit:
        lines.append(f"  ... {len(result.problems) - limit} more in the report")
    if result.missing:
        lines.append(f"  {len(result.missing)} netlist objects missing from the DEF, e.g. "
                     + ", ".join(result.missing[:3]))
    return lines
