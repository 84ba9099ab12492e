"""Layout generator: every cell builds and checks clean; widths and heights come from rules."""

from __future__ import annotations

import pytest

from ffet_flow.cells.check import check_layout
from ffet_flow.cells.layout import build_layout, build_layouts, side_grids
from ffet_flow.cells.netlists import all_cells, cell_set
from ffet_flow.cells.pinsides import assign_pin_sides
from ffet_flow.config import load_config
from ffet_flow.errors import ConfigError
from ffet_flow.tech.model import build_tech
from tests.conftest import ROOT


def _tech(arch: str, *sets: str):
    cfg = load_config([ROOT / "pdk" / f"{arch}.toml"], set_items=list(sets))
    return cfg, build_tech(cfg)


@pytest.fixture(scope="module")
def libs():
    out = {}
    for arch in ("ffet", "cfet"):
        for d in (0.0, 0.5, 1.0):
            cfg, tech = _tech(arch, f"input_pin_density={d}")
            sides = assign_pin_sides(all_cells(), cfg.effective_input_pin_density,
                                     tech.signal_sides == "both")
            out[arch, d] = (tech, sides, build_layouts(all_cells(), tech, sides))
    return out


def test_every_cell_checks_clean(libs):
    for (arch, d), (tech, _sides, layouts) in libs.items():
        assert len(layouts) == len(all_cells())
        violations = [v for lay in layouts.values() for v in check_layout(lay, tech)]
        assert violations == [], (arch, d, violations[:5])


def test_heights_and_tracks_from_tech(libs):
    ffet, _, fl = libs["ffet", 0.5]
    cfet, _, cl = libs["cfet", 0.5]
    assert fl["INV_X1"].height == ffet.cell_height == round(3.5 * ffet.m0_pitch)
    assert cl["INV_X1"].height == cfet.cell_height == 4 * cfet.m0_pitch
    g = side_grids(ffet)
    # 3.5T FFET: three signal tracks per side, one rail per side on the top edge
    assert len(g["front"].tracks) == len(g["back"].tracks) == 3
    assert [r[0] for r in g["front"].rails] == ["VDD"]
    assert [r[0] for r in g["back"].rails] == ["VSS"]
    gc = side_grids(cfet)
    assert len(gc["front"].tracks) == 4 and gc["back"].tracks == ()
    assert sorted(r[0] for r in gc["back"].rails) == ["VDD", "VSS"]


def test_widths_follow_topology(libs):
    _, _, fl = libs["ffet", 0.5]
    _, _, cl = libs["cfet", 0.5]
    # gate columns + one site for the two half dummy gates at the cell edges
    assert fl["INV_X1"].width_sites == 2 and fl["NAND2_X1"].width_sites == 3
    # fingers: X2 / X4 add gate columns
    assert fl["INV_X1"].width_sites < fl["INV_X2"].width_sites < fl["INV_X4"].width_sites
    assert fl["FILL_X4"].width_sites == 4
    # CFET split-gate columns (clocked inverters) need a contact column; FFET does not
    assert cl["DFF_X1"].width_sites > fl["DFF_X1"].width_sites
    assert cl["NAND2_X1"].width_sites == fl["NAND2_X1"].width_sites
    for lay in fl.values():
        assert lay.width == lay.width_sites * 102


def test_pins_on_requested_sides(libs):
    _, sides, fl = libs["ffet", 0.5]
    for name, lay in fl.items():
        for pin, side in sides[name].items():
            layers = {la for la, _r in lay.pins[pin]}
            want = {"front": {"M0"}, "back": {"BM0"}, "both": {"M0", "BM0"}}[side]
            assert layers & {"M0", "BM0"} == want, (name, pin)
            # a pin lifted to level 2 inside the cell also has its stubs and wire there
            sides_used = {"back" if la.startswith("B") else "front" for la in layers}
            assert layers <= want | {p + str(k) for p in ("M", "BM") for k in (1, 2)}
            assert sides_used == {s for s in ("front", "back") if s in side or side == "both"}
    _, csides, cl = libs["cfet", 0.5]
    assert all(la in ("M0", "M1", "M2") for lay in cl.values() for items in lay.pins.values()
               for la, _r in items)
    assert all(any(la == "M0" for la, _r in items) for lay in cl.values()
               for items in lay.pins.values())


def test_parasitics_and_links(libs):
    _, _, fl = libs["ffet", 0.5]
    _, _, cl = libs["cfet", 0.5]
    inv_f, inv_c = fl["INV_X1"].parasitics, cl["INV_X1"].parasitics
    assert {k for k, _ in inv_f["Y"].links} == {"DM"}  # FFET drain merge
    assert {k for k, _ in inv_c["Y"].links} == {"SV"}  # CFET vertical drain link
    assert {k for k, _ in inv_f["A"].links} == {"GM"}
    for p in (inv_f["Y"], inv_c["Y"], inv_f["A"]):
        r, c = p
        assert r > 0 and c > 0
    # a wider driver has more output wiring
    assert fl["INV_X4"].parasitics["Y"].c_ff > inv_f["Y"].c_ff


