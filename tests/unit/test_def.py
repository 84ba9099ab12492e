"""DEF reader/writer: the OpenROAD cases, routed wiring round trip, KLayout loads our output."""

from __future__ import annotations

import numpy as np
import pytest

from ffet_flow.errors import ConfigError
from ffet_flow.io.def_ import Design, IoPin, Net, Path, Row, Tracks, def_text, read_def, write_def
from tests.conftest import SHARED

BENCH = SHARED / "benchmarks" / "openroad-tests"


def test_simple03_sections():
    d = read_def(BENCH / "simple03.def")
    assert (d.name, d.dbu, d.die_area) == ("gcd", 2000, (0, 0, 61940, 61600))
    assert len(d.rows) == 22 and d.rows[0].site == "FreePDK45_38x28_10R_NP_162NW_34O"
    assert d.rows[0].num_x == 163 and d.rows[0].step_x == 380 and d.rows[0].orient == "FS"
    assert len(d.components) == 294 and set(d.components.status) == {"UNPLACED"}
    assert len(d.gcellgrid) == 6 and d.gcellgrid[0] == ("X", 60990, 2, 950)
    assert len(d.pins) == 54
    p = d.pin_index()["resp_msg[9]"]
    assert (p.net, p.direction, p.layer, p.status, p.x, p.y, p.orient) == \
        ("resp_msg\\[9\\]", "OUTPUT", "metal5", "FIXED", 61940, 28430, "W")
    # orientation W rotates the (-140 0)(140 280) shape to the left of the pin location
    assert p.abs_shapes()[0][1] == (61940 - 280, 28430 - 140, 61940, 28430 + 140)
    assert len(d.nets) == 364
    assert d.nets[0].conns == [("PIN", "resp_msg[9]"), ("_427_", "ZN"), ("_429_", "C1")]


def test_gcd_grt_tracks_and_fixed_components():
    d = read_def(BENCH / "gcd_grt.def")
    assert len(d.tracks) == 20
    t = d.tracks[2]
    assert (t.axis, t.start, t.num, t.step, t.layers) == ("X", 190, 527, 380, ("metal2",))
    c = d.components
    i = c.index("PHY_100")
    assert (c.macros[i], c.status[i], c.x[i], c.y[i], c.orients[i]) == \
        ("FILLCELL_X1", "FIXED", 180120, 81200, "FN")
    assert c.extra[i] == "+ SOURCE DIST"
    assert c.fixed_mask().sum() > 0


def test_specialnets_wiring_and_vias_are_read():
    d = read_def(BENCH / "medium01.def")
    assert len(d.components) == 17782 and len(d.pins) == 693 and len(d.nets) == 19320
    assert int(d.components.fixed_mask().sum()) == 1074
    assert len(d.vias) == 6 and d.vias[0].startswith("- via1_960x340")
    vdd = d.specialnets[0]
    assert vdd.name == "VDD" and vdd.use == "POWER" and vdd.conns == [("*", "VDD")]
    first = vdd.paths[0]
    assert (first.layer, first.width, first.shape) == ("metal6", 0, "STRIPE")
    assert first.items == [(808140, 826400), "via6_960x2800"]
    assert vdd.vias()[0] == ("via6_960x2800", 808140, 826400)


@pytest.mark.parametrize("name", ["simple03.def", "gcd_grt.def", "overlapping_edges.def"])
def test_round_trip_is_stable(tmp_path, name):
    d = read_def(BENCH / name)
    out = tmp_path / name
    write_def(d, out)
    again = read_def(out)
    assert def_text(again) == out.read_text()
    assert again.components.names == d.components.names
    assert np.array_equal(again.components.x, d.components.x)
    assert [n.conns for n in again.nets] == [n.conns for n in d.nets]
    assert [len(n.paths) for n in again.specialnets] == [len(n.paths) for n in d.specialnets]


