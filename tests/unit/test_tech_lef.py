"""Tech LEF writer: KLayout's LEF/DEF reader loads every LEF, layer names, order and counts."""

from __future__ import annotations

from pathlib import Path

import klayout.db as kdb
import pytest

from ffet_flow.commands.pdk import write_pdk
from ffet_flow.config import load_config
from ffet_flow.tech.lef import decimals, microns, side_lef_text
from ffet_flow.tech.model import build_tech

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"


def _probe_def(names: list[str], vias: list[str], dbu: int) -> str:
    """A DEF whose one net draws a segment on every metal layer and places every default via,
    so that reading it makes KLayout resolve each name against the LEF."""
    lines = ["VERSION 5.8 ;", 'DIVIDERCHAR "/" ;', 'BUSBITCHARS "[]" ;', "DESIGN probe ;",
             f"UNITS DISTANCE MICRONS {dbu} ;", "DIEAREA ( 0 0 ) ( 100000 100000 ) ;",
             "NETS 1 ;", "- probe"]
    parts = [f"{name} ( {1000 * i} 1000 ) ( {1000 * i + 800} 1000 )"
             for i, name in enumerate(names)]
    parts += [f"{names[-1]} ( {1000 * i} 5000 ) {via}_DEF" for i, via in enumerate(vias)]
    lines.append("  + ROUTED " + "\n    NEW ".join(parts))
    lines += [" ;", "END NETS", "END DESIGN"]
    return "\n".join(lines) + "\n"


def klayout_layer_order(lef: Path, metals: list[str], vias: list[str], dbu: int,
                        tmp: Path) -> list[str]:
    """Read a probe DEF with `lef` through KLayout; return the LEF layers in KLayout's order.

    KLayout numbers the layers it knows from the LEF in their LEF order (1, 2, ...) and puts
    names it does not know after them, so the order also proves every name was in the LEF.
    """
    probe = tmp / f"probe_{lef.stem}.def"
    # the probe draws the layers in reverse order, so KLayout's numbering comes from the LEF
    probe.write_text(_probe_def(metals[::-1], vias[::-1], dbu))
    opt = kdb.LoadLayoutOptions()
    cfg = opt.lefdef_config
    cfg.lef_files = [str(lef)]
    cfg.dbu = 1.0 / dbu
    cfg.produce_cell_outlines = False
    opt.lefdef_config = cfg
    layout = kdb.Layout()
    layout.read(str(probe), opt)
    infos = [layout.get_info(i) for i in layout.layer_indexes()]
    known = sorted((info.layer, info.name) for info in infos if info.datatype == 0)
    # every via must have produced geometry on its cut layer: its VIA definition was read
    for via in vias:
        idx = layout.find_layer(kdb.LayerInfo(via))
        assert idx is not None, f"no geometry for via {via}"
        assert not layout.top_cell().begin_shapes_rec(idx).at_end()
    return [name for number, name in known if number <= len(known)]


def _expected(tech, side):
    out = []
    vias = {v.lower: v.name for v in tech.vias(side)}
    for la in tech.layers(side):
        out.append(la.name)
        if la.name in vias:
            out.append(vias[la.name])
    return out


CASES = [("ffet", 12, 12), ("ffet", 5, 5), ("ffet", 1, 1), ("ffet", 16, 3),
         ("cfet", 12, 5), ("cfet", 5, 3), ("cfet", 1, 1)]


@pytest.mark.parametrize(("arch", "front", "back"), CASES)
def test_klayout_reads_every_lef(arch, front, back, tmp_path):
    cfg = load_config([ROOT / "pdk" / f"{arch}.toml"],
                      set_items=[f"layers_front={front}", f"layers_back={back}"])
    paths = write_pdk(cfg, tmp_path / "pdk")
    tech = build_tech(cfg)
    front_order = _expected(tech, "front")
    back_order = _expected(tech, "back")
    assert len(tech.layers("front")) == front and len(tech.layers("back")) == back
    for key, order in (("tech_front_lef", front_order), ("tech_back_lef", back_order)):
        metals = [n for n in order if n.startswith(("M", "BM"))]
        vias = [n for n in order if n not in metals]
        assert klayout_layer_order(paths[key], metals, vias, tech.dbu, tmp_path) == order
    # merged: back stack top-down, then the front stack bottom-up, nothing joining BM0 and M0
    merged = list(reversed(back_order)) + front_order
    metals = [n for n in merged if n.startswith(("M", "BM"))]
    vias = [n for n in merged if n not in metals]
    assert klayout_layer_order(paths["tech_lef"], metals, vias, tech.dbu, tmp_path) == merged
    text = paths["tech_lef"].read_text()
    assert text.count("TYPE ROUTING") == front + back
    assert text.count("TYPE CUT") == front - 1 + back - 1


