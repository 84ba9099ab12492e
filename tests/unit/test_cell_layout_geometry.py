"""Track grid, rail width and track assignment, against hand-computed values (dbu)."""

from __future__ import annotations

from ffet_flow.cells.geometry import assign_tracks, layer_tracks, rail_width


def test_tracks_of_3p5_track_row_with_top_rail():
    # M0: pitch 56, width 28, spacing 28, offset 28 (28 nm pitch at 2000 dbu/um); 3.5T = 196
    tracks = layer_tracks(28, 56, 28, 28, 196, (196,))
    assert tracks == (28, 84, 140)  # 196 is on the rail edge
    # the rail takes the room left above track 140: 2 x (56 - 14 - 28) = 28 (= M0 width)
    assert rail_width(tracks, 196, 28, 28, 56) == 28


def test_tracks_of_4_track_row_without_rails():
    # CFET front M0: no rails, the top track keeps half a spacing from the edge
    assert layer_tracks(28, 56, 28, 28, 224, ()) == (28, 84, 140, 196)
    # with rails on both edges the outer tracks go
    assert layer_tracks(28, 56, 28, 28, 224, (0, 224)) == (84, 140)


def test_assign_tracks_is_optimal_for_intervals():
    # three mutually overlapping wires need three tracks; a fourth fits after the first
    ivs = [("a", 0, 100), ("b", 50, 150), ("c", 90, 200), ("d", 128, 300)]
    tracks, used = assign_tracks(ivs, 3, spacing=28)
    assert used == 3
    assert tracks["d"] == tracks["a"]  # gap 128 - 100 = 28 >= spacing
    tracks, used = assign_tracks([("a", 0, 100), ("d", 127, 300)], 3, spacing=28)
    assert used == 2  # gap 27 < spacing: a new track
