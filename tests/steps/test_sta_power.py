"""Sign-off power (`sta` step): vectorless activity from the inputs, propagated by OpenSTA.

The expected figures are hand computations from the Liberty (tests/golden/tiny.lib: 0.7 V,
pin capacitances) and the transition-density rules OpenSTA applies (docs/signoff.md, "Power"):
switching power = 0.5 C V^2 x toggles per cycle / T; an AND of independent inputs a, b toggles
D(a) P(b) + D(b) P(a) (P: probability of a 1, 0.5 at an input); an inverter keeps the toggles;
a register's Q toggles as its D.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ffet_flow.config import load_config
from ffet_flow.proc import find_program, run_tool
from ffet_flow.steps.extract import extract_design
from ffet_flow.steps.sta import run_signoff
from ffet_flow.tech.layers_json import write_layers_json
from ffet_flow.tech.model import build_tech

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
LIB = GOLDEN / "tiny.lib"
VDD = 0.7  # tiny.lib nom_voltage
PERIOD = 0.1  # ns

pytestmark = pytest.mark.tool


def switching_w(cap_ff: float, toggles: float, period_ns: float) -> float:
    """0.5 C V^2 per toggle, `toggles` per clock period."""
    return 0.5 * cap_ff * 1e-15 * VDD ** 2 * toggles / (period_ns * 1e-9)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The routed tiny design of the step tests (a, b -> flops -> NAND/INV -> flop -> y) with
    its extracted SPEF."""
    tmp = tmp_path_factory.mktemp("sta_power")
    cfg = load_config([ROOT / "pdk" / "ffet.toml"], overrides={"top": "tiny"})
    layers = tmp / "layers.json"
    write_layers_json(build_tech(cfg), layers)
    spef = tmp / "design.spef"
    extract_design(GOLDEN / "tiny_routed.def", layers, LIB, GOLDEN / "tiny_cells.lef", None,
                   spef)
    sdc = tmp / "tiny.sdc"
    shutil.copy(GOLDEN / "tiny.sdc", sdc)
    return {"netlist": GOLDEN / "tiny_routed.v", "liberty": LIB, "spef": spef, "sdc": sdc,
            "top": "tiny"}


def signoff(design: dict, out: Path, **kwargs) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("period_ns", PERIOD)
    m = run_signoff(**design, out_dir=out, log_path=out / "sta.log", **kwargs)
    return {"metrics": m, "power": json.loads((out / "power.json").read_text())}


def test_doubling_the_input_activity_doubles_switching_power(tiny, tmp_path):
    """Registers held at their default: every net of the tiny design descends from the inputs
    a and b (ra, rb register them, ry registers logic of theirs), so all of its switching power
    follows the input activity. With `set_power_activity -global` every net would toggle at the
    global figure whatever the inputs do (test_global_activity_hides_the_inputs)."""
    low = signoff(tiny, tmp_path / "low", activity=0.1, register_activity=0.1)
    high = signoff(tiny, tmp_path / "high", activity=0.2, register_activity=0.1)
    lo, hi = low["metrics"], high["metrics"]
    assert lo["finish__power__switching"] > 0
    assert hi["finish__power__switching"] == pytest.approx(2 * lo["finish__power__switching"],
                                                           rel=1e-5)
    assert hi["finish__power__internal"] > lo["finish__power__internal"]
    assert hi["finish__power__leakage"] == pytest.approx(lo["finish__power__leakage"])
    assert low["power"]["activity"]["data_input_count"] == 2  # a and b, not the clock
    # quiet inputs: nothing but the clock toggles, the register default reaches no register
    quiet = signoff(tiny, tmp_path / "quiet", activity=0.0, register_activity=0.1)["metrics"]
    assert quiet["finish__power__switching"] == 0
    assert 0 < quiet["finish__power__internal"] < lo["finish__power__internal"]


def test_global_activity_hides_the_inputs(tmp_path):
    """Why the script sets no global activity: in OpenSTA 2.0.17 `set_power_activity -global`
    overrides every pin, so the input activity changes nothing."""
    out = tmp_path / "out.txt"
    script = tmp_path / "g.tcl"
    lines = [f"read_liberty {LIB}", f"read_verilog {GOLDEN / 'tiny_routed.v'}",
             "link_design tiny", f"read_sdc {GOLDEN / 'tiny.sdc'}",
             f"set f [open {out} w]"]
    power = []
    for activity in (0.1, 0.2):  # one run each: 2.0.17 keeps the first activities it computes
        body = lines + ["set_power_activity -global -activity 0.1",
                        f"set_power_activity -input -activity {activity}",
                        "puts $f [lindex [sta::design_power [sta::cmd_corner]] 1]", "close $f"]
        script.write_text("\n".join(body) + "\n")
        run_tool("opensta", [find_program("sta"), "-no_init", "-no_splash", "-exit", script],
                 tmp_path / "log")
        power.append(float(out.read_text()))
    assert power[0] > 0 and power[0] == power[1]


