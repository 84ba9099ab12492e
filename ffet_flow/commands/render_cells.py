"""`ffet render-cells`: standard cells of several technologies side by side in one PNG."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.bench import ROOT
from ffet_flow.cellview import DEFAULT_CELLS

NAME = "render-cells"
HELP = "render cells of several technologies (default FFET and CFET) side by side, same scale"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tech", action="append", type=Path, default=[],
                   help="technology file (repeatable; default pdk/ffet.toml and pdk/cfet.toml)")
    p.add_argument("--cells", default=",".join(DEFAULT_CELLS), help="comma-separated cell names")
    p.add_argument("--height", type=int, default=500, help="image height in pixels")
    p.add_argument("-o", "--out", type=Path, default=ROOT / "build/render/cells.png")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.cellview import render_architectures

    techs = args.tech or [ROOT / "pdk/ffet.toml", ROOT / "pdk/cfet.toml"]
    cells = [c.strip() for c in args.cells.split(",") if c.strip()]
    path = render_architectures(techs, args.out, args.out.parent / "cells-work", cells,
                                args.height)
    print(path)
    return 0
