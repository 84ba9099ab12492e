"""`ffet layout`: the finished layout of a run as GDS and OASIS."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "write a run's finished layout (cells + both sides' routing) as GDS and OASIS"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_dir", type=Path, help="a flow run, e.g. build/riscv32/ffet")
    p.add_argument("-o", "--out", type=Path, help="output directory (default RUN_DIR/layout)")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.layout import write_run_layout

    paths = write_run_layout(args.run_dir, args.out)
    print(paths["gds"])
    return 0
