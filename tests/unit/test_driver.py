from __future__ import annotations

import json

import pytest

from ffet_flow.config import load_config
from ffet_flow.errors import ToolError
from ffet_flow.steps.base import Step
from ffet_flow.steps.driver import run_steps


class Produce(Step):
    name = "place"
    outputs = {"a": "a.txt"}

    def run(self, ctx):
        self.out(ctx, "a").write_text(f"seed {ctx.config.place_seed}\n")
        return {"place__x": 1}


class Consume(Step):
    name = "route"
    inputs = ("a",)
    outputs = {"b": "b.txt"}
    fail = False

    def run(self, ctx):
        if self.fail:
            (ctx.out_dir / "b.txt").write_text("partial")
            raise RuntimeError("boom")
        self.out(ctx, "b").write_text(ctx.inputs["a"].read_text().upper())
        return {"route__y": 2}


def _times(run_dir):
    return {d.name: json.loads((d / "done.json").read_text())["finished"]
            for d in sorted(run_dir.iterdir()) if (d / "done.json").exists()}


def test_outputs_published_and_metrics_merged(tmp_path):
    cfg = load_config()
    res = run_steps([Produce(), Consume()], cfg, tmp_path)
    assert (tmp_path / "02-route" / "b.txt").read_text() == "SEED 1\n"
    merged = json.loads((tmp_path / "metrics.json").read_text())
    assert merged["place__x"] == 1 and merged["route__y"] == 2
    assert not res[0].skipped and not any((tmp_path / "01-place").glob(".work"))


def test_changing_a_key_reruns_only_dependent_steps(tmp_path):
    cfg = load_config()
    run_steps([Produce(), Consume()], cfg, tmp_path)
    before = _times(tmp_path)
    res = run_steps([Produce(), Consume()], cfg.replace(route_max_iterations=5), tmp_path)
    assert [r.skipped for r in res] == [True, False]
    after = _times(tmp_path)
    assert after["01-place"] == before["01-place"] and after["02-route"] > before["02-route"]
    res = run_steps([Produce(), Consume()], cfg.replace(place_seed=9), tmp_path)
    assert [r.skipped for r in res] == [False, False]


def test_failed_step_is_not_marked_done(tmp_path):
    cfg = load_config()
    bad = Consume()
    bad.fail = True
    with pytest.raises(ToolError, match="route"):
        run_steps([Produce(), bad], cfg, tmp_path)
    assert not (tmp_path / "02-route" / "done.json").exists()
    assert not (tmp_path / "02-route" / "b.txt").exists()
    res = run_steps([Produce(), Consume()], cfg, tmp_path)
    assert [r.skipped for r in res] == [True, False]
