"""The layout checker on OpenROAD's detailed-routed ISPD 2018 sample: a reference router's
output that passes OpenROAD's own DRC must give 0 DRC violations and 0 LVS opens and shorts
(against its DEF NETS); moving one of its wires must be noticed."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED

BENCH = SHARED / "benchmarks" / "openroad-drt"
DEF = BENCH / "ispd18_sample.openroad.def"
LEF = BENCH / "ispd18_sample.input.lef"

pytestmark = [
    pytest.mark.tool,
    pytest.mark.skipif(not (DEF.is_file() and LEF.is_file()),
                       reason=f"shared benchmark data missing: {BENCH}"),
]


def test_openroad_reference_is_clean():
    from ffet_flow.verify import check_layout

    result = check_layout(DEF, [LEF])
    assert result.drc.counts == dict.fromkeys(result.drc.counts, 0)
    assert result.drc.not_checked == []
    lvs = result.lvs
    assert (lvs.opens, lvs.shorts, lvs.unconnected, lvs.nets) == (0, 0, 0, 11)


def test_a_moved_wire_is_an_open_off_its_track(tmp_path):
    from ffet_flow.verify import check_layout

    text = DEF.read_text()
    wire = "NEW Metal3 ( 92200 77710 ) ( 95800 * )"
    assert wire in text
    moved = tmp_path / "moved.def"
    moved.write_text(text.replace(wire, "NEW Metal3 ( 92200 78000 ) ( 95800 * )"))
    result = check_layout(moved, [LEF])
    assert result.drc.by_layer == {"Metal3": {"area": 2, "offtrack": 1}}
    assert [(p.kind, p.net) for p in result.lvs.problems] == [("open", "net1230")]
