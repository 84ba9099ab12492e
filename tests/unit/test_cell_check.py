"""The layout checker catches deliberately broken layouts."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from ffet_flow.cells.check import check_layout
from ffet_flow.cells.layout import build_layout
from ffet_flow.cells.netlists import cell_set
from ffet_flow.config import load_config
from ffet_flow.tech.model import build_tech
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def base():
    tech = build_tech(load_config([ROOT / "pdk" / "ffet.toml"]))
    cell = cell_set(["NAND2_X1"])[0]
    lay = build_layout(cell, tech, {"A": "front", "B": "back", "Y": "both"})
    assert check_layout(lay, tech) == []
    return tech, lay


def _with(lay, layer, items, pins=None):
    shapes = dict(lay.shapes)
    shapes[layer] = tuple(items)
    return dataclasses.replace(lay, shapes=MappingProxyType(shapes),
                               pins=MappingProxyType(pins if pins is not None else lay.pins))


def test_shifted_pin_is_off_track(base):
    tech, lay = base
    (layer, r), = lay.pins["A"]
    moved = (r[0], r[1] + 10, r[2], r[3] + 10)
    items = [(n, moved if (n, q) == ("A", r) else q) for n, q in lay.shapes[layer]]
    pins = dict(lay.pins)
    pins["A"] = ((layer, moved),)
    v = check_layout(_with(lay, layer, items, pins), tech)
    assert any("pin A" in x and "off the" in x for x in v)


def test_short_between_nets(base):
    tech, lay = base
    (layer, r), = lay.pins["A"]
    # a wire of net B drawn over pin A
    v = check_layout(_with(lay, layer, list(lay.shapes[layer]) + [("B", r)]), tech)
    assert any("short between" in x for x in v)


def test_narrow_wire_and_spacing(base):
    tech, lay = base
    m0 = tech.layer("M0")
    (layer, r), = lay.pins["A"]
    narrow = (r[0], r[1], r[2], r[1] + m0.width - 2)
    items = [(n, narrow if (n, q) == ("A", r) else q) for n, q in lay.shapes[layer]]
    v = check_layout(_with(lay, layer, items), tech)
    assert any("narrower than the minimum width" in x for x in v)
    # a foreign wire just below the minimum spacing from pin A
    near = (r[2] + m0.spacing - 2, r[1], r[2] + m0.spacing + 40, r[3])
    v = check_layout(_with(lay, layer, list(lay.shapes[layer]) + [("X", near)]), tech)
    assert any("spacing" in x and "X" in x for x in v)


def test_shape_outside_boundary(base):
    tech, lay = base
    out = (lay.width - 10, 100, lay.width + 30, 128)
    v = check_layout(_with(lay, "M0", list(lay.shapes["M0"]) + [("n9", out)]), tech)
    assert any("outside the cell boundary" in x for x in v)


def _drop(lay, layer, net):
    items = list(lay.shapes[layer])
    k = next(i for i, (n, _r) in enumerate(items) if n == net)
    return _with(lay, layer, items[:k] + items[k + 1:])


def test_open_nets_are_caught(base):
    tech, lay = base
    # the drain merge is the only link between the p drains (front) and the n drain (back)
    v = check_layout(_drop(lay, "DM", "Y"), tech)
    assert any("net Y is open" in x for x in v)
    # a missing contact leaves the back pin of Y floating
    v = check_layout(_drop(lay, "NCONT", "Y"), tech)
    assert any("pin Y" in x and "not joined" in x for x in v)


def test_via_on_foreign_net_is_caught(base):
    tech, lay = base
    (layer, r), = lay.pins["B"]
    cx, cy = (r[0] + r[2]) // 2, (r[1] + r[3]) // 2
    v0 = tech.vias("back")[0] if layer == "BM0" else tech.vias("front")[0]
    cut = (cx - v0.cut // 2, cy - v0.cut // 2, cx + v0.cut // 2, cy + v0.cut // 2)
    shapes = dict(lay.shapes)
    shapes[v0.name] = (("A", cut),)
    bad = dataclasses.replace(lay, shapes=MappingProxyType(shapes))
    assert any("lands on" in x for x in check_layout(bad, tech))
