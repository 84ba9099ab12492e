"""`ffet sta`: OpenSTA sign-off of one netlist (+ SPEF) outside a flow run."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.steps.keys import KEYS

HELP = "timing and power sign-off with OpenSTA: slack, critical path, fmax, power"

_ACTIVITY = next(k for k in KEYS if k.name == "activity")


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--netlist", type=Path, required=True, help="gate-level Verilog")
    p.add_argument("--liberty", type=Path, required=True, help="cell library (.lib)")
    p.add_argument("--spef", type=Path, help="parasitics (omit: no wire RC)")
    p.add_argument("--sdc", type=Path, required=True, help="constraints with one create_clock")
    p.add_argument("--top", required=True, help="top module")
    p.add_argument("--period", type=float, required=True, metavar="NS",
                   help="clock period replacing the SDC's (ns)")
    p.add_argument("--activity", type=float, default=_ACTIVITY.default,
                   help=f"switching activity per clock cycle (default {_ACTIVITY.default})")
    p.add_argument("-o", "--out-dir", type=Path, required=True,
                   help="directory for timing.json, power.json, sta_report.txt, sta.log")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.errors import ConfigError, Issue
    from ffet_flow.steps.sta import run_signoff
    from ffet_flow.util import json_dumps

    issues = []
    for flag in ("netlist", "liberty", "spef", "sdc"):
        path = getattr(args, flag)
        if path is not None and not path.is_file():
            issues.append(Issue(f"--{flag}", flag, str(path), "file not found"))
    if not args.period > 0:
        issues.append(Issue("--period", "period", args.period, "must be > 0 ns"))
    _, err = _ACTIVITY.check(args.activity)
    if err:
        issues.append(Issue("--activity", "activity", args.activity, err))
    if issues:
        raise ConfigError(issues)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    metrics = run_signoff(netlist=args.netlist, liberty=args.liberty, spef=args.spef,
                          sdc=args.sdc, top=args.top, period_ns=args.period,
                          activity=args.activity, out_dir=args.out_dir,
                          log_path=args.out_dir / "sta.log", append_log=False)
    print(json_dumps(metrics), end="")
    return 0
