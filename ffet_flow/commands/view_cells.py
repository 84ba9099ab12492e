"""`ffet view-cells`: open a technology's standard-cell layouts in the KLayout GUI."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ffet_flow.bench import ROOT
from ffet_flow.errors import ConfigError, Issue

NAME = "view-cells"
HELP = "open the standard cells of a technology in the KLayout GUI (layouts only)"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tech", type=Path, required=True, help="technology file, e.g. pdk/ffet.toml")
    p.add_argument("--set", dest="set_items", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("-o", "--out", type=Path, help="directory for cells.gds and the KLayout files")
    p.add_argument("--print", dest="print_only", action="store_true",
                   help="write the files and print the KLayout command instead of starting it")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.cellview import cells_gds
    from ffet_flow.commands.view import klayout_argv

    out = args.out or ROOT / "build/view-cells" / args.tech.stem
    paths = cells_gds(args.tech, out, set_items=args.set_items)
    argv = klayout_argv(paths["cells_gds"], paths["lyt"], paths["lyp"])
    if args.print_only:
        print(" ".join(argv))
        return 0
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        raise ConfigError(Issue("environment", "DISPLAY", "", "no display for the KLayout GUI; "
                                "use `ffet render-cells` for a PNG"))
    os.execv(argv[0], argv)
    return 0
