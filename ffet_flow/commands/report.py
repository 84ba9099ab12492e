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
    p.add_argument("--rules", type=Path, metavar="JSON",
                   help="QoR rules every point must pass to be compared (default: rules.json "
                   "of the sweep's design)")


def run(args: argparse.Namespace) -> int:
    results = args.results
    table = results / "results.parquet" if results.is_dir() else results
    if not table.exists():
        raise ConfigError(Issue("command line", "RESULTS", str(table), "file not found"))
    out = args.out or (results if results.is_dir() else results.parent) / "report"
    from ffet_flow.sweep.report import write_report

    images = [] if args.no_layouts else _layout_images(results, out, args.rules)
    paths = write_report(results, out, images=images, rules_path=args.rules)
    print(paths["markdown"])
    return 0


#: the cell view's width in pixels: the report page's, so its labels are shown at their size
CELLS_WIDTH = 1050


def _layout_images(results: Path, out: Path, rules: Path | None) -> list[tuple[Path, str]]:
    """(image, caption): FFET and CFET cells side by side, and both-sides and hot-spot views of
    the sweep's best gate-passing dual-sided FFET variant when its run directory is at hand."""
    import json

    import matplotlib.image

    from ffet_flow.bench import ROOT
    from ffet_flow.cellview import DEFAULT_CELLS, render_architectures
    from ffet_flow.config import load_config
    from ffet_flow.render import render_run
    from ffet_flow.sweep.compare import shown_keys
    from ffet_flow.sweep.report import best_point, gated_frame, settings

    out.mkdir(parents=True, exist_ok=True)
    techs = [ROOT / "pdk/ffet.toml", ROOT / "pdk/cfet.toml"]
    cells_png, height = out / "cells.png", 500
    render_architectures(techs, cells_png, out / "cells-work", height=height)
    width = matplotlib.image.imread(cells_png).shape[1]
    if width > CELLS_WIDTH:  # KLayout's label font has a fixed size: draw at the page's width
        render_architectures(techs, cells_png, out / "cells-work",
                             height=height * CELLS_WIDTH // width)
    ordered = sorted(techs, key=lambda p: p.stem)  # render_cells' order
    names = [f"{t.stem.upper()} {c}" for t in ordered for c in DEFAULT_CELLS]
    rows = [f"{t.stem.upper()}: {load_config([t]).values['cell_height_tracks']:g}-track rows"
            for t in ordered]
    images = [(cells_png, "Standard cells at one scale, left to right: " + ", ".join(names) +
               " (" + ", ".join(rows) + ").")]
    frame, _ = gated_frame(results, rules)
    best = best_point(frame)
    sweep_dir = results if results.is_dir() else results.parent
    try:
        spec = json.loads((sweep_dir / "spec.json").read_text())
    except (OSError, ValueError):
        return images
    if best is not None:
        run_dir = Path(spec.get("build_root", ROOT / "build")) / spec["design"] / best["variant"]
        if any(run_dir.glob("*-route/routed.def")):
            shots = render_run(run_dir, out / "best", size=(900, 900))
            named = settings(best, shown_keys(frame))
            images += [(shots["both"], f"Best FFET dual-sided point ({named}): both sides."),
                       (shots["hotspot"], f"Best FFET dual-sided point ({named}): the most "
                        "congested gcell.")]
    return images
