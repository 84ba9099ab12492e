"""The main job's comparison report: table, ratios beside the study's, deterministic chart."""

from __future__ import annotations

import pytest

from ffet_flow.report import (
    CFET,
    FFET_DUAL,
    FFET_EQUAL_AREA,
    FFET_SINGLE,
    change_percent,
    chart_ratios,
    comparison_rows,
    detail_table,
    layout_status,
    variant_table,
    write_chart,
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


def test_detail_table_lists_routing_clock_tree_and_slack_per_variant():
    data = {CFET: {"route__wirelength": 49500.35, "route__vias": 297203, "finish__drc__count": 3,
                   "finish__lvs__opens": 0, "finish__lvs__shorts": 1,
                   "globalroute__overflow": 0, "cts__buffers": 137,
                   "finish__timing__setup__ws": -0.379, "finish__timing__hold__ws": 0.0101},
            FFET_DUAL: {"route__wirelength": 45864.4, "finish__timing__hold__ws": float("nan")}}
    lines = detail_table(data, [CFET, FFET_DUAL])
    assert lines[0].startswith("| variant | wirelength (um) | vias | DRC violations (KLayout) | "
                               "LVS opens | LVS shorts |")
    assert lines[2] == "| CFET | 49500 | 297203 | 3 | 0 | 1 | 0 | 137 | -0.379 | 0.010 |"
    assert lines[3] == ("| FFET, dual-sided signals | 45864 | n/a | n/a | n/a | n/a | n/a | n/a | "
                        "n/a | n/a |")


def test_every_ppa_row_says_whether_its_layout_passed_the_checker():
    clean = {"finish__drc__count": 0, "finish__lvs__opens": 0, "finish__lvs__shorts": 0,
             "finish__lvs__unconnected": 0}
    data = runs()
    data[CFET].update(clean, finish__drc__count=4027, finish__lvs__shorts=310)
    data[FFET_DUAL].update(clean)
    assert layout_status(data[CFET]) == ("NOT clean (DRC 4027, LVS opens 0, shorts 310, "
                                         "unconnected 0)")
    assert layout_status(data[FFET_DUAL]) == "clean"
    assert layout_status(data[FFET_SINGLE]) == "not checked"
    lines = variant_table(data, [CFET, FFET_SINGLE, FFET_DUAL])
    assert lines[0].startswith("| variant | layout (DRC/LVS) | core area")
    assert lines[2].startswith("| CFET | NOT clean (DRC 4027,")
    assert lines[3].startswith("| FFET, single-sided signals | not checked | 80.00 |")
    assert lines[4].startswith("| FFET, dual-sided signals | clean | 80.00 |")


def test_the_chart_marks_a_missing_figure_as_missing_not_as_zero(tmp_path, monkeypatch):
    import matplotlib.axes

    data = runs()
    assert chart_ratios(data[FFET_DUAL], data[CFET], ["finish__power__total",
                                                     "finish__timing__fmax"]) == [None, 1.26]
    drawn = []
    real = matplotlib.axes.Axes.bar_label

    def spy(self, container, *args, **kwargs):
        texts = real(self, container, *args, **kwargs)
        drawn.append([t.get_text() for t in texts])
        return texts

    monkeypatch.setattr(matplotlib.axes.Axes, "bar_label", spy)
    write_chart(data, [CFET, FFET_SINGLE, FFET_DUAL], tmp_path / "c.png")
    # CFET, single, dual: area, fmax, power each; the dual run's power is NaN
    assert drawn[0] == ["1.000", "1.000", "1.000"]
    assert drawn[2] == ["0.800", "1.260", "n/a"]
