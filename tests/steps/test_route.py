"""Dual-sided routing on a synthetic netlist placed with the real pdk and cell layouts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ffet_flow.cells.access import site_modulus, site_residues
from ffet_flow.cells.layout import build_layouts
from ffet_flow.cells.lef import write_cells_lef
from ffet_flow.cells.netlists import cell_set
from ffet_flow.cells.pinsides import assign_pin_sides, pins_payload
from ffet_flow.commands.pdk import write_pdk
from ffet_flow.config import load_config
from ffet_flow.errors import ConfigError
from ffet_flow.io.def_ import read_def, write_def
from ffet_flow.place.synthetic import CELLS, netlist_verilog, synthetic_netlist
from ffet_flow.steps.driver import run_steps
from ffet_flow.steps.floorplan import FloorplanStep
from ffet_flow.steps.place import PlaceStep
from ffet_flow.steps.route import RouteStep
from ffet_flow.steps.tracks import TracksStep

ROOT = Path(__file__).resolve().parents[2]


def _library(cfg, out: Path) -> dict[str, Path]:
    """pdk files, cells.lef and pins.json of the synthetic netlist's cells (no characterization)."""
    paths = write_pdk(cfg, out)
    from ffet_flow.tech.model import build_tech

    tech = build_tech(cfg)
    cells = cell_set([c[0] for c in CELLS])
    back = tech.arch == "ffet" and tech.signal_sides == "both"
    sides = assign_pin_sides(cells, cfg.effective_input_pin_density, back)
    layouts = build_layouts(cells, tech, sides)
    paths["cells_lef"] = write_cells_lef(layouts, tech, sides, out / "cells.lef")
    paths["pins_json"] = out / "pins.json"
    residues = {n: r for n, lay in layouts.items() if (r := site_residues(lay, tech)) is not None}
    paths["pins_json"].write_text(json.dumps(pins_payload(
        sides, cfg.effective_input_pin_density, site_modulus(tech), residues)))
    return paths


def _run(tmp: Path, *set_items: str, n_cells: int = 300):
    cfg = load_config([ROOT / "pdk/ffet.toml"], set_items=["utilization=0.6", "place_effort=1",
                                                           *set_items])
    arts = _library(cfg, tmp / "lib")
    (tmp / "netlist.v").write_text(netlist_verilog(synthetic_netlist(n_cells, seed=3, name="t")))
    arts["netlist"] = tmp / "netlist.v"
    results = run_steps([FloorplanStep(), PlaceStep(), TracksStep(), RouteStep()], cfg,
                        tmp / "run", artifacts=arts, cache_root=tmp.parent / "cache",
                        shared_steps={"floorplan", "place"})
    return cfg, arts, results[-1]


@pytest.fixture(scope="module")
def routed(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("r12"))


def test_enough_layers_route_both_sides_without_overflow_or_opens(routed):
    _, _, res = routed
    m = res.metrics
    assert m["globalroute__overflow"] == 0 and m["route__opens"] == 0
    assert m["route__violations"] == 0
    assert m["route__wirelength__front"] > 0 and m["route__wirelength__back"] > 0
    assert m["route__vias__front"] > 0 and m["route__vias__back"] > 0
    design = read_def(res.outputs["routed_def"])
    layers = {p.layer for net in design.nets for p in net.paths}
    assert any(la.startswith("BM") for la in layers) and any(la.startswith("M") for la in layers)
    assert sorted(res.outputs["congestion"].glob("congestion_back_*.png"))


@pytest.mark.tool
def test_the_independent_checker_finds_the_layout_clean_on_both_sides(routed):
    """DRC and LVS with KLayout (ffet_flow.verify, which never reads the router's data): no
    short, spacing, end-of-line, area, cut or track violation, every net connected."""
    from ffet_flow.verify import check_layout

    _, arts, res = routed
    result = check_layout(res.outputs["routed_def"], [arts["tech_lef"], arts["cells_lef"]],
                          netlist=arts["netlist"])
    assert result.drc.count == 0, result.drc.counts
    assert (result.lvs.opens, result.lvs.shorts, result.lvs.unconnected) == (0, 0, 0)
    # both sides carry wiring, and the router's own count agrees with the checker's
    assert res.metrics["route__violations"] == result.drc.count == 0


@pytest.mark.tool
def test_the_routers_count_and_the_checkers_agree_on_an_unfinished_route(tmp_path_factory):
    """One greedy pass on a denser placement leaves conflicts: the router must say so, and the
    checker must find violations on the same sides (neither may call the layout clean alone)."""
    from ffet_flow.verify import check_layout

    _, arts, res = _run(tmp_path_factory.mktemp("r1"), "route_detail_iterations=1",
                        "utilization=0.8")
    result = check_layout(res.outputs["routed_def"], [arts["tech_lef"], arts["cells_lef"]],
                          netlist=arts["netlist"])
    m = res.metrics
    assert m["route__violations"] > 0 and result.drc.count > 0
    for side in ("front", "back"):
        assert (m[f"route__violations__{side}"] > 0) == (sum(result.drc.by_side.get(side, {}).values()) > 0), side


def test_removing_layers_raises_overflow_monotonically(tmp_path_factory):
    base = tmp_path_factory.mktemp("curve")
    overflow = []
    for n in (6, 4, 3):
        _, _, res = _run(base / f"l{n}", f"layers_front={n}", f"layers_back={n}",
                         "utilization=0.85", "route_capacity_adjustment=0.6",
                         "route_max_iterations=3")
        overflow.append(res.metrics["globalroute__overflow"])
    assert overflow == sorted(overflow) and overflow[-1] > overflow[0]


def test_single_sided_signals_route_the_front_only(tmp_path):
    _, _, res = _run(tmp_path, "signal_sides=front")
    m = res.metrics
    assert m["route__nets__back"] == 0 and m["route__wirelength__front"] > 0
    design = read_def(res.outputs["routed_def"])
    assert not any(p.layer.startswith("BM") for net in design.nets for p in net.paths)


def test_back_pins_without_back_routing_layers_are_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="back side"):
        _run(tmp_path, "layers_back=2")


def test_routing_is_deterministic(routed, tmp_path, run_cli):
    _, arts, res = routed
    placed = res.step_dir.parent / "03-tracks" / "placed_tracks.def"
    args = ["route", "--def", placed, "--lef", arts["tech_lef"], "--lef", arts["cells_lef"],
            "--layers-json", arts["layers_json"], "--pins-json", arts["pins_json"]]
    assert run_cli(*args, "-o", tmp_path / "a.def")[0] == 0
    assert run_cli(*args, "-o", tmp_path / "b.def")[0] == 0
    assert (tmp_path / "a.def").read_bytes() == (tmp_path / "b.def").read_bytes()
    assert (tmp_path / "a.def").read_bytes() == res.outputs["routed_def"].read_bytes()


def test_unknown_cell_in_the_def_is_a_one_line_error(routed, tmp_path, run_cli):
    _, arts, res = routed
    design = read_def(res.step_dir.parent / "03-tracks" / "placed_tracks.def")
    design.components.macros[0] = "NO_SUCH_CELL"
    write_def(design, tmp_path / "bad.def")
    status, _, err = run_cli("route", "--def", tmp_path / "bad.def", "--lef", arts["tech_lef"],
                             "--lef", arts["cells_lef"], "-o", tmp_path / "o.def")
    assert status == 2 and "NO_SUCH_CELL" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
