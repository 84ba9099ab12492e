"""The legality checker catches overlaps, off-grid and off-row cells, and moved fixed cells."""

from __future__ import annotations

import numpy as np
import pytest

from ffet_flow.io.def_ import Design, Row
from ffet_flow.io.lef import read_lef
from ffet_flow.place.legal import check_legality
from ffet_flow.place.problem import build_problem
from ffet_flow.place.synthetic import synthetic_lef


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "s.lef"
    path.write_text(synthetic_lef())
    lib = read_lef([path])
    d = Design(name="s", dbu=2000, die_area=(0, 0, 102 * 40, 196 * 4))
    d.rows = [Row(f"R{i}", "ffet_site", 0, 196 * i, "N" if i % 2 == 0 else "FS", 40, 1, 102, 0)
              for i in range(4)]
    d.components.add("f", "DFF_X1", 102 * 10, 196, "FS", "FIXED")
    for i in range(4):
        d.components.add(f"u{i}", "INV_X1", 102 * 4 * i, 0, "N", "PLACED")
    return build_problem(d, lib)


def state(p):
    return p.x.copy(), p.y.copy(), list(p.orient)


def test_legal_placement_passes(small):
    assert check_legality(small, *state(small)) == []


def test_overlap_is_caught(small):
    x, y, o = state(small)
    x[2] = x[1] + 102  # INV is 3 sites wide: overlaps its neighbour
    v = check_legality(small, x, y, o)
    assert any("u0" in m and "u1" in m and "overlap" in m for m in v)


def test_overlap_with_a_fixed_cell_is_caught(small):
    x, y, o = state(small)
    x[1], y[1], o[1] = 102 * 12, 196, "FS"
    assert any("overlap" in m and "f" in m.split() for m in check_legality(small, x, y, o))


def test_moved_fixed_cell_is_caught(small):
    x, y, o = state(small)
    x[0] += 102
    v = check_legality(small, x, y, o)
    assert any(m.startswith("fixed cell f moved") for m in v)


def test_off_grid_off_row_and_orientation(small):
    x, y, o = state(small)
    x[1] += 7
    y[2] += 5
    o[3] = "FS"  # on an N row
    v = "\n".join(check_legality(small, x, y, o))
    assert "u0 at" in v and "off the site grid" in v
    assert "u1 at y=5 is not on a row" in v
    assert "u2 orientation FS on a N row" in v


def test_outside_core(small):
    x, y, o = state(small)
    x[4] = 102 * 39  # 3-site cell starting at the last site runs past the row end
    assert any("outside the core" in m for m in check_legality(small, x, y, o))


def test_many_violations_are_summarized(small):
    x, y, o = state(small)
    x[1:] = np.arange(4) * 7 + 3
    v = check_legality(small, x, y, o, limit=2)
    assert len(v) == 3 and v[-1].startswith("...")
