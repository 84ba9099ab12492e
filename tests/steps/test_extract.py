"""Step `extract` on a hand-built routed DEF: one two-sided net (n1) with real wiring on both
sides, the other nets unrouted (joined by counted estimates)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ffet_flow.config import load_config
from ffet_flow.extract.spef import read_spef
from ffet_flow.steps.driver import run_steps
from ffet_flow.steps.extract import ExtractStep
from ffet_flow.tech.layers_json import write_layers_json
from ffet_flow.tech.model import build_tech

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"

# n1's wiring in tests/golden/tiny_routed.def, by hand: (layer, length in dbu at 2000 dbu/um)
N1_WIRES = [("M1", 400 - 94), ("M2", 6050 - 2250), ("M1", 400 - 94),
            ("BM1", 600 - 94), ("BM2", 2250 - 2050), ("BM1", 886 - 600)]
# Liberty pin capacitances of n1's sinks in tests/golden/tiny.lib: INV_X1/A, NAND2_X1/B (fF)
N1_PIN_CAP = 0.30 + 0.34


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("extract")
    cfg = load_config([ROOT / "pdk" / "ffet.toml"])
    tech = build_tech(cfg)
    layers = tmp / "layers.json"
    write_layers_json(tech, layers)
    pins = tmp / "pins.json"
    pins.write_text(json.dumps({"cells": {"NAND2_X1": {"A": "front", "B": "back", "Y": "both"},
                                          "INV_X1": {"A": "front", "Y": "both"}}}))
    artifacts = {"routed_def": GOLDEN / "tiny_routed.def", "layers_json": layers,
                 "cells_lib": GOLDEN / "tiny.lib", "cells_lef": GOLDEN / "tiny_cells.lef",
                 "pins_json": pins, "netlist": GOLDEN / "tiny_routed.v"}
    results = run_steps([ExtractStep()], cfg, tmp / "run", artifacts=artifacts)
    return tech, results[0], artifacts, cfg, tmp


def _hand_caps(tech, coupling="neighbours"):
    """n1's wire capacitance by hand (fF). No other net is routed, so in the default
    'neighbours' mode every wire side is isolated (2 x c_side_iso per um); 'worst' uses
    layers.json's c_per_um (both neighbours present)."""
    from ffet_flow.extract.rctree import rc_tech_from

    rct = rc_tech_from(tech)

    def c_um(layer):
        return tech.layer(layer).c_per_um if coupling == "worst" else \
            2 * rct.layers[layer].c_side_iso

    front = sum(n / tech.dbu * c_um(la) for la, n in N1_WIRES[:3])
    back = sum(n / tech.dbu * c_um(la) for la, n in N1_WIRES[3:])
    return front, back


def test_worst_case_mode_uses_the_layer_c_per_um(extracted, tmp_path):
    tech, _, artifacts, cfg, _ = extracted
    res = run_steps([ExtractStep()], cfg.replace(extract_coupling="worst"), tmp_path / "run",
                    artifacts=artifacts)
    spef = read_spef(res[0].outputs["spef"])
    front, back = _hand_caps(tech, "worst")
    assert spef.nets["n1"].total_cap == pytest.approx(front + back, rel=1e-5)
    assert any("both same-level" in c for c in spef.comments)
    iso_front, iso_back = _hand_caps(tech)
    assert iso_front + iso_back < 0.75 * (front + back)  # isolated lines: no coupling part


def test_two_sided_net_has_one_driver_node_and_front_plus_back_cap(extracted):
    tech, result, *_ = extracted
    spef = read_spef(result.outputs["spef"])
    net = spef.nets["n1"]
    front, back = _hand_caps(tech)
    assert net.total_cap == pytest.approx(front + back, rel=1e-5)
    assert sum(net.caps.values()) == pytest.approx(net.total_cap, rel=1e-5)
    # one node for the driver pin, reached by V0 (front) and BV0 (back)
    driver_res = [(a, b, r) for a, b, r in net.resistors if "u1:Y" in (a, b)]
    assert len(driver_res) == 2
    assert {r for *_, r in driver_res} == {tech.via("V0").resistance, tech.via("BV0").resistance}
    assert ("I", "u1:Y", "O") in net.conns
    assert {c[1] for c in net.conns} == {"u1:Y", "u2:A", "u3:B"}
    m = result.metrics
    assert m["extract__net__count"] == 9
    assert m["extract__net__count__two_sided"] == 1
    all_nets = read_spef(result.outputs["spef"]).nets.values()
    assert m["extract__capacitance__total"] == pytest.approx(
        sum(n.total_cap for n in all_nets), abs=1e-3)
    assert m["extract__capacitance__back"] > back  # n1's back wiring + back-side estimates
    # every net but n1 is unrouted here: each of their sinks is joined by an estimate
    assert m["extract__estimated__count"] == 10


