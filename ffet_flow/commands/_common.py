"""Arguments shared by several subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.config import Config, load_config


def add_tech_args(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("--tech", type=Path, required=required, metavar="TOML",
                   help="technology config, e.g. pdk/ffet.toml")
    p.add_argument("--set", dest="set_items", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config key (repeatable; `ffet config --list` shows keys)")


def config_from_args(args: argparse.Namespace, *extra_files: Path) -> Config:
    files = [f for f in (getattr(args, "tech", None), *extra_files) if f is not None]
    return load_config(files, set_items=getattr(args, "set_items", []))
