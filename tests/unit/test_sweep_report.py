from __future__ import annotations

import json

import pandas as pd
import pytest

from ffet_flow.sweep.report import (
    best_point,
    classify,
    comparisons,
    pareto_front,
    sweep_rules,
    write_report,
)
from ffet_flow.sweep.table import read_results, write_tables


def _record(arch, sides, layers, density, util, fmax, power, area, status="ok", drc=0,
            back=None, overflow=0, opens=0, tag=""):
    back = layers if back is None else back
    keys = {"arch": arch, "signal_sides": sides, "layers_front": layers, "layers_back": back,
            "input_pin_density": density, "utilization": util, "tech": f"pdk/{arch}.toml",
            "cell_height_tracks": 4.0 if arch == "cfet" else 3.5}
    metrics = {} if status != "ok" else {
        "finish__timing__fmax": fmax, "finish__power__total": power, "design__core__area": area,
        "route__wirelength__front": 100.0 * layers, "route__wirelength__back": 50.0,
        "globalroute__overflow__front": overflow, "globalroute__overflow__back": 0,
        "route__opens": opens,
        "finish__drc__count": drc, "finish__lvs__opens": 0, "finish__lvs__shorts": 0,
        "finish__lvs__unconnected": 0}
    return {"variant": f"{arch}-{sides}-{layers}-{back}-{density}-{util}{tag}", "keys": keys,
            "status": status, "error": "" if status == "ok" else "route: no layers",
            "metrics": metrics, "seconds": 1.0}


def _records():
    recs = []
    for layers in (12, 6, 3):
        recs.append(_record("cfet", "front", layers, 0.0, 0.7, 1.0e9, 1.0e-3, 100.0))
        recs.append(_record("ffet", "front", layers, 0.5, 0.7, 1.2e9, 0.9e-3, 80.0))
        for d in (0.0, 0.5, 1.0):
            recs.append(_record("ffet", "both", layers, d, 0.7, 1.25e9 + d * 1e8, 0.9e-3, 80.0))
    # FFET single-sided at lower utilization: core area spans CFET's
    recs.append(_record("ffet", "front", 12, 0.5, 0.5, 1.1e9, 0.95e-3, 112.0))
    recs.append(_record("ffet", "both", 1, 0.5, 0.7, 0, 0, 0, status="failed"))
    return recs


def _frame(recs, tmp_path, rules=None):
    write_tables(recs, tmp_path)
    return classify(read_results(tmp_path), rules)


def _ours(frame, prefix):
    return next(c for c in comparisons(frame) if c.what.startswith(prefix))


def test_comparisons_compute_like_for_like_ratios(tmp_path):
    frame = _frame(_records(), tmp_path)
    assert round(_ours(frame, "core area").ours, 6) == -20.0
    assert round(_ours(frame, "frequency, equal util").ours, 6) == 20.0
    # interpolation between (80, 1.2 GHz) and (112, 1.1 GHz) at CFET's 100: 1.1375 GHz
    assert abs(_ours(frame, "frequency, equal core").ours - 13.75) < 1e-6
    dual = _ours(frame, "frequency, dual")
    assert abs(dual.ours - 100 * (1.35 / 1.2 - 1)) < 1e-6
    assert "input_pin_density=1" in dual.basis and "utilization=0.7" in dual.basis


