"""Entry points of the layout checker: DRC and LVS of a routed DEF from the files alone.

    from ffet_flow.verify import check_layout, run_drc, run_lvs
    result = check_layout(def_path, [tech_lef, cells_lef], netlist=None, out_dir=dir)
    result.drc.counts["short"], result.lvs.opens, result.metrics()

`out_dir` receives `drc.lyrdb` / `drc.json` and `lvs.lyrdb` / `lvs.json`; without it nothing is
written. Bad input (a missing file, a DEF layer or via the LEF lacks) raises ConfigError.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.log import Progress, get_logger
from ffet_flow.verify.drc import MetalChecks, Violations, cut_checks
from ffet_flow.verify.layout import Geometry, load_geometry
from ffet_flow.verify.lvs import LvsResult, run_lvs_checks
from ffet_flow.verify.rdb import write_drc_rdb, write_lvs_rdb
from ffet_flow.verify.report import DrcResult, drc_json, lvs_json, summarize, write_report
from ffet_flow.verify.tracks import offtrack

log = get_logger("verify")

OUTPUTS = {"drc_rdb": "drc.lyrdb", "drc_report": "drc.json", "lvs_rdb": "lvs.lyrdb",
           "lvs_report": "lvs.json"}


@dataclass
class CheckResult:
    drc: DrcResult | None
    lvs: LvsResult | None
    seconds: dict[str, float]

    @property
    def clean(self) -> bool:
        return (self.drc is None or self.drc.clean) and (self.lvs is None or self.lvs.clean)

    def metrics(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.drc is not None:
            out.update(self.drc.metrics())
        if self.lvs is not None:
            out.update(self.lvs.metrics())
        out["units"] = dict.fromkeys(out, "count")
        return out


def _source(g: Geometry, lef_paths: Sequence[Path], netlist: Path | None) -> dict[str, Any]:
    return {"def": str(g.def_path), "lef": [str(p) for p in lef_paths],
            "netlist": str(netlist) if netlist else None, "design": g.design.name,
            "dbu_per_micron": g.rules.dbu}


def drc_checks(g: Geometry) -> DrcResult:
    """Every DRC rule on every layer of `g` (see `ffet_flow.verify.drc`); progress per stage
    (metal of each side, cut layers, tracks), details per layer at debug level."""
    start = time.monotonic()
    violations: list[Violations] = []
    sides = [side for side in ("back", "front")
             if any(r.side == side for r in g.rules.metals.values())]
    progress = Progress(len(sides) + 2, "drc", log)
    metals: dict[str, MetalChecks] = {}
    for side in sides:
        progress.announce(f"{side} metal layers")
        found_side = 0
        for name, rule in g.rules.metals.items():
            if rule.side != side:
                continue
            checks = MetalChecks(g, rule)
            found = checks.run()
            metals[name] = checks
            violations += found
            found_side += sum(v.count for v in found)
            log.debug("%s: %s", name, {v.rule: v.count for v in found})
        progress.update(f"{side} metal: {found_side} violations")
    flat: dict[str, object] = {}

    def flat_metal(layer: str):
        if layer not in flat:
            flat[layer] = metals[layer].flat_metal()
        return flat[layer]

    progress.announce("cut layers")
    found_cuts = 0
    for rule in g.rules.cuts.values():
        found = cut_checks(g, rule, flat_metal)
        violations += found
        found_cuts += sum(v.count for v in found)
    progress.update(f"cut layers: {found_cuts} violations")
    found, skipped = offtrack(g)
    violations += found
    progress.update(f"tracks: {sum(v.count for v in found)} violations")
    result = summarize(violations, [f"offtrack on {layer} (no DEF TRACKS across its "
                                    "direction)" for layer in skipped])
    result.seconds = time.monotonic() - start
    return result


def check_layout(def_path: Path | str, lef_paths: Sequence[Path | str], *,
                 netlist: Path | str | None = None, out_dir: Path | str | None = None,
                 drc: bool = True, lvs: bool = True) -> CheckResult:
    """DRC and/or LVS of a routed DEF (one layout load for both)."""
    lef_paths = [Path(p) for p in lef_paths]
    netlist = Path(netlist) if netlist is not None else None
    t0 = time.monotonic()
    g = load_geometry(def_path, lef_paths)
    seconds = {"load": time.monotonic() - t0}
    source = _source(g, lef_paths, netlist)
    out = Path(out_dir) if out_dir is not None else None
    drc_result = lvs_result = None
    if drc:
        drc_result = drc_checks(g)
        seconds["drc"] = drc_result.seconds
        if out is not None:
            drc_result.rdb = write_drc_rdb(out / OUTPUTS["drc_rdb"], drc_result.violations,
                                           g.design.name, g.rules.dbu, str(g.def_path))
            drc_result.report = write_report(out / OUTPUTS["drc_report"],
                                             drc_json(drc_result, source))
    if lvs:
        t1 = time.monotonic()
        lvs_result = run_lvs_checks(g, netlist)
        seconds["lvs"] = time.monotonic() - t1
        if out is not None:
            write_lvs_rdb(out / OUTPUTS["lvs_rdb"], lvs_result, g.design.name, g.rules.dbu,
                          str(g.def_path))
            write_report(out / OUTPUTS["lvs_report"],
                         lvs_json(lvs_result, source, seconds["lvs"]))
    seconds["total"] = time.monotonic() - t0
    log.info("checked %s in %.1f s (%s)", g.design.name, seconds["total"],
             ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items() if k != "total"))
    return CheckResult(drc_result, lvs_result, seconds)


def run_drc(def_path: Path | str, lef_paths: Sequence[Path | str], *,
            out_dir: Path | str | None = None) -> DrcResult:
    result = check_layout(def_path, lef_paths, out_dir=out_dir, lvs=False)
    assert result.drc is not None
    return result.drc


def run_lvs(def_path: Path | str, lef_paths: Sequence[Path | str], *,
            netlist: Path | str | None = None, out_dir: Path | str | None = None) -> LvsResult:
    result = check_layout(def_path, lef_paths, netlist=netlist, out_dir=out_dir, drc=False)
    assert result.lvs is not None
    return result.lvs


@dataclass(frozen=True)
class RunInputs:
    routed_def: Path
    lefs: tuple[Path, ...]  # tech LEF, cell LEF
    netlist: Path | None


def _latest(run_dir: Path, step: str, name: str) -> Path | None:
    hits = sorted(run_dir.glob(f"*-{step}/{name}"))
    return hits[-1] if hits else None


def run_inputs(run_dir: Path | str) -> RunInputs:
    """The files of a flow run the checks read: `NN-route/routed.def`, `NN-pdk/tech.lef`,
    `NN-cells/cells.lef` and the netlist (`NN-cts/netlist_cts.v`, else `NN-synth/netlist.v`).
    A missing one is a one-line ConfigError."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise ConfigError(Issue("command line", "RUN_DIR", str(run_dir), "no such run directory"))
    found = {}
    for step, name in (("route", "routed.def"), ("pdk", "tech.lef"), ("cells", "cells.lef")):
        path = _latest(run_dir, step, name)
        if path is None:
            raise ConfigError(Issue(str(run_dir), f"{step} output", name,
                                    f"missing: {run_dir}/NN-{step}/{name} (run the flow through "
                                    f"the {step} step first)"))
        found[name] = path
    netlist = _latest(run_dir, "cts", "netlist_cts.v") or _latest(run_dir, "synth", "netlist.v")
    return RunInputs(found["routed.def"], (found["tech.lef"], found["cells.lef"]), netlist)
