"""Configuration keys of the standard-cell library generator and its characterization."""

from __future__ import annotations

from ffet_flow.keys import Key

CELL_STEPS = ("cells", "synth", "floorplan", "place", "route", "extract", "sta")

KEYS = [
    Key("input_pin_density", "float", 0.5, "fraction of the library's input pins exposed on "
        "the back side (FFET with signal_sides = both; treated as 0 otherwise)", min=0.0,
        max=1.0, steps=CELL_STEPS, sweep=True, group="cells"),
    Key("cell_list", "list[str]", [], "restrict the library to these cells (names like "
        "INV_X1); empty = the whole cell set", steps=CELL_STEPS, group="cells"),
]


def check(values: dict, report) -> None:
    pass
