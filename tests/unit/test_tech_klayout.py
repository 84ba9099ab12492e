"""KLayout files: the .lyt loads as a technology whose LEF/DEF map gives the GDS numbers of
layers.json; the .lyp has one "front" and one "back" group in distinct colour families."""

from __future__ import annotations

import colorsys
import json
from pathlib import Path

import klayout.db as kdb
import klayout.lay as klay
import pytest

from ffet_flow.commands.pdk import write_pdk
from ffet_flow.config import load_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pdk(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdk")
    return write_pdk(load_config([ROOT / "pdk" / "ffet.toml"], set_items=["layers_back=5"]), out)


def test_lyt_maps_lefdef_layers_to_the_gds_numbers_of_layers_json(pdk, tmp_path):
    tech = kdb.Technology.technology_from_xml(pdk["lyt"].read_text())
    assert tech.dbu == pytest.approx(0.0005)
    assert tech.layer_properties_file == "layers.lyp"
    opt = tech.load_layout_options
    cfg = opt.lefdef_config
    assert list(cfg.lef_files) == ["tech.lef"]
    cfg.lef_files = [str(pdk["tech_lef"])]
    opt.lefdef_config = cfg
    probe = tmp_path / "probe.def"
    probe.write_text("\n".join([
        "VERSION 5.8 ;", "DESIGN p ;", "UNITS DISTANCE MICRONS 2000 ;",
        "DIEAREA ( 0 0 ) ( 10000 10000 ) ;", "NETS 1 ;", "- a",
        "  + ROUTED M3 ( 0 100 ) ( 1000 100 )", "    NEW BM2 ( 0 300 ) ( 1000 300 ) BV1_DEF",
        " ;", "END NETS", "END DESIGN", ""]))
    layout = kdb.Layout()
    layout.read(str(probe), opt)
    got = {layout.get_info(i).name: (layout.get_info(i).layer, layout.get_info(i).datatype)
           for i in layout.layer_indexes()}
    doc = json.loads(pdk["layers_json"].read_text())
    gds = {r["name"]: r["gds_layer"] for r in doc["layers"] + doc["vias"]}
    assert got["M3"] == (gds["M3"], 0) == (106, 0)
    assert got["BM2"] == (gds["BM2"], 0) == (204, 0)
    assert got["BV1"] == (gds["BV1"], 0) == (203, 0)


def _hue(hex_colour: int) -> float:
    r, g, b = ((hex_colour >> s) & 0xFF for s in (16, 8, 0))
    return colorsys.rgb_to_hls(r / 255, g / 255, b / 255)[0] * 360


def test_lyp_groups_front_and_back_in_distinct_colour_families(pdk):
    view = klay.LayoutView()
    view.load_layer_props(str(pdk["lyp"]))
    groups = {}
    it = view.begin_layers()
    while not it.at_end():
        node = it.current()
        assert node.has_children(), f"top-level entry {node.name} is not a group"
        child = it.first_child()
        members = []
        for _ in range(child.num_siblings()):
            members.append(child.current())
            child.next_sibling(1)
        groups[node.name] = members
        it.next_sibling(1)
    assert list(groups) == ["front", "back"]
    front = [m.name for m in groups["front"]]
    back = [m.name for m in groups["back"]]
    assert front == ["M0", "V0", "M1", "V1", "M2", "V2", "M3", "V3", "M4", "V4", "M5", "V5",
                     "M6", "V6", "M7", "V7", "M8", "V8", "M9", "V9", "M10", "V10", "M11"]
    assert back == ["BM0", "BV0", "BM1", "BV1", "BM2", "BV2", "BM3", "BV3", "BM4"]
    assert groups["front"][0].source_layer == 100 and groups["back"][0].source_layer == 200
    for m in groups["front"]:
        assert 120 <= _hue(m.fill_color) <= 230, m.name  # greens to blues
    for m in groups["back"]:
        assert _hue(m.fill_color) <= 45, m.name  # reds to oranges
    colours = [m.fill_color for m in groups["front"] + groups["back"]]
    assert len(set(colours)) == len(colours)


def test_lyt_lists_every_lef_file(pdk):
    from ffet_flow.tech.klayout import lyt_text
    from ffet_flow.tech.model import read_layers_json

    text = lyt_text(read_layers_json(pdk["layers_json"]), ("tech.lef", "cells.lef"))
    tech = kdb.Technology.technology_from_xml(text)
    assert list(tech.load_layout_options.lefdef_config.lef_files) == ["tech.lef", "cells.lef"]
