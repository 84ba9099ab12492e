"""Synthetic dual-sided libraries and netlists with Rent-like locality, for tests and benchmarks.

`synthetic_lef(...)` writes a small FFET-like library: front layers M0-M2, back layers BM0-BM2,
a 51 x 98 nm site (CPP 51 nm, 3.5 tracks of 28 nm M0: REFERENCES 6a), cells whose inputs sit on
M0 or BM0 by a deterministic even-spreading policy, dual-sided outputs (M0 and BM0), VDD rail
on M0 and VSS rail on BM0 (p and n tiers on opposite sides).

`synthetic_netlist(n, seed)` builds a flat netlist whose cells are ranked along a Morton
(Z-order) curve over hidden random 2-D positions; each input is driven by the cell `d` ranks
away, |d| drawn from a Pareto tail P(|d| > t) ~ t^-0.8. Connections are mostly local with a
heavy tail of long ones, the locality Rent's rule describes (exponent about 0.6 for random
logic, Landman & Russo, IEEE Trans. Computers C-20, 1971).
"""

from __future__ import annotations

import numpy as np

from ffet_flow.io.verilog import Instance, Netlist, Port

# name, width in sites, inputs; outputs are Y (Q for the flip-flop)
CELLS = (("INV_X1", 3, ("A",)), ("NAND2_X1", 4, ("A", "B")), ("NOR2_X1", 4, ("A", "B")),
         ("AOI21_X1", 5, ("A1", "A2", "B")), ("DFF_X1", 16, ("D", "CLK")))
MIX = (0.20, 0.30, 0.20, 0.15, 0.15)  # share of each cell in a netlist (flip-flops 15%)
TAIL_EXPONENT = 0.8


def synthetic_lef(back_input_fraction: float = 0.5, dual_outputs: bool = True,
                  part: str = "all") -> str:
    """LEF text of the synthetic library (dbu 2000 per micron in UNITS).

    part: "all", "tech" (units, layers, site) or "cells" (macros only)."""
    nm = 0.001
    site_w, row_h = 51 * nm, 98 * nm
    lines = ["VERSION 5.8 ;", 'BUSBITCHARS "[]" ;', 'DIVIDERCHAR "/" ;',
             "UNITS", "  DATABASE MICRONS 2000 ;", "END UNITS", "MANUFACTURINGGRID 0.0005 ;"]
    # pitches/widths in nm (REFERENCES 6c-style local and intermediate levels)
    stack = (("M0", "HORIZONTAL", 28, 14), ("M1", "VERTICAL", 34, 17), ("M2", "HORIZONTAL", 42, 21))
    for prefix in ("", "B"):
        for name, direction, pitch, width in stack:
            lines += [f"LAYER {prefix}{name}", "  TYPE ROUTING ;", f"  DIRECTION {direction} ;",
                      f"  PITCH {pitch * nm:.4f} ;", f"  WIDTH {width * nm:.4f} ;",
                      f"  SPACING {(pitch - width) * nm:.4f} ;", f"  OFFSET {pitch / 2 * nm:.4f} ;",
                      f"END {prefix}{name}"]
    lines += ["SITE ffet_site", "  CLASS CORE ;", "  SYMMETRY Y ;",
              f"  SIZE {site_w:.4f} BY {row_h:.4f} ;", "END ffet_site"]
    if part == "tech":
        return "\n".join(lines + ["END LIBRARY"]) + "\n"
    if part == "cells":
        lines = ["VERSION 5.8 ;", 'BUSBITCHARS "[]" ;', 'DIVIDERCHAR "/" ;']
    inputs = [(c, p) for c, _, ins in CELLS for p in ins]
    back = {inputs[k] for k in range(len(inputs))
            if int((k + 1) * back_input_fraction) > int(k * back_input_fraction)}
    for name, sites, ins in CELLS:
        w = sites * site_w
        lines += [f"MACRO {name}", "  CLASS CORE ;", "  ORIGIN 0 0 ;",
                  f"  SIZE {w:.4f} BY {row_h:.4f} ;", "  SITE ffet_site ;"]
        out = "Q" if name.startswith("DFF") else "Y"
        pins = [(p, "INPUT", ("BM0",) if (name, p) in back else ("M0",)) for p in ins]
        pins.append((out, "OUTPUT", ("M0", "BM0") if dual_outputs else ("M0",)))
        for k, (pin, direction, layers) in enumerate(pins):
            cx = (k + 0.5) * w / len(pins)
            lines += [f"  PIN {pin}", f"    DIRECTION {direction} ;", "    USE SIGNAL ;", "    PORT"]
            for layer in layers:
                lines += [f"      LAYER {layer} ;", f"        RECT {cx - 0.007:.4f} 0.042 "
                          f"{cx + 0.007:.4f} 0.056 ;"]
            lines += ["    END", f"  END {pin}"]
        for pin, use, layer, y in (("VDD", "POWER", "M0", row_h), ("VSS", "GROUND", "BM0", 0.0)):
            lines += [f"  PIN {pin}", "    DIRECTION INOUT ;", f"    USE {use} ;", "    PORT",
                      f"      LAYER {layer} ;", f"        RECT 0 {y - 0.007:.4f} {w:.4f} "
                      f"{y + 0.007:.4f} ;", "    END", f"  END {pin}"]
        lines += [f"END {name}"]
    lines.append("END LIBRARY")
    return "\n".join(lines) + "\n"