def test_dual_sided_gain_never_mixes_settings_or_takes_a_failing_point(tmp_path):
    recs = _records()
    # each of these is faster than every fair dual-sided point and must not be the one compared
    recs += [
        # a lower utilization, where no single-sided point is
        _record("ffet", "both", 12, 1.0, 0.55, 3.0e9, 0.9e-3, 90.0),
        # fewer back-side layers than the single-sided points have
        _record("ffet", "both", 12, 0.5, 0.7, 3.1e9, 0.9e-3, 80.0, back=4),
        # the same settings, but the layout has DRC violations / overflow / a router open
        _record("ffet", "both", 12, 0.75, 0.7, 3.2e9, 0.9e-3, 80.0, drc=7),
        _record("ffet", "both", 12, 0.25, 0.7, 3.3e9, 0.9e-3, 80.0, overflow=3),
        _record("ffet", "both", 12, 0.1, 0.7, 3.4e9, 0.9e-3, 80.0, opens=1),
    ]
    frame = _frame(recs, tmp_path)
    dual = _ours(frame, "frequency, dual")
    assert abs(dual.ours - 100 * (1.35 / 1.2 - 1)) < 1e-6
    assert "layers_back=12" in dual.basis and "utilization=0.7" in dual.basis
    # the best point overall: the fastest that passes every gate, named with its settings
    best = best_point(frame)
    assert best["finish__timing__fmax"] == 3.1e9 and best["key.layers_back"] == 4
    failing = frame[(frame["status"] == "ok") & ~frame["passes"]].set_index("variant")
    assert sorted(failing.index) == ["ffet-both-12-12-0.1-0.7", "ffet-both-12-12-0.25-0.7",
                                     "ffet-both-12-12-0.75-0.7"]
    assert "finish__drc__count = 7: violates == 0" in failing.loc["ffet-both-12-12-0.75-0.7",
                                                                  "gates"]
    text = write_report(tmp_path, tmp_path / "report")["markdown"].read_text()
    assert ("Best FFET dual-sided point (the fastest that passes every QoR gate): "
            "arch=ffet, signal_sides=both, layers_front=12, layers_back=4, "
            "input_pin_density=0.5, utilization=0.7") in text
    assert "**FAIL**: globalroute__overflow = 3: violates == 0" in text
    html = (tmp_path / "report" / "report.html").read_text()
    assert "<strong>FAIL</strong>: globalroute__overflow = 3" in html


def test_a_missing_layout_check_fails_the_gates(tmp_path):
    recs = _records()
    fast = _record("ffet", "both", 12, 0.75, 0.7, 9.0e9, 0.9e-3, 80.0)
    del fast["metrics"]["finish__lvs__shorts"]
    recs.append(fast)
    frame = _frame(recs, tmp_path)
    assert best_point(frame)["finish__timing__fmax"] == 1.35e9
    row = frame.set_index("variant").loc[fast["variant"]]
    assert "finish__lvs__shorts: missing" in row["gates"] and not row["passes"]


def test_the_designs_rules_gate_points(tmp_path):
    recs = _records()
    # the fastest fair dual-sided point draws more than the rules allow
    recs.append(_record("ffet", "both", 12, 0.75, 0.7, 2.0e9, 5.0e-3, 80.0))
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"finish__power__total": {"value": 2e-3, "compare": "<"}}))
    write_tables(recs, tmp_path)
    loaded, source = sweep_rules(tmp_path, rules)
    assert source == str(rules)
    frame = classify(read_results(tmp_path), loaded)
    assert abs(_ours(frame, "frequency, dual").ours - 100 * (1.35 / 1.2 - 1)) < 1e-6
    assert best_point(frame)["finish__timing__fmax"] == 1.35e9
    # without rules the same point is fair game
    assert best_point(classify(read_results(tmp_path)))["finish__timing__fmax"] == 2.0e9
    text = write_report(tmp_path, tmp_path / "report", rules_path=rules)["markdown"].read_text()
    assert f"QoR rules (`{rules}`" in text
    assert "**FAIL**: finish__power__total = 0.005: violates < 0.002" in text


def test_report_command_names_a_missing_rules_file(tmp_path, run_cli):
    write_tables(_records(), tmp_path)
    status, _out, err = run_cli("report", tmp_path, "--no-layouts", "--rules",
                                tmp_path / "nope.json")
    assert status == 2 and "nope.json" in err and "file not found" in err


