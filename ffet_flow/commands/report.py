"""`ffet report`: plots and a Markdown + HTML report from a sweep's results."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue

HELP = "write plots (PNG, SVG) and a Markdown + HTML report from sweep results"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("results", type=Path, help="sweep directory or results.parquet/.csv")
    p.add_argument("-o", "--out", type=Path, help="report directory (default RESULTS/report)")


def run(args: argparse.Namespace) -> int:
    results = args.results
    table = results / "results.parquet" if results.is_dir() else results
    if not table.exists():
        raise ConfigError(Issue("command line", "RESULTS", str(table), "file not found"))
    out = args.out or (results if results.is_dir() else results.parent) / "report"
    from ffet_flow.sweep.report import write_report

    paths = write_report(results, out)
    print(paths["markdown"])
    return 0
