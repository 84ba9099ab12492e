"""Pin-side policy: requested density met within 1/N, deterministic, outputs dual-sided."""

from __future__ import annotations

import pytest

from ffet_flow.cells.netlists import all_cells, cell_set
from ffet_flow.cells.pinsides import assign_pin_sides, back_fraction
from ffet_flow.errors import ConfigError


@pytest.mark.parametrize("density", [0.0, 0.1, 0.25, 1 / 3, 0.5, 0.7, 0.9, 1.0])
def test_measured_fraction_within_one_pin(density):
    cells = all_cells()
    n = sum(len(c.inputs) for c in cells)
    sides = assign_pin_sides(cells, density, back_signals=True)
    assert abs(back_fraction(sides, cells) - density) <= 1.0 / n


def test_subset_of_cells_also_meets_density():
    cells = cell_set(["NAND2_X1", "AOI22_X1", "DFFR_X1", "INV_X1"])
    n = sum(len(c.inputs) for c in cells)
    for density in (0.3, 0.5, 0.8):
        sides = assign_pin_sides(cells, density, back_signals=True)
        assert abs(back_fraction(sides, cells) - density) <= 1.0 / n


def test_deterministic_and_spread_over_positions():
    cells = all_cells()
    a = assign_pin_sides(cells, 0.5, True)
    b = assign_pin_sides(cells, 0.5, True)
    assert a == b
    # every two-input cell gets exactly one back pin at density 0.5 ...
    two = [c for c in cells if len(c.inputs) == 2]
    assert all(sum(a[c.name][p] == "back" for p in c.inputs) == 1 for c in two)
    # ... and both input positions are used across the library
    used = {c.inputs.index(p) for c in two for p in c.inputs if a[c.name][p] == "back"}
    assert used == {0, 1}


def test_outputs_both_iff_back_signals():
    cells = all_cells()
    on = assign_pin_sides(cells, 0.5, True)
    off = assign_pin_sides(cells, 0.5, False)
    for c in cells:
        for p in c.outputs:
            assert on[c.name][p] == "both"
            assert off[c.name][p] == "front"
        assert all(off[c.name][p] == "front" for p in c.inputs)
    assert on["TIEHI_X1"] == {"Y": "both"} and on["FILL_X1"] == {}


@pytest.mark.parametrize("bad", [-0.1, 1.5, "half"])
def test_density_outside_range_is_config_error(bad):
    with pytest.raises(ConfigError) as exc:
        assign_pin_sides(all_cells(), bad, True)
    assert "input_pin_density" in str(exc.value)


@pytest.mark.parametrize("density", [0.1, 0.25, 1 / 3, 0.5, 0.7, 0.9])
def test_every_input_position_near_the_density(density):
    """First, second, third, fourth inputs each get about `density` of back pins."""
    cells = all_cells()
    sides = assign_pin_sides(cells, density, True)
    back: dict[int, int] = {}
    seen: dict[int, int] = {}
    for c in cells:
        for i, p in enumerate(c.inputs):
            seen[i] = seen.get(i, 0) + 1
            back[i] = back.get(i, 0) + (sides[c.name][p] == "back")
    for i in seen:
        assert abs(back[i] - density * seen[i]) <= 1.5, (i, back[i], seen[i])


def test_pins_payload_matches_architecture_format():
    from ffet_flow.cells.pinsides import POLICY, pins_payload

    cells = cell_set(["NAND2_X1", "INV_X1"])
    sides = assign_pin_sides(cells, 0.5, True)
    payload = pins_payload(sides, 0.5)
    assert payload["input_pin_density"] == 0.5 and payload["policy"] == POLICY
    assert payload["cells"]["NAND2_X1"]["Y"] == "both"
    assert set(payload["cells"]["NAND2_X1"]) == {"A", "B", "Y"}