def test_rules_come_from_the_swept_design(tmp_path):
    (tmp_path / "spec.json").write_text(json.dumps({"design": "riscv32"}))
    rules, source = sweep_rules(tmp_path)
    assert source == "designs/riscv32/rules.json" and "finish__drc__count" in rules
    (tmp_path / "spec.json").write_text(json.dumps({"design": "no_such_design"}))
    assert sweep_rules(tmp_path) == ({}, "")


def test_equal_area_is_interpolated_per_layer_count(tmp_path):
    recs = [
        _record("cfet", "front", 12, 0.0, 0.7, 1.0e9, 1.0e-3, 100.0),
        _record("cfet", "front", 6, 0.0, 0.7, 0.8e9, 1.0e-3, 100.0),
        _record("ffet", "front", 12, 0.5, 0.7, 1.2e9, 0.9e-3, 80.0),
        _record("ffet", "front", 12, 0.5, 0.5, 1.1e9, 0.95e-3, 112.0),
        _record("ffet", "front", 6, 0.5, 0.7, 0.9e9, 0.9e-3, 90.0),
        _record("ffet", "front", 6, 0.5, 0.55, 0.85e9, 0.95e-3, 105.0),
    ]
    frame = _frame(recs, tmp_path)
    from ffet_flow.sweep.compare import equal_area

    gains = {int(e.cfet["key.layers_front"]): e.gain for e in equal_area(frame)}
    # 12 layers: between (80, 1.2) and (112, 1.1) at 100 -> 1.1375 GHz against 1.0
    # 6 layers: between (90, 0.9) and (105, 0.85) at 100 -> 0.8667 GHz against 0.8
    assert abs(gains[12] - 13.75) < 1e-6
    assert abs(gains[6] - 100 * ((0.9 - 0.05 * 10 / 15) / 0.8 - 1)) < 1e-6
    assert abs(_ours(frame, "frequency, equal core").ours - 13.75) < 1e-6


def test_a_two_key_sweep_plots_one_series_per_value_of_the_other_key(tmp_path, monkeypatch):
    import ffet_flow.sweep.plots as plots

    drawn = {}
    save = plots._save
    monkeypatch.setattr(plots, "_save", lambda fig, out, stem: (drawn.__setitem__(stem, fig),
                                                                save(fig, out, stem)))
    recs = [_record("ffet", "both", 12, d, 0.7, (1.2 + d / 10 - (6 - b) / 100) * 1e9,
                    (0.8 + d / 10) * 1e-3, 80.0, back=b)
            for d in (0.0, 0.5, 1.0) for b in (4, 6)]
    recs[0]["metrics"]["finish__drc__count"] = 2  # density 0, back 4: shown as a cross
    write_tables(recs, tmp_path)
    figures = []
    write_report(tmp_path, tmp_path / "report", plots=figures)
    by_stem = {f.stem: f for f in figures}
    assert sorted(by_stem) == ["pareto", "vs_density", "vs_layers_back"]  # front not swept
    density = by_stem["vs_density"]
    assert [s.label for s in density.series] == ["layers_back=4", "layers_back=6"]
    assert all(len(s.index) == 3 for s in density.series)
    back = by_stem["vs_layers_back"]
    assert [s.label for s in back.series] == ["input_pin_density=0", "input_pin_density=0.5",
                                              "input_pin_density=1"]
    fig = drawn["vs_density"]
    fmax_ax, power_ax = fig.axes[0], fig.axes[1]
    joined = [ln for ln in fmax_ax.get_lines() if ln.get_linestyle() != "None"]
    assert [ln.get_label() for ln in joined] == ["layers_back=4", "layers_back=6"]
    # the failing point is not on its line but drawn as a cross
    assert len(joined[0].get_xdata()) == 2 and len(joined[1].get_xdata()) == 3
    crosses = [ln for ln in fmax_ax.get_lines() if ln.get_marker() == "x" and len(ln.get_xdata())]
    assert len(crosses) == 1
    # the tables' units: GHz and mW
    assert fmax_ax.get_ylabel() == "fmax (GHz)" and power_ax.get_ylabel() == "total power (mW)"
    assert max(max(ln.get_ydata()) for ln in joined) == pytest.approx(1.3)
    power = [ln for ln in power_ax.get_lines() if ln.get_linestyle() != "None"]
    assert max(max(ln.get_ydata()) for ln in power) == pytest.approx(0.9)