def test_probe_detects_a_layer_missing_from_the_lef(tmp_path):
    cfg = load_config([ROOT / "pdk" / "ffet.toml"], set_items=["layers_front=3"])
    tech = build_tech(cfg)
    text = side_lef_text(tech, "front")
    start, end = text.index("LAYER M1\n"), text.index("END M1\n") + len("END M1\n")
    broken = tmp_path / "broken.lef"
    broken.write_text(text[:start] + text[end:])
    order = _expected(tech, "front")
    metals = [n for n in order if n.startswith("M")]
    vias = [n for n in order if n not in metals]
    assert klayout_layer_order(broken, metals, vias, tech.dbu, tmp_path) != order


def test_back_lef_is_a_single_sided_stack_with_bm0_at_the_bottom(tmp_path):
    cfg = load_config([ROOT / "pdk" / "ffet.toml"], set_items=["layers_back=4"])
    text = side_lef_text(build_tech(cfg), "back")
    layers = [line.split()[1] for line in text.splitlines() if line.startswith("LAYER ")]
    assert layers == ["BM0", "BV0", "BM1", "BV1", "BM2", "BV2", "BM3"]
    assert "SITE ffet_site" in text and "SIZE 0.0510 BY 0.0980 ;" in text
    assert " M0 " not in text and "LAYER M" not in text


def test_lef_values_follow_the_model():
    tech = build_tech(load_config([ROOT / "pdk" / "ffet.toml"]))
    text = side_lef_text(tech, "front")
    block = text[text.index("LAYER M1\n"):text.index("END M1")]
    m1 = tech.layer("M1")
    assert "DIRECTION VERTICAL ;" in block and "PITCH 0.0340 ;" in block
    assert "OFFSET 0.0170 ;" in block and "WIDTH 0.0170 ;" in block
    rpersq = float(block.split("RPERSQ")[1].split()[0])
    assert rpersq == pytest.approx(m1.r_per_um * 0.017, rel=1e-5)
    area = float(block.split("CPERSQDIST")[1].split()[0])
    edge = float(block.split("EDGECAPACITANCE")[1].split()[0])
    # pF: area x width + 2 edges reproduces the total (fF/um) of layers.json
    assert (area * 0.017 + 2 * edge) * 1000 == pytest.approx(m1.c_per_um, rel=1e-4)
    v0 = text[text.index("LAYER V0\n"):text.index("END V0\n")]
    assert "RESISTANCE 50.0000 ;" in v0


def test_same_inputs_give_byte_identical_files(tmp_path):
    cfg = load_config([ROOT / "pdk" / "cfet.toml"])
    a = write_pdk(cfg, tmp_path / "a")
    b = write_pdk(load_config([ROOT / "pdk" / "cfet.toml"]), tmp_path / "b")
    for key in a:
        assert a[key].read_bytes() == b[key].read_bytes(), key


def test_micron_formatting_is_exact():
    assert decimals(2000) == 4 and decimals(1000) == 3 and decimals(4000) == 5
    assert microns(1, 2000) == "0.0005" and microns(-3, 2000) == "-0.0015"
    assert microns(196, 2000) == "0.0980" and microns(1234567, 1000) == "1234.567"


def test_golden_front_lef_snippet():
    """The first layers of the FFET front LEF, so a change in the output is seen in review."""
    cfg = load_config([ROOT / "pdk" / "ffet.toml"], set_items=["layers_front=2"])
    text = side_lef_text(build_tech(cfg), "front")
    golden = (GOLDEN / "tech_front_2layers.lef").read_text()
    assert text == golden


def test_placement_lef_does_not_change_with_routing_layer_count(tmp_path):
    """Variants that differ only in layers per side share floorplan and placement, whose only
    technology input is tech_place.lef: its bytes must not depend on the layer counts."""
    from ffet_flow.commands.pdk import write_pdk

    texts = set()
    for front, back in ((12, 12), (5, 8), (3, 3)):
        cfg = load_config([ROOT / "pdk" / "ffet.toml"],
                          set_items=[f"layers_front={front}", f"layers_back={back}"])
        paths = write_pdk(cfg, tmp_path / f"{front}-{back}")
        texts.add(paths["tech_place_lef"].read_text())
    assert len(texts) == 1
    text = texts.pop()
    assert "LAYER M2" in text and "LAYER BM2" in text and "LAYER M3" not in text
