"""LEF reader: units, layers, sites, macros, pin sides, pins.json override, bad input."""

from __future__ import annotations

import pytest

from ffet_flow.errors import ConfigError
from ffet_flow.io.lef import apply_pin_sides, layer_side, read_lef
from tests.conftest import SHARED

BENCH = SHARED / "benchmarks" / "openroad-tests"

TINY_LEF = """\
VERSION 5.8 ;
UNITS
  DATABASE MICRONS 1000 ;
END UNITS
MANUFACTURINGGRID 0.0005 ;
LAYER M0
  TYPE ROUTING ; DIRECTION HORIZONTAL ; PITCH 0.028 ; WIDTH 0.014 ; SPACING 0.014 ;
  OFFSET 0 0.014 ;
  RESISTANCE RPERSQ 5.5 ;
END M0
LAYER V0
  TYPE CUT ; RESISTANCE 50 ;
END V0
LAYER M1
  TYPE ROUTING ; DIRECTION VERTICAL ; PITCH 0.034 ; WIDTH 0.017 ; OFFSET 0.017 ;
  PROPERTY LEF58_X "a string ; with a semicolon" ;
END M1
LAYER BM0
  TYPE ROUTING ; DIRECTION HORIZONTAL ; PITCH 0.028 ; WIDTH 0.014 ;
END BM0
VIA V0_C DEFAULT
  LAYER M0 ; RECT -0.007 -0.007 0.007 0.007 ;
  LAYER V0 ; RECT -0.005 -0.005 0.005 0.005 ;
  LAYER M1 ; RECT -0.008 -0.008 0.008 0.008 ;
END V0_C
SITE core_site
  CLASS CORE ; SYMMETRY Y ; SIZE 0.051 BY 0.098 ;
END core_site
MACRO NAND2_X1
  CLASS CORE ;
  ORIGIN 0 0 ;
  SIZE 0.153 BY 0.098 ;
  SITE core_site ;
  # a comment ; with a semicolon
  PIN A
    DIRECTION INPUT ; USE SIGNAL ;
    PORT
      LAYER M0 ; RECT 0.010 0.040 0.040 0.054 ;
    END
  END A
  PIN B
    DIRECTION INPUT ;
    PORT
      LAYER BM0 ; RECT 0.060 0.040 0.090 0.054 ;
    END
  END B
  PIN Y
    DIRECTION OUTPUT ;
    PORT
      LAYER M0 ; RECT 0.110 0.040 0.140 0.054 ;
      LAYER BM0 ; POLYGON 0.110 0.040 0.140 0.040 0.140 0.060 0.110 0.060 ;
    END
  END Y
  PIN VDD
    DIRECTION INOUT ; USE POWER ;
    PORT LAYER M0 ; RECT 0 0.091 0.153 0.105 ; END
  END VDD
  OBS
    LAYER M0 ; RECT 0.050 0.010 0.100 0.020 ;
  END
END NAND2_X1
MACRO SHIFTED
  CLASS CORE ;
  ORIGIN 0.010 0 ;
  SIZE 0.102 BY 0.098 ;
  PIN A
    DIRECTION INPUT ;
    PORT LAYER M0 ; RECT -0.010 0.040 0.010 0.054 ; END
  END A
END SHIFTED
END LIBRARY
"""


@pytest.fixture
def tiny_lef(tmp_path):
    path = tmp_path / "tiny.lef"
    path.write_text(TINY_LEF)
    return path


