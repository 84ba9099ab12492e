"""`ffet check`: QoR rules as data, every violation listed, exit status 1 / 2."""

from __future__ import annotations

import json

import pytest

from ffet_flow.commands.check import load_rules, violations
from ffet_flow.errors import ConfigError
from tests.conftest import ROOT

RULES = {"_note": "comments are ignored",
         "route__drc__opens": {"value": 0, "compare": "=="},
         "finish__timing__fmax": {"value": 1e9, "compare": ">"},
         "finish__power__total": {"value": 0.01, "compare": "<="},
         "globalroute__overflow__front": {"value": 0, "compare": "=="}}


def write(tmp_path, name, obj):
    path = tmp_path / name
    path.write_text(json.dumps(obj))
    return path


def test_violations_lists_every_broken_rule(tmp_path):
    rules = load_rules(write(tmp_path, "rules.json", RULES))
    assert list(rules) == ["route__drc__opens", "finish__timing__fmax", "finish__power__total",
                           "globalroute__overflow__front"]
    good = {"route__drc__opens": 0, "finish__timing__fmax": 2e9, "finish__power__total": 0.01,
            "globalroute__overflow__front": 0}
    assert violations(good, rules) == []
    bad = {"route__drc__opens": 3, "finish__timing__fmax": 1e9,
           "finish__power__total": float("nan")}
    out = violations(bad, rules)
    assert len(out) == 4
    assert out[0] == "route__drc__opens = 3: violates == 0"
    assert "violates > 1e+09" in out[1]
    assert "not a finite number" in out[2] and "missing" in out[3]


def test_bad_rules_are_all_reported(tmp_path):
    path = write(tmp_path, "rules.json", {"a": {"value": 1, "compare": "~"},
                                          "b": {"value": "x", "compare": "<"},
                                          "c": 5, "d": {"value": 1, "compare": "<", "x": 1}})
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert [i.key for i in err.value.issues] == ["a.compare", "b.value", "c", "d"]
    with pytest.raises(ConfigError, match="file not found"):
        load_rules(tmp_path / "none.json")


def test_cli_exit_status(run_cli, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    rules = write(tmp_path, "rules.json", RULES)
    (run / "metrics.json").write_text(json.dumps({"route__drc__opens": 0,
                                                  "finish__timing__fmax": 5e8}))
    status, out, err = run_cli("check", "--run", run, "--rules", rules)
    assert status == 1 and "3 of 4 rules violated" in err
    assert sum(line.startswith("ffet check: ") for line in err.splitlines()) == 4
    (run / "metrics.json").write_text(json.dumps({"route__drc__opens": 0,
                                                  "finish__timing__fmax": 2e9,
                                                  "finish__power__total": 1e-3,
                                                  "globalroute__overflow__front": 0,
                                                  "units": {}}))
    status, out, err = run_cli("check", "--run", run, "--rules", rules)
    assert status == 0 and "all 4 rules hold" in out
    status, _, err = run_cli("check", "--run", tmp_path / "nowhere", "--rules", rules)
    assert status == 2 and "run `ffet flow` first" in err


def test_riscv32_rules_are_valid():
    rules = load_rules(ROOT / "designs/riscv32/rules.json")
    assert "finish__timing__fmax" in rules and "globalroute__overflow" in rules


def test_riscv32_rules_gate_opens_estimated_nets_hold_and_design_rules():
    rules = load_rules(ROOT / "designs/riscv32/rules.json")
    good = {"finish__timing__fmax": 1.0e9, "finish__power__total": 0.01,
            "design__core__area": 900.0, "design__instance__utilization": 0.7,
            "globalroute__overflow": 0, "finish__drc__count": 0, "finish__lvs__opens": 0,
            "finish__lvs__shorts": 0, "finish__lvs__unconnected": 0, "route__opens": 0,
            "extract__estimated__count": 0, "finish__timing__hold__ws": 0.0,
            "finish__timing__drv__max_slew": 0, "finish__timing__drv__max_cap": 0}
    assert violations(good, rules) == []
    # a run with an unrouted net (which extraction then estimates) and a hold violation
    broken = dict(good, route__opens=1, extract__estimated__count=1,
                  finish__timing__hold__ws=-0.025, finish__timing__drv__max_slew=4)
    out = violations(broken, rules)
    assert [v.split(" ")[0] for v in out] == [
        "route__opens", "extract__estimated__count", "finish__timing__hold__ws",
        "finish__timing__drv__max_slew"]
