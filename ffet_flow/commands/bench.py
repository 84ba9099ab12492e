"""`ffet bench`: run the benchmarks and merge their figures into reports/bench/bench.json."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.bench import ROOT, discover, run_benchmarks

HELP = "run benchmarks (all, or those whose name starts with --only) into bench.json"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--only", action="append", default=[], metavar="PREFIX",
                   help="run only benchmarks whose name starts with PREFIX (repeatable)")
    p.add_argument("--list", action="store_true", help="list benchmark names")
    p.add_argument("-o", "--output", type=Path, default=ROOT / "reports/bench/bench.json")


def run(args: argparse.Namespace) -> int:
    if args.list:
        for name in discover():
            print(name)
        return 0
    results = run_benchmarks(args.only, args.output, ROOT / "build" / "bench")
    shown = {k: v for k, v in results.items() if not k.startswith("_")}
    for k in sorted(shown):
        print(f"{k}: {shown[k]}")
    return 0