def test_deterministic():
    _cfg, tech = _tech("ffet")
    cell = cell_set(["DFFR_X1"])[0]
    sides = {"D": "back", "CLK": "front", "RN": "back", "Q": "both"}
    assert build_layout(cell, tech, sides) == build_layout(cell, tech, sides)


def test_too_few_tracks_is_config_error():
    _cfg, tech = _tech("cfet", "cell_height_tracks=2.5")
    cells = cell_set(["INV_X1", "DFFR_X1", "AOI22_X2"])
    sides = assign_pin_sides(cells, 0.0, False)
    with pytest.raises(ConfigError) as exc:
        build_layouts(cells, tech, sides)
    lines = str(exc.value).splitlines()
    assert len(lines) >= 2  # every cell that does not fit is reported at once
    assert all("cell_height_tracks = 2.5" in ln and "at least" in ln for ln in lines)


def test_column_rules(libs):
    _, _, fl = libs["ffet", 0.5]
    _, _, cl = libs["cfet", 0.5]
    # classic NAND2: two columns sharing diffusion, no break; the output drains align (DM)
    nand = fl["NAND2_X1"]
    assert len(nand.slots) == 2 and not any(s.dummy for s in nand.slots)
    assert [k for k, _ in nand.parasitics["Y"].links] == ["DM"]
    for name in ("DFF_X1", "DFFR_X2"):
        slots = cl[name].slots
        splits = [i for i, s in enumerate(slots) if s.split]
        assert splits, name  # the clocked inverters have split gates
        for i in splits:  # CFET: a dummy position next to every split-gate column
            assert (i > 0 and slots[i - 1].dummy) or (i + 1 < len(slots) and slots[i + 1].dummy)
        ffet_dummies = sum(s.dummy for s in fl[name].slots)
        assert ffet_dummies < sum(s.dummy for s in slots)
    # every device of the netlist appears exactly once per finger
    for cell in all_cells():
        lay = fl[cell.name]
        devs = [d.name for s in lay.slots for d in (s.p, s.n) if d is not None]
        assert len(devs) == len(set(devs)) == sum(t.width_units for t in cell.transistors)


def test_inverter_output_parasitics_by_hand(libs):
    """FFET INV_X1 output Y, dual-sided: one pad per side, one contact per side, one DM."""
    tech, _, fl = libs["ffet", 0.5]
    m0 = tech.layer("M0")
    y = fl["INV_X1"].parasitics["Y"]
    # drain at x = cpp + cpp/2 = 153 dbu; pad +-14 widened to the grid point 102 - 14 = 88:
    # 88..167 = 79 dbu = 0.0395 um on each side (the wire on the path); then lengthened for
    # router access to 40..167 (a second M1 track in each placement phase): 127 dbu of metal
    length_um = 2 * 0.0395
    metal_um = 2 * 0.0635
    c_contact = 2 * 8.8541878128e-3 * 7.0 * (28 * 25 * 1e-6) / (8.5e-3)
    r = m0.r_per_um * length_um + 2 * 36.9 + 65.0
    c = m0.c_per_um * metal_um + 2 * c_contact + 2 * c_contact
    assert y.r_ohm == pytest.approx(r, rel=1e-9)
    assert y.c_ff == pytest.approx(c, rel=1e-9)
    assert y.links == (("DM", 65.0),)


def test_too_few_layers_for_level2_wiring_is_named():
    # CFET XOR2_X1 needs level-2 wiring at 4T (all its pins share the front M0)
    _cfg, tech = _tech("cfet", "layers_front=2")
    cells = cell_set(["XOR2_X1"])
    with pytest.raises(ConfigError) as exc:
        build_layouts(cells, tech, assign_pin_sides(cells, 0.0, False), source="pdk/cfet.toml")
    text = str(exc.value)
    assert text.startswith("pdk/cfet.toml: cell_height_tracks = 4.0:")
    assert "at least 3 metal layers on the front side" in text


@pytest.mark.parametrize("arch,sets", [
    ("ffet", ("signal_sides=front",)),
    ("ffet", ("cpp=48", "cell_height_tracks=4", "input_pin_density=0.3")),
    ("ffet", ("layers_front=5", "layers_back=5", "input_pin_density=0.7")),
    ("cfet", ("cpp=54", "cell_height_tracks=5")),
])
def test_variants_check_clean(arch, sets):
    cfg, tech = _tech(arch, *sets)
    sides = assign_pin_sides(all_cells(), cfg.effective_input_pin_density,
                             tech.signal_sides == "both")
    layouts = build_layouts(all_cells(), tech, sides)
    assert [v for lay in layouts.values() for v in check_layout(lay, tech)] == []
    if tech.signal_sides == "front":  # single-sided signals: no pin on the back
        assert all(not la.startswith("B") for lay in layouts.values()
                   for items in lay.pins.values() for la, _r in items)


def test_cpp_too_small_for_gate_and_contact_is_config_error():
    _cfg, tech = _tech("ffet", "cpp=30")
    with pytest.raises(ConfigError) as exc:
        build_layout(cell_set(["INV_X1"])[0], tech, {"A": "front", "Y": "both"})
    assert "cpp = 30.0" in str(exc.value) and "above 34 nm" in str(exc.value)
