"""Step `drc` through the driver: after `route`, before `extract`; reads the routed DEF, the
LEFs and the netlist; publishes the marker databases and reports; its metrics count every rule
and the LVS problems, and violations do not fail the step."""

from __future__ import annotations

import json

import pytest

from ffet_flow import flow
from ffet_flow.config import load_config
from ffet_flow.steps.driver import run_steps
from tests.conftest import ROOT
from tests.unit.test_verify_drc import RULES_SEEDED, build_def, lefs  # noqa: F401
from tests.unit.test_verify_lvs import NETLIST


def test_drc_runs_between_route_and_extract():
    names = list(flow.STEP_NAMES)
    assert names.index("drc") == names.index("route") + 1 == names.index("extract") - 1
    assert "drc" not in flow.SHARED_STEPS  # it reads the variant's own routing
    step = flow.load_step("drc")
    assert set(step.inputs) == {"routed_def", "tech_lef", "cells_lef", "netlist"}
    assert step.config_keys(load_config([ROOT / "pdk" / "ffet.toml"])) == []


@pytest.mark.tool
def test_drc_step_publishes_reports_and_metrics(tmp_path, lefs):  # noqa: F811
    netlist = tmp_path / "vtest.v"
    netlist.write_text(NETLIST)
    artifacts = {"routed_def": build_def(tmp_path / "routed.def", RULES_SEEDED),
                 "tech_lef": lefs[0], "cells_lef": lefs[1], "netlist": netlist}
    cfg = load_config([ROOT / "pdk" / "ffet.toml"])
    (result,) = run_steps([flow.load_step("drc")], cfg, tmp_path / "run", artifacts=artifacts)
    assert result.step_dir.name == "01-drc" and not result.skipped
    for name in ("drc.lyrdb", "drc.json", "lvs.lyrdb", "lvs.json"):
        assert (result.step_dir / name).is_file(), name
    m = result.metrics
    assert m["finish__drc__count"] == sum(m[f"finish__drc__{r}"] for r in
                                          ("short", "spacing", "eol", "width", "area",
                                           "cut_spacing", "enclosure", "offgrid", "offtrack"))
    assert (m["finish__drc__eol"], m["finish__drc__short"]) == (1, 1)
    assert (m["finish__lvs__opens"], m["finish__lvs__shorts"], m["finish__lvs__unconnected"]) \
        == (1, 0, 0)
    assert m["units"]["finish__lvs__opens"] == "count"
    report = json.loads((result.step_dir / "lvs.json").read_text())
    assert report["reference"] == str(netlist) and list(report["nets"]) == ["n1"]
    log = (result.step_dir / "step.log").read_text()
    assert "layout check: 2 DRC violations, LVS 1 opens, 0 shorts" in log
    again = run_steps([flow.load_step("drc")], cfg, tmp_path / "run", artifacts=artifacts)
    assert again[0].skipped  # up to date: same inputs, no config keys
