"""Golden LEF snippets of two small cells per architecture: a change in output is seen in review.

Regenerate after an intended change with:
  FFET_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_cell_lef_golden.py
"""

from __future__ import annotations

import os

import pytest

from ffet_flow.cells.layout import build_layouts
from ffet_flow.cells.lef import cells_lef_text
from ffet_flow.cells.netlists import cell_set
from ffet_flow.config import load_config
from ffet_flow.tech.model import build_tech
from tests.conftest import ROOT

SIDES = {
    "ffet": {"INV_X1": {"A": "back", "Y": "both"},
             "NAND2_X1": {"A": "front", "B": "back", "Y": "both"}},
    "cfet": {"INV_X1": {"A": "front", "Y": "front"},
             "NAND2_X1": {"A": "front", "B": "front", "Y": "front"}},
}


@pytest.mark.parametrize("arch", ["ffet", "cfet"])
def test_lef_matches_golden(arch):
    tech = build_tech(load_config([ROOT / "pdk" / f"{arch}.toml"]))
    cells = cell_set(["INV_X1", "NAND2_X1"])
    text = cells_lef_text(build_layouts(cells, tech, SIDES[arch]), tech, SIDES[arch], cells)
    golden = ROOT / "tests" / "golden" / f"cells_{arch}_inv_nand2.lef"
    if os.environ.get("FFET_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()
    # the same inputs give the same text
    assert text == cells_lef_text(build_layouts(cells, tech, SIDES[arch]), tech, SIDES[arch],
                                  cells)