def _routed_design() -> Design:
    d = Design(name="r", dbu=2000, die_area=(0, 0, 4000, 4000))
    d.rows.append(Row("ROW_0", "core", 0, 0, "N", 10, 1, 380, 0))
    d.tracks.append(Tracks("Y", 140, 10, 280, ("M2",)))
    d.components.add("u1", "INV_X1", 0, 0, "N", "PLACED")
    d.components.add("u2", "INV_X1", 760, 0, "FS", "FIXED")
    d.components.add("u3", "INV_X1")
    d.pins.append(IoPin("a", "a", "INPUT", "SIGNAL", [("M3", (-70, -70, 70, 70))],
                        0, 2000, "N", "PLACED"))
    net = Net("n1", [("u1", "ZN"), ("u2", "A"), ("PIN", "a")], use="SIGNAL")
    net.paths = [Path("M2", [(100, 200), (900, 200)]), Path("M2", [(900, 200), "V23"]),
                 Path("M3", [(900, 200), (900, 1200, 35)]),
                 Path("BM2", [(300, 300), ("RECT", -10, -10, 10, 10)])]
    d.nets.append(net)
    return d


def test_routed_wiring_round_trip(tmp_path):
    d = _routed_design()
    out = tmp_path / "routed.def"
    write_def(d, out)
    text = out.read_text()
    assert "+ ROUTED M2 ( 100 200 ) ( 900 200 )" in text and "NEW M2 ( 900 200 ) V23" in text
    back = read_def(out)
    net = back.nets[0]
    assert net.segments() == [("M2", 100, 200, 900, 200, None), ("M3", 900, 200, 900, 1200, None)]
    assert net.vias() == [("V23", 900, 200)]
    assert net.paths[3].items[1] == ("RECT", -10, -10, 10, 10)
    c = back.components
    assert c.status == ["PLACED", "FIXED", "UNPLACED"] and c.orients[1] == "FS"
    # deterministic output
    out2 = tmp_path / "again.def"
    write_def(back, out2)
    assert out2.read_bytes() == out.read_bytes()


def test_star_coordinates_repeat_the_previous_point(tmp_path):
    src = tmp_path / "star.def"
    src.write_text("VERSION 5.8 ;\nDESIGN s ;\nUNITS DISTANCE MICRONS 1000 ;\n"
                   "DIEAREA ( 0 0 ) ( 100 100 ) ;\nNETS 1 ;\n"
                   "- n ( a Y ) ( b A ) + ROUTED M1 ( 10 20 ) ( * 80 ) ( 40 * ) ;\n"
                   "END NETS\nEND DESIGN\n")
    net = read_def(src).nets[0]
    assert net.paths[0].items == [(10, 20), (10, 80), (40, 80)]


def test_bad_def_reports_file_and_line(tmp_path):
    bad = tmp_path / "bad.def"
    bad.write_text("VERSION 5.8 ;\nDESIGN s ;\nUNITS DISTANCE MICRONS 1000 ;\n"
                   "COMPONENTS 1 ;\n- u1 INV + PLACED ( ten 0 ) N ;\nEND COMPONENTS\nEND DESIGN\n")
    with pytest.raises(ConfigError, match=r"bad.def: line \d+"):
        read_def(bad)


def test_klayout_reads_our_def_with_the_lef(tmp_path):
    db = pytest.importorskip("klayout.db")
    d = read_def(BENCH / "gcd_grt.def")
    out = tmp_path / "gcd.def"
    write_def(d, out)
    cfg = db.LEFDEFReaderConfiguration()
    cfg.lef_files = [str(BENCH / "Nangate45.lef")]
    cfg.read_lef_with_def = False
    cfg.dbu = 1.0 / d.dbu
    opts = db.LoadLayoutOptions()
    opts.lefdef_config = cfg
    layout = db.Layout()
    layout.read(str(out), opts)
    top = layout.top_cell()
    assert top.name == "gcd"
    assert top.child_instances() == len(d.components)
    bbox = top.dbbox()
    assert bbox.width() == pytest.approx(200260 / 2000, abs=0.01)
