"""DRC of the layout checker on a hand-made routed DEF over the project's FFET technology.

The base design is clean: four test cells (pins on M0, an input on BM0, a dual-sided output on
M0 and BM0, an obstruction), three nets routed on the front (one from an I/O pin) and one on
the back, on the DEF tracks. Each seed adds one violation away from everything else; a seeded
DEF must report exactly that rule once, and the base nothing. `build_def` is shared with the
LVS and command tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ffet_flow.io.def_ import Design, IoPin, Net, Tracks, write_def
from ffet_flow.io.def_nets import Path as Wire
from tests.conftest import ROOT

CELLS_LEF = """VERSION 5.8 ;
BUSBITCHARS "[]" ;
DIVIDERCHAR "/" ;
UNITS
  DATABASE MICRONS 2000 ;
END UNITS
MACRO TBUF
  CLASS CORE ;
  ORIGIN 0 0 ;
  SIZE 0.4080 BY 0.0980 ;
  SYMMETRY X Y ;
  SITE ffet_site ;
  PIN A
    DIRECTION INPUT ;
    USE SIGNAL ;
    PORT
      LAYER M0 ;
        RECT 0.0325 0.0350 0.0695 0.0490 ;
    END
  END A
  PIN B
    DIRECTION INPUT ;
    USE SIGNAL ;
    PORT
      LAYER BM0 ;
        RECT 0.0325 0.0350 0.0695 0.0490 ;
    END
  END B
  PIN Y
    DIRECTION OUTPUT ;
    USE SIGNAL ;
    PORT
      LAYER M0 ;
        RECT 0.1190 0.0070 0.1870 0.0210 ;
      LAYER BM0 ;
        RECT 0.1190 0.0070 0.1870 0.0210 ;
    END
  END Y
  PIN VDD
    DIRECTION INOUT ;
    USE POWER ;
    PORT
      LAYER M0 ;
        RECT 0.0000 0.0910 0.4080 0.1050 ;
    END
  END VDD
  PIN VSS
    DIRECTION INOUT ;
    USE GROUND ;
    PORT
      LAYER BM0 ;
        RECT 0.0000 0.0910 0.4080 0.1050 ;
    END
  END VSS
  OBS
    LAYER M0 ;
      RECT 0.2400 0.0350 0.3800 0.0490 ;
  END
