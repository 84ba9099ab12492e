"""The small Liberty reader: cells, pins, capacitances, areas, functions, units, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from ffet_flow.errors import ConfigError
from ffet_flow.io.liberty import parse_liberty, read_liberty

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def test_tiny_library_cells_and_pins():
    lib = read_liberty(GOLDEN / "tiny.lib")
    assert lib.name == "tiny"
    assert set(lib.cells) == {"INV_X1", "BUF_X1", "NAND2_X1", "NOR2_X1", "XOR2_X1",
                              "TIEHI_X1", "TIELO_X1", "DFF_X1", "DFFR_X1"}
    nand = lib.cells["NAND2_X1"]
    assert nand.area == pytest.approx(0.0714)
    assert nand.inputs() == ["A", "B"] and nand.outputs() == ["Y"]
    assert lib.pin_cap("NAND2_X1", "B") == pytest.approx(0.34)
    assert nand.pins["Y"].function == "!(A & B)"
    dff = lib.cells["DFF_X1"]
    assert dff.is_ff and not dff.is_latch and dff.pins["CLK"].is_clock
    assert not nand.is_ff
    assert lib.voltage == pytest.approx(0.7)


def test_capacitance_unit_is_converted_to_ff():
    text = """library (x) { capacitive_load_unit (1, pf);
      cell (A) { area : 2; pin (I) { direction : input; rise_capacitance : 0.001;
                 fall_capacitance : 0.002; } pin (Z) { direction : output; function : "I"; } } }"""
    lib = parse_liberty(text)
    assert lib.pin_cap("A", "I") == pytest.approx(2.0)  # max of rise/fall, pF -> fF
    assert lib.cells["A"].area == 2.0


def test_tables_and_unknown_groups_are_skipped_but_must_balance():
    text = """library (x) { cell (A) { area : 1; pin (Z) { direction : output;
      timing () { related_pin : "I"; cell_rise (t) { values ("1, 2", \\
      "3, 4"); } } } } }"""
    assert parse_liberty(text).cells["A"].pins["Z"].direction == "output"
    with pytest.raises(ConfigError, match="not closed|missing"):
        parse_liberty("library (x) { cell (A) { area : 1; pin (Z) { direction : output; ")


@pytest.mark.parametrize("text, needle", [
    ("library (x) { cell (A) { area : big; } }", "area must be a number"),
    ("library (x) { cell (A) { pin (Z) { direction : sideways; } } }", "direction"),
    ("cell (A) { }", "exactly one library"),
    ("library (x) { capacitive_load_unit (1, kf); }", "capacitive_load_unit"),
])
def test_bad_liberty_is_a_config_error_naming_the_problem(text, needle):
    with pytest.raises(ConfigError, match=needle) as info:
        parse_liberty(text, "bad.lib")
    assert "bad.lib" in str(info.value)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot be read"):
        read_liberty(tmp_path / "nope.lib")


def test_error_line_counts_lines_inside_skipped_groups():
    text = ('library (x) {\n  cell (A) {\n    pin (Z) { direction : output;\n'
            '      timing () { related_pin : "I";\n        /* a { brace in a comment\n */\n'
            '        values ("1, 2", \\\n "3 }");\n      }\n    }\n    ) area : 1;\n  }\n}\n')
    with pytest.raises(ConfigError, match="line 11.*expected an attribute"):
        parse_liberty(text, "l.lib")


def test_single_stage_cells_are_found_by_function():
    from ffet_flow.io.liberty import parse_liberty

    text = ('library (l) { '
            'cell (B) { area : 1; pin (A) { direction : input; } '
            'pin (Z) { direction : output; function : "A"; } } '
            'cell (I) { area : 1; pin (A) { direction : input; } '
            'pin (Z) { direction : output; function : "!A"; } } '
            "cell (J) { area : 1; pin (X) { direction : input; } "
            "pin (Z) { direction : output; function : \"X'\"; } } "
            'cell (N) { area : 1; pin (A) { direction : input; } pin (B) { direction : input; } '
            'pin (Z) { direction : output; function : "!(A&B)"; } } }')
    lib = parse_liberty(text)
    assert [c.name for c in lib.single_stage(inverting=False)] == ["B"]
    assert [c.name for c in lib.single_stage(inverting=True)] == ["I", "J"]


def test_timing_tables_are_read_on_request_in_ns():
    text = ('library (x) { time_unit : "1ps"; cell (I) { area : 1;\n'
            'pin (A) { direction : input; }\n'
            'pin (Y) { direction : output; function : "!A";\n'
            '  timing () { related_pin : "A"; timing_sense : negative_unate;\n'
            '    cell_rise (t) { values ("1, 2, 3", \\\n "4, 5, 6", \\\n "7, 8, 9"); }\n'
            '    cell_fall (t) { values ("10"); }\n'
            '    rise_constraint (t) { values ("99"); } } } } }')
    assert parse_liberty(text).cells["I"].pins["Y"].timing == ()  # not asked for
    (arc,) = parse_liberty(text, timing=True).cells["I"].pins["Y"].timing
    assert arc.related_pin == "A" and arc.timing_sense == "negative_unate"
    assert arc.timing_type == "combinational"
    assert set(arc.tables) == {"cell_rise", "cell_fall"}  # delay tables only
    assert arc.tables["cell_rise"][1] == pytest.approx((0.004, 0.005, 0.006))
    assert arc.middle("cell_rise") == pytest.approx(0.005)
    assert arc.middle("cell_fall") == pytest.approx(0.010)
    assert arc.middle("rise_transition") is None


@pytest.mark.parametrize("text, needle", [
    ('library (x) { time_unit : "1furlong"; }', "time_unit"),
    ('library (x) { cell (A) { pin (Z) { direction : output; timing () { '
     'cell_rise (t) { values ("1, x"); } } } } }', "cell_rise value must be a number"),
])
def test_bad_timing_is_a_config_error(text, needle):
    with pytest.raises(ConfigError, match=needle):
        parse_liberty(text, "bad.lib", timing=True)
