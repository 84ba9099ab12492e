"""`ffet flow`: run the whole flow (or part of it) for one design and technology variant."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ffet_flow.commands._common import add_tech_args
from ffet_flow.flow import BUILD, STEP_NAMES, run_flow, select_steps, setup_flow
from ffet_flow.log import get_logger, warnings_mark, warnings_seen

HELP = ("run the flow (pdk, cells, synth, floorplan, place, cts, tracks, route, drc, extract, "
        "sta) for a design")

#: headline metrics printed at the end of a run: (name, label, scale, unit shown)
HEADLINE = (("finish__timing__fmax", "fmax", 1e-6, "MHz"),
            ("finish__power__total", "power", 1e3, "mW"),
            ("design__core__area", "core area", 1.0, "um^2"),
            ("design__instance__count", "instances", 1.0, ""))


def add_flow_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--design", required=True,
                   help="design name (designs/<name>/config.toml) or a design directory")
    add_tech_args(p)
    p.add_argument("--variant", help="run name under build/<design>/ (default: the tech file's "
                   "stem and the sorted --set items)")
    p.add_argument("--build-dir", type=Path, default=BUILD, metavar="DIR",
                   help="root of the run directories (default: build/)")


def register(p: argparse.ArgumentParser) -> None:
    add_flow_args(p)
    p.add_argument("--to", choices=STEP_NAMES, metavar="STEP",
                   help="stop after STEP (one of " + ", ".join(STEP_NAMES) + ")")
    p.add_argument("--from", dest="start", choices=STEP_NAMES, metavar="STEP",
                   help="redo STEP and every later step even when up to date")
    p.add_argument("--print-run-dir", action="store_true",
                   help="only validate the inputs and print the run directory")


def warning_summary(since: int = 0, until: int | None = None) -> list[str]:
    """Each distinct warning between two marks (ffet_flow.log.warnings_mark) once, with how
    often it was seen."""
    counts = Counter(warnings_seen(since, until))
    return [f"{m}" + (f" (x{n})" if n > 1 else "") for m, n in counts.items()]


def print_warnings(since: int = 0, until: int | None = None, during: str = "the run") -> None:
    lines = warning_summary(since, until)
    if lines:
        print(f"{len(lines)} distinct warning(s) during {during}:", file=sys.stderr)
        for line in lines:
            print(f"  - {line}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    chosen, _ = select_steps(STEP_NAMES, args.to, args.start)
    setup = setup_flow(args.design, args.tech, args.set_items, args.variant, args.build_dir,
                       steps=[] if args.print_run_dir else chosen)
    if args.print_run_dir:
        print(setup.run_dir)
        return 0
    mark = warnings_mark()
    try:
        result = run_flow(setup, to=args.to, start=args.start)
    finally:
        print_warnings(mark)
    done = sum(not r.skipped for r in result.steps)
    get_logger("flow").info("%d step(s) run, %d up to date, %.1f s", done,
                            len(result.steps) - done, result.seconds)
    for name, label, scale, unit in HEADLINE:
        value = result.metrics.get(name)
        if isinstance(value, (int, float)):
            print(f"{label:>10}: {value * scale:.6g} {unit}".rstrip())
    print(setup.run_dir / "metrics.json")
    return 0
