"""`ffet bench`: run the benchmarks and merge their figures into reports/bench/bench.json, or
(`--readme`) write the README's measured-figures block from a tracked bench snapshot."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.bench import ROOT, discover, run_benchmarks
from ffet_flow.errors import ConfigError, Issue

HELP = "run benchmarks (all, or those whose name starts with --only) into bench.json"
REFERENCE = ROOT / "reports/bench/reference.json"
README = ROOT / "README.md"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--only", action="append", default=[], metavar="PREFIX",
                   help="run only benchmarks whose name starts with PREFIX (repeatable)")
    p.add_argument("--list", action="store_true", help="list benchmark names")
    p.add_argument("-o", "--output", type=Path, default=ROOT / "reports/bench/bench.json")
    p.add_argument("--readme", action="store_true",
                   help="run no benchmark: write README.md's measured-figures block from the "
                        "snapshot (--snapshot)")
    p.add_argument("--snapshot", type=Path, default=REFERENCE, metavar="FILE",
                   help="bench snapshot --readme reads (default: reports/bench/reference.json)")


def _shown(path: Path) -> str:
    """A path as the README names it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def write_readme(snapshot: Path, readme: Path = README) -> bool:
    """Rewrite the README's figures block from the snapshot; True if the text changed."""
    from ffet_flow.bench.readme import figures_block, read_snapshot, replace_block
    from ffet_flow.util import atomic_write_text

    block = figures_block(read_snapshot(snapshot), _shown(snapshot))
    try:
        old = readme.read_text()
    except OSError as exc:
        raise ConfigError(Issue(str(readme), "README", str(readme),
                                f"cannot be read ({exc.strerror})")) from None
    new = replace_block(old, block, str(readme))
    if new != old:
        atomic_write_text(readme, new)
    return new != old


def run(args: argparse.Namespace) -> int:
    if args.list:
        for name in discover():
            print(name)
        return 0
    if args.readme:
        if args.only:
            raise ConfigError(Issue("--only", "only", args.only,
                                    "--readme runs no benchmark; drop --only"))
        changed = write_readme(args.snapshot)
        print(f"{_shown(README)}: figures block {'rewritten' if changed else 'unchanged'} "
              f"from {_shown(args.snapshot)}")
        return 0
    results = run_benchmarks(args.only, args.output, ROOT / "build" / "bench")
    shown = {k: v for k, v in results.items() if not k.startswith("_")}
    for k in sorted(shown):
        print(f"{k}: {shown[k]}")
    return 0
