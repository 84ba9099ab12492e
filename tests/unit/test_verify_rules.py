"""The layout checker's rules from the LEF (no KLayout): spacing-table steps, the metals a cut
joins in a merged two-sided stack, track membership."""

from __future__ import annotations

import numpy as np
import pytest

from ffet_flow.errors import ConfigError
from ffet_flow.io.lef import read_lef
from ffet_flow.verify.rules import SpacingStep, rules_from_lef
from ffet_flow.verify.tracks import on_tracks
from tests.conftest import ROOT

TABLE_LEF = """VERSION 5.8 ;
UNITS
  DATABASE MICRONS 1000 ;
END UNITS
LAYER met1
  TYPE ROUTING ;
  DIRECTION HORIZONTAL ;
  WIDTH 0.06 ;
  SPACINGTABLE
    PARALLELRUNLENGTH 0.0 0.5
    WIDTH 0.0   0.06 0.06
    WIDTH 0.1   0.10 0.15
    WIDTH 0.75  0.25 0.25 ;
  SPACING 0.09 ENDOFLINE 0.09 WITHIN 0.025 ;
  AREA 0.02 ;
END met1
LAYER via1
  TYPE CUT ;
  SPACING 0.07 ;
  ENCLOSURE 0.005 0.03 ;
END via1
LAYER met2
  TYPE ROUTING ;
  DIRECTION VERTICAL ;
  WIDTH 0.07 ;
  SPACING 0.07 ;
END met2
END LIBRARY
"""


def test_spacing_table_steps_by_width_and_run_length(tmp_path):
    path = tmp_path / "t.lef"
    path.write_text(TABLE_LEF)
    rules = rules_from_lef(read_lef([path]))
    met1 = rules.metals["met1"]
    assert met1.spacing == (SpacingStep(60), SpacingStep(100, over_width=100),
                            SpacingStep(150, over_width=100, over_prl=500),
                            SpacingStep(250, over_width=750))
    assert met1.eol == ((90, 90, 25),) and met1.area == 20000 and met1.min_width == 60
    via1 = rules.cuts["via1"]
    assert (via1.below, via1.above, via1.spacing) == ("met1", "met2", 70)
    # an ENCLOSURE without BELOW/ABOVE applies to both metals
    assert via1.enclosure_below == via1.enclosure_above == ((5, 30),)
    assert rules.metals["met2"].spacing == (SpacingStep(70),)


def test_merged_two_sided_stack_keeps_each_sides_below_and_above(tmp_path):
    from ffet_flow.commands.pdk import write_pdk
    from ffet_flow.config import load_config

    paths = write_pdk(load_config([ROOT / "pdk" / "ffet.toml"]), tmp_path)
    rules = rules_from_lef(read_lef([paths["tech_lef"]]))
    # tech.lef lists BM11 .. BM0 then M0 .. M11, with no cut between BM0 and M0
    assert (rules.cuts["V0"].below, rules.cuts["V0"].above) == ("M0", "M1")
    assert (rules.cuts["BV0"].below, rules.cuts["BV0"].above) == ("BM0", "BM1")
    assert (rules.cuts["BV10"].below, rules.cuts["BV10"].above) == ("BM10", "BM11")
    assert rules.cuts["BV0"].side == "back" and rules.metals["BM3"].side == "back"
    assert rules.cuts["BV0"].enclosure_below == rules.cuts["V0"].enclosure_below
    assert len(rules.metals) == 24 and len(rules.cuts) == 22
    assert all(m.spacing and m.min_width for m in rules.metals.values())


def test_cut_layer_without_metal_on_both_sides_is_refused(tmp_path):
    path = tmp_path / "bad.lef"
    path.write_text(TABLE_LEF.replace("LAYER met2", "LAYER via2\n  TYPE CUT ;\nEND via2\n"
                                      "LAYER met2"))
    path.write_text(path.read_text().replace("END met2\n", "END met2\nLAYER via3\n  TYPE CUT ;"
                                             "\nEND via3\n"))
    with pytest.raises(ConfigError) as err:
        rules_from_lef(read_lef([path]))
    assert "via3" in str(err.value) and len(err.value.issues) == 1


def test_on_tracks():
    values = np.array([28, 84, 85, 28 + 56 * 9, 28 + 56 * 10, -28])
    assert on_tracks(values, [(28, 10, 56)]).tolist() == [True, True, False, True, False, False]
    assert on_tracks(values, [(28, 10, 56), (85, 1, 0)]).tolist()[2]
