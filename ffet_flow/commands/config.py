"""`ffet config`: list every configuration key, or validate and print a resolved config."""

from __future__ import annotations

import argparse
import sys

from ffet_flow.commands._common import add_tech_args, config_from_args
from ffet_flow.config import registry_table
from ffet_flow.util import json_dumps

HELP = "list the configuration keys, or check and print a resolved configuration"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("--list", action="store_true", help="print every key: type, default, unit, "
                   "allowed values, sweepable, steps that read it")
    p.add_argument("--markdown", action="store_true", help="with --list: a Markdown table")
    p.add_argument("--group", help="with --list: only keys of this group (tech, cells, ...)")
    add_tech_args(p, required=False)


def markdown_table(group: str | None = None) -> str:
    """The registry as a Markdown table (the README embeds it)."""
    cols = ["key", "group", "type", "default", "allowed", "sweep", "description"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in registry_table(group):
        lines.append("| " + " | ".join(r[c].replace("|", "/") for c in cols) + " |")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    if args.list:
        rows = registry_table(args.group)
        if args.markdown:
            print(markdown_table(args.group), end="")
        else:
            for r in rows:
                print(f"{r['key']:<26} {r['type']:<10} default {r['default']:<12} "
                      f"{r['allowed']}{'  [sweep]' if r['sweep'] else ''}")
                print(f"{'':<26} {r['group']}: {r['description']}")
        return 0
    cfg = config_from_args(args)
    sys.stdout.write(json_dumps(cfg.as_dict()))
    return 0
