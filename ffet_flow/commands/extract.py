"""`ffet extract`: dual-sided RC extraction of a routed DEF into SPEF, outside a flow run."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "extract a routed DEF (front and back wiring) into one SPEF"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--def", dest="def_path", type=Path, required=True, help="routed DEF")
    p.add_argument("--layers", type=Path, required=True,
                   help="layers.json of the technology (from `ffet pdk`)")
    p.add_argument("--liberty", type=Path, required=True, help="cell library (.lib)")
    p.add_argument("--lef", type=Path, required=True, help="cell LEF (pin shapes)")
    p.add_argument("--pins", type=Path, help="pins.json (pin sides); default: LEF shapes")
    p.add_argument("-o", "--output", type=Path, required=True, help="SPEF file to write")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.errors import ConfigError, Issue
    from ffet_flow.steps.extract import extract_design
    from ffet_flow.util import json_dumps

    issues = []
    for flag, path in (("def", args.def_path), ("layers", args.layers),
                       ("liberty", args.liberty), ("lef", args.lef), ("pins", args.pins)):
        if path is not None and not path.is_file():
            issues.append(Issue(f"--{flag}", flag, str(path), "file not found"))
    if issues:
        raise ConfigError(issues)
    metrics = extract_design(args.def_path, args.layers, args.liberty, args.lef, args.pins,
                             args.output)
    print(json_dumps(metrics), end="")
    return 0
