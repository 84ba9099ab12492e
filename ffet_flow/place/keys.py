"""Configuration keys of floorplanning and placement."""

from __future__ import annotations

from ffet_flow.keys import Key

KEYS = [
    Key("utilization", "float", 0.7, "target core utilization (cell area / core area)",
        min=0.0, max=1.0, min_exclusive=True, max_exclusive=True,
        steps=("floorplan", "place", "route", "extract", "sta"), sweep=True, group="floorplan"),
    Key("aspect_ratio", "float", 1.0, "core height / core width", min=0.1, max=10.0,
        steps=("floorplan", "place", "route", "extract", "sta"), sweep=True, group="floorplan"),
    Key("core_margin", "float", 1.0, "space between die edge and core on each side", unit="um",
        min=0.0, max=1000.0, steps=("floorplan", "place", "route", "extract", "sta"),
        group="floorplan"),
    Key("place_seed", "int", 1, "random seed of the placer", min=0, max=2**31 - 1,
        steps=("place", "route", "extract", "sta"), sweep=True, group="place"),
    Key("place_effort", "int", 3, "placer effort (Coloquinte effort level)", min=1, max=9,
        steps=("place", "route", "extract", "sta"), group="place"),
    # OpenROAD's global_placement uses a target density of 0.7 unless told otherwise (the
    # value of its regression cases, shared/benchmarks/openroad-tests/README.md)
    Key("place_density", "float", 0.7, "target local cell density of global placement (cells "
        "are inflated by 1/density while spread, as RePlAce/OpenROAD's target density)",
        min=0.0, max=1.0, min_exclusive=True, steps=("place", "route", "extract", "sta"),
        sweep=True, group="place"),
    Key("place_net_model", "str", "split", "how nets are given to the placer: 'split' = each "
        "net as its front and back sub-nets (weighted per side), 'whole' = one net",
        choices=("split", "whole"), steps=("place", "route", "extract", "sta"), group="place"),
    Key("place_weight_front", "float", 1.0, "net weight of front-side sub-nets in placement",
        min=0.0, max=100.0, steps=("place", "route", "extract", "sta"), sweep=True, group="place"),
    Key("place_weight_back", "float", 1.0, "net weight of back-side sub-nets in placement",
        min=0.0, max=100.0, steps=("place", "route", "extract", "sta"), sweep=True, group="place"),
]


def check(values: dict, report) -> None:
    pass
