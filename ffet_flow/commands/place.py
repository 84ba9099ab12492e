"""`ffet place`: place a DEF (floorplan or any unplaced/partly fixed DEF) with Coloquinte.

Also runs on the OpenROAD cases as given:
`ffet place --lef nangate45.lef --def medium01.def --density 0.7 -o out.def`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.commands._common import add_tech_args

HELP = "place a DEF: global placement, legalization, detailed placement (Coloquinte)"


def register(p: argparse.ArgumentParser) -> None:
    add_tech_args(p, required=False)
    p.add_argument("--def", dest="def_path", type=Path, required=True, metavar="DEF",
                   help="floorplan DEF (rows, pins; components and nets or --netlist)")
    p.add_argument("--lef", type=Path, action="append", required=True, metavar="LEF",
                   help="technology LEF, then cell LEF (repeatable)")
    p.add_argument("--netlist", type=Path, help="structural Verilog netlist (fills an empty "
                   "DEF, or is checked against its components)")
    p.add_argument("--pins-json", type=Path, help="pins.json of the cell library (pin sides)")
    p.add_argument("--top", help="top module of the netlist")
    p.add_argument("--density", type=float, help="target density (key place_density)")
    p.add_argument("--effort", type=int, help="Coloquinte effort 1..9 (key place_effort)")
    p.add_argument("--seed", type=int, help="placer seed (key place_seed)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DEF")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.config import load_config
    from ffet_flow.steps.place import place_options
    from ffet_flow.util import json_dumps

    overrides = {k: v for k, v in (("place_density", args.density),
                                   ("place_effort", args.effort), ("place_seed", args.seed))
                 if v is not None}
    files = [args.tech] if args.tech is not None else []
    cfg = load_config(files, overrides=overrides, set_items=args.set_items)
    from ffet_flow.place.run import run_placement

    metrics = run_placement(args.def_path, args.lef, args.output, place_options(cfg),
                            netlist=args.netlist, pins_json=args.pins_json, top=args.top)
    print(json_dumps(metrics), end="")
    return 0
