"""The main job's comparison report on power: which figure the ratios use, and both figures."""

from __future__ import annotations

from ffet_flow.report import (
    CFET,
    FFET_DUAL,
    FFET_SINGLE,
    comparison_rows,
    power_table,
    write_compare,
)


def runs():
    return {
        CFET: {"finish__timing__fmax": 2.0e9, "finish__power__total": 1.0e-3,
               "finish__power__switching_share": 0.125,
               "finish__power__at_fmax__total": 2.0e-3,
               "finish__power__at_fmax__switching_share": 0.13},
        FFET_SINGLE: {"finish__timing__fmax": 2.5e9, "finish__power__total": 0.9e-3,
                      "finish__power__switching_share": 0.1,
                      "finish__power__at_fmax__total": 2.25e-3,
                      "finish__power__at_fmax__switching_share": 0.11},
        FFET_DUAL: {"finish__power__total": 0.8e-3},  # no fmax figures
    }


def test_power_table_shows_target_and_fmax_power_against_cfet():
    lines = power_table(runs(), [CFET, FFET_SINGLE, FFET_DUAL])
    assert lines[0] == ("| variant | at target (mW) | vs CFET | switching share | fmax (MHz) | "
                        "at fmax (mW) | vs CFET | switching share |")
    assert lines[2] == "| CFET | 1.0000 | +0.0 % | 12.5 % | 2000.0 | 2.0000 | +0.0 % | 13.0 % |"
    # 10 % less power at the same clock, 12.5 % more at its own (25 % higher) fmax
    assert lines[3] == ("| FFET, single-sided signals | 0.9000 | -10.0 % | 10.0 % | 2500.0 | "
                        "2.2500 | +12.5 % | 11.0 % |")
    assert lines[4] == ("| FFET, dual-sided signals | 0.8000 | -20.0 % | n/a | n/a | n/a | n/a | "
                        "n/a |")


def test_the_report_says_the_ratio_uses_the_target_clock_and_shows_both(tmp_path):
    data = runs()
    row = next(r for r in comparison_rows(data) if r["metric"].startswith("finish__power"))
    assert row["metric"] == "finish__power__total" and "target clock" in row["label"]
    md = write_compare(data, tmp_path, design="tiny")["markdown"].read_text()
    assert "## Power" in md
    assert "The power ratios (table above, study comparison, chart) use the power at the " \
           "target clock" in md
    assert "| FFET, single-sided signals | 0.9000 | -10.0 % |" in md
    assert "| power at the target clock, FFET single-sided vs CFET, equal utilization | " \
           "-10.0 % | -11.9 % |" in md
