"""`ffet lvs`: connectivity of a routed DEF's shapes against the netlist (or its DEF NETS).

Exit status 0 when clean, 1 when opens, shorts or unconnected terminals were found, 2 for bad
input. Writes `lvs.lyrdb` (KLayout markers at the terminals) and `lvs.json` (per net).
"""

from __future__ import annotations

import argparse

from ffet_flow.commands.drc import add_input_args, inputs_from_args

HELP = "connectivity check (LVS) of a routed DEF against the netlist: opens, shorts, unconnected"


def register(p: argparse.ArgumentParser) -> None:
    add_input_args(p)
    p.add_argument("--def-nets", action="store_true",
                   help="compare with the DEF's own NETS even when a netlist is known")


def run(args: argparse.Namespace) -> int:
    from ffet_flow.verify.report import lvs_lines
    from ffet_flow.verify.run import check_layout

    def_path, lefs, netlist, out = inputs_from_args(args)
    if args.def_nets:
        netlist = None
    result = check_layout(def_path, lefs, netlist=netlist, out_dir=out, drc=False)
    assert result.lvs is not None
    print("\n".join(lvs_lines(result.lvs)))
    print(f"report: {out / 'lvs.json'}")
    return 0 if result.lvs.clean else 1
