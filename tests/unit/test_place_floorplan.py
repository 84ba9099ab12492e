"""Floorplan engine, netlist-to-DEF conversion, synthetic netlists, repair pass, bench fit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ffet_flow.bench.place import fit_exponent
from ffet_flow.errors import ConfigError
from ffet_flow.io.def_ import Design, Row
from ffet_flow.io.lef import read_lef
from ffet_flow.io.verilog import read_verilog
from ffet_flow.place.floorplan import FloorplanOptions, floorplan
from ffet_flow.place.legal import check_legality
from ffet_flow.place.netlist_def import design_from_netlist
from ffet_flow.place.problem import build_problem
from ffet_flow.place.repair import repair
from ffet_flow.place.synthetic import netlist_verilog, synthetic_lef, synthetic_netlist


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    path = tmp_path_factory.mktemp("lib") / "s.lef"
    path.write_text(synthetic_lef(back_input_fraction=0.5))
    return read_lef([path])


def test_core_follows_utilization_and_aspect_ratio(lib):
    d = design_from_netlist(synthetic_netlist(2000, seed=1), lib)
    m = floorplan(d, lib, FloorplanOptions(utilization=0.5, aspect_ratio=2.0, core_margin=1.0))
    x0, y0, x1, y1 = d.core_area(row_height=196)
    assert 0.47 < m["design__instance__utilization"] <= 0.5
    assert (y1 - y0) / (x1 - x0) == pytest.approx(2.0, rel=0.05)
    assert m["design__core__area"] == pytest.approx((x1 - x0) * (y1 - y0) / 2000 ** 2)
    # margin of at least 1 um, in whole sites / rows
    assert x0 >= 2000 and x0 % 102 == 0 and y0 >= 2000 and y0 % 196 == 0
    assert d.die_area == (0, 0, x1 + x0, y1 + y0)
    assert [r.orient for r in d.rows[:3]] == ["N", "FS", "N"]


def test_rails_follow_the_cells_supply_pins(lib):
    d = design_from_netlist(synthetic_netlist(300, seed=1), lib)
    floorplan(d, lib, FloorplanOptions(utilization=0.6))
    vdd = {p.items[0][1] for n in d.specialnets if n.name == "VDD" for p in n.paths}
    vss = {p.items[0][1] for n in d.specialnets if n.name == "VSS" for p in n.paths}
    y_rows = [r.y for r in d.rows] + [d.rows[-1].y + 196]
    # VDD sits at the top of N rows (= bottom of the FS row above), VSS at the other boundaries
    assert vdd == set(y_rows[1::2]) and vss == set(y_rows[0::2])
    assert all(p.width == 28 and p.shape == "FOLLOWPIN" for n in d.specialnets for p in n.paths)


def test_pins_are_on_tracks_of_the_boundary(lib):
    d = design_from_netlist(synthetic_netlist(3000, seed=2), lib)
    floorplan(d, lib, FloorplanOptions(utilization=0.7))
    m2 = lib.layers["M2"]  # horizontal: left/right edges
    m1 = lib.layers["M1"]  # vertical: top/bottom edges
    # tracks count from the rows' lower-left corner
    ox, oy = min(r.x for r in d.rows), min(r.y for r in d.rows)
    for p in d.pins:
        if p.layer == "M2":
            assert p.x in (0, d.die_area[2]) and (p.y - oy - m2.offset_y) % m2.pitch_y == 0
        else:
            assert p.y in (0, d.die_area[3]) and (p.x - ox - m1.offset_x) % m1.pitch_x == 0
    assert len({(p.x, p.y) for p in d.pins}) == len(d.pins)
    # pins cover all four edges
    assert {p.x == 0 for p in d.pins} == {True, False}


def test_core_too_small_for_the_widest_cell(lib):
    d = design_from_netlist(synthetic_netlist(40, seed=1), lib)
    with pytest.raises(ConfigError, match="too small"):
        floorplan(d, lib, FloorplanOptions(utilization=0.9, aspect_ratio=10.0))


def test_synthetic_netlist_is_deterministic_and_round_trips(tmp_path, lib):
    a, b = synthetic_netlist(500, seed=4), synthetic_netlist(500, seed=4)
    assert [i.conns for i in a.instances] == [i.conns for i in b.instances]
    path = tmp_path / "s.v"
    path.write_text(netlist_verilog(a))
    back = read_verilog(path)
    assert [(i.name, i.cell, i.conns) for i in back.instances] == \
        [(i.name, i.cell, i.conns) for i in a.instances]
    d = design_from_netlist(back, lib)
    assert len(d.components) == 500
    # every input pin has a driver net; outputs drive their own net
    assert sum(len(n.conns) for n in d.nets) == sum(len(i.conns) for i in a.instances) + \
        len(d.pins)


def test_synthetic_connections_are_mostly_local():
    nl = synthetic_netlist(20000, seed=1)
    dist = [abs(int(i.name[1:]) - int(b[1:])) for i in nl.instances for b in i.conns.values()
            if b.startswith("n") and b[1:] != i.name[1:]]
    dist = np.array(dist)
    assert np.median(dist) < 10 and np.percentile(dist, 99) > 100


def test_repair_snaps_and_moves_cells_off_fixed_ones(lib):
    d = Design(name="r", dbu=2000, die_area=(0, 0, 102 * 30, 196 * 2))
    d.rows = [Row("R0", "ffet_site", 0, 0, "N", 30, 1, 102, 0),
              Row("R1", "ffet_site", 0, 196, "FS", 30, 1, 102, 0)]
    d.components.add("blk", "DFF_X1", 102 * 10, 0, "N", "FIXED")
    d.components.add("a", "INV_X1", 102 * 12 + 30, 0, "N", "PLACED")  # on the blocker, off grid
    d.components.add("b", "INV_X1", 102 * 2 + 60, 0, "N", "PLACED")
    p = build_problem(d, lib)
    x, y, o = p.x.copy(), p.y.copy(), list(p.orient)
    assert check_legality(p, x, y, o) != []
    moved = repair(p, x, y, o)
    assert moved == 2 and check_legality(p, x, y, o) == []
    assert x[0] == 102 * 10  # the fixed cell stays
    assert x[2] == 102 * 3  # nearest site
    assert x[1] in (102 * 7, 102 * 26)  # just beside the 16-site blocker


def test_fit_exponent_recovers_a_power_law():
    cells = [5000, 10000, 50000, 200000]
    assert fit_exponent(cells, [1e-4 * c ** 1.2 for c in cells]) == pytest.approx(1.2)
    assert math.isfinite(fit_exponent(cells, [1.0, 2.0, 9.0, 40.0]))
