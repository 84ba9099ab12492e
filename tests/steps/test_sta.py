"""Step `sta` (OpenSTA sign-off) on the tiny routed design, its fmax check and bad input."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from ffet_flow.config import load_config
from ffet_flow.steps.driver import run_steps
from ffet_flow.steps.extract import extract_design
from ffet_flow.steps.sta import StaStep, run_signoff
from ffet_flow.tech.layers_json import write_layers_json
from ffet_flow.tech.model import build_tech

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
PERIOD = 0.1  # ns; the SDC says 0.25: the step must take the config's value

pytestmark = pytest.mark.tool


@pytest.fixture(scope="module")
def design(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sta")
    cfg = load_config([ROOT / "pdk" / "ffet.toml"],
                      overrides={"top": "tiny", "sdc": "tiny.sdc", "clock_period": PERIOD})
    layers = tmp / "layers.json"
    write_layers_json(build_tech(cfg), layers)
    spef = tmp / "design.spef"
    extract_design(GOLDEN / "tiny_routed.def", layers, GOLDEN / "tiny.lib",
                   GOLDEN / "tiny_cells.lef", None, spef)
    design_dir = tmp / "design"
    design_dir.mkdir()
    shutil.copy(GOLDEN / "tiny.sdc", design_dir / "tiny.sdc")
    artifacts = {"netlist": GOLDEN / "tiny_routed.v", "cells_lib": GOLDEN / "tiny.lib",
                 "spef": spef}
    res = run_steps([StaStep()], cfg, tmp / "run", artifacts=artifacts, design_dir=design_dir)
    return res[0], artifacts, design_dir, tmp, cfg


def test_timing_power_and_critical_path(design):
    result = design[0]
    timing = json.loads(result.outputs["timing"].read_text())
    power = json.loads(result.outputs["power"].read_text())
    m = result.metrics
    assert timing["clock_period"] == pytest.approx(PERIOD)
    assert timing["opensta_warnings"] == 0 and m["finish__sta__warning__count"] == 0
    path = timing["critical_path"]
    # ra -> u1 (NAND2) -> u2 (INV) -> ry: three cell stages drive the path
    assert path["end"] == "ry/D" and path["start"] == "ra/Q"
    assert path["stages"] == 3
    assert [p["cell"] for p in path["points"] if p["driver"]] == ["DFF_X1", "NAND2_X1",
                                                                  "INV_X1"]
    arrivals = [p["arrival"] for p in path["points"]]
    assert arrivals == sorted(arrivals)
    assert m["finish__timing__setup__ws"] == pytest.approx(path["slack"], abs=1e-6)
    assert m["finish__timing__setup__ws"] > 0 and m["finish__timing__setup__tns"] == 0
    assert m["finish__timing__hold__ws"] > 0
    t = power["target"]
    assert t["total"] == pytest.approx(t["internal"] + t["switching"] + t["leakage"], rel=1e-6)
    # leakage: 3 x DFF_X1 6 nW + 2 x NAND2_X1 1.5 nW + INV_X1 1 nW (tiny.lib)
    assert t["leakage"] == pytest.approx(22e-9, rel=1e-4)
    # a shorter period at the same activity per cycle: more dynamic, same leakage
    f = power["fmax"]
    assert f["leakage"] == pytest.approx(t["leakage"])
    assert f["switching"] > t["switching"] and f["internal"] > t["internal"]
    assert "Startpoint" in result.outputs["report"].read_text()
    # within the Liberty's limits (0.2 ns, 10 fF); the clock net has the most loads (3 flops)
    assert (m["finish__timing__drv__max_slew"], m["finish__timing__drv__max_cap"]) == (0, 0)
    assert m["finish__timing__drv__fanout_largest"] == 3
    # the design's SDC with the configured period, kept beside the results
    assert "set clk_period 0.1\n" in result.outputs["sdc_effective"].read_text()


def test_fmax_is_one_over_the_minimum_period(design):
    m = design[0].metrics
    timing = json.loads(design[0].outputs["timing"].read_text())
    t_min = timing["fmax"]["min_period"]
    assert m["finish__timing__fmax"] == pytest.approx(1e9 / t_min)
    # the critical path is register to register, so one step T - WNS is exact
    assert t_min == pytest.approx(PERIOD - m["finish__timing__setup__ws"], rel=1e-6)
    assert timing["fmax"]["at_min_period"]["setup"]["ws"] == pytest.approx(0.0, abs=1e-6)
    check = timing["fmax_check"]
    assert check["1.02"]["setup_ws"] >= 0 > check["0.95"]["setup_ws"]


@pytest.mark.parametrize("factor, sign", [(1.02, 1), (0.95, -1)])
def test_fmax_agrees_with_an_independent_retiming(design, tmp_path, factor, sign):
    """The issue's check, in fresh OpenSTA runs: 1.02 x T_min meets setup, 0.95 x fails."""
    result, artifacts, design_dir, *_ = design
    t_min = json.loads(result.outputs["timing"].read_text())["fmax"]["min_period"]
    m = run_signoff(netlist=artifacts["netlist"], liberty=artifacts["cells_lib"],
                    spef=artifacts["spef"], sdc=design_dir / "tiny.sdc", top="tiny",
                    period_ns=factor * t_min, activity=0.1, out_dir=tmp_path,
                    log_path=tmp_path / "sta.log")
    ws = m["finish__timing__setup__ws"]
    assert (ws >= 0) if sign > 0 else (ws < 0)


