"""File-level floorplan and placement runs shared by the flow steps and the CLI commands.

`run_floorplan` (LEF + netlist -> floorplan DEF) and `run_placement` (DEF [+ netlist] + LEF ->
placed DEF) read the inputs, validate them (ConfigError for bad input, before any work), call
the engines and write the DEF atomically. Both return flat metrics (lengths in microns).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ffet_flow.errors import CheckFailure, ConfigError, Issue
from ffet_flow.io.def_ import Design, read_def, write_def
from ffet_flow.io.lef import Library, apply_pin_sides, read_lef
from ffet_flow.io.verilog import read_verilog
from ffet_flow.log import get_logger
from ffet_flow.place.engine import PlaceOptions, PlaceResult, place
from ffet_flow.place.floorplan import FloorplanOptions, floorplan
from ffet_flow.place.legal import check_legality
from ffet_flow.place.netlist_def import check_cells, design_from_netlist
from ffet_flow.place.parity import enforce_site_residues, parity_violations, read_residues
from ffet_flow.place.problem import PlaceProblem, build_problem, store_placement

log = get_logger("place")


def check_options(utilization: float | None = None, density: float | None = None) -> None:
    issues = []
    if utilization is not None and not 0.0 < utilization < 1.0:
        issues.append(Issue("config", "utilization", utilization, "allowed: number in (0, 1)"))
    if density is not None and not 0.0 < density <= 1.0:
        issues.append(Issue("config", "density", density, "allowed: number in (0, 1]"))
    if issues:
        raise ConfigError(issues)


def _library(lefs: Sequence[Path], dbu: int | None, pins_json: Path | None) -> Library:
    lib = read_lef(list(lefs), dbu)
    return apply_pin_sides(lib, pins_json)


def run_floorplan(lefs: Sequence[Path], netlist: Path, out_def: Path, opts: FloorplanOptions,
                  pins_json: Path | None = None, dbu: int | None = None,
                  top: str | None = None) -> dict[str, Any]:
    check_options(utilization=opts.utilization)
    lib = _library(lefs, dbu, pins_json)
    nl = read_verilog(netlist, top)
    design = design_from_netlist(nl, lib)
    metrics = floorplan(design, lib, opts)
    write_def(design, out_def)
    log.info("floorplan: %d cells, core %.1f um^2, utilization %.3f, %d rows, %d I/O pins",
             metrics["design__instance__count"], metrics["design__core__area"],
             metrics["design__instance__utilization"], metrics["floorplan__rows"],
             metrics["floorplan__io_pins"])
    return metrics


def merge_netlist(design: Design, netlist: Path, lib: Library, top: str | None = None) -> None:
    """Fill an empty DEF from the netlist, or check that the DEF's components match it."""
    nl = read_verilog(netlist, top)
    check_cells(nl, lib)
    if len(design.components) == 0:
        built = design_from_netlist(nl, lib)
        design.components, design.nets = built.components, built.nets
        if not design.pins:
            design.pins = built.pins
        return
    in_def = set(design.components.names)
    in_nl = {i.name for i in nl.instances}
    if in_def != in_nl:
        extra = sorted(in_nl - in_def)[:3]
        gone = sorted(in_def - in_nl)[:3]
        raise ConfigError(Issue(str(netlist), "instances", ", ".join(extra + gone),
                                f"netlist and DEF disagree ({len(in_nl - in_def)} instances only "
                                f"in the netlist, {len(in_def - in_nl)} only in the DEF)"))


def check_capacity(p: PlaceProblem, source: str) -> None:
    """The rows must hold the movable cells: ConfigError 'core too small' otherwise."""
    from ffet_flow.place.rows import free_rows

    movable = ~p.fixed
    need = int((p.width[movable] * p.height[movable]).sum())
    rows = free_rows(p)
    have = sum((r.x1 - r.x0) * r.height for r in rows)
    um2 = float(p.dbu) ** 2
    if not rows or need > have:
        raise ConfigError(Issue(source, "core", f"{have / um2:.3f} um^2",
                                f"core too small for the cells: they need {need / um2:.3f} um^2 "
                                "of free rows; lower the utilization or enlarge the die"))
    widest = int(p.width[movable].max(initial=0))
    if widest > max(r.x1 - r.x0 for r in rows):
        raise ConfigError(Issue(source, "core", f"{widest} dbu",
                                "core too small: a cell is wider than every free row segment"))


