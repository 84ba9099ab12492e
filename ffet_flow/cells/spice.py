"""cells.sp: one SPICE .subckt per cell, the transistors plus the layout's intra-cell R and C.

The layout generator reports, per net, the lumped series resistance of its intra-cell wiring
(wires, contacts and every inter-tier link: FFET drain/gate merge, CFET vertical drain link) and
its total capacitance (`CellLayout.parasitics`). Each net becomes a two-node pi section:

- pin nets: the port node `X` (where the router connects) and a device-side node `X_d` (the
  transistor terminals), joined by R; half of C to VSS at each node;
- internal nets with both gate and source/drain terminals: the source/drain node `X` and the
  gate node `X_g`, joined by R, half of C at each;
- internal nets with one kind of terminal only (series-stack nodes): C lumped on the node;
- supplies: the port and the device-side node `VDD_d` / `VSS_d` joined by the rail-contact R;
  device bodies stay on the port.

The inter-tier link resistances are part of each net's R (the layout adds them), so they are
not repeated here. This netlist is what characterization simulates; FFET and CFET differ only
in these parasitics and in the cell pins, never in the device card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ffet_flow.cells.device import instance, model_card
from ffet_flow.cells.netlists import VDD, VSS, CellNetlist
from ffet_flow.util import atomic_write_text

#: resistances below this (Ohm) are merged into one node: they change no delay we resolve
R_MIN = 1e-3


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def port_order(cell: CellNetlist) -> tuple[str, ...]:
    """Subcircuit ports: inputs, outputs, then VDD VSS."""
    return (*cell.inputs, *cell.outputs, VDD, VSS)


def subckt(cell: CellNetlist, parasitics: Mapping[str, object]) -> str:
    """The .subckt text of one cell. `parasitics`: net -> (r_ohm, c_ff) (NetParasitics)."""
    pins = {*cell.inputs, *cell.outputs}
    gate_nets = {t.gate for t in cell.transistors}
    sd_nets = {n for t in cell.transistors for n in (t.drain, t.source)}
    sd_node: dict[str, str] = {}
    gate_node: dict[str, str] = {}
    extra: list[str] = []
    nets = sorted(gate_nets | sd_nets | pins, key=lambda n: (n not in pins, n))
    for net in [*nets, VDD, VSS]:
        if net in sd_node:
            continue
        r, c = parasitics.get(net, (0.0, 0.0))
        sd_node[net] = gate_node[net] = net
        split = r > R_MIN
        if net in (VDD, VSS):
            if split:
                sd_node[net] = gate_node[net] = f"{net}_d"
                extra.append(f"R{net} {net} {net}_d {_fmt(r)}")
            continue
        if net in pins and split:
            sd_node[net] = gate_node[net] = f"{net}_d"
            extra.append(f"R{net} {net} {net}_d {_fmt(r)}")
        elif net in gate_nets and net in sd_nets and split:
            gate_node[net] = f"{net}_g"
            extra.append(f"R{net} {net} {net}_g {_fmt(r)}")
        if c > 0:
            a, b = net, (gate_node[net] if gate_node[net] != net else sd_node[net])
            if a != b:
                extra.append(f"C{net}a {a} {VSS} {_fmt(c / 2)}f")
                extra.append(f"C{net}b {b} {VSS} {_fmt(c / 2)}f")
            else:
                extra.append(f"C{net} {a} {VSS} {_fmt(c)}f")
    lines = [f".subckt {cell.name} {' '.join(port_order(cell))}"]
    for t in cell.transistors:
        lines.append(instance(t.name, t.kind, sd_node[t.drain], gate_node[t.gate],
                              sd_node[t.source], t.width_units))
    lines.extend(extra)
    lines.append(f".ends {cell.name}")
    return "\n".join(lines) + "\n"


def library_text(cells: Sequence[CellNetlist], parasitics: Mapping[str, Mapping[str, object]],
                 title: str) -> str:
    """The whole cells.sp: header, the shared device card, then every cell with transistors."""
    parts = [f"* {title}\n* ports: inputs, outputs, VDD, VSS; C in fF, R in Ohm\n", model_card()]
    for cell in cells:
        if cell.transistors:
            parts.append(subckt(cell, parasitics.get(cell.name, {})))
    return "\n".join(parts)


def write_cells_sp(cells: Sequence[CellNetlist], parasitics: Mapping[str, Mapping[str, object]],
                   path: Path, title: str = "ffet-flow standard cells") -> None:
    atomic_write_text(path, library_text(cells, parasitics, title))