END TBUF
END LIBRARY
"""

# a via with two V1 cuts 27 dbu apart (the cut spacing is 28), on a track crossing
PAIR_VIA = ("- V1_PAIR + RECT M1 ( -17 -80 ) ( 17 80 ) + RECT V1 ( -14 -41 ) ( 14 -13 ) "
            "+ RECT V1 ( -14 14 ) ( 14 42 ) + RECT M2 ( -28 -80 ) ( 28 80 ) ;")

#: seed -> (DRC counts, LVS counts) it must produce, alone
SEEDS = {
    "short": ({"short": 1}, {}),
    "spacing": ({"spacing": 1}, {}),
    "eol": ({"eol": 1}, {}),
    "offtrack": ({"offtrack": 1}, {}),
    "cut_spacing": ({"cut_spacing": 1}, {}),
    "area": ({"area": 1}, {}),
    "width": ({"width": 1}, {}),
    "open": ({}, {"opens": 1}),
    "lvs_short": ({"short": 1}, {"shorts": 1}),
    "unconnected": ({}, {"opens": 1, "unconnected": 2}),
}


#: a small mix for tests that only need some violations: a short, an end of line, an open
RULES_SEEDED = ("short", "eol", "open")


def _wire(layer: str, *items) -> Wire:
    return Wire(layer, list(items))


def _floating(name: str, *paths: Wire) -> Net:
    return Net(name, [], "SIGNAL", list(paths))


def build_def(path: Path, seeds=(), extra: tuple[Net, ...] = ()) -> Path:
    """The base design plus the named seeds (keys of SEEDS) and `extra` nets, as DEF."""
    seeds = set(seeds)
    unknown = seeds - set(SEEDS)
    assert not unknown, unknown
    d = Design(name="vtest", dbu=2000, die_area=(0, 0, 12000, 6000))
    d.tracks = [Tracks("Y", 28, 107, 56, ("M0", "M2", "BM0", "BM2")),
                Tracks("X", 34, 176, 68, ("M1", "BM1"))]
    for name, x, y in (("u1", 680, 392), ("u2", 3400, 392), ("u3", 680, 1568),
                       ("u4", 3400, 1568)):
        d.components.add(name, "TBUF", x, y, "N", "PLACED")
    d.pins.append(IoPin("p_in", "n4", "INPUT", "SIGNAL", [("M2", (-28, -14, 28, 14))],
                        130, 532, "N", "PLACED"))
    n1 = [_wire("M0", (986, 420), "V0_DEF"), _wire("M1", (986, 420), (986, 532)),
          _wire("M1", (986, 532), "V1_DEF"), _wire("M2", (986, 532), (3502, 532)),
          _wire("M1", (3502, 532), "V1_DEF"), _wire("M1", (3502, 532), (3502, 476)),
          _wire("M0", (3502, 476), "V0_DEF")]
    if "open" in seeds:  # the M2 run between the two via stacks is missing
        n1 = [w for w in n1 if not (w.layer == "M2" and len(w.items) == 2
                                    and not isinstance(w.items[1], str))]
    if "lvs_short" in seeds:  # n1 reaches over onto n3's M1 wire
        n1 += [_wire("M2", (3502, 532), (3706, 532)), _wire("M1", (3706, 532), "V1_DEF"),
               _wire("M1", (3706, 532), (3706, 600))]
    n2 = [_wire("BM0", (986, 1596), "BV0_DEF"), _wire("BM1", (986, 1596), (986, 1708)),
          _wire("BM1", (986, 1708), "BV1_DEF"), _wire("BM2", (986, 1708), (3502, 1708)),
          _wire("BM1", (3502, 1708), "BV1_DEF"), _wire("BM1", (3502, 1708), (3502, 1652)),
          _wire("BM0", (3502, 1652), "BV0_DEF")]
    if "unconnected" in seeds:
        n2 = []
    n3 = [_wire("M0", (3706, 420), "V0_DEF"), _wire("M1", (3706, 420), (3706, 1708)),
          _wire("M1", (3706, 1708), "V1_DEF"), _wire("M2", (3706, 1708), (3502, 1708)),
          _wire("M1", (3502, 1708), "V1_DEF"), _wire("M1", (3502, 1708), (3502, 1652)),
          _wire("M0", (3502, 1652), "V0_DEF")]
    n4 = [_wire("M2", (130, 532), (782, 532)), _wire("M1", (782, 532), "V1_DEF"),
          _wire("M1", (782, 532), (782, 476)), _wire("M0", (782, 476), "V0_DEF")]
    d.nets = [Net("n1", [("u1", "Y"), ("u2", "A")], "SIGNAL", n1),
              Net("n2", [("u3", "Y"), ("u4", "B")], "SIGNAL", n2),
              Net("n3", [("u2", "Y"), ("u4", "A")], "SIGNAL", n3),
              Net("n4", [("PIN", "p_in"), ("u1", "A")], "SIGNAL", n4)]
    if "short" in seeds:  # two floating nets overlapping on one M2 track
        d.nets += [_floating("f1", _wire("M2", (5000, 1372), (5600, 1372))),
                   _floating("f2", _wire("M2", (5500, 1372), (6100, 1372)))]
    if "spacing" in seeds:  # two M2 jogs side by side, 27 dbu apart (spacing 28)
        d.nets += [_floating("g1", _wire("M2", (5000, 2000), (5000, 2400))),
                   _floating("g2", _wire("M2", (5055, 2000), (5055, 2400)))]
    if "eol" in seeds:  # an M2 line end 40 dbu from another net (end-of-line spacing 49)
        d.nets += [_floating("h1", _wire("M2", (7000, 2940), (7500, 2940))),
                   _floating("h2", _wire("M2", (7568, 2800), (7568, 3080)))]
    if "offtrack" in seeds:  # a V1 10 dbu beside the M1 track
        d.nets.append(_floating("k1", _wire("M2", (6800, 3612), (7000, 3612)),
                                _wire("M1", (6744, 3612), (6944, 3612)),
                                _wire("M1", (6844, 3612), "V1_DEF")))
    if "cut_spacing" in seeds:
        d.vias = [PAIR_VIA]
        d.nets.append(_floating("c1", _wire("M1", (8194, 3388), "V1_PAIR")))
    if "area" in seeds:  # a 38 x 28 dbu piece of M2 (area 1568)
        d.nets.append(_floating("a1", _wire("M2", (9000, 3948), (9010, 3948))))
    if "width" in seeds:  # a 20 dbu wide patch on M2 (width 28)
        d.nets.append(_floating("w1", _wire("M2", (9500, 4508), ("RECT", -100, -10, 100, 10))))
    d.nets += list(extra)
    write_def(d, path)
    return path


@pytest.fixture(scope="module")
def lefs(tmp_path_factory) -> list[Path]:
    """The generated FFET technology LEF (both sides, with design rules) and the test cells."""
    from ffet_flow.commands.pdk import write_pdk
    from ffet_flow.config import load_config

    out = tmp_path_factory.mktemp("vtech")
    paths = write_pdk(load_config([ROOT / "pdk" / "ffet.toml"]), out)
    cells = out / "cells.lef"
    cells.write_text(CELLS_LEF)
    return [paths["tech_lef"], cells]


def _counts(result) -> dict[str, int]:
    return {rule: n for rule, n in result.counts.items() if n}


@pytest.mark.tool
def test_base_design_is_clean(tmp_path, lefs):
    from ffet_flow.verify import check_layout

    result = check_layout(build_def(tmp_path / "base.def"), lefs, out_dir=tmp_path / "out")
    assert _counts(result.drc) == {} and result.drc.not_checked == []
    lvs = result.lvs
    assert (lvs.opens, lvs.shorts, lvs.unconnected, lvs.nets) == (0, 0, 0, 4)
    assert result.clean
    summary = json.loads((tmp_path / "out" / "drc.json").read_text())
    assert summary["count"] == 0 and summary["clean"] is True


@pytest.mark.tool
@pytest.mark.parametrize("seed", [s for s, (drc, _) in SEEDS.items() if drc])
def test_each_seed_is_found_exactly_once(tmp_path, lefs, seed):
    from ffet_flow.verify import run_drc

    result = run_drc(build_def(tmp_path / f"{seed}.def", [seed]), lefs)
    assert _counts(result) == SEEDS[seed][0]


@pytest.mark.tool
def test_all_seeds_together_add_up(tmp_path, lefs):
    from ffet_flow.verify import check_layout

    result = check_layout(build_def(tmp_path / "all.def", SEEDS), lefs, out_dir=tmp_path / "o")
    expected: dict[str, int] = {}
    for drc, _ in SEEDS.values():
        for rule, n in drc.items():
            expected[rule] = expected.get(rule, 0) + n
    assert _counts(result.drc) == expected
    front = result.drc.by_side["front"]
    assert sum(front.values()) == result.drc.count and not result.drc.by_side["back"]
    metrics = result.metrics()
    assert metrics["finish__drc__count"] == sum(expected.values())
    assert metrics["finish__drc__short"] == 2 and metrics["finish__drc__enclosure"] == 0
    assert metrics["finish__lvs__shorts"] == 1 and metrics["units"]["finish__drc__eol"] == "count"
    summary = json.loads((tmp_path / "o" / "drc.json").read_text())
    assert summary["layers"]["V1"] == {"cut_spacing": 1, "offtrack": 1}
    assert any("n1" in line and "n3" in line for line in summary["examples"]["short M1"])


@pytest.mark.tool
def test_marker_database_has_a_category_per_rule_and_layer(tmp_path, lefs):
    import klayout.rdb as krdb

    from ffet_flow.verify import run_drc

    result = run_drc(build_def(tmp_path / "s.def", ["short", "eol", "offtrack"]), lefs,
                     out_dir=tmp_path / "o")
    db = krdb.ReportDatabase("")
    db.load(str(result.rdb))
    paths = sorted(c.path() for c in db.each_category() for c in [c, *c.each_sub_category()])
    assert paths == ["eol", "eol.M2", "offtrack", "offtrack.V1", "short", "short.M2"]
    assert db.num_items() == 3 and db.top_cell_name == "vtest"


@pytest.mark.tool
def test_back_side_violations_are_counted_on_the_back(tmp_path, lefs):
    from ffet_flow.verify import run_drc

    # a BM2 jog of a floating net ending 16 dbu below another net on the next BM2 track
    extra = (_floating("j1", _wire("BM2", (4900, 1764), (5100, 1764))),
             _floating("j2", _wire("BM2", (5000, 1652), (5000, 1720))))
    result = run_drc(build_def(tmp_path / "b.def", extra=extra), lefs)
    assert set(result.by_layer) == {"BM2"} and not result.by_side["front"]
    assert result.by_layer["BM2"] == {"spacing": 1, "eol": 1}
    assert result.metrics()["finish__drc__count__back"] == 2
