"""`ffet sweep`: run a parameter sweep from a spec file or from flags."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.config import parse_set
from ffet_flow.errors import ConfigError, Issue
from ffet_flow.log import get_logger
from ffet_flow.sweep.spec import ROOT, from_parts, load_spec, parse_vary

HELP = "run a sweep over registry keys (local processes or Ray) into one results table"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", nargs="?", type=Path, help="sweep spec (TOML); or use the flags")
    p.add_argument("--design", help="design to sweep (designs/<name>)")
    p.add_argument("--tech", default="pdk/ffet.toml", help="base technology file")
    p.add_argument("--set", dest="set_items", action="append", default=[], metavar="KEY=VALUE",
                   help="fixed override for every variant (repeatable)")
    p.add_argument("--vary", action="append", default=[], metavar="KEY=V1,V2,...",
                   help="sweep KEY over values (repeatable; the product of all --vary)")
    p.add_argument("-o", "--out", type=Path, help="sweep directory (default build/sweeps/NAME)")
    p.add_argument("-j", "--jobs", type=int, default=1, help="variants run at once")
    p.add_argument("--executor", choices=("local", "ray"), default="local")
    p.add_argument("--address", help="Ray cluster address (default: start a local cluster)")
    p.add_argument("--build-dir", type=Path, default=None, metavar="DIR",
                   help="root of the variants' run directories and step cache (default build)")
    p.add_argument("--runner", default="flow", help=argparse.SUPPRESS)
    p.add_argument("--dry-run", action="store_true", help="list the variants and stop")


def run(args: argparse.Namespace) -> int:
    if args.spec is not None:
        spec = load_spec(args.spec)
    else:
        if not args.design:
            raise ConfigError(Issue("command line", "--design", None,
                                    "give a spec file or --design with --vary"))
        fixed, issues = parse_set(args.set_items)
        grid, vary_issues = parse_vary(args.vary)
        if issues or vary_issues:
            raise ConfigError(issues + vary_issues)
        spec = from_parts(args.design, args.tech, fixed, [grid], name=f"{args.design}-sweep",
                          source="command line")
    if args.jobs < 1:
        raise ConfigError(Issue("command line", "--jobs", args.jobs, "at least 1"))
    if args.dry_run:
        for v in spec.variants:
            print(v.name)
        return 0
    from ffet_flow.sweep.execute import SweepOptions, run_sweep

    out = args.out or ROOT / "build" / "sweeps" / spec.name
    opts = SweepOptions(out_dir=out, jobs=args.jobs, executor=args.executor,
                        address=args.address, runner=args.runner)
    if args.build_dir is not None:
        from dataclasses import replace

        opts = replace(opts, build_root=args.build_dir.resolve())
    paths = run_sweep(spec, opts)
    get_logger("sweep").info("results: %s", paths["csv"])
    print(paths["parquet"])
    return 0
