"""The technology model: stacks, directions, signal flags, vias, layers.json round trip."""

from __future__ import annotations

import pytest

from ffet_flow.config import load_config
from ffet_flow.tech.layers_json import write_layers_json
from ffet_flow.tech.model import build_tech, read_layers_json


def test_default_ffet_stacks_and_site():
    tech = build_tech(load_config())
    assert tech.arch == "ffet" and tech.dbu == 2000
    assert [la.name for la in tech.layers("front")] == [f"M{i}" for i in range(12)]
    assert [la.name for la in tech.layers("back")] == [f"BM{i}" for i in range(12)]
    assert tech.cpp == 102  # 51 nm at 0.5 nm per dbu
    assert tech.m0_pitch == 56 and tech.cell_height == 196  # 3.5 x 28 nm = 98 nm
    assert tech.site_name == "ffet_site"
    m0, m1 = tech.layer("M0"), tech.layer("M1")
    assert (m0.direction, m1.direction) == ("HORIZONTAL", "VERTICAL")
    assert m0.offset == m0.pitch // 2 and m0.spacing == m0.pitch - m0.width
    assert [la.name for la in tech.routing_layers("front")] == [f"M{i}" for i in range(1, 12)]
    assert [la.name for la in tech.routing_layers("back")] == [f"BM{i}" for i in range(1, 12)]
    v0 = tech.via("V0")
    assert (v0.lower, v0.upper, v0.resistance) == ("M0", "M1", 50.0)
    assert tech.via("BV3").lower == "BM3" and tech.via("BV3").upper == "BM4"
    assert len(tech.vias("front")) == 11
    # GDS numbers: distinct per side and per layer
    gds = [la.gds_layer for la in tech.all_layers()] + [v.gds_layer for v in tech.all_vias()]
    assert len(set(gds)) == len(gds)
    assert (m0.gds_layer, v0.gds_layer, tech.layer("BM0").gds_layer) == (100, 101, 200)


def test_single_sided_ffet_has_no_back_routing_layers():
    tech = build_tech(load_config(set_items=["signal_sides=front", "layers_back=6"]))
    assert len(tech.layers("back")) == 6
    assert tech.routing_layers("back") == ()
    assert not any(la.signal for la in tech.layers("back"))
    assert len(tech.routing_layers("front")) == 11


def test_cfet_back_stack_is_power_only_from_back_metal():
    back = [dict(tier="local", pitch=112, width=36, thickness=90, barrier=3.0, k_eff=3.9,
                 via_resistance=25.0),
            dict(tier="global", pitch=112, width=56, thickness=112, barrier=4.0, k_eff=3.9,
                 via_resistance=6.0)]
    cfg = load_config(overrides={"arch": "cfet", "signal_sides": "front",
                                 "cell_height_tracks": 4.0, "back_metal": back,
                                 "layers_back": 2})
    tech = build_tech(cfg)
    assert tech.cell_height == 224 and tech.signal_sides == "front"
    assert [la.name for la in tech.layers("back")] == ["BM0", "BM1"]
    assert tech.layer("BM0").width == 72 and tech.layer("BM0").pitch == 224
    assert tech.routing_layers("back") == ()
    assert tech.via("BV0").resistance == 25.0


def test_layer_and_via_lookup_errors():
    tech = build_tech(load_config(set_items=["layers_front=3"]))
    with pytest.raises(KeyError):
        tech.layer("M3")
    with pytest.raises(KeyError):
        tech.via("V2")
    with pytest.raises(ValueError):
        tech.layers("top")


def test_layers_json_round_trip(tmp_path):
    tech = build_tech(load_config(set_items=["layers_back=5"]))
    write_layers_json(tech, tmp_path / "layers.json")
    again = read_layers_json(tmp_path / "layers.json")
    assert again == tech
    first = (tmp_path / "layers.json").read_bytes()
    write_layers_json(again, tmp_path / "layers.json")
    assert (tmp_path / "layers.json").read_bytes() == first


def test_read_layers_json_reports_bad_files(tmp_path):
    from ffet_flow.errors import ConfigError

    with pytest.raises(ConfigError, match="file not found"):
        read_layers_json(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    with pytest.raises(ConfigError, match="format"):
        read_layers_json(bad)
    tech = build_tech(load_config(set_items=["layers_front=2", "layers_back=2"]))
    write_layers_json(tech, bad)
    bad.write_text(bad.read_text().replace('"r_per_um"', '"r_per_meter"'))
    with pytest.raises(ConfigError) as info:
        read_layers_json(bad)
    assert all(str(bad) in str(i) for i in info.value.issues)
    assert len(info.value.issues) == 4  # every layer entry is reported
