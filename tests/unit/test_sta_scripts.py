"""Tool-script variables (one escaping function per language) and the SDC period rewrite."""

from __future__ import annotations

import pytest

from ffet_flow.errors import ConfigError
from ffet_flow.steps.sta import build_reports, parse_values
from ffet_flow.steps.toolvars import (
    fill_yosys_template,
    sdc_with_period,
    tcl_vars_text,
    tcl_word,
    yosys_word,
)

RISCV_STYLE = """# comment with create_clock in it
set clk_period 0.5
set io_delay [expr {0.2 * $clk_period}]
create_clock -name clk -period $clk_period [get_ports clk]
set_input_delay $io_delay -clock clk [all_inputs]
"""


def test_period_set_through_a_variable_is_replaced():
    out = sdc_with_period(RISCV_STYLE, "0.25", "c.sdc")
    assert "set clk_period 0.25\n" in out
    assert out.replace("0.25", "0.5", 1) == RISCV_STYLE


def test_literal_period_and_continuation_lines():
    text = "create_clock -name clk \\\n  -period 1.5 [get_ports clk]\nset_load 1 [all_outputs]\n"
    assert sdc_with_period(text, "$::ffet_period", "c.sdc") == text.replace(
        "1.5", "$::ffet_period")


@pytest.mark.parametrize("text, needle", [
    ("set_input_delay 1 [all_inputs]\n# create_clock -period 1\n", "create_clock"),
    ("create_clock -period 1 [get_ports a]\ncreate_clock -period 2 [get_ports b]\n",
     "exactly one clock"),
    ("create_clock -period [expr 2*3] [get_ports a]\n", "must be a number"),
    ("create_clock -name c [get_ports a]\n", "no -period"),
])
def test_sdc_problems_name_the_file(text, needle):
    with pytest.raises(ConfigError, match=needle) as info:
        sdc_with_period(text, "1.0", "bad.sdc")
    assert str(info.value).startswith("bad.sdc:")


def test_tcl_word_escapes_every_special_character():
    assert tcl_word("plain_name") == "plain_name"
    assert tcl_word("/a b/[x]{y}$z\"q;") == "/a\\ b/\\[x\\]\\{y\\}\\$z\\\"q\\;"
    assert tcl_word(0.5) == "0.5" and tcl_word(3) == "3" and tcl_word("") == "{}"
    assert tcl_word(["1.02", "0.95"]) == "[list 1.02 0.95]"
    with pytest.raises(ValueError):
        tcl_word("two\nlines")
    text = tcl_vars_text("v", {"b": "x y", "a": 1}, None)
    assert text.splitlines()[1:] == ["set ::v(a) 1", "set ::v(b) x\\ y"]


def test_yosys_template_filling():
    out = fill_yosys_template("read_verilog @FILES@\nabc -D @PS@ -liberty @LIB@\n",
                              {"FILES": ["a.v", "b c.v"], "PS": 500, "LIB": "x.lib"})
    assert out == 'read_verilog a.v "b c.v"\nabc -D 500 -liberty x.lib\n'
    with pytest.raises(ValueError):
        yosys_word('a"b')
    assert yosys_word("/p q/x.lib") == '"/p q/x.lib"' and yosys_word("TIEHI_X1") == "TIEHI_X1"
    with pytest.raises(KeyError):
        fill_yosys_template("@MISSING@", {})


def test_values_parser_is_strict_and_reports_are_built():
    values = parse_values("target.period=0.1\ntarget.setup_ws=-0.01\ntarget.setup_tns=-0.02\n"
                          "target.hold_ws=1e+30\ntarget.hold_tns=0.0\n"
                          + "".join(f"target.power_{k}=1e-6\n" for k in
                                    ("internal", "switching", "leakage", "total"))
                          + "target.path_count=0\nfmax.period=none\n"
                          + "target.drv_max_slew=3\ntarget.drv_max_cap=0\n"
                          + "target.drv_fanout_largest=12\n"
                          + "activity.data_inputs=2\n", "v")
    timing, power = build_reports(values, 1.0, 0.1, "v")
    assert timing["setup"] == {"ws": -0.01, "tns": -0.02}
    assert timing["drv"] == {"max_slew": 3, "max_cap": 0, "fanout_largest": 12}
    assert timing["hold"]["ws"] is None  # no constrained hold path
    assert "fmax" not in timing and power["target"]["total"] == 1e-6
    from ffet_flow.errors import ToolError

    with pytest.raises(ToolError, match="not a key=value"):
        parse_values("Warning: something\n", "v")


def test_propagated_clock_is_added_to_both_sdcs_only_when_asked(tmp_path):
    from ffet_flow.steps.sta import write_sdcs

    sdc = tmp_path / "c.sdc"
    sdc.write_text("create_clock -name clk -period 0.5 [get_ports clk]\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ideal = write_sdcs(sdc, 0.25, tmp_path / "a")
    assert all("set_propagated_clock" not in p.read_text() for p in ideal)
    effective, retime = write_sdcs(sdc, 0.25, tmp_path / "b", propagated_clock=True)
    assert "-period 0.25" in effective.read_text()
    for p in (effective, retime):
        assert p.read_text().rstrip().endswith("set_propagated_clock [all_clocks]")


def test_power_metrics_at_the_target_and_at_fmax_with_the_switching_share():
    from ffet_flow.steps.sta import metrics_from

    def power(tag, internal, switching):
        return "".join(f"{tag}.power_{k}={v}\n" for k, v in
                       (("internal", internal), ("switching", switching), ("leakage", 1e-6),
                        ("total", internal + switching + 1e-6)))

    values = parse_values("target.period=0.5\ntarget.setup_ws=-0.1\ntarget.setup_tns=-0.3\n"
                          "target.hold_ws=0.01\ntarget.hold_tns=0.0\ntarget.path_count=0\n"
                          "target.drv_max_slew=0\ntarget.drv_max_cap=0\n"
                          "target.drv_fanout_largest=3\nactivity.data_inputs=5\n"
                          "fmax.period=0.6\nfmax.iterations=2\nfmax.first_estimate=0.6\n"
                          "fmax.setup_ws=0.0\nfmax.setup_tns=0.0\nfmax.hold_ws=0.01\n"
                          "fmax.hold_tns=0.0\ncheck.1.02.period=0.612\ncheck.1.02.setup_ws=0.01\n"
                          "check.0.95.period=0.57\ncheck.0.95.setup_ws=-0.02\n"
                          + power("target", 6e-6, 3e-6) + power("fmax", 5e-6, 2.5e-6), "v")
    timing, pw = build_reports(values, 1.0, 0.2, "v", register_activity=0.1)
    assert pw["activity"]["data_inputs"] == 0.2 and pw["activity"]["registers"] == 0.1
    assert pw["activity"]["data_input_count"] == 5
    m = metrics_from(timing, pw)
    assert m["finish__power__total"] == pytest.approx(10e-6)
    assert m["finish__power__switching_share"] == pytest.approx(0.3)
    assert m["finish__power__at_fmax__total"] == pytest.approx(8.5e-6)
    assert m["finish__power__at_fmax__switching"] == pytest.approx(2.5e-6)
    assert m["finish__power__at_fmax__switching_share"] == pytest.approx(2.5 / 8.5)
    units = m["units"]
    assert units["finish__power__at_fmax__internal"] == "W"
    assert units["finish__power__switching_share"] == "fraction"
    assert units["finish__power__at_fmax__switching_share"] == "fraction"
