"""`ffet layout` / `ffet render` on a tiny hand-built routed run (real PDK files)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import klayout.db as kdb
import numpy as np
import pytest

from ffet_flow.commands.pdk import write_pdk
from ffet_flow.config import load_config
from ffet_flow.io.def_ import read_def
from ffet_flow.layout import write_run_layout
from ffet_flow.render import render_run
from ffet_flow.tech.model import read_layers_json

ROOT = Path(__file__).resolve().parents[2]

CELLS_LEF = """VERSION 5.8 ;
MACRO INVT
  CLASS CORE ;
  ORIGIN 0 0 ;
  SIZE 0.102 BY 0.098 ;
  SITE ffet_site ;
  PIN A DIRECTION INPUT ; PORT LAYER M0 ; RECT 0.020 0.035 0.040 0.049 ; END END A
  PIN Y DIRECTION OUTPUT ; PORT LAYER M0 ; RECT 0.060 0.035 0.080 0.049 ; LAYER BM0 ;
    RECT 0.060 0.035 0.080 0.049 ; END END Y
END INVT
END LIBRARY
"""

ROUTED_DEF = """VERSION 5.8 ;
DIVIDERCHAR "/" ;
BUSBITCHARS "[]" ;
DESIGN tinyblk ;
UNITS DISTANCE MICRONS 2000 ;
DIEAREA ( 0 0 ) ( 2040 1960 ) ;
COMPONENTS 3 ;
- u1 INVT + PLACED ( 204 196 ) N ;
- u2 INVT + PLACED ( 612 392 ) FS ;
- u3 INVT + PLACED ( 1224 196 ) N ;
END COMPONENTS
PINS 1 ;
- in + NET in + DIRECTION INPUT + LAYER M2 ( -14 -14 ) ( 14 14 ) + PLACED ( 0 500 ) N ;
END PINS
NETS 2 ;
- in ( PIN in ) ( u1 A )
  + ROUTED M2 ( 0 500 ) ( 300 500 ) V1_DEF
  NEW M1 ( 300 500 ) ( 300 280 ) ;
- n1 ( u1 Y ) ( u2 A ) ( u3 A )
  + ROUTED M1 ( 340 280 ) ( 340 700 ) V1_DEF
  NEW M2 ( 340 700 ) ( 660 700 )
  NEW BM1 ( 340 280 ) ( 340 900 ) BV1_DEF
  NEW BM2 ( 340 900 ) ( 1300 900 )
  NEW BM1 ( 1300 900 ) ( 1300 300 ) ;
