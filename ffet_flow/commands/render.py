"""`ffet render`: PNG views of a run's layout (front, back, both, congestion hot spot)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue

HELP = "render PNG views of a run's layout: front only, back only, both, hot spot"


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
        if w < 16 or h < 16:
            raise ValueError
        return w, h
    except ValueError:
        raise ConfigError(Issue("--size", "--size", text,
                                "WIDTHxHEIGHT in pixels, each >= 16")) from None


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_dir", type=Path, help="a flow run, e.g. build/riscv32/ffet")
    p.add_argument("-o", "--out", type=Path, help="output directory (default RUN_DIR/render)")
    p.add_argument("--size", default="1200x1200", help="image size WIDTHxHEIGHT (pixels)")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.render import render_run

    paths = render_run(args.run_dir, args.out, _size(args.size))
    for path in paths.values():
        print(path)
    return 0
