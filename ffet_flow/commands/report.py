"""`ffet report`: plots and a Markdown + HTML report from a sweep's results."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue

HELP = "write plots (PNG, SVG) and a Markdown + HTML report from sweep results"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("results", type=Path, help="sweep directory or results.parquet/.csv")
    p.add_argument("-o", "--out", type=Path, help="report directory (default RESULTS/report)")
    p.add_argument("--no-layouts", action="store_true",
                   help="leave out the cell and block layout views")


def run(args: argparse.Namespace) -> int:
    results = args.results
    table = results / "results.parquet" if results.is_dir() else results
    if not table.exists():
        raise ConfigError(Issue("command line", "RESULTS", str(table), "file not found"))
    out = args.out or (results if results.is_dir() else results.parent) / "report"
    from ffet_flow.sweep.report import write_report

    images = [] if args.no_layouts else _layout_images(results, out)
    paths = write_report(results, out, images=images)
    print(paths["markdown"])
    return 0


def _layout_images(results: Path, out: Path) -> list[Path]:
    """FFET and CFET cells side by side, and both-sides and hot-spot views of the sweep's best
    dual-sided FFET variant when its run directory is at hand."""
    import json

    from ffet_flow.bench import ROOT
    from ffet_flow.cellview import render_architectures
    from ffet_flow.render import render_run
    from ffet_flow.sweep.report import best_point, classify
    from ffet_flow.sweep.table import read_results

    out.mkdir(parents=True, exist_ok=True)
    images = [render_architectures([ROOT / "pdk/ffet.toml", ROOT / "pdk/cfet.toml"],
                                   out / "cells.png", out / "cells-work")]
    frame = classify(read_results(results))
    best = best_point(frame[frame["status"] == "ok"])
    sweep_dir = results if results.is_dir() else results.parent
    try:
        spec = json.loads((sweep_dir / "spec.json").read_text())
    except (OSError, ValueError):
        return images
    if best is not None:
        run_dir = Path(spec.get("build_root", ROOT / "build")) / spec["design"] / best["variant"]
        if any(run_dir.glob("*-route/routed.def")):
            shots = render_run(run_dir, out / "best", size=(900, 900))
            images += [shots["both"], shots["hotspot"]]
    return images
