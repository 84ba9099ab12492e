"""`ffet route`: dual-sided routing of a placed DEF outside the flow."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "route a placed DEF on both wafer sides (layers from the LEF, tracks from the DEF)"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--def", dest="def_path", type=Path, required=True, help="placed DEF")
    p.add_argument("--lef", action="append", type=Path, required=True,
                   help="tech and cell LEF files (repeatable)")
    p.add_argument("--layers-json", type=Path, help="layers.json: which layers route signals "
                   "(default: every layer above the lowest of each side)")
    p.add_argument("--pins-json", type=Path, help="pin sides (pins.json)")
    p.add_argument("--gcell-rows", type=int, default=3)
    p.add_argument("--iterations", type=int, default=30,
                   help="global routing rip-up and reroute iterations")
    p.add_argument("--detail-iterations", type=int, default=40,
                   help="detailed routing rip-up and reroute iterations")
    p.add_argument("--adjustment", type=float, default=0.0,
                   help="fraction of tracks withheld from routing")
    p.add_argument("-o", "--out", type=Path, required=True, help="routed DEF")
    p.add_argument("--congestion", type=Path, help="directory for congestion PNGs")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.io.def_ import read_def, write_def
    from ffet_flow.io.lef import apply_pin_sides, layer_side, read_lef
    from ffet_flow.route.run import RouteOptions, route_design, write_congestion_maps
    from ffet_flow.util import json_dumps

    design = read_def(args.def_path)
    lib = apply_pin_sides(read_lef(args.lef, dbu_per_micron=design.dbu), args.pins_json)
    if args.layers_json:
        from ffet_flow.tech.model import read_layers_json

        tech = read_layers_json(args.layers_json)
        routable = {s: {la.name for la in tech.routing_layers(s)} for s in ("front", "back")}
    else:
        routable = {}
        for side in ("front", "back"):
            names = [la.name for la in lib.routing_layers() if layer_side(la.name) == side]
            routable[side] = set(names[1:] if side == "front" else names[:-1])
    from ffet_flow.place.parity import read_residues

    result = route_design(design, lib, routable,
                          RouteOptions(args.gcell_rows, args.iterations, args.adjustment,
                                       detail_iterations=args.detail_iterations),
                          source=str(args.def_path), residues=read_residues(args.pins_json))
    write_def(design, args.out)
    if args.congestion:
        write_congestion_maps(result, args.congestion)
    print(json_dumps(result.metrics), end="")
    return 0
