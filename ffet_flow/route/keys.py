"""Configuration keys of dual-sided routing."""

from __future__ import annotations

from ffet_flow.keys import Key

ROUTE_STEPS = ("route", "extract", "sta")

KEYS = [
    Key("route_gcell_rows", "int", 3, "global-routing cell size in standard-cell rows", min=1,
        max=100, steps=ROUTE_STEPS, group="route"),
    Key("route_max_iterations", "int", 30, "global routing: rip-up and reroute iteration limit",
        min=0, max=1000, steps=ROUTE_STEPS, group="route"),
    Key("route_detail_iterations", "int", 40, "detailed routing: rip-up and reroute iteration "
        "limit (negotiated congestion on the track graph)", min=1, max=1000, steps=ROUTE_STEPS,
        group="route"),
    Key("route_via_cost", "float", 10.0, "detailed routing: cost of a via in pitches of the "
        "second routing layer (higher: fewer vias, more wire on the layer over the pins)",
        min=0.1, max=100.0, steps=ROUTE_STEPS, group="route"),
    Key("route_capacity_adjustment", "float", 0.0, "fraction of every layer's tracks withheld "
        "from global routing (OpenROAD's layer adjustment)", min=0.0, max=0.95,
        steps=ROUTE_STEPS, sweep=True, group="route"),
]


def check(values: dict, report) -> None:
    pass
