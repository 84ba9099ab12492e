"""The KLayout application installed on the machine (Debian, 0.28) reads the written .lyt,
.lyp and merged LEF, not only the PyPI klayout module of the same project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ffet_flow.commands.pdk import write_pdk
from ffet_flow.config import load_config
from ffet_flow.proc import find_program, run_tool

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = '''
import json, pya
pdk = "{pdk}"
tech = pya.Technology.technology_from_xml(open(pdk + "/tech.lyt").read())
opt = tech.load_layout_options
cfg = opt.lefdef_config
cfg.lef_files = [pdk + "/tech.lef"]
opt.lefdef_config = cfg
layout = pya.Layout()
layout.read("{probe}", opt)
view = pya.LayoutView()
view.load_layer_props(pdk + "/layers.lyp")
groups = []
it = view.begin_layers()
while not it.at_end():
    groups.append([it.current().name, it.first_child().num_siblings()])
    it.next_sibling(1)
out = {{"name": tech.name, "dbu": tech.dbu, "groups": groups,
        "layers": {{layout.get_info(i).name: [layout.get_info(i).layer, layout.get_info(i).datatype]
                    for i in layout.layer_indexes()}}}}
open("{result}", "w").write(json.dumps(out))
'''

PROBE = """VERSION 5.8 ;
DESIGN p ;
UNITS DISTANCE MICRONS 2000 ;
DIEAREA ( 0 0 ) ( 10000 10000 ) ;
NETS 1 ;
- a
  + ROUTED M4 ( 0 100 ) ( 1000 100 )
    NEW BM1 ( 0 300 ) ( 0 900 ) BV0_DEF
 ;
END NETS
END DESIGN
"""


@pytest.mark.tool
def test_klayout_application_reads_lyt_lyp_and_lef(tmp_path):
    klayout = find_program("klayout")
    pdk = tmp_path / "pdk"
    write_pdk(load_config([ROOT / "pdk" / "cfet.toml"]), pdk)
    probe = tmp_path / "probe.def"
    probe.write_text(PROBE)
    result = tmp_path / "result.json"
    script = tmp_path / "check.py"
    script.write_text(SCRIPT.format(pdk=pdk, probe=probe, result=result))
    run_tool("pdk-test", [klayout, "-b", "-r", script], tmp_path / "klayout.log")
    got = json.loads(result.read_text())
    assert got["name"] == "cfet" and got["dbu"] == pytest.approx(0.0005)
    assert got["groups"] == [["front", 23], ["back", 9]]  # 12 + 11 and 5 + 4 layers
    assert got["layers"]["M4"] == [108, 0]
    assert got["layers"]["BM1"] == [202, 0] and got["layers"]["BV0"] == [201, 0]