def test_cli_runs_and_prints_metrics(design, tmp_path, run_cli):
    _, artifacts, design_dir, *_ = design
    status, out, err = run_cli("sta", "--netlist", artifacts["netlist"], "--liberty",
                               artifacts["cells_lib"], "--spef", artifacts["spef"], "--sdc",
                               design_dir / "tiny.sdc", "--top", "tiny", "--period", "0.2",
                               "-o", tmp_path)
    assert status == 0, err
    assert json.loads(out)["finish__timing__setup__ws"] > 0.09
    assert (tmp_path / "timing.json").exists()


def test_sdc_without_a_clock_is_a_one_line_config_error(design, tmp_path, run_cli):
    _, artifacts, *_ = design
    sdc = tmp_path / "noclock.sdc"
    sdc.write_text("set_input_delay 0.01 [get_ports a]\n")
    status, _, err = run_cli("sta", "--netlist", artifacts["netlist"], "--liberty",
                             artifacts["cells_lib"], "--sdc", sdc, "--top", "tiny",
                             "--period", "0.1", "-o", tmp_path / "o")
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(sdc) in lines[0] and "create_clock" in lines[0]
    assert "Traceback" not in err


def test_missing_opensta_is_a_config_error_naming_it(design, tmp_path, run_cli, monkeypatch):
    _, artifacts, design_dir, *_ = design
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))  # nothing beside it
    status, _, err = run_cli("sta", "--netlist", artifacts["netlist"], "--liberty",
                             artifacts["cells_lib"], "--sdc", design_dir / "tiny.sdc",
                             "--top", "tiny", "--period", "0.1", "-o", tmp_path / "o")
    assert status == 2
    assert "sta" in err and "not found" in err and len(err.strip().splitlines()) == 1


def test_failing_opensta_exits_1_with_its_log(design, tmp_path, run_cli):
    _, artifacts, design_dir, *_ = design
    bad = tmp_path / "bad.v"
    bad.write_text("module tiny (a); input a; NOPE_X1 u (.A(a)); endmodule\n")
    status, _, err = run_cli("sta", "--netlist", bad, "--liberty", artifacts["cells_lib"],
                             "--sdc", design_dir / "tiny.sdc", "--top", "tiny", "--period",
                             "0.1", "-o", tmp_path / "o")
    assert status == 1
    assert str(tmp_path / "o" / "sta.log") in err


def test_tcl_word_round_trips_through_opensta(tmp_path):
    from ffet_flow.proc import find_program, run_tool
    from ffet_flow.steps.toolvars import tcl_vars_text

    nasty = ["a b", "[exit 3]", "$HOME", "{x", "y}", 'q"uote', "back\\slash;", "/p/x.v"]
    script = tmp_path / "v.tcl"
    out = tmp_path / "out.txt"
    script.write_text(tcl_vars_text("t", {f"k{i}": v for i, v in enumerate(nasty)}, None)
                      + f"set f [open {out} w]\n"
                      + "".join(f"puts $f $::t(k{i})\n" for i in range(len(nasty)))
                      + "close $f\n")
    run_tool("test", [find_program("sta"), "-no_init", "-no_splash", "-exit", script],
             tmp_path / "log")
    assert out.read_text().splitlines() == nasty