def _morton_rank(n: int, rng: np.random.Generator) -> np.ndarray:
    """Order of n random points along a Z-order curve (16 bits per axis)."""
    xy = (rng.random((n, 2)) * 65535).astype(np.uint64)
    code = np.zeros(n, dtype=np.uint64)
    for b in range(16):
        code |= ((xy[:, 0] >> np.uint64(b)) & np.uint64(1)) << np.uint64(2 * b)
        code |= ((xy[:, 1] >> np.uint64(b)) & np.uint64(1)) << np.uint64(2 * b + 1)
    return np.argsort(code, kind="stable")


def synthetic_netlist(n_cells: int, seed: int = 1, name: str = "synth") -> Netlist:
    """A flat netlist of `n_cells` synthetic cells with Rent-like locality (deterministic)."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(len(CELLS), size=n_cells, p=MIX)
    kinds = kinds[_morton_rank(n_cells, rng)]  # rank i = i-th cell along the curve
    n_io = max(4, int(2 * n_cells ** 0.5))
    n_in = n_io // 2
    n_out = n_io - n_in
    nl = Netlist(name, path="<synthetic>")
    nl.ports = [Port("clk", "input"), Port("in", "input", n_in - 1, 0),
                Port("out", "output", n_out - 1, 0)]
    # drivers of each input pin: a cell d ranks away (Pareto tail), or a primary input
    n_pins = sum(len(CELLS[k][2]) for k in kinds.tolist())
    d = np.floor(rng.pareto(TAIL_EXPONENT, n_pins) + 1).astype(np.int64)
    d = np.minimum(d, max(n_cells - 1, 1)) * rng.choice((-1, 1), n_pins)
    use_port = rng.random(n_pins) < n_in / max(n_pins, 1)
    port_pick = rng.integers(0, n_in, n_pins)
    outs = ["Q" if CELLS[k][0].startswith("DFF") else "Y" for k in range(len(CELLS))]
    k = 0
    for i, kind in enumerate(kinds.tolist()):
        cell, _, ins = CELLS[kind]
        conns: dict[str, str] = {outs[kind]: f"n{i}"}
        for pin in ins:
            if pin == "CLK":
                conns[pin] = "clk"
            elif use_port[k]:
                conns[pin] = f"in[{port_pick[k]}]"
            else:
                j = int(i + d[k])
                if j < 0 or j >= n_cells or j == i:
                    j = int(i - d[k]) if 0 <= i - d[k] < n_cells and i - d[k] != i else (i + 1) % n_cells
                conns[pin] = f"n{j}"
            k += 1
        nl.instances.append(Instance(f"u{i}", cell, conns))
    for o, src in enumerate(rng.choice(n_cells, size=n_out, replace=False).tolist()):
        nl.assigns.append((f"out[{o}]", f"n{src}"))
    nl.wires = {p.name: (p.msb, p.lsb) for p in nl.ports}
    return nl


def netlist_verilog(nl: Netlist) -> str:
    """Structural Verilog text of a netlist (as Yosys writes it, named connections)."""
    out = [f"module {nl.module}(" + ", ".join(p.name for p in nl.ports) + ");"]
    for p in nl.ports:
        rng = f" [{p.msb}:{p.lsb}]" if p.msb is not None else ""
        out += [f"  {p.direction}{rng} {p.name};", f"  wire{rng} {p.name};"]
    wires = sorted({b for inst in nl.instances for b in inst.conns.values()
                    if "[" not in b and b not in nl.wires})
    out += [f"  wire {w};" for w in wires]
    for inst in nl.instances:
        pins = ", ".join(f".{p}({b})" for p, b in inst.conns.items())
        out.append(f"  {inst.cell} {inst.name} ({pins});")
    out += [f"  assign {a} = {b};" for a, b in nl.assigns]
    out.append("endmodule")
    return "\n".join(out) + "\n"
