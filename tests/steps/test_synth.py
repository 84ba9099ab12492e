"""Step `synth` (Yosys + ABC onto a Liberty) on a 4-bit counter with asynchronous reset."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from ffet_flow.config import load_config
from ffet_flow.io.liberty import read_liberty
from ffet_flow.steps.driver import run_steps
from ffet_flow.steps.synth import SynthStep

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"

pytestmark = pytest.mark.tool

LATCH_RTL = """module latchy (input en, input d, output reg q);
  always @* if (en) q = d;
endmodule
"""


def _design(tmp: Path, rtl_text: str | None = None, top: str = "cnt") -> Path:
    d = tmp / "design"
    (d / "rtl").mkdir(parents=True)
    if rtl_text is None:
        shutil.copy(GOLDEN / "tiny_counter.v", d / "rtl" / "top.v")
    else:
        (d / "rtl" / "top.v").write_text(rtl_text)
    (d / "config.toml").write_text(f'top = "{top}"\nverilog = ["rtl/top.v"]\n'
                                   'clock_period = 0.5\n')
    return d


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("synth")
    design_dir = _design(tmp)
    cfg = load_config([design_dir / "config.toml"])
    res = run_steps([SynthStep()], cfg, tmp / "run", artifacts={"synth_lib": GOLDEN / "tiny.lib"},
                    design_dir=design_dir)
    return res[0], design_dir


def _instances(netlist: str) -> list[str]:
    """Cell names of the instances in a Yosys `write_verilog -noattr` netlist."""
    return re.findall(r"^\s+([A-Za-z_][A-Za-z0-9_]*)\s+\S+\s*\($", netlist, flags=re.M)


def test_netlist_uses_only_library_cells_and_metrics_match_it(synthesized):
    result, _ = synthesized
    netlist = result.outputs["netlist"].read_text()
    lib = read_liberty(GOLDEN / "tiny.lib")
    cells = _instances(netlist)
    assert cells and set(cells) <= set(lib.cells)
    assert "assign" not in netlist
    m = result.metrics
    assert m["synth__design__instance__count"] == len(cells)
    # a 4-bit register with asynchronous active-low reset: four DFFR_X1, no plain DFF
    assert cells.count("DFFR_X1") == 4 and "DFF_X1" not in cells
    assert m["synth__design__instance__count__sequential"] == 4
    area = sum(lib.cells[c].area for c in cells)
    assert m["synth__design__instance__area__stdcell"] == pytest.approx(area, rel=1e-6)
    by_cell = m["synth__design__instance__count__by_cell"]
    assert sum(by_cell.values()) == len(cells)
    stats = json.loads(result.outputs["synth_stats"].read_text())
    assert stats["special_cells"]["TIEHI_CELL"] == "TIEHI_X1"
    assert stats["special_cells"]["BUF_CELL"] == "BUF_X1"


def test_script_maps_flops_and_targets_the_clock(synthesized):
    result, _ = synthesized
    script = (result.step_dir / "step.log").read_text()
    assert "dfflibmap -liberty in/cells.lib" in script
    assert "abc -liberty in/cells.lib -D 500 -constr in/abc.constr" in script


def test_abc_constraints_name_the_largest_buffer_and_a_fanout_of_4_load():
    from ffet_flow.io.liberty import parse_liberty
    from ffet_flow.steps.synth import abc_constraints

    text = ('library (l) { capacitive_load_unit (1, ff); '
            'cell (B1) { area : 1; pin (A) { direction : input; capacitance : 1; } '
            'pin (Z) { direction : output; function : "A"; } } '
            'cell (B4) { area : 3; pin (A) { direction : input; capacitance : 3; } '
            'pin (Z) { direction : output; function : "A"; } } '
            'cell (I2) { area : 2; pin (A) { direction : input; capacitance : 2; } '
            'pin (Z) { direction : output; function : "!A"; } } '
            'cell (I1) { area : 1; pin (A) { direction : input; capacitance : 0.7; } '
            'pin (Z) { direction : output; function : "!A"; } } }')
    assert abc_constraints(parse_liberty(text), "l.lib") == \
        "set_driving_cell B4\nset_load 2.8000\n"


FANOUT_RTL = """module wide (input clk, input s, input [63:0] a, output reg [63:0] q);
  always @(posedge clk) q <= a & {64{s}};