def test_symmetric_layer_sweeps_are_one_series(tmp_path):
    from ffet_flow.sweep.plots import series_for

    recs = [_record("ffet", "both", n, 0.5, 0.7, 1e9 + n, 1e-3, 80.0) for n in (12, 8, 5)]
    recs += [_record("ffet", "both", 12, 0.5, 0.7, 1e9 - b, 1e-3, 80.0, back=b) for b in (6, 4)]
    recs += [_record("ffet", "front", n, 0.5, 0.7, 1e9, 1e-3, 80.0, back=12) for n in (12, 8)]
    frame = _frame(recs, tmp_path)
    labels = [s.label for s in series_for(frame, "layers_front")]
    assert labels == ["FFET single-sided", "FFET dual-sided, layers_back=4",
                      "FFET dual-sided, layers_back=6", "FFET dual-sided, layers_back=layers_front"]


def test_report_builds_with_failed_variants(tmp_path):
    write_tables(_records(), tmp_path)
    paths = write_report(tmp_path, tmp_path / "report")
    text = paths["markdown"].read_text()
    assert "Failed variants" in text and "route: no layers" in text
    for stem in ("vs_density", "vs_layers_front", "pareto"):
        assert (tmp_path / "report" / f"{stem}.png").stat().st_size > 1000
        assert (tmp_path / "report" / f"{stem}.svg").exists()
        assert f"{stem}.png" in text
    assert "<table>" in paths["html"].read_text()


def test_report_is_deterministic(tmp_path):
    write_tables(_records(), tmp_path)
    write_report(tmp_path, tmp_path / "a")
    write_report(tmp_path, tmp_path / "b")
    for name in ("report.md", "vs_layers_front.svg", "pareto.png", "vs_density.png"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_pareto_front():
    assert pareto_front([1, 2, 3, 2.5], [1, 3, 2, 4]) == [0, 1, 3]


def test_report_command_embeds_cell_views(tmp_path, run_cli):
    write_tables(_records(), tmp_path)
    status, out, err = run_cli("report", tmp_path, "-o", tmp_path / "rep")
    assert status == 0, err
    text = (tmp_path / "rep" / "report.md").read_text()
    assert "## Layouts" in text and "cells.png" in text
    assert "left to right: CFET INV_X1, CFET NAND2_X1, FFET INV_X1, FFET NAND2_X1" in text
    import matplotlib.image

    img = matplotlib.image.imread(tmp_path / "rep" / "cells.png")
    assert img.shape[1] <= 1050  # shown at its own size on the page, labels readable


def test_a_missing_side_total_stays_missing_unless_the_side_carries_no_signal(tmp_path):
    recs = [_record("cfet", "front", 12, 0.0, 0.7, 1.0e9, 1.0e-3, 100.0),
            _record("ffet", "both", 12, 0.0, 0.7, 1.2e9, 0.9e-3, 80.0)]
    for r in recs:  # neither reports its back-side overflow
        del r["metrics"]["globalroute__overflow__back"]
        r["metrics"]["globalroute__overflow__front"] = 3
    f = _frame(recs, tmp_path).set_index("family")
    assert f.loc["CFET", "globalroute__overflow"] == 3  # CFET has no back-side signals
    # the dual-sided point routes its back side: its total is unknown, not 3 + 0
    assert pd.isna(f.loc["FFET dual-sided", "globalroute__overflow"])
    # and an unknown overflow fails the gates
    assert "globalroute__overflow" in f.loc["FFET dual-sided", "gates"]
