"""`ffet synth`: Yosys + ABC synthesis of a design's RTL onto a Liberty, outside a flow run."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "synthesize a design's RTL onto a Liberty library with Yosys + ABC"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--design", required=True,
                   help="design name (designs/<name>) or directory with a config.toml")
    p.add_argument("--liberty", type=Path, required=True, help="cell library (.lib)")
    p.add_argument("--period", type=float, metavar="NS",
                   help="clock period target for ABC (default: the design's clock_period)")
    p.add_argument("-o", "--out-dir", type=Path, required=True,
                   help="directory for netlist.v, synth_stats.json and synth.log")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.config import load_config
    from ffet_flow.errors import ConfigError, Issue
    from ffet_flow.flow import find_design
    from ffet_flow.steps.synth import synthesize
    from ffet_flow.util import json_dumps

    _, design_dir = find_design(args.design)
    cfg = load_config([design_dir / "config.toml"])
    issues = []
    if not args.liberty.is_file():
        issues.append(Issue("--liberty", "liberty", str(args.liberty), "file not found"))
    period = cfg.clock_period if args.period is None else args.period
    if not period > 0:
        issues.append(Issue("--period", "period", period, "must be > 0 ns"))
    if issues:
        raise ConfigError(issues)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    metrics = synthesize(rtl=[design_dir / p for p in cfg.verilog], top=cfg.top,
                         liberty=args.liberty, period_ns=float(period), out_dir=args.out_dir,
                         netlist=args.out_dir / "netlist.v", log_path=args.out_dir / "synth.log",
                         append_log=False)
    print(json_dumps(metrics), end="")
    return 0
