"""Global routing: layer assignment with layer changes, and the global-route wirelength
definition (OpenROAD's GRT-0018)."""

from __future__ import annotations

import numpy as np

from ffet_flow.route.global_route import _split_layers, global_route_side
from ffet_flow.route.grid import RouteLayer, build_side_grid, make_grid
from ffet_flow.route.nets import PinPoint

UM = 1000  # dbu per micron in these hand-built grids


def _side(n_tracks: dict[str, int], gcell: int = 10 * UM, size: int = 60 * UM):
    """A 6 x 6 gcell side: M1 vertical (jogs), M2 horizontal, M3 vertical, M4 horizontal, with
    the given number of tracks per gcell row/column on each layer."""
    grid = make_grid((0, 0, size, size), gcell)
    layers = []
    for level, (name, horizontal) in enumerate((("M1", False), ("M2", True), ("M3", False),
                                                ("M4", True)), start=1):
        step = gcell // n_tracks[name]
        layers.append(RouteLayer(name, level, horizontal, step, step // 2, step // 2, step))
    return build_side_grid(grid, layers)


def _overflow(res, sg) -> int:
    return sum(int(np.maximum(d - c, 0).sum())
               for d, c in zip(res.demand, sg.capacity, strict=True))


def test_split_layers_changes_layer_only_where_the_first_choice_is_full():
    # two horizontal layers (levels 2 and 4) over a 5-edge piece from gcell 0 to 5; the first
    # choice is full on edges 2 and 3
    slack_first = np.array([1, 1, 0, 0, 1])
    slack_second = np.array([1, 1, 1, 1, 1])
    runs = _split_layers([7, 9], [2, 4], [slack_first, slack_second], 0, 5)
    assert runs[0][1] == 0 and runs[-1][2] == 5
    for (_, _, q), (_, p, _) in zip(runs[:-1], runs[1:], strict=True):
        assert q == p  # contiguous
    per_edge = {}
    for li, p, q in runs:
        for e in range(min(p, q), max(p, q)):
            per_edge[e] = li
    assert per_edge[2] == 9 and per_edge[3] == 9  # never on the full layer
    # staying on the second layer costs no vias at all, so the DP does not come back
    assert runs == [(9, 0, 5)]


def test_split_layers_in_decreasing_direction_covers_the_piece():
    slack = [np.array([0, 1, 1, 1]), np.array([1, 1, 1, 1])]
    runs = _split_layers([3, 5], [2, 4], slack, 4, 0)
    assert runs[0][1] == 4 and runs[-1][2] == 0
    edges = {e: li for li, p, q in runs for e in range(min(p, q), max(p, q))}
    assert edges[0] == 5  # slack index 0 is the edge between gcells 0 and 1


def _layer_demand(res, sg, name: str) -> int:
    return int(res.demand[[la.name for la in sg.layers].index(name)].sum())


def test_a_piece_that_fits_no_single_layer_routes_without_overflow():
    # one horizontal track per layer per gcell row of 10 gcells: a short net takes M2 (short
    # pieces prefer the lowest layer) over gcells 0-2 of row 0, a long one M4 (long pieces
    # prefer the upper layers) over gcells 4-9; a third net spanning the whole row then fits no
    # single layer and must change layers in between
    sg = _side({"M1": 4, "M2": 1, "M3": 4, "M4": 1}, size=100 * UM)
    nets = {
        "a1": [PinPoint(2 * UM, 5 * UM, 1, "a/A"), PinPoint(25 * UM, 5 * UM, 1, "b/A")],
        "a2": [PinPoint(45 * UM, 5 * UM, 1, "c/A"), PinPoint(98 * UM, 5 * UM, 1, "d/A")],
    }
    first = global_route_side(nets, sg, max_iterations=5)
    assert _overflow(first, sg) == 0
    assert _layer_demand(first, sg, "M2") == 2 and _layer_demand(first, sg, "M4") == 5
    nets["b"] = [PinPoint(3 * UM, 4 * UM, 1, "e/A"), PinPoint(97 * UM, 4 * UM, 1, "f/A")]
    res = global_route_side(nets, sg, max_iterations=5)
    assert res.overflow_2d == 0
    assert _overflow(res, sg) == 0
    # the long net fills the free edges of both horizontal layers: 9 edges of row 0 in all
    assert _layer_demand(res, sg, "M2") + _layer_demand(res, sg, "M4") == 2 + 5 + 9
    # its guide covers the whole row
    assert {tuple(c) for c in res.gcells["b"].tolist()} >= {(i, 0) for i in range(10)}


def test_global_wirelength_counts_one_gcell_per_straight_segment():
    # a two-pin net from gcell (0, 0) to gcell (3, 2): an L of two segments; the centre length
    # is 3 + 2 gcells and OpenROAD's definition adds one gcell per segment
    sg = _side({"M1": 4, "M2": 4, "M3": 4, "M4": 4})
    nets = {"n": [PinPoint(5 * UM, 5 * UM, 1, "a/Z"), PinPoint(35 * UM, 25 * UM, 1, "b/A")]}
    res = global_route_side(nets, sg, max_iterations=5)
    assert res.wirelength == 5 * 10 * UM
    assert res.segments == 2
    assert res.gcell_size == 10 * UM
    assert res.wirelength_openroad == (5 + 2) * 10 * UM


def test_a_straight_net_through_a_degree_two_steiner_point_is_one_segment():
    # three pins in one row: the middle one splits the run into two segments (a pin is there),
    # so the count is 2, not 1
    sg = _side({"M1": 4, "M2": 4, "M3": 4, "M4": 4})
    nets = {"n": [PinPoint(5 * UM, 5 * UM, 1, "a/Z"), PinPoint(25 * UM, 5 * UM, 1, "b/A"),
                  PinPoint(55 * UM, 5 * UM, 1, "c/A")]}
    res = global_route_side(nets, sg, max_iterations=5)
    assert res.wirelength == 5 * 10 * UM
    assert res.segments == 2


def test_split_layers_switches_once_when_each_layer_is_full_on_one_end():
    runs = _split_layers([7, 9], [2, 4], [np.array([1, 1, 1, 0, 0]), np.array([0, 0, 1, 1, 1])],
                         0, 5)
    assert len(runs) == 2 and runs[0][0] == 7 and runs[1][0] == 9
    assert runs[0][1:] == (0, runs[0][2]) and runs[1][2] == 5
    assert 2 <= runs[0][2] <= 3  # the change is where both layers are free