def test_fmax_when_io_delays_scale_with_the_period(design, tmp_path):
    """Output delay of 0.7 x period: the output path's slack grows 0.3 ns per ns of period, so
    from a loose target T - WNS overestimates T_min and the refinement must find it; then the
    1.02/0.95 check again."""
    _, artifacts, design_dir, *_ = design
    sdc = tmp_path / "io.sdc"
    sdc.write_text((design_dir / "tiny.sdc").read_text().replace("0.2 * $clk_period",
                                                                 "0.7 * $clk_period"))
    common = dict(netlist=artifacts["netlist"], liberty=artifacts["cells_lib"],
                  spef=artifacts["spef"], sdc=sdc, top="tiny", activity=0.1)
    run_signoff(period_ns=2 * PERIOD, out_dir=tmp_path, log_path=tmp_path / "sta.log", **common)
    fmax = json.loads((tmp_path / "timing.json").read_text())["fmax"]
    assert fmax["min_period"] < fmax["first_estimate"] * 0.9
    assert 0 <= fmax["at_min_period"]["setup"]["ws"] <= 1e-3 * fmax["min_period"]
    for factor, ok in ((1.02, True), (0.95, False)):
        out = tmp_path / f"x{factor}"
        out.mkdir()
        m = run_signoff(period_ns=factor * fmax["min_period"], out_dir=out,
                        log_path=out / "sta.log", **common)
        assert (m["finish__timing__setup__ws"] >= 0) is ok


ASYNC_NETLIST = """module areset (clk, rst_n, a, y);
  input clk, rst_n, a;
  output y;
  wire q0, n1, n2, n3;
  DFFR_X1 r0 (.D(a), .CLK(clk), .RN(rst_n), .Q(q0));
  INV_X1 u1 (.A(q0), .Y(n1));
  INV_X1 u2 (.A(n1), .Y(n2));
  INV_X1 u3 (.A(n2), .Y(n3));
  DFFR_X1 r1 (.D(n3), .CLK(clk), .RN(rst_n), .Q(y));
endmodule
"""


def test_critical_path_is_the_worst_of_all_path_groups(tmp_path):
    """The reset pins form OpenSTA's asynchronous path group (recovery checks); the reported
    critical path must still be the worst one (register to register here)."""
    netlist = tmp_path / "areset.v"
    netlist.write_text(ASYNC_NETLIST)
    sdc = tmp_path / "c.sdc"
    sdc.write_text("create_clock -name clk -period 1.0 [get_ports clk]\n"
                   "set_input_delay 0.01 -clock clk [get_ports {a rst_n}]\n"
                   "set_output_delay 0.01 -clock clk [get_ports y]\n")
    m = run_signoff(netlist=netlist, liberty=GOLDEN / "tiny.lib", spef=None, sdc=sdc,
                    top="areset", period_ns=0.1, activity=0.1, out_dir=tmp_path,
                    log_path=tmp_path / "sta.log")
    path = json.loads((tmp_path / "timing.json").read_text())["critical_path"]
    assert path["slack"] == pytest.approx(m["finish__timing__setup__ws"], abs=1e-6)
    assert (path["start"], path["end"], path["stages"]) == ("r0/Q", "r1/D", 4)


def test_editing_the_sdc_makes_sta_stale(design, tmp_path):
    _, artifacts, design_dir, _, cfg = design
    d = tmp_path / "design"
    shutil.copytree(design_dir, d)
    runs = []
    for edit in (False, False, True):
        if edit:
            sdc = d / "tiny.sdc"
            sdc.write_text(sdc.read_text() + "set_load 0.5 [get_ports y]\n")
        runs.append(run_steps([StaStep()], cfg, tmp_path / "run", artifacts=artifacts,
                              design_dir=d)[0])
    assert [r.skipped for r in runs] == [False, True, False]


def test_design_rule_checks_count_the_pins_over_the_liberty_limits(design, tmp_path):
    """The same design against a Liberty whose limits it cannot meet: every driver pin is over
    its max capacitance, and slews are over the max transition."""
    _result, artifacts, design_dir, _tmp, cfg = design
    lib = (GOLDEN / "tiny.lib").read_text()
    lib = lib.replace("max_capacitance : 10.0;", "max_capacitance : 0.001;")
    lib = lib.replace("default_max_transition : 0.2;", "default_max_transition : 0.0001;")
    tight = tmp_path / "tight.lib"
    tight.write_text(lib)
    m = run_signoff(netlist=artifacts["netlist"], liberty=tight, spef=artifacts["spef"],
                    sdc=design_dir / "tiny.sdc", top="tiny", period_ns=PERIOD, activity=0.1,
                    out_dir=tmp_path, log_path=tmp_path / "sta.log")
    # drivers: ra/Q, rb/Q, u1/Y, u2/Y, u3/Y, ry/Q (u3/Y drives nothing but its own wire)
    assert m["finish__timing__drv__max_cap"] >= 5
    assert m["finish__timing__drv__max_slew"] > 0