endmodule
"""


def test_a_high_fanout_input_is_buffered(tmp_path):
    # one input gates 64 flops: ABC's constrained script must not leave it driving them all
    from ffet_flow.io.verilog import read_verilog

    design_dir = _design(tmp_path, FANOUT_RTL, top="wide")
    cfg = load_config([design_dir / "config.toml"])
    res = run_steps([SynthStep()], cfg, tmp_path / "run",
                    artifacts={"synth_lib": GOLDEN / "tiny.lib"}, design_dir=design_dir)
    netlist = read_verilog(res[0].outputs["netlist"])
    lib = read_liberty(GOLDEN / "tiny.lib")
    fanout: dict[str, int] = {}
    for inst in netlist.instances:
        for pin, net in inst.conns.items():
            if pin in lib.cells[inst.cell].inputs():
                fanout[net] = fanout.get(net, 0) + 1
    assert fanout["clk"] == 64  # the clock is not ABC's (no clock-tree synthesis)
    assert max(n for net, n in fanout.items() if net != "clk") <= 16
    assert fanout["s"] < 64


def test_latch_is_refused_with_the_log(tmp_path, run_cli):
    d = _design(tmp_path, LATCH_RTL, top="latchy")
    status, _, err = run_cli("synth", "--design", d, "--liberty", GOLDEN / "tiny.lib",
                             "-o", tmp_path / "o")
    assert status == 1
    assert str(tmp_path / "o" / "synth.log") in err
    assert "DLATCH" in (tmp_path / "o" / "synth.log").read_text()


def test_missing_yosys_is_a_config_error(tmp_path, run_cli, monkeypatch):
    d = _design(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))  # no yowasp beside it
    status, _, err = run_cli("synth", "--design", d, "--liberty", GOLDEN / "tiny.lib",
                             "-o", tmp_path / "o")
    assert status == 2
    assert "yosys" in err and "not found" in err and len(err.strip().splitlines()) == 1


def test_unknown_top_module_fails_with_the_log(tmp_path, run_cli):
    d = _design(tmp_path, top="nope")
    status, _, err = run_cli("synth", "--design", d, "--liberty", GOLDEN / "tiny.lib",
                             "-o", tmp_path / "o")
    assert status == 1 and "synth.log" in err


TB = """`timescale 1ns/1ps
module tb;
  reg clk = 0, rst_n = 0, en = 0, use_lfsr = 0;
  reg [2:0] op = 0;
  reg [7:0] a = 0, b = 0;
  wire [7:0] y_r, y_g, rnd_r, rnd_g;
  wire carry_r, carry_g, zero_r, zero_g;
  tiny_core rtl (.clk(clk), .rst_n(rst_n), .en(en), .op(op), .use_lfsr(use_lfsr), .a(a),
                 .b(b), .y(y_r), .carry(carry_r), .zero(zero_r), .rnd(rnd_r));
  tiny_core_gl gl (.clk(clk), .rst_n(rst_n), .en(en), .op(op), .use_lfsr(use_lfsr), .a(a),
                   .b(b), .y(y_g), .carry(carry_g), .zero(zero_g), .rnd(rnd_g));
  integer i, bad = 0, seed = 7;
  initial begin
    for (i = 0; i < 600; i = i + 1) begin
      #5 clk = 1;
      #1 if ({y_r, carry_r, zero_r, rnd_r} !== {y_g, carry_g, zero_g, rnd_g}) bad = bad + 1;
      #4 clk = 0;
      rst_n = (i > 2) && ($random(seed) % 50 != 0);
      en = $random(seed); op = $random(seed); use_lfsr = $random(seed);
      a = $random(seed); b = $random(seed);
    end
    if (bad == 0) $display("EQUIVALENT after %0d cycles", i);
    else $display("MISMATCH in %0d cycles", bad);
    $finish;
  end
endmodule
"""


def test_netlist_simulates_like_the_rtl(tmp_path):
    """Gate-level simulation (Icarus, cell models in tests/golden/tiny_cells.v) of the tiny
    flow design's netlist against its RTL, 600 random cycles with random resets."""
    from ffet_flow.proc import find_program, run_tool
    from ffet_flow.steps.synth import synthesize

    rtl = ROOT / "designs" / "tiny" / "rtl" / "tiny_core.v"
    synthesize(rtl=[rtl], top="tiny_core", liberty=GOLDEN / "tiny.lib", period_ns=0.4,
               out_dir=tmp_path, netlist=tmp_path / "netlist.v", log_path=tmp_path / "s.log")
    gl = tmp_path / "gl.v"
    gl.write_text((tmp_path / "netlist.v").read_text().replace("module tiny_core(",
                                                               "module tiny_core_gl(", 1))
    tb = tmp_path / "tb.v"
    tb.write_text(TB)
    sim = tmp_path / "sim.vvp"
    run_tool("test", [find_program("iverilog"), "-g2005", "-o", sim, tb, rtl, gl,
                      GOLDEN / "tiny_cells.v"], tmp_path / "iverilog.log")
    run_tool("test", [find_program("vvp"), "-n", sim], tmp_path / "vvp.log")
    assert "EQUIVALENT after 600 cycles" in (tmp_path / "vvp.log").read_text()


def test_netlist_is_byte_identical_on_rerun(synthesized, tmp_path):
    from ffet_flow.steps.synth import synthesize

    result, design_dir = synthesized
    synthesize(rtl=[design_dir / "rtl" / "top.v"], top="cnt", liberty=GOLDEN / "tiny.lib",
               period_ns=0.5, out_dir=tmp_path, netlist=tmp_path / "netlist.v",
               log_path=tmp_path / "s.log")
    assert (tmp_path / "netlist.v").read_bytes() == result.outputs["netlist"].read_bytes()


def test_editing_the_rtl_makes_synth_stale(tmp_path):
    design_dir = _design(tmp_path)
    cfg = load_config([design_dir / "config.toml"])
    arts = {"synth_lib": GOLDEN / "tiny.lib"}
    first = run_steps([SynthStep()], cfg, tmp_path / "run", artifacts=arts,
                      design_dir=design_dir)[0]
    first_netlist = first.outputs["netlist"].read_text()
    again = run_steps([SynthStep()], cfg, tmp_path / "run", artifacts=arts,
                      design_dir=design_dir)[0]
    assert not first.skipped and again.skipped
    rtl = design_dir / "rtl" / "top.v"
    rtl.write_text(rtl.read_text().replace("assign z = ^q;", "assign z = &q;"))
    third = run_steps([SynthStep()], cfg, tmp_path / "run", artifacts=arts,
                      design_dir=design_dir)[0]
    assert not third.skipped
    assert third.outputs["netlist"].read_text() != first_netlist


def test_special_cells_by_function_or_tie_name():
    from ffet_flow.errors import ConfigError
    from ffet_flow.io.liberty import parse_liberty
    from ffet_flow.steps.synth import special_cells

    def lib(hi_function: str, with_buf: bool = True) -> str:
        f = f'function : "{hi_function}";' if hi_function else ""
        buf = ('cell (B2) { area : 2; pin (I) { direction : input; } pin (Z) { direction : '
               'output; function : "I"; } } cell (B1) { area : 1; pin (I) { direction : input; }'
               ' pin (Z) { direction : output; function : "I"; } }') if with_buf else ""
        return (f'library (l) {{ cell (TIEHI_X1) {{ area : 1; pin (Y) {{ direction : output; {f}'
                ' } } cell (LO) { area : 1; pin (Y) { direction : output; function : "0"; } } '
                + buf + " }")

    cells = special_cells(parse_liberty(lib("1")), "l.lib")
    assert (cells["TIEHI_CELL"], cells["TIELO_CELL"], cells["BUF_CELL"]) == ("TIEHI_X1", "LO",
                                                                            "B1")
    assert special_cells(parse_liberty(lib("")), "l.lib")["TIEHI_CELL"] == "TIEHI_X1"
    with pytest.raises(ConfigError, match="l.lib.*buffer"):
        special_cells(parse_liberty(lib("1", with_buf=False)), "l.lib")
