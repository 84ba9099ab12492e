from __future__ import annotations

from pathlib import Path

from ffet_flow.commands.pdk import write_pdk
from ffet_flow.config import load_config
from ffet_flow.io.def_ import Design, read_def, write_def
from ffet_flow.steps.driver import run_steps
from ffet_flow.steps.tracks import TracksStep

ROOT = Path(__file__).resolve().parents[2]


def test_tracks_of_every_layer_of_the_variant_are_added(tmp_path):
    placed = tmp_path / "placed.def"
    write_def(Design(name="blk", dbu=2000, die_area=(0, 0, 4000, 4000)), placed)
    for front, back in ((12, 12), (4, 3)):
        cfg = load_config([ROOT / "pdk/ffet.toml"],
                          set_items=[f"layers_front={front}", f"layers_back={back}"])
        pdk = write_pdk(cfg, tmp_path / f"pdk{front}")
        [res] = run_steps([TracksStep()], cfg, tmp_path / f"run{front}",
                          artifacts={"placed_def": placed, "tech_lef": pdk["tech_lef"]})
        design = read_def(res.outputs["placed_def"])
        layers = {name for t in design.tracks for name in t.layers}
        assert layers == {f"M{i}" for i in range(front)} | {f"BM{i}" for i in range(back)}
        assert design.die_area == (0, 0, 4000, 4000) and design.name == "blk"