def test_units_layers_and_vias(tiny_lef):
    lib = read_lef([tiny_lef], dbu_per_micron=2000)
    assert lib.dbu == 2000 and lib.manufacturing_grid == 1
    m0, m1 = lib.layers["M0"], lib.layers["M1"]
    assert (m0.type, m0.direction, m0.pitch, m0.width, m0.spacing, m0.offset) == \
        ("ROUTING", "HORIZONTAL", 56, 28, 28, 28)
    assert m0.resistance == pytest.approx(5.5)
    # a VERTICAL layer's pitch/offset are the x values
    assert (m1.direction, m1.pitch, m1.offset) == ("VERTICAL", 68, 34)
    assert lib.layers["V0"].type == "CUT" and lib.layers["V0"].resistance == 50
    assert [la.name for la in lib.routing_layers()] == ["M0", "M1", "BM0"]
    assert lib.layers["BM0"].side == "back" and m1.side == "front"
    via = lib.vias["V0_C"]
    assert via.default and via.layers == ("M0", "V0", "M1")
    assert via.shapes[0] == ("M0", (-14, -14, 14, 14))


def test_default_dbu_is_the_files(tiny_lef):
    lib = read_lef(tiny_lef)
    assert lib.dbu == 1000
    assert lib.sites["core_site"].width == 51


def test_macros_pins_and_sides(tiny_lef):
    lib = read_lef([tiny_lef], 2000)
    site = lib.sites["core_site"]
    assert (site.width, site.height, site.symmetry) == (102, 196, ("Y",))
    m = lib.macros["NAND2_X1"]
    assert (m.cls, m.width, m.height, m.site) == ("CORE", 306, 196, "core_site")
    assert {n: p.side for n, p in m.pins.items()} == \
        {"A": "front", "B": "back", "Y": "both", "VDD": "front"}
    assert m.pins["A"].shapes == (("M0", (20, 80, 80, 108)),)
    assert m.pins["A"].center() == (50, 94)
    assert m.pins["VDD"].use == "POWER" and m.pins["Y"].direction == "OUTPUT"
    # polygons are kept as their bounding box
    assert m.pins["Y"].shapes[1] == ("BM0", (220, 80, 280, 120))
    assert m.obstructions == (("M0", (100, 20, 200, 40)),)
    # shapes are moved from ORIGIN-relative to lower-left-relative coordinates
    assert lib.macros["SHIFTED"].pins["A"].shapes[0][1] == (0, 80, 40, 108)


def test_pins_json_overrides_sides(tiny_lef):
    lib = read_lef([tiny_lef], 2000)
    apply_pin_sides(lib, {"cells": {"NAND2_X1": {"A": "back", "Y": "front"}}})
    m = lib.macros["NAND2_X1"]
    assert m.pins["A"].side == "back" and m.pins["Y"].side == "front"
    assert m.pins["B"].side == "back"
    with pytest.raises(ConfigError, match="'left'"):
        apply_pin_sides(lib, {"cells": {"NAND2_X1": {"A": "left"}}})


def test_layer_side_names():
    assert layer_side("BM3") == "back" and layer_side("BV0") == "back"
    assert layer_side("M3") == "front" and layer_side("metal1") == "front"


def test_nangate45_library():
    lib = read_lef([BENCH / "Nangate45.lef"])
    assert lib.dbu == 2000
    assert len(lib.macros) == 135
    assert [la.name for la in lib.routing_layers()][:2] == ["metal1", "metal2"]
    m2 = lib.layers["metal2"]
    assert (m2.direction, m2.pitch, m2.width, m2.offset, m2.spacing) == \
        ("VERTICAL", 380, 140, 190, 140)
    site = lib.sites["FreePDK45_38x28_10R_NP_162NW_34O"]
    assert (site.width, site.height) == (380, 2800)
    inv = lib.macros["INV_X1"]
    assert inv.width == 760 and inv.height == 2800  # SIZE 0.38 BY 1.4
    assert set(inv.pins) == {"A", "ZN", "VDD", "VSS"}
    assert all(p.side == "front" for p in inv.pins.values())


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        read_lef([tmp_path / "nope.lef"])


def test_malformed_statement_names_the_file(tmp_path):
    bad = tmp_path / "bad.lef"
    bad.write_text("LAYER M1\n TYPE ROUTING ;\n PITCH abc ;\nEND M1\n")
    with pytest.raises(ConfigError, match="bad.lef"):
        read_lef([bad])
