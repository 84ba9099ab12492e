"""Layer assignment with layer changes, and the global-route wirelength definition."""

from __future__ import annotations

import numpy as np

from ffet_flow.route.detail import _split_layers, find_opens, route_side
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


def test_a_piece_that_fits_no_single_layer_routes_without_overflow_and_stays_connected():
    # one horizontal track per layer per gcell row of 10 gcells: a short net takes M2 (short
    # pieces prefer the lowest layer) over gcells 0-2 of row 0, a long one M4 (long pieces
    # prefer the upper layers) over gcells 4-9; a third net spanning the whole row then fits no
    # single layer and must change layers in between
    sg = _side({"M1": 4, "M2": 1, "M3": 4, "M4": 1}, size=100 * UM)
    nets = {
        "a1": [PinPoint(2 * UM, 5 * UM, 1, "a/A"), PinPoint(25 * UM, 5 * UM, 1, "b/A")],
        "a2": [PinPoint(45 * UM, 5 * UM, 1, "c/A"), PinPoint(98 * UM, 5 * UM, 1, "d/A")],
    }
    first = route_side(nets, sg, max_iterations=5)
    assert _overflow(first, sg) == 0
    levels_of = {n: {w.level for w in first.wires if w.net == k and w.horizontal
                     and w.length > 5 * UM} for k, n in enumerate(first.net_names)}
    assert levels_of == {"a1": {2}, "a2": {4}}
    nets["b"] = [PinPoint(3 * UM, 4 * UM, 1, "e/A"), PinPoint(97 * UM, 4 * UM, 1, "f/A")]
    res = route_side(nets, sg, max_iterations=5)
    assert res.overflow_2d == 0
    assert _overflow(res, sg) == 0
    assert find_opens(nets, res.net_names, res.wires, res.vias) == []
    k = res.net_names.index("b")
    levels = {w.level for w in res.wires if w.net == k and w.horizontal and w.length > 5 * UM}
    assert levels == {2, 4}  # the long net uses both horizontal layers


def test_global_wirelength_counts_one_gcell_per_straight_segment():
    # a two-pin net from gcell (0, 0) to gcell (3, 2): an L of two segments; the centre length
    # is 3 + 2 gcells and OpenROAD's definition adds one gcell per segment
    sg = _side({"M1": 4, "M2": 4, "M3": 4, "M4": 4})
    nets = {"n": [PinPoint(5 * UM, 5 * UM, 1, "a/Z"), PinPoint(35 * UM, 25 * UM, 1, "b/A")]}
    res = route_side(nets, sg, max_iterations=5)
    assert res.global_wirelength == 5 * 10 * UM
    assert res.global_segments == 2
    assert res.gcell_size == 10 * UM
    assert res.global_wirelength_openroad == (5 + 2) * 10 * UM


def test_a_straight_net_through_a_degree_two_steiner_point_is_one_segment():
    # three pins in one row: the middle one splits the run into two segments (a pin is there),
    # so the count is 2, not 1
    sg = _side({"M1": 4, "M2": 4, "M3": 4, "M4": 4})
    nets = {"n": [PinPoint(5 * UM, 5 * UM, 1, "a/Z"), PinPoint(25 * UM, 5 * UM, 1, "b/A"),
                  PinPoint(55 * UM, 5 * UM, 1, "c/A")]}
    res = route_side(nets, sg, max_iterations=5)
    assert res.global_wirelength == 5 * 10 * UM
    assert res.global_segments == 2


def test_split_layers_switches_once_when_each_layer_is_full_on_one_end():
    runs = _split_layers([7, 9], [2, 4], [np.array([1, 1, 1, 0, 0]), np.array([0, 0, 1, 1, 1])],
                         0, 5)
    assert len(runs) == 2 and runs[0][0] == 7 and runs[1][0] == 9
    assert runs[0][1:] == (0, runs[0][2]) and runs[1][2] == 5
    assert 2 <= runs[0][2] <= 3  # the change is where both layers are free


def _crosses(res, net: str, level: int, horizontal: bool, line: int, at: int) -> bool:
    k = res.net_names.index(net)
    return any(w.net == k and w.level == level and w.horizontal == horizontal and w.c == line
               and w.a <= at <= w.b for w in res.wires)


