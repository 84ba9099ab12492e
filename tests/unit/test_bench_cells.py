"""The cell-library figures (benchmark and `cells` step) come from the Liberty reader, so they
do not depend on how the Liberty text is laid out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ffet_flow.bench.cells import liberty_figures, ratios
from ffet_flow.io.liberty import read_liberty
from ffet_flow.steps.cells import library_metrics

TINY = Path(__file__).resolve().parents[1] / "golden" / "tiny.lib"


def _compact(text: str) -> str:
    """The same library on one line, no blank around ':' and '(' (valid Liberty)."""
    text = re.sub(r"\\\n", " ", text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([:(){};])\s*", r"\1", text)


def test_figures_are_what_the_liberty_reader_reads():
    figs = liberty_figures(TINY.read_text())
    lib = read_liberty(TINY, timing=True)
    assert set(figs) == set(lib.cells)
    for name, cell in lib.cells.items():
        assert figs[name]["area"] == cell.area
    arc = next(a for a in lib.cells["NAND2_X1"].pins["Y"].timing if a.related_pin == "B")
    assert figs["NAND2_X1"]["delays"][("B", "Y")] == pytest.approx(
        (arc.middle("cell_rise") + arc.middle("cell_fall")) / 2)
    assert figs["TIEHI_X1"]["delays"] == {}  # no timing arc
    assert figs["DFFR_X1"]["delays"].keys() == {("CLK", "Q"), ("RN", "Q")}


def test_figures_do_not_depend_on_the_layout_of_the_text():
    text = TINY.read_text()
    compact = _compact(text)
    assert "\n" not in compact and "cell(INV_X1){area:0.0357;" in compact
    assert liberty_figures(compact) == liberty_figures(text)


def test_figures_are_in_ns_whatever_the_time_unit():
    text = TINY.read_text()
    assert 'time_unit : "1ns"' in text
    ps = re.sub(r'values \(([^)]*)\)', lambda m: "values (" + re.sub(
        r"[0-9.]+", lambda v: f"{float(v.group()) * 1000:g}", m.group(1)) + ")", text)
    ps = ps.replace('time_unit : "1ns"', 'time_unit : "1ps"')
    a, b = liberty_figures(text), liberty_figures(ps)
    assert b["INV_X1"]["delays"][("A", "Y")] == pytest.approx(a["INV_X1"]["delays"][("A", "Y")])


def test_ratios_of_a_library_against_itself_are_one(tmp_path):
    compact = tmp_path / "compact.lib"
    compact.write_text(_compact(TINY.read_text()))
    r = ratios(TINY, compact)
    assert r["cells.ffet_over_cfet.area"] == 1.0 and r["cells.ffet_over_cfet.delay"] == 1.0
    assert r["cells.common_cells"] == 9 and r["cells.common_arcs"] == 11


def test_cells_step_metrics_read_areas_with_the_liberty_reader(tmp_path):
    lib = tmp_path / "cells.lib"
    lib.write_text(_compact(TINY.read_text()))
    pins = tmp_path / "pins.json"
    pins.write_text(json.dumps({"cells": {"INV_X1": {"A": "back", "Y": "both"},
                                          "NAND2_X1": {"A": "front", "B": "front",
                                                       "Y": "both"}}}))
    m = library_metrics(lib, pins)
    areas = [c.area for c in read_liberty(TINY).cells.values()]
    assert m["cells__area__mean"] == pytest.approx(sum(areas) / len(areas))
    assert m["cells__count"] == 2 and m["cells__pins__back_fraction"] == pytest.approx(1 / 3)
