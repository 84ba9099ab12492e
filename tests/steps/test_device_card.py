"""The shared device card meets the REFERENCES 6b device targets, measured in ngspice."""

from __future__ import annotations

import pytest

from ffet_flow.cells.device import measure_card, model_card


@pytest.mark.tool
def test_card_meets_device_targets(tmp_path):
    m = measure_card(tmp_path)
    assert 1300 <= m["ion_n"] <= 1500          # 6b: Ion,n ~1.4 mA/um at 0.7 V
    assert 1.0 <= m["ioff_n"] <= 10.0          # 6b: 1-10 nA/um (RVT-LVT)
    assert 1.0 <= m["ioff_p"] <= 10.0
    assert 0.80 <= m["ion_p"] / m["ion_n"] <= 0.90   # 6b: 0.85
    assert 60.0 < m["ss_n"] < 80.0             # physical: above the 60 mV/dec thermal limit
    assert 0.95 <= m["cgate"] <= 1.15          # 6b: ~1.0-1.1 fF/um with overlap
    log = (tmp_path / "device_check.log").read_text()
    assert "Warning" not in log and "Error" not in log


def test_card_is_one_text_for_both_architectures():
    text = model_card()
    assert text.count(".model nch nmos") == 1 and text.count(".model pch pmos") == 1
    assert "level=54" in text and "version=4.8" in text
