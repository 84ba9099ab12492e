"""`ffet floorplan`: die, rows, tracks, I/O pins and rails for a netlist, as DEF."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.commands._common import add_tech_args

HELP = "floorplan a netlist (core from utilization and aspect ratio, rows, tracks, pins, rails)"


def register(p: argparse.ArgumentParser) -> None:
    add_tech_args(p, required=False)
    p.add_argument("--lef", type=Path, action="append", required=True, metavar="LEF",
                   help="technology LEF, then cell LEF (repeatable)")
    p.add_argument("--netlist", type=Path, required=True, help="structural Verilog netlist")
    p.add_argument("--pins-json", type=Path, help="pins.json of the cell library (pin sides)")
    p.add_argument("--top", help="top module (default: the module nobody instantiates)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DEF")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.commands._common import config_from_args
    from ffet_flow.place.floorplan import FloorplanOptions
    from ffet_flow.place.run import run_floorplan
    from ffet_flow.util import json_dumps

    cfg = config_from_args(args)
    opts = FloorplanOptions(utilization=cfg.utilization, aspect_ratio=cfg.aspect_ratio,
                            core_margin=cfg.core_margin)
    dbu = cfg.dbu_per_micron if args.tech is not None else None
    metrics = run_floorplan(args.lef, args.netlist, args.output, opts,
                            pins_json=args.pins_json, dbu=dbu, top=args.top)
    print(json_dumps(metrics), end="")
    return 0
