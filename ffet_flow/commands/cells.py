"""`ffet cells`: build the standard-cell library of one (tech, input-pin density) point."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.commands._common import add_tech_args, config_from_args
from ffet_flow.log import get_logger

HELP = ("generate and characterize the cell library: cells.lef, cells.gds, cells.lib, cells.v, "
        "cells.sp, pins.json")


def register(p: argparse.ArgumentParser) -> None:
    add_tech_args(p)
    p.add_argument("-o", "--output", type=Path, default=None, metavar="DIR",
                   help="output directory (default: build/cells/<arch>)")
    p.add_argument("--cache", type=Path, default=None, metavar="DIR",
                   help="library cache (default: build/cache/cells)")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.cells.library import build_library

    cfg = config_from_args(args)
    out = args.output if args.output is not None else Path("build/cells") / cfg.arch
    paths = build_library(cfg, out, cache_root=args.cache)
    get_logger("cells").info("%s library (input pin density %.3g) written to %s", cfg.arch,
                             cfg.effective_input_pin_density, out)
    for name in sorted(paths):
        print(paths[name])
    return 0