PROPAGATION_NETLIST = """module prop (clk, a, b, c, y);
  input clk, a, b, c;
  output y;
  wire qa, qb, qc, n1, n2;
  DFF_X1 ra (.D(a), .CLK(clk), .Q(qa));
  DFF_X1 rb (.D(b), .CLK(clk), .Q(qb));
  DFF_X1 rc (.D(c), .CLK(clk), .Q(qc));
  NAND2_X1 u1 (.A(qa), .B(qb), .Y(n1));
  NAND2_X1 u2 (.A(n1), .B(qc), .Y(n2));
  DFF_X1 ry (.D(n2), .CLK(clk), .Q(y));
endmodule
"""


def test_activity_propagates_through_logic_and_registers(tmp_path):
    """n1 = NAND(qa, qb) toggles a (0.5 a + 0.5 a) and is 1 three times in four; n2 = NAND(n1,
    qc) toggles 0.5 a + 0.75 a = 1.25 a, and y (ry registers n2) as much. A uniform activity
    would give every net a."""
    netlist, sdc = tmp_path / "prop.v", tmp_path / "prop.sdc"
    netlist.write_text(PROPAGATION_NETLIST)
    sdc.write_text("create_clock -name clk -period 1.0 [get_ports clk]\n"
                   "set_load 1.0 [get_ports y]\n")  # fF (the Liberty's unit)
    a, period = 0.1, 1.0
    m = run_signoff(netlist=netlist, liberty=LIB, spef=None, sdc=sdc, top="prop",
                    period_ns=period, activity=a, out_dir=tmp_path, log_path=tmp_path / "log")
    # loads from tiny.lib: qa -> u1/A 0.32, qb -> u1/B 0.34, qc -> u2/B 0.34, n1 -> u2/A 0.32,
    # n2 -> ry/D 0.35, y -> the port's 1.0
    at_a = switching_w(0.32 + 0.34 + 0.34 + 0.32, a, period)
    at_125a = switching_w(0.35 + 1.0, 1.25 * a, period)
    assert m["finish__power__switching"] == pytest.approx(at_a + at_125a, rel=1e-5)
    assert m["finish__power__switching"] != pytest.approx(
        switching_w(0.32 + 0.34 + 0.34 + 0.32 + 0.35 + 1.0, a, period), rel=1e-3)


LOOP_NETLIST = """module loop (clk, a, y, z);
  input clk, a;
  output y, z;
  wire q0, d0;
  DFF_X1 r0 (.D(d0), .CLK(clk), .Q(q0));
  INV_X1 u0 (.A(q0), .Y(d0));
  BUF_X1 u1 (.A(q0), .Y(z));
  DFF_X1 r1 (.D(a), .CLK(clk), .Q(y));
endmodule
"""


@pytest.mark.parametrize("inputs, registers", [(0.0, 0.1), (0.1, 0.0), (0.1, 0.2)])
def test_the_register_default_drives_registers_in_feedback_loops(tmp_path, inputs, registers):
    """r0 toggles itself (D = !Q): no input reaches it, so its cone (q0 -> u0/A, u1/A; d0 ->
    r0/D; z) toggles at the register default; r1 registers the input a, so y toggles as a."""
    netlist, sdc = tmp_path / "loop.v", tmp_path / "loop.sdc"
    netlist.write_text(LOOP_NETLIST)
    sdc.write_text("create_clock -name clk -period 1.0 [get_ports clk]\n"
                   "set_load 1.0 [get_ports {y z}]\n")
    m = run_signoff(netlist=netlist, liberty=LIB, spef=None, sdc=sdc, top="loop", period_ns=1.0,
                    activity=inputs, register_activity=registers, out_dir=tmp_path,
                    log_path=tmp_path / "log")
    loop_cone = switching_w(0.30 + 0.30 + 0.35 + 1.0, registers, 1.0)
    assert m["finish__power__switching"] == pytest.approx(
        loop_cone + switching_w(1.0, inputs, 1.0), rel=1e-5)


def test_power_at_fmax_is_a_fresh_run_at_the_minimum_period(tiny, tmp_path):
    """The script re-times the design to T_min and asks for power again with the activities it
    computed at the target (OpenSTA keeps them): the same figures as a run whose target is
    T_min, and dynamic power in proportion to the frequency."""
    first = signoff(tiny, tmp_path / "first", activity=0.1)
    fmax = first["power"]["fmax"]
    again = signoff(tiny, tmp_path / "again", activity=0.1,
                    period_ns=fmax["clock_period"])["metrics"]
    m = first["metrics"]
    for k in ("internal", "switching", "leakage", "total", "switching_share"):
        assert m[f"finish__power__at_fmax__{k}"] == pytest.approx(again[f"finish__power__{k}"],
                                                                  rel=1e-6)
    target = first["power"]["target"]
    ratio = target["clock_period"] / fmax["clock_period"]
    assert fmax["switching"] == pytest.approx(ratio * target["switching"], rel=1e-5)
    assert m["finish__power__switching_share"] == pytest.approx(
        m["finish__power__switching"] / m["finish__power__total"])
