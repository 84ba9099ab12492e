"""The flow definition with small fake steps: variants, design lookup, validation, --to/--from,
the shared pdk cache, merged metrics and the Makefile's step list."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ffet_flow import flow
from ffet_flow.errors import ConfigError
from ffet_flow.steps.base import Step
from tests.conftest import ROOT

SDC = "create_clock -name clk -period 1.0 [get_ports clk]\n"


def make_design(root: Path, name: str = "toy", sdc: str = SDC, top: str = "toy") -> Path:
    d = root / name
    (d / "rtl").mkdir(parents=True)
    (d / "rtl" / "toy.v").write_text("module toy(input clk); endmodule\n")
    (d / "constraints.sdc").write_text(sdc)
    (d / "config.toml").write_text(f'top = "{top}"\nverilog = ["rtl/toy.v"]\n'
                                   'sdc = "constraints.sdc"\nclock_period = 1.0\n')
    return d


class FakePdk(Step):
    name = "pdk"
    outputs = {"tech": "tech.txt"}
    runs = 0

    def run(self, ctx):
        type(self).runs += 1
        self.out(ctx, "tech").write_text(f"layers {ctx.config.layers_back}\n")
        return {"pdk__layers__back": ctx.config.layers_back}


class FakePlace(Step):
    name = "place"
    inputs = ("tech",)
    outputs = {"placed": "placed.txt"}

    def run(self, ctx):
        self.out(ctx, "placed").write_text(ctx.inputs["tech"].read_text() + "placed\n")
        return {"design__core__area": 12.5, "detailedplace__hpwl__front": 3.0}


class FakeRoute(Step):
    name = "route"
    inputs = ("placed",)
    outputs = {"routed": "routed.txt"}

    def run(self, ctx):
        self.out(ctx, "routed").write_text(ctx.inputs["placed"].read_text() + "routed\n")
        return {"route__wirelength__front__M1": 7.0, "finish__timing__fmax": 2e9,
                "finish__power__total": 1e-3, "units": {"route__wirelength__front__M1": "um"}}


def fake_steps():
    return [FakePdk(), FakePlace(), FakeRoute()]


@pytest.fixture
def designs(tmp_path):
    root = tmp_path / "designs"
    make_design(root)
    return root


def setup(designs, tmp_path, *sets, variant=None):
    return flow.setup_flow("toy", ROOT / "pdk/ffet.toml", list(sets), variant,
                           tmp_path / "build", designs_root=designs, steps=[])


def test_variant_name_is_stable_and_sorted():
    a = flow.variant_name(Path("pdk/ffet.toml"), ["layers_back=6", "input_pin_density=0.5"])
    b = flow.variant_name(Path("x/ffet.toml"), ["input_pin_density=0.5", " layers_back=6"])
    assert a == b == "ffet__input_pin_density-0.5__layers_back-6"
    assert flow.variant_name(Path("pdk/cfet.toml"), []) == "cfet"
    assert "/" not in flow.variant_name(Path("a.toml"), ["cell_list=a/b"])


def test_unknown_design_lists_the_known_ones(designs):
    make_design(designs, "other")
    with pytest.raises(ConfigError) as err:
        flow.find_design("nope", designs)
    (issue,) = err.value.issues
    assert issue.value == "nope" and "known: other, toy" in issue.allowed
    assert flow.find_design("toy", designs) == ("toy", designs / "toy")
    assert flow.find_design(str(designs / "other"), designs)[0] == "other"


def test_real_designs_are_found():
    assert {"riscv32", "tiny"} <= set(flow.known_designs())


def test_all_problems_reported_at_once(tmp_path, designs):
    bad_tech = tmp_path / "bad.toml"
    bad_tech.write_text('arch = "ffet"\nlayers_back = 40\nbogus = 1\n')
    with pytest.raises(ConfigError) as err:
        flow.setup_flow("nope", bad_tech, ["utilisation=0.5"], "a/b", tmp_path,
                        designs_root=designs, steps=[])
    keys = [i.key for i in err.value.issues]
    assert keys[0] == "design" and "variant" in keys
    assert {"layers_back", "bogus", "utilisation"} <= set(keys)
    text = str(err.value)
    assert len(text.splitlines()) == len(keys)
    assert "did you mean 'utilization'" in text


@pytest.mark.parametrize("sdc, ok", [
    (SDC, True),
    ("create_clock -name clk \\\n   -period 1 [get_ports clk]\n", True),
    ("# create_clock -period 1 [get_ports clk]\nset_input_delay 0.1 [all_inputs]\n", False),
    ("set_load 1 [all_outputs]\n", False),
    ("create_clock -period 1 [get_ports a]\ncreate_clock -period 2 [get_ports b]\n", False),
])
def test_sdc_without_a_clock_is_refused(tmp_path, sdc, ok):
    designs = tmp_path / "designs"
    make_design(designs, sdc=sdc)
    if ok:
        assert setup(designs, tmp_path).design == "toy"
        return
    with pytest.raises(ConfigError) as err:
        setup(designs, tmp_path)
    (issue,) = err.value.issues
    assert issue.key.startswith("create_clock") and issue.source.endswith("constraints.sdc")


def test_missing_rtl_and_empty_top(tmp_path):
    designs = tmp_path / "designs"
    d = make_design(designs, top="")
    (d / "rtl" / "toy.v").unlink()
    with pytest.raises(ConfigError) as err:
        setup(designs, tmp_path)
    assert [i.key for i in err.value.issues] == ["top", "verilog"]


def test_missing_tool_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    issues = flow.tool_issues(["pdk", "sta"])
    assert len(issues) == 1 and issues[0].value == "sta" and "step sta" in issues[0].key


def test_select_steps():
    names = flow.STEP_NAMES
    assert flow.select_steps(names) == (list(names), [])
    assert flow.select_steps(names, to="place")[0][-1] == "place"
    run, forced = flow.select_steps(names, to="extract", start="route")
    assert run[-1] == "extract" and forced == ["route", "drc", "extract"]
    with pytest.raises(ConfigError) as err:
        flow.select_steps(names, to="nope", start="also")
    assert len(err.value.issues) == 2
    with pytest.raises(ConfigError):
        flow.select_steps(names, to="synth", start="route")


def _finished(run_dir):
    return {d.name: json.loads((d / "done.json").read_text())["finished"]
            for d in sorted(run_dir.glob("[0-9]*-*")) if (d / "done.json").exists()}


def test_run_flow_outputs_metrics_and_reruns(tmp_path, designs):
    s = setup(designs, tmp_path, "layers_back=6")
    assert s.variant == "ffet__layers_back-6"
    assert s.run_dir == tmp_path / "build" / "toy" / "ffet__layers_back-6"
    res = flow.run_flow(s, steps=fake_steps())
    assert [r.skipped for r in res.steps] == [False, False, False]
    for d, f in (("01-pdk", "tech.txt"), ("02-place", "placed.txt"), ("03-route", "routed.txt")):
        assert (s.run_dir / d / f).is_file()
        assert (s.run_dir / d / "step.log").exists() and (s.run_dir / d / "metrics.json").exists()
    metrics = json.loads((s.run_dir / "metrics.json").read_text())
    assert metrics["pdk__layers__back"] == 6 and metrics["finish__timing__fmax"] == 2e9
    units = metrics["units"]
    assert units["design__core__area"] == "um^2" and units["finish__timing__fmax"] == "Hz"
    assert units["finish__power__total"] == "W" and units["route__runtime__seconds"] == "s"
    assert "units" not in {k for k, v in metrics.items() if k != "units" and isinstance(v, dict)}
    run_info = json.loads((s.run_dir / "run.json").read_text())
    assert run_info["variant"] == s.variant and run_info["config"]["layers_back"] == 6

    before = _finished(s.run_dir)
    res = flow.run_flow(s, steps=fake_steps())
    assert all(r.skipped for r in res.steps) and _finished(s.run_dir) == before
    res = flow.run_flow(s, steps=fake_steps(), start="place", to="place")
    assert [r.skipped for r in res.steps] == [True, False]
    after = _finished(s.run_dir)
    assert after["01-pdk"] == before["01-pdk"] and after["02-place"] > before["02-place"]
    merged = json.loads((s.run_dir / "metrics.json").read_text())
    assert "finish__timing__fmax" not in merged  # only the steps of this (partial) run


def test_pdk_outputs_are_shared_across_variants(tmp_path, designs):
    FakePdk.runs = 0
    a = setup(designs, tmp_path, variant="a")
    b = setup(designs, tmp_path, "input_pin_density=0.25", variant="b")
    c = setup(designs, tmp_path, "layers_back=5", variant="c")
    for s in (a, b, c):
        flow.run_flow(s, steps=fake_steps())
    # b differs in a key the pdk step does not read: same stamp, the cached copy is reused
    assert FakePdk.runs == 2
    assert (b.run_dir / "01-pdk" / "tech.txt").read_text() == "layers 12\n"
    assert "reused" in (b.run_dir / "01-pdk" / "step.log").read_text()
    assert (c.run_dir / "01-pdk" / "tech.txt").read_text() == "layers 5\n"
    entries = list((tmp_path / "build" / "cache" / "steps" / "pdk").iterdir())
    assert len(entries) == 2 and all((e / "done.json").exists() for e in entries)


def test_failed_run_leaves_no_merged_metrics(tmp_path, designs):
    s = setup(designs, tmp_path)
    flow.run_flow(s, steps=fake_steps())

    class Broken(FakeRoute):
        def run(self, ctx):
            raise RuntimeError("engine bug")

    with pytest.raises(Exception, match="route"):
        flow.run_flow(s, steps=[FakePdk(), FakePlace(), Broken()], start="route")
    assert not (s.run_dir / "metrics.json").exists()
    assert not (s.run_dir / "03-route" / "done.json").exists()
    assert "engine bug" in (s.run_dir / "03-route" / "step.log").read_text()


def test_makefile_stage_targets_hand_over_to_the_flow():
    text = (ROOT / "Makefile").read_text()
    stages = re.search(r"^STAGES := (.*)$", text, re.M).group(1).split()
    assert stages == [n for n in flow.STEP_NAMES if n not in ("pdk", "cells")]
    for target in ("flow", "check", "view", "run", "test", "bench"):
        assert re.search(rf"^{target}:", text, re.M), target
    # make keeps no stamps of its own (a file time cannot see a step's code version): every
    # stage, check and view start the flow, whose stamps decide what is stale
    assert not re.search(r"^[^#\t]*done\.json[^=]*:", text, re.M)
    assert re.search(r"^\$\(STAGES\): \$\(STAMP\)\n\t\$\(FFET\) flow \$\(FLOW_ARGS\) --to \$@$",
                     text, re.M)
    assert re.search(r"^check: \$\(STAMP\)\n\t\$\(FFET\) flow \$\(FLOW_ARGS\) --to sta\n"
                     r"\t\$\(FFET\) check ", text, re.M)
    assert re.search(r"^view: \$\(STAMP\)\n\t\$\(FFET\) flow \$\(FLOW_ARGS\) --to route\n",
                     text, re.M)
    assert re.search(r"^run:.*\n\t\$\(FFET\) main-job", text, re.M)


def test_cli_unknown_design_is_one_line(run_cli):
    status, out, err = run_cli("flow", "--design", "no_such_design", "--tech",
                               ROOT / "pdk/ffet.toml", "--print-run-dir")
    assert status == 2 and out == ""
    (line,) = err.strip().splitlines()
    assert "no_such_design" in line and "riscv32" in line and "Traceback" not in err


def test_cli_print_run_dir(run_cli, tmp_path):
    status, out, _ = run_cli("flow", "--design", "tiny", "--tech", ROOT / "pdk/cfet.toml",
                             "--set", "utilization=0.5", "--build-dir", tmp_path,
                             "--print-run-dir")
    assert status == 0 and out.strip() == str(tmp_path / "tiny" / "cfet__utilization-0.5")


LEF = """VERSION 5.8 ;
UNITS DATABASE MICRONS 2000 ; END UNITS
SITE s CLASS CORE ; SIZE 0.051 BY 0.098 ; END s
MACRO INV_X1 CLASS CORE ; ORIGIN 0 0 ; SIZE 0.102 BY 0.098 ; SITE s ; END INV_X1
MACRO FILL_X1 CLASS CORE SPACER ; ORIGIN 0 0 ; SIZE 0.051 BY 0.098 ; SITE s ; END FILL_X1
END LIBRARY
"""

DEF = """VERSION 5.8 ;
DESIGN toy ;
UNITS DISTANCE MICRONS 2000 ;
DIEAREA ( 0 0 ) ( 2400 600 ) ;
ROW r0 s 100 100 N DO 20 BY 1 STEP 102 0 ;
ROW r1 s 100 296 FS DO 20 BY 1 STEP 102 0 ;
COMPONENTS 4 ;
- u1 INV_X1 + PLACED ( 100 100 ) N ;
- u2 INV_X1 + PLACED ( 304 100 ) N ;
- u3 INV_X1 + PLACED ( 100 296 ) FS ;
- f1 FILL_X1 + PLACED ( 508 100 ) N ;
END COMPONENTS
END DESIGN
"""


def test_design_metrics_from_placed_def(tmp_path):
    from ffet_flow.flow_metrics import design_metrics

    (tmp_path / "c.lef").write_text(LEF)
    (tmp_path / "p.def").write_text(DEF)
    m = design_metrics(tmp_path / "p.def", [tmp_path / "c.lef"])
    um2 = 1 / 2000**2
    assert m["design__die__area"] == pytest.approx(2400 * 600 * um2)
    # rows: x 100 .. 100 + 20 x 102, y 100 .. 296 + 196 (site height 0.098 um = 196 dbu)
    assert m["design__core__area"] == pytest.approx(2040 * 392 * um2)
    assert m["design__instance__count"] == 3  # the filler is not an instance
    assert m["design__instance__area"] == pytest.approx(3 * 204 * 196 * um2)
    assert m["design__instance__utilization"] == pytest.approx(3 * 204 * 196 / (2040 * 392))
