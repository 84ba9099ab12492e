from __future__ import annotations

import pandas as pd

from ffet_flow.sweep.report import comparisons, pareto_front, write_report
from ffet_flow.sweep.table import write_tables


def _record(arch, sides, layers, density, util, fmax, power, area, status="ok", drc=0):
    keys = {"arch": arch, "signal_sides": sides, "layers_front": layers, "layers_back": layers,
            "input_pin_density": density, "utilization": util, "tech": f"pdk/{arch}.toml"}
    metrics = {} if status != "ok" else {
        "finish__timing__fmax": fmax, "finish__power__total": power, "design__core__area": area,
        "route__wirelength__front": 100.0 * layers, "route__wirelength__back": 50.0,
        "globalroute__overflow__front": max(0, 6 - layers), "globalroute__overflow__back": 0,
        "finish__drc__count": drc, "finish__lvs__opens": 0, "finish__lvs__shorts": 0,
        "finish__lvs__unconnected": 0}
    return {"variant": f"{arch}-{sides}-{layers}-{density}-{util}", "keys": keys,
            "status": status, "error": "" if status == "ok" else "route: no layers",
            "metrics": metrics, "seconds": 1.0}


def _records():
    recs = []
    for layers in (12, 6, 3):
        recs.append(_record("cfet", "front", layers, 0.0, 0.7, 1.0e9, 1.0e-3, 100.0))
        recs.append(_record("ffet", "front", layers, 0.0, 0.7, 1.2e9, 0.9e-3, 80.0))
        for d in (0.0, 0.5, 1.0):
            recs.append(_record("ffet", "both", layers, d, 0.7, 1.25e9 + d * 1e8, 0.9e-3, 80.0))
    # FFET single-sided at lower utilization: core area spans CFET's
    recs.append(_record("ffet", "front", 12, 0.0, 0.5, 1.1e9, 0.95e-3, 112.0))
    recs.append(_record("ffet", "both", 1, 0.5, 0.7, 0, 0, 0, status="failed"))
    return recs


def test_comparisons_compute_ratios_against_cfet(tmp_path):
    from ffet_flow.sweep.report import classify
    from ffet_flow.sweep.table import read_results

    write_tables(_records(), tmp_path)
    rows = {what: ours for what, ours, _ in comparisons(classify(read_results(tmp_path)))}
    area = next(v for k, v in rows.items() if k.startswith("core area"))
    fmax = next(v for k, v in rows.items() if k.startswith("frequency, equal util"))
    equal_area = next(v for k, v in rows.items() if k.startswith("frequency, equal core"))
    dual = next(v for k, v in rows.items() if k.startswith("frequency, dual"))
    assert round(area, 6) == -20.0 and round(fmax, 6) == 20.0
    # interpolation between (80, 1.2 GHz) and (112, 1.1 GHz) at CFET's 100: 1.1375 GHz
    assert abs(equal_area - 13.75) < 1e-6
    assert abs(dual - 100 * (1.35 / 1.2 - 1)) < 1e-6


def test_points_whose_layout_is_not_clean_are_unroutable_and_left_out(tmp_path):
    from ffet_flow.sweep.report import classify
    from ffet_flow.sweep.table import read_results

    recs = _records()
    # an unclean CFET point at the same settings, far faster: it must not be the reference
    recs.append(_record("cfet", "front", 12, 0.0, 0.7, 9.0e9, 1.0e-3, 100.0, drc=12))
    recs[-1]["variant"] += "-dirty"
    write_tables(recs, tmp_path)
    frame = classify(read_results(tmp_path))
    assert frame["routable"].sum() == len(frame[frame["status"] == "ok"]) - 1
    rows = {what: ours for what, ours, _ in comparisons(frame)}
    fmax = next(v for k, v in rows.items() if k.startswith("frequency, equal util"))
    assert round(fmax, 6) == 20.0  # against the clean CFET point only
    text = write_report(tmp_path, tmp_path / "report")["markdown"].read_text()
    assert "Unroutable points" in text and "cfet-front-12-0.0-0.7-dirty | 12 |" in text


def test_report_builds_with_failed_variants(tmp_path):
    write_tables(_records(), tmp_path)
    paths = write_report(tmp_path, tmp_path / "report")
    text = paths["markdown"].read_text()
    assert "Failed variants" in text and "route: no layers" in text
    for stem in ("vs_density", "vs_layers", "pareto"):
        assert (tmp_path / "report" / f"{stem}.png").stat().st_size > 1000
        assert (tmp_path / "report" / f"{stem}.svg").exists()
        assert f"{stem}.png" in text
    assert "<table>" in paths["html"].read_text()


def test_report_is_deterministic(tmp_path):
    write_tables(_records(), tmp_path)
    write_report(tmp_path, tmp_path / "a")
    write_report(tmp_path, tmp_path / "b")
    for name in ("report.md", "vs_layers.svg", "pareto.png"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_pareto_front():
    assert pareto_front([1, 2, 3, 2.5], [1, 3, 2, 4]) == [0, 1, 3]


def test_report_command_embeds_cell_views(tmp_path, run_cli):
    write_tables(_records(), tmp_path)
    status, out, err = run_cli("report", tmp_path, "-o", tmp_path / "rep")
    assert status == 0, err
    text = (tmp_path / "rep" / "report.md").read_text()
    assert "## Layouts" in text and "cells.png" in text
    assert (tmp_path / "rep" / "cells.png").stat().st_size > 1000


def test_a_missing_side_total_stays_missing_unless_the_side_carries_no_signal(tmp_path):
    from ffet_flow.sweep.report import classify
    from ffet_flow.sweep.table import read_results

    recs = [_record("cfet", "front", 12, 0.0, 0.7, 1.0e9, 1.0e-3, 100.0),
            _record("ffet", "both", 12, 0.0, 0.7, 1.2e9, 0.9e-3, 80.0)]
    for r in recs:  # neither reports its back-side overflow
        del r["metrics"]["globalroute__overflow__back"]
        r["metrics"]["globalroute__overflow__front"] = 3
    write_tables(recs, tmp_path)
    f = classify(read_results(tmp_path)).set_index("family")
    assert f.loc["CFET", "globalroute__overflow"] == 3  # CFET has no back-side signals
    # the dual-sided point routes its back side: its total is unknown, not 3 + 0
    assert pd.isna(f.loc["FFET dual-sided", "globalroute__overflow"])
