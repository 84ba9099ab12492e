"""cells.gds and cells.lef: deterministic, readable by KLayout together with the tech LEF."""

from __future__ import annotations

import klayout.db as kdb
import pytest

from ffet_flow.cells.gds import write_cells_gds
from ffet_flow.cells.layout import build_layouts
from ffet_flow.cells.lef import write_cells_lef
from ffet_flow.cells.netlists import cell_set
from ffet_flow.cells.pinsides import assign_pin_sides
from ffet_flow.config import load_config
from ffet_flow.tech.lef import write_tech_lefs
from ffet_flow.tech.model import build_tech
from tests.conftest import ROOT

NAMES = ["INV_X1", "NAND2_X2", "AOI22_X1", "DFFR_X1", "TIEHI_X1", "FILL_X2"]


@pytest.fixture(scope="module", params=["ffet", "cfet"])
def lib(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    tech = build_tech(load_config([ROOT / "pdk" / f"{request.param}.toml"]))
    cells = cell_set(NAMES)
    sides = assign_pin_sides(cells, 0.5, tech.signal_sides == "both")
    layouts = build_layouts(cells, tech, sides)
    write_tech_lefs(tech, out)
    write_cells_lef(layouts, tech, sides, out / "cells.lef", cells)
    write_cells_gds(layouts, tech, out / "cells.gds")
    return tech, cells, sides, layouts, out


def test_gds_byte_identical(lib, tmp_path):
    tech, _cells, _sides, layouts, out = lib
    write_cells_gds(layouts, tech, tmp_path / "again.gds")
    assert (tmp_path / "again.gds").read_bytes() == (out / "cells.gds").read_bytes()


def test_klayout_reads_gds(lib):
    tech, _cells, _sides, layouts, out = lib
    ly = kdb.Layout()
    ly.read(str(out / "cells.gds"))
    assert sorted(ly.cell(i).name for i in range(ly.cells())) == sorted(NAMES)
    m0 = ly.find_layer(tech.layer("M0").gds_layer, 0)
    inv = ly.cell("INV_X1")
    assert not inv.shapes(m0).is_empty()
    box = inv.bbox()
    assert box.width() == layouts["INV_X1"].width


def test_klayout_reads_lef_with_tech_lef(lib):
    tech, _cells, sides, layouts, out = lib
    ly = kdb.Layout()
    opts = kdb.LoadLayoutOptions()
    opts.lefdef_config.lef_files = [str(out / "tech.lef")]
    ly.read(str(out / "cells.lef"), opts)
    names = {ly.cell(i).name for i in range(ly.cells())}
    assert set(NAMES) <= names
    text = (out / "cells.lef").read_text()
    assert "CLASS CORE SPACER ;" in text and "CLASS CORE TIEHIGH ;" in text
    assert f"SITE {tech.site_name} ;" in text
    # pins carry their side as port layers; FFET outputs on both sides
    nand = text.split("MACRO NAND2_X2")[1].split("END NAND2_X2")[0]
    y = nand.split("PIN Y")[1].split("END Y")[0]
    if tech.signal_sides == "both":
        assert "LAYER M0 ;" in y and "LAYER BM0 ;" in y
    else:
        assert "LAYER M0 ;" in y and "LAYER BM0 ;" not in y
    assert "USE POWER ;" in nand and "USE GROUND ;" in nand


_SCRIPT = """
import sys
from pathlib import Path
from ffet_flow.cells.gds import write_cells_gds
from ffet_flow.cells.layout import build_layouts
from ffet_flow.cells.lef import write_cells_lef
from ffet_flow.cells.netlists import cell_set
from ffet_flow.cells.pinsides import assign_pin_sides
from ffet_flow.config import load_config
from ffet_flow.tech.model import build_tech
out = Path(sys.argv[1])
tech = build_tech(load_config([sys.argv[2]]))
cells = cell_set(["NAND3_X2", "AOI22_X2", "XOR2_X1", "DFFR_X2", "TIELO_X1"])
sides = assign_pin_sides(cells, 0.5, True)
layouts = build_layouts(cells, tech, sides)
write_cells_lef(layouts, tech, sides, out / "cells.lef", cells)
write_cells_gds(layouts, tech, out / "cells.gds")
"""


def test_identical_across_processes(tmp_path, python):
    """Same inputs give byte-identical files in fresh processes with different hash seeds."""
    import os
    import subprocess

    outs = []
    for seed in ("1", "4242"):
        out = tmp_path / seed
        out.mkdir()
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([python, "-c", _SCRIPT, str(out), str(ROOT / "pdk" / "ffet.toml")],
                       check=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
        outs.append(out)
    for name in ("cells.lef", "cells.gds"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
