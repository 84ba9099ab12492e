"""The KLayout application installed on the machine (Debian 0.28) reads cells.gds and cells.lef
(with the merged tech.lef), not only the PyPI klayout module."""

from __future__ import annotations

import json

import pytest

from ffet_flow.cells.gds import write_cells_gds
from ffet_flow.cells.layout import build_layouts
from ffet_flow.cells.lef import write_cells_lef
from ffet_flow.cells.netlists import cell_set
from ffet_flow.cells.pinsides import assign_pin_sides
from ffet_flow.config import load_config
from ffet_flow.proc import find_program, run_tool
from ffet_flow.tech.lef import write_tech_lefs
from ffet_flow.tech.model import build_tech
from tests.conftest import ROOT

SCRIPT = '''
import json, pya
lib = "{lib}"
opt = pya.LoadLayoutOptions()
cfg = opt.lefdef_config
cfg.lef_files = [lib + "/tech.lef"]
opt.lefdef_config = cfg
lef = pya.Layout()
lef.read(lib + "/cells.lef", opt)
gds = pya.Layout()
gds.read(lib + "/cells.gds")
def cells(ly):
    return sorted(c.name for c in ly.each_cell())
def texts(ly, name):
    c = ly.cell(name)
    out = []
    for li in ly.layer_indexes():
        it = c.shapes(li).each()
        for s in it:
            if s.is_text():
                out.append([ly.get_info(li).layer, s.text_string])
    return sorted(out)
out = {{"lef": cells(lef), "gds": cells(gds), "gds_texts": texts(gds, "NAND2_X1"),
        "gds_width": gds.cell("NAND2_X1").bbox().width()}}
open("{result}", "w").write(json.dumps(out))
'''

NAMES = ["INV_X1", "NAND2_X1", "DFFR_X1", "TIELO_X1", "FILL_X1"]


@pytest.mark.tool
def test_klayout_application_reads_cells(tmp_path):
    klayout = find_program("klayout")
    tech = build_tech(load_config([ROOT / "pdk" / "ffet.toml"]))
    cells = cell_set(NAMES)
    sides = assign_pin_sides(cells, 0.5, True)
    layouts = build_layouts(cells, tech, sides)
    lib = tmp_path / "lib"
    write_tech_lefs(tech, lib)
    write_cells_lef(layouts, tech, sides, lib / "cells.lef", cells)
    write_cells_gds(layouts, tech, lib / "cells.gds")
    result = tmp_path / "result.json"
    script = tmp_path / "check.py"
    script.write_text(SCRIPT.format(lib=lib, result=result))
    run_tool("cells-test", [klayout, "-b", "-r", script], tmp_path / "klayout.log")
    got = json.loads(result.read_text())
    assert set(NAMES) <= set(got["lef"])
    assert got["gds"] == sorted(NAMES)
    assert got["gds_width"] == layouts["NAND2_X1"].width
    labels = {t for _layer, t in got["gds_texts"]}
    assert {"A", "B", "Y", "VDD", "VSS"} <= labels
    # the dual-sided output is labelled on both M0 and BM0 (GDS layers from the tech)
    assert sorted(la for la, t in got["gds_texts"] if t == "Y") == sorted(
        [tech.layer("M0").gds_layer, tech.layer("BM0").gds_layer])