def test_a_local_connection_goes_around_another_nets_pin():
    # pins of net "n" at (2, 2) and (8, 4) um share gcell (0, 0), the first is the gcell's
    # representative; net "m" has a pin at (5, 4) on the line y = 4 um, so the L from (8, 4)
    # that goes horizontal first would pass over it: vertical first it is
    sg = _side({"M1": 4, "M2": 4, "M3": 4, "M4": 4})
    nets = {"n": [PinPoint(2 * UM, 2 * UM, 0, "a/Z"), PinPoint(8 * UM, 4 * UM, 0, "b/A")],
            "m": [PinPoint(5 * UM, 4 * UM, 0, "c/Z"), PinPoint(45 * UM, 45 * UM, 0, "d/A")]}
    res = route_side(nets, sg, max_iterations=5)
    assert not _crosses(res, "n", 2, True, 4 * UM, 5 * UM)
    assert _crosses(res, "n", 2, True, 2 * UM, 5 * UM)  # along y = 2 um instead
    assert find_opens(nets, res.net_names, res.wires, res.vias) == []


def test_route_wires_keep_off_other_nets_pins_when_a_free_track_exists():
    # net "m" has a pin on the M1 track x = 21.25 um in gcell column 2; net "n" runs a short
    # vertical piece (M1 first) through that column (pins in gcells (2, 1) and (2, 3)) and must
    # not take
    # that track on M1, the jog layer whose line the pin's via stack stands on
    sg = _side({"M1": 4, "M2": 4, "M3": 4, "M4": 4})
    track = sg.layers[0].tracks(20 * UM, 30 * UM)[0]
    # n is routed first (dict order), before m's own wiring reaches its pin
    nets = {"n": [PinPoint(int(track), 15 * UM, 0, "a/Z"), PinPoint(int(track), 35 * UM, 0, "b/A")],
            "m": [PinPoint(int(track), 25 * UM, 0, "c/Z"), PinPoint(55 * UM, 25 * UM, 0, "d/A")]}
    res = route_side(nets, sg, max_iterations=5)
    k = res.net_names.index("n")
    assert any(w.net == k and w.level == 1 and not w.horizontal and w.length >= 15 * UM
               for w in res.wires)  # n is on M1
    assert not _crosses(res, "n", 1, False, int(track), 25 * UM)
    assert res.shorts == 0
    assert find_opens(nets, res.net_names, res.wires, res.vias) == []


def test_a_blocked_pin_jog_becomes_an_l_through_a_nearby_track():
    # net "n" arrives at its pin (5, 5) um on a horizontal track; other nets' pins at (5, 4)
    # and (5, 6) block the M1 line x = 5 um above and below it, so no direct vertical jog is
    # clean: the wire stops at a nearby M1 track, jogs there and reaches the pin along M2
    sg = _side({"M1": 4, "M2": 4, "M3": 4, "M4": 4})
    nets = {"n": [PinPoint(5 * UM, 5 * UM, 0, "a/Z"), PinPoint(45 * UM, 5 * UM, 0, "b/A")],
            "m1": [PinPoint(5 * UM, 4 * UM, 0, "c/Z"), PinPoint(5 * UM, 55 * UM, 0, "d/A")],
            "m2": [PinPoint(5 * UM, 6 * UM, 0, "e/Z"), PinPoint(55 * UM, 55 * UM, 0, "f/A")]}
    res = route_side(nets, sg, max_iterations=5)
    for y in (4 * UM, 6 * UM):
        assert not _crosses(res, "n", 1, False, 5 * UM, y)
    k = res.net_names.index("n")
    assert any(w.net == k and w.level == 2 and w.horizontal and w.c == 5 * UM and w.length > 0
               and 5 * UM in (w.a, w.b) for w in res.wires)  # the last leg along the pin's own M2 line
    assert res.shorts == 0
    assert find_opens(nets, res.net_names, res.wires, res.vias) == []


def test_shorts_count_overlapping_wires_and_vias_on_other_nets_wires():
    from ffet_flow.route.detail import Wire, count_shorts

    wires = [Wire(0, 2, True, 1000, 0, 5000), Wire(1, 2, True, 1000, 4000, 9000),  # overlap
             Wire(2, 3, False, 7000, 0, 9000)]
    assert count_shorts(wires) == 1
    # net 0's via from level 2 to 3 at (7000, 1000) stands on net 2's level-3 wire and on net
    # 1's level-2 wire: one short for the via; net 2's own via there is no short
    assert count_shorts(wires, [(0, 2, 7000, 1000)]) == 2
    assert count_shorts(wires, [(2, 2, 7000, 500)]) == 1
    assert count_shorts(wires, [(0, 4, 7000, 1000)]) == 1  # levels 4-5: nothing there
