"""Neighbour-aware wire capacitance (ffet_flow/extract/coupling.py), by hand."""

from __future__ import annotations

import dataclasses

import pytest

from ffet_flow.extract.coupling import neighbour_capacitance
from ffet_flow.extract.rctree import LayerRC, NetPin, NetRoute, RcTech, Wire, build_rc_net
from tests.unit.spef_tiny import square

FULL, ISO = 0.09, 0.06  # fF/um per side: neighbour present / absent (hand values)
PITCH = 68  # dbu
TECH = RcTech(dbu=1000, layers={
    "M2": LayerRC("front", 2, 100.0, 2 * FULL, PITCH, FULL, ISO),
    "M3": LayerRC("front", 3, 100.0, 2 * FULL, PITCH, FULL, ISO)}, vias={})


def _net(name, *wires):
    w0 = wires[0]
    pins = (NetPin(f"d{name}", "Y", "O", (square(w0.layer, w0.x0, w0.y0),), "INV_X1"),)
    return NetRoute(name, pins, wires=tuple(wires))


def _c(route):
    return [w.c_per_um for w in route.wires]


def test_isolated_wire_gets_the_isolated_value():
    (r,) = neighbour_capacitance([_net("a", Wire("M2", 0, 0, 4000, 0))], TECH)
    assert _c(r) == [pytest.approx(2 * ISO)]


def test_partly_covered_side_is_weighted_by_its_occupied_fraction():
    a = _net("a", Wire("M2", 0, 0, 4000, 0))
    # 2 um of b on the track above overlaps a (the rest of b hangs beyond a's end)
    b = _net("b", Wire("M2", 2000, PITCH, 5000, PITCH))
    ra, rb = neighbour_capacitance([a, b], TECH)
    # a: one side covered over 2 of 4 um -> fraction 2 / (2 x 4) = 0.25
    assert _c(ra) == [pytest.approx(0.25 * 2 * FULL + 0.75 * 2 * ISO)]
    # b: one side covered over 2 of 3 um -> 2 / 6
    assert _c(rb) == [pytest.approx(2 / 6 * 2 * FULL + 4 / 6 * 2 * ISO)]
    rc = build_rc_net(ra, TECH)
    assert rc.total_cap == pytest.approx(4.0 * (0.25 * 2 * FULL + 0.75 * 2 * ISO))


def test_both_sides_covered_gives_back_the_worst_case():
    a = _net("a", Wire("M2", 0, 0, 4000, 0))
    up = _net("u", Wire("M2", 0, PITCH, 1500, PITCH), Wire("M2", 1000, PITCH, 4000, PITCH))
    down = _net("d", Wire("M2", -100, -PITCH, 4100, -PITCH))
    ra = neighbour_capacitance([a, up, down], TECH)[0]
    # overlapping wires on one track count once (union), so both sides are fully covered
    assert _c(ra) == [pytest.approx(2 * FULL)]


def test_other_layers_tracks_and_directions_do_not_count():
    a = _net("a", Wire("M2", 0, 0, 4000, 0))
    others = [_net("x", Wire("M3", 0, PITCH, 4000, PITCH)),  # other layer
              _net("y", Wire("M2", 0, 2 * PITCH, 4000, 2 * PITCH)),  # two tracks away
              _net("z", Wire("M2", 2000, -2000, 2000, 2000))]  # crossing, vertical
    ra = neighbour_capacitance([a, *others], TECH)[0]
    assert _c(ra) == [pytest.approx(2 * ISO)]
    zr = neighbour_capacitance([a, *others], TECH)[3]
    assert _c(zr) == [pytest.approx(2 * ISO)]


def test_layers_without_pitch_keep_the_worst_case():
    tech = dataclasses.replace(TECH, layers={"M2": LayerRC("front", 2, 100.0, 0.2)})
    (r,) = neighbour_capacitance([_net("a", Wire("M2", 0, 0, 4000, 0))], tech)
    assert r.wires[0].c_per_um is None
    assert build_rc_net(r, tech).total_cap == pytest.approx(0.8)


def test_matches_a_brute_force_count_on_random_wires():
    """Occupancy by counting covered unit cells of each neighbour track, 300 random wires."""
    import numpy as np

    rng = np.random.default_rng(3)
    nets = []
    for i in range(300):
        t = int(rng.integers(0, 12)) * PITCH
        a, b = sorted(int(v) for v in rng.integers(0, 400, size=2))
        b = b + 1 if a == b else b
        vertical = i % 3 == 0
        w = Wire("M2", t, a, t, b) if vertical else Wire("M2", a, t, b, t)
        nets.append(_net(f"n{i}", w))
    got = [r.wires[0].c_per_um for r in neighbour_capacitance(nets, TECH)]
    cover: dict[tuple[bool, int], np.ndarray] = {}
    for r in nets:
        w = r.wires[0]
        v = w.x0 == w.x1
        t, a, b = (w.x0, min(w.y0, w.y1), max(w.y0, w.y1)) if v else \
            (w.y0, min(w.x0, w.x1), max(w.x0, w.x1))
        cover.setdefault((v, t), np.zeros(401, dtype=bool))[a:b] = True
    for r, c in zip(nets, got, strict=True):
        w = r.wires[0]
        v = w.x0 == w.x1
        t, a, b = (w.x0, min(w.y0, w.y1), max(w.y0, w.y1)) if v else \
            (w.y0, min(w.x0, w.x1), max(w.x0, w.x1))
        occ = sum(int(cover.get((v, t + d), np.zeros(401, dtype=bool))[a:b].sum())
                  for d in (-PITCH, PITCH))
        f = occ / (2 * (b - a))
        assert c == pytest.approx(f * 2 * FULL + (1 - f) * 2 * ISO)
