"""The main job's orchestration with a fake one-step flow: four variants, the equal-area
utilization derived from the first runs, and the report written from their metrics."""

from __future__ import annotations

import json

import pytest

from ffet_flow.commands.main_job import run_main_job
from ffet_flow.steps.base import Step


class FakeFlow(Step):
    """Areas scale with the cell height, fmax with the architecture and signal sides."""

    name = "place"
    outputs = {"placed": "placed.txt"}

    def run(self, ctx):
        c = ctx.config
        self.out(ctx, "placed").write_text(f"{c.arch} {c.signal_sides} {c.utilization}\n")
        cell_area = 100.0 * c.cell_height_tracks / 4.0
        fmax = 2e9 * (1.2 if c.arch == "ffet" else 1.0) * (1.1 if c.signal_sides == "both" else 1)
        return {"design__instance__area": cell_area,
                "design__core__area": cell_area / c.utilization,
                "finish__timing__fmax": fmax, "finish__power__total": 1e-3 * fmax / 2e9}


def test_main_job_runs_every_variant_and_reports(tmp_path):
    paths = run_main_job("riscv32", [], tmp_path / "build", tmp_path / "report",
                         steps=[FakeFlow()])
    runs = tmp_path / "build" / "riscv32"
    assert sorted(p.name for p in runs.iterdir()) == [
        "cfet", "ffet_dual", "ffet_single", "ffet_single_equal_area"]
    placed = {p.parent.parent.name: p.read_text().split() for p in runs.glob("*/01-place/*.txt")}
    assert placed["cfet"][:2] == ["cfet", "front"]
    assert placed["ffet_single"][:2] == ["ffet", "front"]
    assert placed["ffet_dual"][:2] == ["ffet", "both"]
    # equal core area: FFET cell area (87.5) over the CFET core area (100 / 0.7)
    assert float(placed["ffet_single_equal_area"][2]) == pytest.approx(87.5 / (100 / 0.7),
                                                                       abs=1e-4)
    eq = json.loads((runs / "ffet_single_equal_area" / "metrics.json").read_text())
    cfet = json.loads((runs / "cfet" / "metrics.json").read_text())
    assert eq["design__core__area"] == pytest.approx(cfet["design__core__area"], rel=1e-3)
    md = paths["markdown"].read_text()
    assert "| core area, FFET single-sided vs CFET, equal utilization | -12.5 % | -23.3 % |" in md
    assert "| frequency, FFET dual-sided vs single-sided signals | +10.0 % | +10.6 % |" in md
    assert "| frequency, FFET single-sided vs CFET, equal core area | +20.0 % | +16.0 % |" in md
    assert paths["png"].stat().st_size > 1000
    # the riscv32 QoR gates, per variant: the fake runs have no routing or checks, so fail
    gates = md.split("## QoR gates")[1].split("\n## ")[0]
    for label in ("CFET", "FFET, single-sided signals", "FFET, dual-sided signals"):
        row = next(ln for ln in gates.splitlines() if ln.startswith(f"| {label} |"))
        assert "**FAIL**" in row and "finish__drc__count: missing" in row


def test_main_job_without_the_equal_area_run(tmp_path):
    paths = run_main_job("riscv32", ["place_seed=3"], tmp_path / "b", tmp_path / "r",
                         equal_area=False, steps=[FakeFlow()])
    assert not (tmp_path / "b" / "riscv32" / "ffet_single_equal_area").exists()
    assert "| frequency, FFET single-sided vs CFET, equal core area | n/a |" in \
        paths["markdown"].read_text()


class WarningFlow(FakeFlow):
    def run(self, ctx):
        from ffet_flow.log import get_logger

        get_logger("test").warning("only in %s", ctx.config.arch + "-" + ctx.config.signal_sides)
        return super().run(ctx)


def test_each_variant_summarizes_its_own_warnings(tmp_path, capsys):
    from ffet_flow.log import setup_logging

    setup_logging()
    run_main_job("riscv32", [], tmp_path / "b", tmp_path / "r", equal_area=False,
                 steps=[WarningFlow()])
    err = capsys.readouterr().err
    summary = err[err.index("distinct warning(s) during variant cfet"):]
    sections = {}
    for block in summary.split("distinct warning(s) during variant ")[1:]:
        name, *lines = block.strip().splitlines()
        sections[name.rstrip(":")] = [ln.strip() for ln in lines if ln.strip().startswith("- ")]
    assert sections == {"cfet": ["- only in cfet-front"],
                        "ffet_single": ["- only in ffet-front"],
                        "ffet_dual": ["- only in ffet-both"]}
