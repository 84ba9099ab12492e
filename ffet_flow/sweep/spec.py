"""Sweep specifications and their expansion into variants.

A spec (TOML, or the same from command-line flags) names a design, a base technology file,
fixed overrides, and one or more grids; each grid is a Cartesian product of values of
sweepable registry keys, and the sweep is the union of its grids in order:

    design = "riscv32"
    tech = "pdk/ffet.toml"          # default technology file
    set = { utilization = 0.7 }     # fixed overrides for every variant
    [[grid]]
    arch = ["cfet"]                 # `arch` picks pdk/<arch>.toml unless `tech` is varied too
    layers_front = [12, 8, 5]
    [[grid]]
    signal_sides = ["front", "both"]
    input_pin_density = [0.0, 0.5, 1.0]
    layers_front = [12, 8, 5]
    layers_back = [12, 8, 5]
    zip = ["layers_front", "layers_back"]   # these axes move together (3 points, not 9)

Every variant is validated against the registry before anything runs; an unknown key, a key a
sweep may not vary, or a value out of range is a ConfigError (exit 2).
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ffet_flow.config import REGISTRY, load_config
from ffet_flow.errors import ConfigError, Issue

ROOT = Path(__file__).resolve().parents[2]
SPEC_FIELDS = ("design", "tech", "set", "grid", "name")


@dataclass(frozen=True)
class Variant:
    """One point of a sweep: a technology file plus key overrides."""

    tech: str
    settings: tuple[tuple[str, Any], ...]  # sorted (key, value) pairs

    @property
    def name(self) -> str:
        """The flow's own default variant name (ffet_flow.flow.variant_name), so a variant run
        by hand with the same --set items lands in the same run directory."""
        from ffet_flow.flow import variant_name

        return variant_name(Path(self.tech), self.set_items())

    def set_items(self) -> list[str]:
        return [f"{k}={_fmt(v)}" for k, v in self.settings]

    def keys(self) -> dict[str, Any]:
        return {"tech": self.tech, **dict(self.settings)}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        return ",".join(_fmt(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class SweepSpec:
    design: str
    tech: str
    fixed: Mapping[str, Any]
    grids: tuple[Mapping[str, tuple[Any, ...]], ...]
    name: str = "sweep"
    source: str = "sweep"
    variants: tuple[Variant, ...] = field(default=())


def _tech_for(arch: str | None, varied_tech: str | None, base_tech: str) -> str:
    if varied_tech:
        return varied_tech
    if arch:
        return f"pdk/{arch}.toml"
    return base_tech


def expand(design: str, tech: str, fixed: Mapping[str, Any],
           grids: Sequence[Mapping[str, Sequence[Any]]], source: str) -> tuple[Variant, ...]:
    """All variants of the grids, validated; duplicates (same tech and settings) kept once."""
    issues: list[Issue] = []
    for name, value in fixed.items():
        if name not in REGISTRY:
            issues.append(Issue(source, f"set.{name}", value, "unknown key"))
    for gi, grid in enumerate(grids):
        zipped = grid.get("zip", [])
        if zipped:
            lengths = {len(grid.get(n, ())) for n in zipped if isinstance(grid.get(n), list)}
            if not isinstance(zipped, list) or any(n not in grid for n in zipped) or \
                    len(lengths) != 1:
                issues.append(Issue(source, f"grid[{gi}].zip", zipped, "names of keys of this "
                                    "grid whose value lists have equal lengths"))
        for name, values in grid.items():
            label = f"grid[{gi}].{name}"
            if name in ("tech", "zip"):
                continue
            key = REGISTRY.get(name)
            if key is None:
                issues.append(Issue(source, label, values, "unknown key; `ffet config --list` "
                                    "shows the keys a sweep may vary"))
            elif not key.sweep:
                issues.append(Issue(source, label, values, "this key may not be swept"))
            elif not isinstance(values, (list, tuple)) or not values:
                issues.append(Issue(source, label, values, "a non-empty list of values"))
            else:
                for v in values:
                    _, err = key.check(v)
                    if err:
                        issues.append(Issue(source, label, v, err))
    if issues:
        raise ConfigError(issues)

    seen: dict[Variant, None] = {}
    for grid in grids:
        zipped = list(grid.get("zip", []))
        names = sorted(n for n in grid if n != "zip" and n not in zipped)
        axes = [[(v,) for v in grid[n]] for n in names]
        if zipped:
            names.append(tuple(zipped))
            axes.append(list(zip(*(grid[n] for n in zipped), strict=True)))
        for combo in itertools.product(*axes):
            point: dict[str, Any] = {}
            for name, values in zip(names, combo, strict=True):
                point.update(zip(name, values, strict=True) if isinstance(name, tuple)
                             else {name: values[0]})
            tech_file = _tech_for(point.get("arch"), point.pop("tech", None), tech)
            settings = {k: tuple(v) if isinstance(v, list) else v
                        for k, v in {**fixed, **point}.items()}
            variant = Variant(tech_file, tuple(sorted(settings.items())))
            seen.setdefault(variant, None)
    variants = tuple(seen)

    # full validation of every variant (cross-key rules too), all problems at once
    for v in variants:
        tech_path = Path(v.tech) if Path(v.tech).is_absolute() else ROOT / v.tech
        try:
            load_config([tech_path], set_items=v.set_items())
        except ConfigError as exc:
            for i in exc.issues:
                issues.append(Issue(source, f"variant {v.name}: {i.key}", i.value, i.allowed))
    if issues:
        raise ConfigError(issues)
    return variants


def load_spec(path: Path) -> SweepSpec:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(Issue(str(path), "file", str(path), "file not found")) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(Issue(str(path), "syntax", str(exc), "malformed TOML")) from None
    issues = [Issue(str(path), k, raw[k], "unknown field; allowed: " + ", ".join(SPEC_FIELDS))
              for k in raw if k not in SPEC_FIELDS]
    if "design" not in raw:
        issues.append(Issue(str(path), "design", None, "missing; the design to sweep"))
    grids = raw.get("grid", [])
    if not isinstance(grids, list) or not all(isinstance(g, dict) for g in grids):
        issues.append(Issue(str(path), "grid", grids, "a list of [[grid]] tables"))
    if issues:
        raise ConfigError(issues)
    return from_parts(raw["design"], raw.get("tech", "pdk/ffet.toml"), raw.get("set", {}),
                      grids or [{}], name=raw.get("name", Path(path).stem), source=str(path))


def from_parts(design: str, tech: str, fixed: Mapping[str, Any],
               grids: Sequence[Mapping[str, Sequence[Any]]], name: str = "sweep",
               source: str = "sweep") -> SweepSpec:
    variants = expand(design, tech, fixed, grids, source)
    return SweepSpec(design, tech, dict(fixed),
                     tuple({k: tuple(v) for k, v in g.items()} for g in grids), name, source,
                     variants)


def parse_vary(items: Sequence[str]) -> tuple[dict[str, list[Any]], list[Issue]]:
    """`--vary key=v1,v2,...` flags -> one grid."""
    grid: dict[str, list[Any]] = {}
    issues: list[Issue] = []
    for item in items:
        name, eq, text = item.partition("=")
        if not eq or not text:
            issues.append(Issue("--vary", item, item, "expected key=value1,value2,..."))
            continue
        key = REGISTRY.get(name)
        if name == "tech":
            grid[name] = [t.strip() for t in text.split(",") if t.strip()]
        elif key is None:
            issues.append(Issue("--vary", name, text, "unknown key"))
        else:
            grid[name] = [key.parse_text(t.strip()) for t in text.split(",") if t.strip()]
    return grid, issues
