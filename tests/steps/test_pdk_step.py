"""The pdk step through the driver: published outputs, metrics, up-to-date skip, restamp."""

from __future__ import annotations

from pathlib import Path

from ffet_flow.config import load_config
from ffet_flow.steps.driver import run_steps
from ffet_flow.steps.pdk import PdkStep
from ffet_flow.tech.model import build_tech, read_layers_json

ROOT = Path(__file__).resolve().parents[2]


def test_pdk_step_publishes_every_output(tmp_path):
    cfg = load_config([ROOT / "pdk" / "ffet.toml"], set_items=["signal_sides=front"])
    [result] = run_steps([PdkStep()], cfg, tmp_path / "run")
    assert result.step_dir.name == "01-pdk" and not result.skipped
    assert set(result.outputs) == {"tech_lef", "tech_front_lef", "tech_back_lef",
                                   "layers_json", "lyt", "lyp", "tech_place_lef"}
    for path in result.outputs.values():
        assert path.is_file() and path.parent == result.step_dir and path.stat().st_size > 0
    assert read_layers_json(result.outputs["layers_json"]) == build_tech(cfg)
    m = result.metrics
    assert m["pdk__layers__front"] == 12 and m["pdk__layers__back"] == 12
    assert m["pdk__layers__routing__front"] == 11 and m["pdk__layers__routing__back"] == 0
    assert m["pdk__site__width"] == 0.051 and m["pdk__site__height"] == 0.098

    [again] = run_steps([PdkStep()], cfg, tmp_path / "run")
    assert again.skipped
    [changed] = run_steps([PdkStep()], cfg.replace(layers_back=5), tmp_path / "run")
    assert not changed.skipped and changed.metrics["pdk__layers__back"] == 5
    assert len(read_layers_json(changed.outputs["layers_json"]).back) == 5
