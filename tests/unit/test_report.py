"""The main job's comparison report: table, ratios beside the study's, deterministic chart."""

from __future__ import annotations

import pytest

from ffet_flow.report import (
    CFET,
    FFET_DUAL,
    FFET_EQUAL_AREA,
    FFET_SINGLE,
    change_percent,
    comparison_rows,
    write_compare,
)


def runs():
    return {
        CFET: {"design__core__area": 100.0, "finish__timing__fmax": 2.0e9,
               "finish__power__total": 1.0e-3, "design__instance__area": 70.0,
               "design__instance__utilization": 0.7},
        FFET_SINGLE: {"design__core__area": 80.0, "finish__timing__fmax": 2.4e9,
                      "finish__power__total": 0.9e-3, "design__instance__area": 56.0},
        FFET_DUAL: {"design__core__area": 80.0, "finish__timing__fmax": 2.52e9,
                    "finish__power__total": float("nan")},
    }


def test_change_percent():
    assert change_percent(80.0, 100.0) == pytest.approx(-20.0)
    assert change_percent(None, 1.0) is None and change_percent(1.0, 0.0) is None


def test_comparison_rows_beside_the_study():
    rows = {r["label"]: r for r in comparison_rows(runs())}
    area = rows["core area, FFET single-sided vs CFET, equal utilization"]
    assert area["ours"] == pytest.approx(-20.0) and area["study"] == -23.3
    fmax = rows["frequency, FFET single-sided vs CFET, equal utilization"]
    assert fmax["ours"] == pytest.approx(20.0) and fmax["study"] == 25.0
    dual = rows["frequency, FFET dual-sided vs single-sided signals"]
    assert dual["ours"] == pytest.approx(5.0) and dual["study"] == 10.6
    # no equal-area run: reported as missing, never invented
    assert rows["frequency, FFET single-sided vs CFET, equal core area"]["ours"] is None


def test_write_compare_is_deterministic(tmp_path):
    data = runs()
    data[FFET_EQUAL_AREA] = dict(data[FFET_SINGLE], **{"finish__timing__fmax": 2.3e9})
    a = write_compare(data, tmp_path / "a", design="riscv32", notes=["a note"])
    b = write_compare(data, tmp_path / "b", design="riscv32", notes=["a note"])
    md = a["markdown"].read_text()
    assert a["png"].read_bytes() == b["png"].read_bytes()
    assert md == b["markdown"].read_text()
    assert a["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = md.splitlines()
    cfet_row = next(ln for ln in lines if ln.startswith("| CFET |"))
    assert "| 100.00 |" in cfet_row and "| 2000.0 |" in cfet_row and "| 1.0000 |" in cfet_row
    single = next(ln for ln in lines if ln.startswith("| FFET, single-sided signals |"))
    assert "-20.0 %" in single and "+20.0 %" in single and "-10.0 %" in single
    dual = next(ln for ln in lines if ln.startswith("| FFET, dual-sided signals |"))
    assert "n/a" in dual  # the NaN power is shown as missing
    assert "| frequency, FFET single-sided vs CFET, equal core area | +15.0 % | +16.0 % |" in md
    assert "![relative area, fmax and power](compare.png)" in md and "- a note" in md