def test_output_is_byte_identical_on_rerun(extracted, tmp_path):
    tech, result, artifacts, cfg, _ = extracted
    again = run_steps([ExtractStep()], cfg, tmp_path / "run2", artifacts=artifacts)
    assert again[0].outputs["spef"].read_bytes() == result.outputs["spef"].read_bytes()


def test_flipped_instance_pin_is_placed_by_def_orientation(extracted):
    _, result, *_ = extracted
    net = read_spef(result.outputs["spef"]).nets["n1"]
    # u3 is placed FS: its B pin lands at y 872..900 where the BV0 at (2050, 886) meets it;
    # a wrong transform would leave u3:B unconnected and add an estimate
    g = {(a, b) for a, b, _ in net.resistors} | {(b, a) for a, b, _ in net.resistors}
    assert any(a == "u3:B" for a, _ in g)


@pytest.mark.tool
def test_opensta_reads_the_spef_cleanly_and_sums_wire_and_pin_caps(extracted):
    from ffet_flow.proc import find_program, run_tool

    tech, result, _, _, tmp = extracted
    script = tmp / "check.tcl"
    script.write_text(
        f"read_liberty {GOLDEN / 'tiny.lib'}\nread_verilog {GOLDEN / 'tiny_routed.v'}\n"
        "link_design tiny\ncreate_clock -name clk -period 0.1 [get_ports clk]\n"
        f"read_spef {result.outputs['spef']}\n"
        'puts "CAP=[sta::Net_capacitance [get_nets n1] rise [sta::cmd_corner] max]"\n'
        "report_checks\n")
    log = tmp / "sta.log"
    run_tool("test", [find_program("sta"), "-no_init", "-no_splash", "-exit", str(script)], log)
    text = log.read_text()
    assert "Warning" not in text and "Error" not in text
    cap_f = float(re.search(r"CAP=(\S+)", text).group(1))
    front, back = _hand_caps(tech)
    # hand computation: wire C of both sides (fF) + Liberty pin caps of the two sinks
    assert cap_f * 1e15 == pytest.approx(front + back + N1_PIN_CAP, rel=1e-5)


def test_cli_writes_the_spef_and_reports_bad_input_at_once(extracted, tmp_path, run_cli):
    _, _, artifacts, _, _ = extracted
    out = tmp_path / "x.spef"
    status, stdout, err = run_cli("extract", "--def", artifacts["routed_def"], "--layers",
                                  artifacts["layers_json"], "--liberty", artifacts["cells_lib"],
                                  "--lef", artifacts["cells_lef"], "--pins",
                                  artifacts["pins_json"], "-o", out)
    assert status == 0, err
    assert json.loads(stdout)["extract__net__count"] == 9
    assert read_spef(out).nets["n1"].total_cap > 0
    status, _, err = run_cli("extract", "--def", tmp_path / "nope.def", "--layers",
                             tmp_path / "nope.json", "--liberty", artifacts["cells_lib"],
                             "--lef", artifacts["cells_lef"], "-o", out)
    assert status == 2
    assert len(err.strip().splitlines()) == 2 and "nope.def" in err and "nope.json" in err


def test_unknown_via_and_cell_pin_are_reported_together(extracted, tmp_path):
    from ffet_flow.errors import ConfigError
    from ffet_flow.steps.extract import extract_design

    _, _, artifacts, _, _ = extracted
    text = artifacts["routed_def"].read_text().replace("V1_DEF", "VX_DEF", 1)
    text = text.replace("( u2 A )", "( u2 Z )")
    bad = tmp_path / "bad.def"
    bad.write_text(text)
    with pytest.raises(ConfigError) as info:
        extract_design(bad, artifacts["layers_json"], artifacts["cells_lib"],
                       artifacts["cells_lef"], None, tmp_path / "x.spef")
    msg = str(info.value)
    assert "VX_DEF" in msg and "INV_X1/Z" in msg
    assert not (tmp_path / "x.spef").exists()


def test_spef_is_byte_identical_across_processes_and_hash_seeds(extracted, tmp_path):
    import os
    import subprocess
    import sys

    _, _, artifacts, _, _ = extracted
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"s{seed}.spef"
        subprocess.run([sys.executable, "-m", "ffet_flow", "extract", "--def",
                        str(artifacts["routed_def"]), "--layers", str(artifacts["layers_json"]),
                        "--liberty", str(artifacts["cells_lib"]), "--lef",
                        str(artifacts["cells_lef"]), "--pins", str(artifacts["pins_json"]),
                        "-o", str(out)], check=True, cwd=ROOT, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
