"""`ffet cts`: a clock buffer tree on a placed DEF and its netlist (the flow's `cts` step).

`ffet cts --def placed.def --netlist netlist.v --liberty cells.lib --lef tech.lef --lef cells.lef
[--pins-json pins.json] [--clock clk] [--max-fanout 16] [--buffer BUF_X4] -o out/`
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "clock-tree synthesis on a placed DEF: buffer tree, legal buffer sites, new netlist"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--def", dest="def_path", type=Path, required=True, metavar="DEF",
                   help="placed DEF")
    p.add_argument("--netlist", type=Path, required=True, help="the Yosys netlist of the DEF")
    p.add_argument("--liberty", type=Path, required=True, help="Liberty (to find buffers)")
    p.add_argument("--lef", type=Path, action="append", required=True, metavar="LEF",
                   help="technology LEF, then cell LEF (repeatable)")
    p.add_argument("--pins-json", type=Path, help="pins.json of the cell library (pin sides)")
    p.add_argument("--clock", default="clk", help="clock port (default clk)")
    p.add_argument("--max-fanout", type=int, default=16, help="most sinks per buffer (16)")
    p.add_argument("--buffer", default="", help="clock buffer cell (default: the largest)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                   help="directory for cts.def and netlist_cts.v")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.config import load_config
    from ffet_flow.cts.run import run_cts
    from ffet_flow.util import json_dumps

    cfg = load_config(overrides={"cts_max_fanout": args.max_fanout, "cts_buffer": args.buffer,
                                 "clock_port": args.clock})  # validates like the flow's keys
    args.output.mkdir(parents=True, exist_ok=True)
    metrics = run_cts(def_path=args.def_path, netlist=args.netlist, liberty=args.liberty,
                      lefs=args.lef, pins_json=args.pins_json,
                      out_def=args.output / "cts.def", out_netlist=args.output / "netlist_cts.v",
                      clock_port=cfg.clock_port, max_fanout=cfg.cts_max_fanout,
                      buffer_name=cfg.cts_buffer)
    print(json_dumps(metrics), end="")
    return 0
