"""`ffet check`: compare a run's metrics with QoR gates kept as data (designs/<d>/rules.json).

A rules file maps a metric name to `{"value": number, "compare": op}`, with op one of
`<`, `<=`, `>`, `>=`, `==`, `!=`: the rule holds when `metric op value`. Every violated rule is
listed (a missing or non-finite metric violates its rule); the exit status is 1 if any.
"""

from __future__ import annotations

import argparse
import json
import math
import operator
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ffet_flow.errors import CheckFailure, ConfigError, Issue

HELP = "check a run's metrics against QoR rules (designs/<design>/rules.json); list violations"

COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
           "==": operator.eq, "!=": operator.ne}


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def load_rules(path: Path) -> dict[str, dict[str, Any]]:
    """Read and validate a rules file; every bad entry is reported at once (ConfigError)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(Issue(str(path), "file", str(path), "file not found")) from None
    except ValueError as exc:
        raise ConfigError(Issue(str(path), "syntax", str(exc), "valid JSON")) from None
    if not isinstance(raw, dict):
        raise ConfigError(Issue(str(path), "rules", type(raw).__name__,
                                'an object {metric: {"value": v, "compare": op}}'))
    issues, rules = [], {}
    for metric, rule in raw.items():
        if metric.startswith("_"):  # comments and notes
            continue
        if not isinstance(rule, dict) or set(rule) - {"value", "compare", "note"}:
            issues.append(Issue(str(path), metric, rule,
                                'an object with "value", "compare" (and an optional "note")'))
            continue
        if rule.get("compare") not in COMPARE:
            issues.append(Issue(str(path), f"{metric}.compare", rule.get("compare"),
                                "one of " + ", ".join(COMPARE)))
        value = rule.get("value")
        if not _is_number(value) or not math.isfinite(value):
            issues.append(Issue(str(path), f"{metric}.value", value, "a finite number"))
        rules[metric] = rule
    if issues:
        raise ConfigError(issues)
    return rules


def violations(metrics: Mapping[str, Any], rules: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """One line per violated rule, in the rules' order."""
    out = []
    for metric, rule in rules.items():
        want = f"{rule['compare']} {rule['value']:g}"
        value = metrics.get(metric)
        if value is None:
            out.append(f"{metric}: missing from the run's metrics (rule: {want})")
        elif not _is_number(value) or not math.isfinite(value):
            out.append(f"{metric} = {value!r}: not a finite number (rule: {want})")
        elif not COMPARE[rule["compare"]](value, rule["value"]):
            out.append(f"{metric} = {value:g}: violates {want}")
    return out


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--run", type=Path, required=True, metavar="DIR",
                   help="run directory, e.g. build/riscv32/<variant>")
    p.add_argument("--rules", type=Path, metavar="JSON",
                   help="rules file (default: rules.json of the run's design)")


def _default_rules(run_dir: Path) -> Path:
    try:
        info = json.loads((run_dir / "run.json").read_text())
        return Path(info["design_dir"]) / "rules.json"
    except (OSError, ValueError, KeyError):
        from ffet_flow.flow import DESIGNS

        return DESIGNS / run_dir.resolve().parent.name / "rules.json"


def run(args: argparse.Namespace) -> int:
    metrics_path = args.run / "metrics.json"
    try:
        metrics = json.loads(metrics_path.read_text())
    except FileNotFoundError:
        raise ConfigError(Issue("--run", "metrics.json", str(metrics_path),
                                "file not found; run `ffet flow` first")) from None
    except ValueError as exc:
        raise ConfigError(Issue("--run", "metrics.json", str(metrics_path),
                                f"valid JSON ({exc})")) from None
    rules_path = args.rules or _default_rules(args.run)
    rules = load_rules(rules_path)
    bad = violations(metrics, rules)
    if bad:
        raise CheckFailure([f"{len(bad)} of {len(rules)} rules violated ({rules_path}):"] + bad)
    print(f"all {len(rules)} rules hold ({rules_path})")
    return 0
