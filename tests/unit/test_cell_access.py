"""Pin access of the generated cells (ffet_flow.cells.access) and the placement parity that
follows from it (ffet_flow.place.parity)."""

from __future__ import annotations

import numpy as np
import pytest

from ffet_flow.cells.access import (
    access_points,
    access_summary,
    level1_blockers,
    pin_rects,
    site_modulus,
    site_residues,
    track_phases,
)
from ffet_flow.cells.layout import build_layouts
from ffet_flow.cells.netlists import cell_set
from ffet_flow.cells.pinsides import assign_pin_sides
from ffet_flow.config import load_config
from ffet_flow.place.parity import enforce_site_residues, parity_violations
from ffet_flow.place.problem import PlaceProblem, RowSpec
from ffet_flow.tech.model import build_tech
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def ffet():
    cfg = load_config([ROOT / "pdk" / "ffet.toml"])
    tech = build_tech(cfg)
    cells = cell_set([])
    sides = assign_pin_sides(cells, cfg.effective_input_pin_density, True)
    return tech, build_layouts(cells, tech, sides)


def test_two_placement_phases_for_cpp_51_and_m1_34(ffet):
    tech, _ = ffet
    # M1 tracks at 17 + 34 k nm from a site's left edge; CPP 51 nm = 1.5 M1 pitches
    assert site_modulus(tech) == 2
    assert track_phases(tech, "front") == (0, 34)


def test_every_pin_has_an_access_point_in_some_phase_and_most_have_two(ffet):
    tech, lays = ffet
    summary = access_summary(lays, tech)
    for cell, pins in summary.items():
        ok = [all(c[k] >= 1 for c in pins.values()) for k in range(2)]
        assert any(ok), cell
    counts = [min(c) for pins in summary.values() for c in pins.values()]
    assert sum(c >= 2 for c in counts) / len(counts) > 0.9


def test_a_two_site_inverter_is_placed_on_odd_sites_only(ffet):
    tech, lays = ffet
    inv = lays["INV_X1"]
    # on an even site the back-side M1 tracks cross the 204-dbu cell at x = 34, 102, 170: only
    # x = 102 lands a via inside both A and Y (its pads need 28 dbu to each pin end), so the
    # two pins would share one track; on an odd site (tracks at 68 and 136) each gets its own
    assert site_residues(inv, tech) == (1,)
    a0, _ = pin_rects(inv, tech, "back", "A")
    y0, _ = pin_rects(inv, tech, "back", "Y")
    cols = {ph: ({x for x, _ in access_points(a0, tech, "back", inv.width, [], ph)},
                 {x for x, _ in access_points(y0, tech, "back", inv.width, [], ph)})
            for ph in (0, 34)}
    assert cols[34] == ({102}, {102})
    assert cols[0][0] == cols[0][1] == {68, 136}


def test_a_lifted_pins_stub_blocks_the_other_pins_access_pads():
    cfg = load_config([ROOT / "pdk" / "ffet.toml"], set_items=["signal_sides=front"])
    tech = build_tech(cfg)
    cells = cell_set(["AOI21_X2"])
    lay = build_layouts(cells, tech, assign_pin_sides(cells, 0.0, False))["AOI21_X2"]
    lifted = [p for p, items in lay.pins.items() if any(la == "M1" for la, _r in items)]
    assert lifted  # A1/A2 are wired on M2 inside the cell; their M1 stubs are pin shapes
    other = next(p for p in lay.pins if p not in lifted)
    blockers = level1_blockers(lay, "M1", other)
    assert any(r in blockers for p in lifted for la, r in lay.pins[p] if la == "M1")
    assert not any(r in level1_blockers(lay, "M1", lifted[0])
                   for la, r in lay.pins[lifted[0]] if la == "M1")


def _problem(xs, widths, row_sites=20):
    n = len(xs)
    return PlaceProblem(
        names=[f"c{i}" for i in range(n)], width=np.array(widths, dtype=np.int64),
        height=np.full(n, 196, dtype=np.int64), x=np.array(xs, dtype=np.int64),
        y=np.zeros(n, dtype=np.int64), orient=["N"] * n, fixed=np.zeros(n, dtype=bool),
        terminal=np.zeros(n, dtype=bool), n_components=n,
        rows=[RowSpec(0, row_sites * 102, 0, 196, 102, "N")], net_names=[],
        net_start=np.zeros(1, dtype=np.int64), pin_cell=np.zeros(0, dtype=np.int64),
        pin_dx=np.zeros(0, dtype=np.int64), pin_dy=np.zeros(0, dtype=np.int64),
        pin_side=np.zeros(0, dtype=np.int8))


def test_parity_moves_restricted_cells_to_their_sites_and_keeps_the_row_legal():
    # INV (2 sites, odd sites only) at sites 0 and 4, a 3-site cell packed right after each
    p = _problem([0, 204, 408, 612], [204, 306, 204, 306])
    macros = ["INV", "NAND", "INV", "NAND"]
    res = {"INV": {1}}
    x, moved = enforce_site_residues(p, p.x, p.y, macros, 2, res)
    sites = (x // 102).tolist()
    assert sites[0] % 2 == 1 and sites[2] % 2 == 1 and moved >= 2
    ends = x + p.width
    assert all(ends[k] <= x[k + 1] for k in range(3))  # still in order, no overlap
    assert ends[-1] <= 20 * 102
    assert parity_violations(p, x, p.y, macros, 2, res) == []


def test_parity_packs_back_from_the_row_end_when_pushing_right_overflows():
    # a full row but for one site: the INV at the left must take site 1, pushing everything
    # right; the last cell then overflows and the right-to-left pass packs the row back
    p = _problem([0, 204, 510], [204, 306, 1428], row_sites=20)
    x, _ = enforce_site_residues(p, p.x, p.y, ["INV", "A", "B"], 2, {"INV": {1}})
    assert (x // 102).tolist()[0] == 1 and x[-1] + 1428 <= 20 * 102