END NETS
END DESIGN
"""


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    run = tmp_path_factory.mktemp("run")
    write_pdk(load_config([ROOT / "pdk/ffet.toml"]), run / "01-pdk")
    cells = run / "02-cells"
    cells.mkdir()
    (cells / "cells.lef").write_text(CELLS_LEF)
    ly = kdb.Layout()
    ly.dbu = 0.0005
    c = ly.create_cell("INVT")
    c.shapes(ly.layer(100, 0)).insert(kdb.Box(40, 70, 80, 98))
    c.shapes(ly.layer(200, 0)).insert(kdb.Box(120, 70, 160, 98))
    c.shapes(ly.layer(1, 0)).insert(kdb.Box(0, 0, 204, 196))
    ly.write(str(cells / "cells.gds"))
    (run / "06-route").mkdir()
    (run / "06-route" / "routed.def").write_text(ROUTED_DEF)
    return run


def test_gds_has_every_instance_and_one_shape_per_segment(run_dir, tmp_path):
    paths = write_run_layout(run_dir, tmp_path)
    ly = kdb.Layout()
    ly.read(str(paths["gds"]))
    top = ly.cell("tinyblk")
    insts = [i for i in top.each_inst() if i.cell.name == "INVT"]
    assert len(insts) == 3
    design = read_def(run_dir / "06-route" / "routed.def")
    per_layer = Counter(seg[0] for net in design.nets for seg in net.segments())
    tech = read_layers_json(next(run_dir.glob("*-pdk/layers.json")))
    for name, count in per_layer.items():
        layer = tech.layer(name)
        index = ly.find_layer(layer.gds_layer, layer.gds_datatype)
        assert index is not None, name
        assert top.shapes(index).size() == count, name
    assert {"V1_DEF", "BV1_DEF", "tinyblk_IO", "tinyblk_POWER"} <= {c.name for c in ly.each_cell()}
    # FS places the mirrored cell so that its bounding box starts at the DEF location
    u2 = next(i for i in insts if i.trans.is_mirror())
    assert u2.bbox().left == 612 and u2.bbox().bottom == 392


def test_layout_is_byte_identical_across_runs(run_dir, tmp_path):
    a = write_run_layout(run_dir, tmp_path / "a")
    b = write_run_layout(run_dir, tmp_path / "b")
    assert a["gds"].read_bytes() == b["gds"].read_bytes()
    assert a["oasis"].read_bytes() == b["oasis"].read_bytes()


def _pixels(path: Path) -> np.ndarray:
    import matplotlib.image as mpimg

    return mpimg.imread(path)


def test_rendered_views_exist_have_size_and_differ(run_dir, tmp_path):
    paths = render_run(run_dir, tmp_path, size=(320, 240))
    images = {k: _pixels(p) for k, p in paths.items()}
    for name, img in images.items():
        assert img.shape[:2] == (240, 320), name
        assert img[..., :3].std() > 0.01, f"{name} is blank"
    assert not np.array_equal(images["front"], images["back"])


def test_missing_routed_def_is_a_one_line_error(tmp_path, run_cli):
    (tmp_path / "01-pdk").mkdir()
    status, _, err = run_cli("layout", tmp_path)
    assert status == 2 and "routed.def" in err and len(err.strip().splitlines()) == 1


@pytest.mark.tool
def test_klayout_gui_loads_layout_with_tech_and_layer_properties(run_dir, tmp_path, run_cli):
    """`ffet view` starts KLayout with our .lyt/.lyp; here KLayout runs without a GUI (-z) and a
    script checks what it loaded."""
    import subprocess

    status, out, _ = run_cli("view", run_dir, "--print")
    assert status == 0
    argv = out.split()
    script = tmp_path / "probe.py"
    script.write_text(
        "import pya\n"
        "view = pya.Application.instance().main_window().current_view()\n"
        "groups = [n.name for n in view.each_layer()]\n"
        "cv = view.active_cellview()\n"
        "print('TOP', cv.cell.name, 'GROUPS', ','.join(groups))\n")
    probe = [argv[0], "-z", "-nc", "-rx", "-r", str(script)] + argv[1:]
    res = subprocess.run(probe, capture_output=True, text=True, timeout=120,
                         stdin=subprocess.DEVNULL, env={"QT_QPA_PLATFORM": "offscreen",
                                                        "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert "TOP tinyblk" in res.stdout, res.stdout + res.stderr
    assert "front" in res.stdout and "back" in res.stdout


def test_cells_of_both_architectures_side_by_side(tmp_path, run_cli):
    status, out, _ = run_cli("render-cells", "--cells", "INV_X1,NAND2_X1", "--height", "200",
                             "-o", tmp_path / "cells.png")
    assert status == 0
    img = _pixels(tmp_path / "cells.png")
    assert img.shape[0] == 200 and img.shape[1] > 400 and img[..., :3].std() > 0.01
    ffet = kdb.Layout()
    ffet.read(str(tmp_path / "cells-work" / "ffet" / "cells.gds"))
    cfet = kdb.Layout()
    cfet.read(str(tmp_path / "cells-work" / "cfet" / "cells.gds"))
    # same scale: FFET cells are lower (3.5 vs 4 tracks), as drawn from their own layouts
    assert ffet.cell("INV_X1").bbox().height() < cfet.cell("INV_X1").bbox().height()


def test_view_cells_writes_library_and_klayout_command(tmp_path, run_cli):
    status, out, _ = run_cli("view-cells", "--tech", ROOT / "pdk/ffet.toml", "-o", tmp_path,
                             "--print")
    assert status == 0 and "klayout" in out and str(tmp_path / "cells.gds") in out
    assert (tmp_path / "tech.lyt").exists() and (tmp_path / "layers.lyp").exists()
