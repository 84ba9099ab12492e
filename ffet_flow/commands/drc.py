"""`ffet drc`: design-rule check of a routed DEF with KLayout (both wafer sides).

Exit status 0 when clean, 1 when violations were found, 2 for bad input (a missing file, a
DEF layer or via the LEF lacks). Writes `drc.lyrdb` (KLayout markers) and `drc.json`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "design-rule check of a routed DEF (shorts, spacing, end of line, area, cuts, tracks)"


def add_input_args(p: argparse.ArgumentParser) -> None:
    """RUN_DIR or explicit files; shared with `ffet lvs`."""
    p.add_argument("run_dir", type=Path, nargs="?",
                   help="a flow run, e.g. build/riscv32/ffet (reads its routed DEF and LEFs)")
    p.add_argument("--def", dest="def_path", type=Path, help="routed DEF (instead of RUN_DIR)")
    p.add_argument("--lef", action="append", type=Path, default=[],
                   help="tech and cell LEF files (repeatable; with --def)")
    p.add_argument("--netlist", type=Path, help="Verilog netlist (LVS reference)")
    p.add_argument("-o", "--out", type=Path,
                   help="output directory (default RUN_DIR/verify, or beside the DEF)")


def inputs_from_args(args: argparse.Namespace):
    """(DEF, LEFs, netlist, output directory) from RUN_DIR or --def/--lef."""
    from ffet_flow.errors import ConfigError, Issue
    from ffet_flow.verify.run import run_inputs

    if args.def_path is not None:
        if not args.lef:
            raise ConfigError(Issue("command line", "--lef", None,
                                    "give the tech and cell LEF files with --def"))
        out = args.out or args.def_path.parent / "verify"
        return args.def_path, list(args.lef), args.netlist, out
    if args.run_dir is None:
        raise ConfigError(Issue("command line", "RUN_DIR", None, "give a run directory or --def"))
    found = run_inputs(args.run_dir)
    netlist = args.netlist or found.netlist
    return found.routed_def, list(found.lefs), netlist, args.out or args.run_dir / "verify"


def register(p: argparse.ArgumentParser) -> None:
    add_input_args(p)
    p.add_argument("--lvs", action="store_true", help="also check connectivity (as ffet lvs)")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.verify.report import drc_lines, lvs_lines
    from ffet_flow.verify.run import check_layout

    def_path, lefs, netlist, out = inputs_from_args(args)
    result = check_layout(def_path, lefs, netlist=netlist, out_dir=out, lvs=args.lvs)
    assert result.drc is not None
    lines = drc_lines(result.drc)
    if result.lvs is not None:
        lines += lvs_lines(result.lvs)
    print("\n".join(lines))
    print(f"markers: {result.drc.rdb}")
    return 0 if result.clean else 1
