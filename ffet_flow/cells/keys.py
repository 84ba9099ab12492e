"""Configuration keys of the standard-cell library generator and its characterization."""

from __future__ import annotations

from ffet_flow.keys import Key

CELL_STEPS = ("cells", "synth", "floorplan", "place", "route", "extract", "sta")
CHAR_STEPS = ("cells", "synth", "sta")

# Characterization grid of a 5 nm-class library: input slews (20-80 %) from a sharp 2 ps edge
# to 160 ps (a weakly driven long net), loads from 0.1 fF (one small gate input is ~0.2 fF with
# this card) to 20 fF (~100 gate inputs or ~100 um of M2), geometric spacing, 7 points each.
DEFAULT_SLEWS = [0.002, 0.004, 0.009, 0.018, 0.037, 0.078, 0.16]
DEFAULT_LOADS = [0.1, 0.24, 0.58, 1.4, 3.4, 8.3, 20.0]

KEYS = [
    Key("input_pin_density", "float", 0.5, "fraction of the library's input pins exposed on "
        "the back side (FFET with signal_sides = both; treated as 0 otherwise)", min=0.0,
        max=1.0, steps=CELL_STEPS, sweep=True, group="cells"),
    Key("cell_list", "list[str]", [], "restrict the library to these cells (names like "
        "INV_X1); empty = the whole cell set", steps=CELL_STEPS, group="cells"),
    Key("char_slews", "list[float]", DEFAULT_SLEWS, "input transition times (20-80 %) of the "
        "NLDM tables, increasing", unit="ns", min=0.0005, max=5.0, steps=CHAR_STEPS,
        group="cells"),
    Key("char_loads", "list[float]", DEFAULT_LOADS, "output loads of the NLDM tables, "
        "increasing", unit="fF", min=0.01, max=1000.0, steps=CHAR_STEPS, group="cells"),
    Key("char_jobs", "int", 0, "parallel ngspice processes for characterization (0 = number "
        "of CPUs); does not change results", min=0, max=256, group="cells"),
]


def check(values: dict, report) -> None:
    for name in ("char_slews", "char_loads"):
        grid = values.get(name)
        if grid is None:
            continue
        grid = list(grid)
        if len(grid) < 2 or any(b <= a for a, b in zip(grid, grid[1:], strict=False)):
            report(name, ",".join(f"{v:g}" for v in grid),
                   "at least 2 values, strictly increasing")
