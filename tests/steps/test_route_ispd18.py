"""Our detailed router on OpenROAD's detailed-routing reference case (ISPD 2018 sample, its own
LEF with spacing tables, end-of-line and area rules, pins on metal1 narrower than a via pad):
clean by the independent layout checker, and within 10 % of OpenROAD's wirelength."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED

BENCH = SHARED / "benchmarks" / "openroad-drt"
pytestmark = [
    pytest.mark.tool,
    pytest.mark.skipif(not (BENCH / "ispd18_sample.input.def").is_file(),
                       reason=f"shared benchmark data missing: {BENCH}"),
]


def test_ispd18_sample_routes_clean_and_close_to_openroad(tmp_path):
    from ffet_flow.bench import BenchContext
    from ffet_flow.bench.route import ispd18_sample

    fig = ispd18_sample(BenchContext(work_dir=tmp_path))
    assert fig["route.ispd18_sample.drc"] == 0
    assert (fig["route.ispd18_sample.lvs_opens"], fig["route.ispd18_sample.lvs_shorts"]) == (0, 0)
    assert fig["route.ispd18_sample.openroad_wirelength_um"] == pytest.approx(77.9)
    assert fig["route.ispd18_sample.wl_over_openroad"] <= 1.10
    # its area rule (0.02 um^2 on 0.07 um lines) needs patches at lone via pads
    assert fig["route.ispd18_sample.patches"] > 0
