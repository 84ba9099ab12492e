"""floorplan and place steps and commands on a synthetic dual-sided library: DEF outputs load in
KLayout with our LEF, placements are legal, bad input is a one-line error with exit status 2."""

from __future__ import annotations

import json

import pytest

from ffet_flow.config import load_config
from ffet_flow.io.def_ import read_def, write_def
from ffet_flow.io.lef import read_lef
from ffet_flow.place.legal import check_legality
from ffet_flow.place.problem import build_problem
from ffet_flow.place.synthetic import netlist_verilog, synthetic_lef, synthetic_netlist
from ffet_flow.steps.driver import run_steps
from ffet_flow.steps.floorplan import FloorplanStep
from ffet_flow.steps.place import PlaceStep


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("in")
    (d / "tech.lef").write_text(synthetic_lef(part="tech"))
    (d / "cells.lef").write_text(synthetic_lef(part="cells"))
    (d / "netlist.v").write_text(netlist_verilog(synthetic_netlist(800, seed=7, name="top")))
    # pins.json moves input A of NAND2_X1 to the back side; others follow the LEF layers
    (d / "pins.json").write_text(json.dumps({"cells": {"NAND2_X1": {"A": "back"}}}))
    return {"tech_place_lef": d / "tech.lef", "cells_lef": d / "cells.lef",
            "netlist": d / "netlist.v", "pins_json": d / "pins.json"}


@pytest.fixture(scope="module")
def flow_run(inputs, tmp_path_factory):
    cfg = load_config(set_items=["utilization=0.6", "place_effort=2"])
    run_dir = tmp_path_factory.mktemp("run")
    results = run_steps([FloorplanStep(), PlaceStep()], cfg, run_dir, artifacts=inputs)
    return cfg, run_dir, results


def _klayout_loads(def_path, lefs):
    db = pytest.importorskip("klayout.db")
    cfg = db.LEFDEFReaderConfiguration()
    cfg.lef_files = [str(p) for p in lefs]
    cfg.read_lef_with_def = False
    cfg.dbu = 0.0005
    opts = db.LoadLayoutOptions()
    opts.lefdef_config = cfg
    layout = db.Layout()
    layout.read(str(def_path), opts)
    return layout


def test_floorplan_step(flow_run, inputs):
    _, _, results = flow_run
    fp = results[0]
    m = fp.metrics
    assert m["design__instance__count"] == 800
    assert 0.5 < m["design__instance__utilization"] <= 0.6
    d = read_def(fp.outputs["floorplan_def"])
    assert len(d.rows) == m["floorplan__rows"] and d.rows[0].site == "ffet_site"
    assert {t.layers[0] for t in d.tracks} == {"M0", "M1", "M2", "BM0", "BM1", "BM2"}
    assert all(p.status == "PLACED" and p.layer in ("M1", "M2") for p in d.pins)
    x0, y0, x1, y1 = d.die_area
    assert all(p.x in (x0, x1) or p.y in (y0, y1) for p in d.pins)
    assert len({(p.x, p.y) for p in d.pins}) == len(d.pins)
    # supply rails on both wafer sides, where the cells have their supply pins
    rails = {n.name: {path.layer for path in n.paths} for n in d.specialnets}
    assert rails == {"VDD": {"M0"}, "VSS": {"BM0"}}
    assert set(d.components.status) == {"UNPLACED"}


def test_place_step_is_legal_with_side_metrics(flow_run, inputs):
    _, _, results = flow_run
    pl = results[1]
    m = pl.metrics
    assert m["detailedplace__legality__violations"] == 0
    assert m["detailedplace__hpwl__front"] > 0 and m["detailedplace__hpwl__back"] > 0
    assert m["detailedplace__hpwl"] == pytest.approx(
        m["detailedplace__hpwl__front"] + m["detailedplace__hpwl__back"], abs=1e-3)
    d = read_def(pl.outputs["placed_def"])
    assert set(d.components.status) == {"PLACED"}
    lib = read_lef([inputs["tech_place_lef"], inputs["cells_lef"]], d.dbu)
    p = build_problem(d, lib)
    assert check_legality(p, p.x, p.y, p.orient) == []


def test_klayout_loads_floorplan_and_placed_def(flow_run, inputs):
    _, _, results = flow_run
    lefs = [inputs["tech_place_lef"], inputs["cells_lef"]]
    fp = _klayout_loads(results[0].outputs["floorplan_def"], lefs)
    assert fp.top_cell().name == "top"
    placed = _klayout_loads(results[1].outputs["placed_def"], lefs)
    assert placed.top_cell().child_instances() == 800
    names = {placed.get_info(i).name for i in placed.layer_indexes()}
    assert {"M0", "BM0"} <= names


def test_placement_is_deterministic(flow_run, inputs, tmp_path):
    cfg, _, results = flow_run
    again = run_steps([FloorplanStep(), PlaceStep()], cfg, tmp_path / "again", artifacts=inputs)
    for a, b in zip(results, again, strict=True):
        for name, path in a.outputs.items():
            assert path.read_bytes() == b.outputs[name].read_bytes()


def test_cli_floorplan_then_place(run_cli, inputs, tmp_path):
    fp = tmp_path / "fp.def"
    status, out, err = run_cli("floorplan", "--lef", inputs["tech_place_lef"], "--lef",
                               inputs["cells_lef"], "--netlist", inputs["netlist"],
                               "--set", "utilization=0.5", "-o", fp)
    assert status == 0, err
    assert json.loads(out)["design__instance__count"] == 800
    placed = tmp_path / "placed.def"
    status, out, err = run_cli("place", "--def", fp, "--lef", inputs["tech_place_lef"], "--lef",
                               inputs["cells_lef"], "--netlist", inputs["netlist"],
                               "--effort", "1", "-o", placed)
    assert status == 0, err
    assert json.loads(out)["detailedplace__legality__violations"] == 0


def test_bad_input_unknown_cell(run_cli, inputs, tmp_path):
    bad = tmp_path / "bad.v"
    text = inputs["netlist"].read_text().replace("NAND2_X1 u5 ", "NAND9_X1 u5 ", 1)
    assert text != inputs["netlist"].read_text()
    bad.write_text(text)
    status, _, err = run_cli("floorplan", "--lef", inputs["tech_place_lef"], "--lef",
                             inputs["cells_lef"], "--netlist", bad, "-o", tmp_path / "x.def")
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "NAND9_X1" in lines[0] and "not in the library" in lines[0]
    assert "Traceback" not in err and not (tmp_path / "x.def").exists()


@pytest.mark.parametrize("value", ["0", "1", "1.5", "-0.2"])
def test_bad_input_utilization(run_cli, inputs, tmp_path, value):
    status, _, err = run_cli("floorplan", "--lef", inputs["tech_place_lef"], "--lef",
                             inputs["cells_lef"], "--netlist", inputs["netlist"],
                             "--set", f"utilization={value}", "-o", tmp_path / "x.def")
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "utilization" in err and "(0, 1)" in err


def test_bad_input_core_too_small(run_cli, inputs, tmp_path, flow_run):
    _, _, results = flow_run
    d = read_def(results[0].outputs["floorplan_def"])
    d.rows = d.rows[: len(d.rows) // 3]  # a third of the rows cannot hold the cells
    small = tmp_path / "small.def"
    write_def(d, small)
    status, _, err = run_cli("place", "--def", small, "--lef", inputs["tech_place_lef"], "--lef",
                             inputs["cells_lef"], "--netlist", inputs["netlist"],
                             "-o", tmp_path / "x.def")
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "core too small" in err
    assert not (tmp_path / "x.def").exists()
