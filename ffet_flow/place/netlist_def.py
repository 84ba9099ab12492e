"""A DEF design (unplaced components, I/O pins, nets) from a structural netlist and a library.

Net names are the netlist's bit names after `assign` aliasing (port names win). Pins tied to a
constant (1'b0/1'b1) are left unconnected and counted: a flow synthesizes with tie cells, so
a constant reaching placement is reported, not routed.
"""

from __future__ import annotations

import numpy as np

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.def_ import Design, IoPin, Net
from ffet_flow.io.lef import Library
from ffet_flow.io.verilog import Netlist
from ffet_flow.log import get_logger

log = get_logger("floorplan")


def check_cells(netlist: Netlist, lib: Library) -> None:
    """One issue per cell type of the netlist missing from the library (all at once)."""
    missing: dict[str, tuple[str, int]] = {}
    for inst in netlist.instances:
        if inst.cell not in lib.macros:
            missing.setdefault(inst.cell, (inst.name, inst.line))
    if missing:
        raise ConfigError([Issue(f"{netlist.path}", f"line {line} instance {name}", cell,
                                 "cell not in the library (LEF)")
                           for cell, (name, line) in sorted(missing.items())])
    issues = []
    for inst in netlist.instances:
        pins = lib.macros[inst.cell].pins
        for pin in inst.conns:
            if pin not in pins:
                issues.append(Issue(netlist.path, f"line {inst.line} instance {inst.name}", pin,
                                    f"pin not in cell {inst.cell}; allowed: "
                                    + ", ".join(sorted(pins))))
    if issues:
        raise ConfigError(issues[:50])


def design_from_netlist(netlist: Netlist, lib: Library) -> Design:
    """Unplaced design: components, I/O pins (unplaced) and signal nets, in dbu of `lib`."""
    check_cells(netlist, lib)
    alias = netlist.alias_map()
    d = Design(name=netlist.module, dbu=lib.dbu)
    comp = d.components
    conns: dict[str, list[tuple[str, str]]] = {}
    order: list[str] = []

    def attach(net: str, who: tuple[str, str]) -> None:
        if net not in conns:
            conns[net] = []
            order.append(net)
        conns[net].append(who)

    names, macros = [], []
    tied = 0
    for bit, direction in netlist.port_bits():
        net = alias.get(bit, bit)
        pin = IoPin(name=bit, net=net if not net.startswith("1'b") else bit,
                    direction={"input": "INPUT", "output": "OUTPUT"}.get(direction, "INOUT"),
                    use="SIGNAL")
        d.pins.append(pin)
        tied += net.startswith("1'b")
        attach(pin.net, ("PIN", bit))
    for inst in netlist.instances:
        names.append(inst.name)
        macros.append(inst.cell)
        for pin, bit in inst.conns.items():
            net = alias.get(bit, bit)
            if net.startswith("1'b"):
                tied += 1
                continue
            attach(net, (inst.name, pin))
    comp.names, comp.macros = names, macros
    comp.x = np.zeros(len(names), dtype=np.int64)
    comp.y = np.zeros(len(names), dtype=np.int64)
    comp.orients = ["N"] * len(names)
    comp.status = ["UNPLACED"] * len(names)
    comp.extra = [""] * len(names)
    d.nets = [Net(name, conns[name], use="SIGNAL") for name in order]
    if tied:
        log.warning("%d pins are tied to constants and left unconnected", tied)
    return d