def back_nets_without_junction(p: PlaceProblem) -> int:
    """Nets with back-side pins but no dual-sided pin: nothing joins their back sub-net to the
    front (e.g. a primary input driving back-side inputs), which a router must be told about."""
    import numpy as np

    from ffet_flow.place.problem import BACK, BOTH

    counts = np.diff(p.net_start)
    starts = p.net_start[:-1][counts > 0]
    if len(starts) == 0:
        return 0
    back = np.maximum.reduceat((p.pin_side == BACK).astype(np.int8), starts)
    both = np.maximum.reduceat((p.pin_side == BOTH).astype(np.int8), starts)
    return int(((back == 1) & (both == 0)).sum())


def placement_metrics(r: PlaceResult, p: PlaceProblem) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out["place__nets__back_without_junction"] = back_nets_without_junction(p)
    if out["place__nets__back_without_junction"]:
        log.warning("%d nets have back-side pins but no dual-sided pin to join them to the "
                    "front", out["place__nets__back_without_junction"])
    for stage, h in (("globalplace", r.hpwl_global), ("detailedplace", r.hpwl_final)):
        out[f"{stage}__hpwl"] = round(h["sides"], 4)
        out[f"{stage}__hpwl__front"] = round(h["front"], 4)
        out[f"{stage}__hpwl__back"] = round(h["back"], 4)
    out["legalize__hpwl"] = round(r.hpwl_legal["sides"], 4)
    out["detailedplace__hpwl_whole_nets"] = round(r.hpwl_final["whole"], 4)
    out["globalplace__density__inflation"] = round(r.inflation, 4)
    out["globalplace__runtime__seconds"] = round(r.seconds.get("global", 0.0), 3)
    out["detailedplace__runtime__seconds"] = round(
        r.seconds.get("legalize", 0.0) + r.seconds.get("detailed", 0.0), 3)
    out["detailedplace__instance__count__movable"] = int((~p.fixed[:p.n_components]).sum())
    return out


def run_placement(def_path: Path, lefs: Sequence[Path], out_def: Path, opts: PlaceOptions,
                  netlist: Path | None = None, pins_json: Path | None = None,
                  top: str | None = None) -> dict[str, Any]:
    check_options(density=opts.density)
    design = read_def(def_path)
    lib = _library(lefs, design.dbu, pins_json)
    if netlist is not None:
        merge_netlist(design, netlist, lib, top)
    if len(design.components) == 0:
        raise ConfigError(Issue(str(def_path), "COMPONENTS", 0,
                                "no components to place (give the netlist)"))
    p = build_problem(design, lib)
    check_capacity(p, str(def_path))
    result = place(p, opts)
    modulus, residues = read_residues(pins_json)
    result.x, moved = enforce_site_residues(p, result.x, result.y, design.components.macros,
                                            modulus, residues)
    violations = check_legality(p, result.x, result.y, result.orient)
    # a row too full to honour every cell's parity is not illegal: the router's access repair
    # moves what it must (the count is a metric)
    unmet = parity_violations(p, result.x, result.y, design.components.macros, modulus,
                              residues, limit=1 << 30)
    if violations:
        raise CheckFailure([f"placement is not legal: {v}" for v in violations])
    store_placement(design, p, result.x, result.y, result.orient)
    write_def(design, out_def)
    metrics = placement_metrics(result, p)
    metrics["detailedplace__legality__violations"] = 0
    metrics["detailedplace__parity__moved"] = moved
    metrics["detailedplace__parity__unmet"] = len(unmet)
    if unmet:
        log.warning("%d cells stay on a site where some of their pins may be hard to reach "
                    "(rows too full to move them)", len(unmet))
    if moved:
        log.info("%d cells moved to a site where their pins can be reached", moved)
    log.info("placed %d cells: HPWL global %.1f um, final %.1f um (front %.1f, back %.1f)",
             metrics["detailedplace__instance__count__movable"], metrics["globalplace__hpwl"],
             metrics["detailedplace__hpwl"], metrics["detailedplace__hpwl__front"],
             metrics["detailedplace__hpwl__back"])
    return metrics
