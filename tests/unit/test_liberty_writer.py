"""The Liberty writer on synthetic characterization results (no external tools)."""

from __future__ import annotations

from ffet_flow.bench.cells import liberty_figures
from ffet_flow.cells.liberty import library_text
from ffet_flow.cells.netlists import cell_set
from ffet_flow.cells.verilog import module_text


def _tables(n_s, n_l, base):
    return [[base + i + 0.1 * j for j in range(n_l)] for i in range(n_s)]


def test_templates_follow_the_grid_and_groups_are_complete():
    slews, loads = (0.01, 0.02, 0.04), (1.0, 2.0)
    cells = cell_set(["NAND2_X1", "DFFR_X1", "TIELO_X1", "FILL_X2"])
    arc = {k: _tables(3, 2, 1.0) for k in ("cell_rise", "cell_fall", "rise_transition",
                                            "fall_transition", "rise_power", "fall_power")}
    results = {
        "NAND2_X1": {"pins": {"A": {"rise_cap": 0.5, "fall_cap": 0.4}},
                     "arcs": [dict(arc, pin="A", output="Y", sense="negative_unate",
                                   type="combinational")],
                     "static": [{"inputs": {"A": 0, "B": 1}, "outputs": {"Y": 0.7},
                                 "leakage": 2.0}, {"inputs": {"A": 1, "B": 1},
                                                   "outputs": {"Y": 0.0}, "leakage": 4.0}]},
        "DFFR_X1": {"pins": {}, "arcs": [dict(arc, pin="CLK", output="Q", sense="non_unate",
                                              type="rising_edge")],
                    "constraints": [{"pin": "D", "related": "CLK", "type": "setup_rising",
                                     "rise": 0.01, "fall": 0.02}],
                    "clock_power": {"rise_power": [1, 2, 3], "fall_power": [1, 2, 3]}},
    }
    areas = {c.name: 0.01 * (i + 1) for i, c in enumerate(cells)}
    text = library_text("t", cells, results, areas, {}, 0.7, 25.0, slews, loads)
    assert "lu_table_template (delay_3x2)" in text and "energy_3x2" in text
    assert 'index_1 ("0.01, 0.02, 0.04")' in text and 'index_2 ("1, 2")' in text
    assert text.count("{") == text.count("}")
    assert 'when : "!A&B";' in text and "cell_leakage_power : 3;" in text
    assert 'function : "!(A&B)";' in text and 'function : "0";' in text
    assert 'clear : "!RN";' in text and "timing_type : setup_rising;" in text
    assert "capacitance : 0.45;" in text
    figs = liberty_figures(text)
    assert figs["NAND2_X1"]["area"] == 0.01 and figs["FILL_X2"]["area"] == 0.04
    # middle point of 3x2 tables: row 1, column 1 -> (2.1 + 2.1) / 2
    assert abs(figs["NAND2_X1"]["delays"][("A", "Y")] - 2.1) < 1e-9


def test_verilog_models():
    (dffr,) = cell_set(["DFFR_X1"])
    text = module_text(dffr)
    assert "always @(posedge CLK or negedge RN)" in text and "Q <= 1'b0" in text
    (xor,) = cell_set(["XNOR2_X1"])
    assert "assign Y = ~(A^B);" in module_text(xor)
