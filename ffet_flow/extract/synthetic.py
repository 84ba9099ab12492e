"""A seeded, synthetic routed design of a chosen size, for the extraction benchmark.

Not a real layout: instances of three small macros on random row positions; each output
drives 1 + Poisson(mean_fanout - 1) random sinks within a local window; each net is routed
as a comb per side (an M1/BM1 trunk at the driver and one M2/BM2 branch per sink, with V0/V1
or BV0/BV1 via stacks at the pins). It exercises every part of the extractor (DEF and LEF
reading, T junctions, two-sided nets, the SPEF writer) at the size of the RISC-V core, so
its timing is a fair proxy until the real router's output is available.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ffet_flow.io.def_ import Design
from ffet_flow.io.def_nets import Net
from ffet_flow.io.def_nets import Path as WirePath

ROW = 196  # dbu (3.5 tracks x 28 nm at 2000 dbu/um)
# macro: (width dbu, input pins with side and x offset, output x offset)
MACROS = {
    "INV_X1": (204, (("A", "front", 50),), 150),
    "NAND2_X1": (306, (("A", "front", 50), ("B", "back", 150)), 250),
    "DFF_X1": (816, (("D", "front", 50),), 750),
}
PIN_Y = 94  # pin centre above the row bottom, dbu


def lef_text() -> str:
    """LEF of the three macros: 60 x 28 dbu pins on M0 (front), BM0 (back) or both."""
    lines = ["VERSION 5.8 ;", "UNITS", "  DATABASE MICRONS 2000 ;", "END UNITS"]

    def rect(layer: str, x: int) -> list[str]:
        return [f"      LAYER {layer} ;", f"        RECT {(x - 30) / 2000:.4f} "
                f"{(PIN_Y - 14) / 2000:.4f} {(x + 30) / 2000:.4f} {(PIN_Y + 14) / 2000:.4f} ;"]

    for name, (width, ins, out_x) in MACROS.items():
        lines += [f"MACRO {name}", "  CLASS CORE ;", "  ORIGIN 0 0 ;",
                  f"  SIZE {width / 2000:.4f} BY {ROW / 2000:.4f} ;"]
        for pin, side, x in ins:
            lines += [f"  PIN {pin}", "    DIRECTION INPUT ;", "    PORT",
                      *rect("M0" if side == "front" else "BM0", x), "    END", f"  END {pin}"]
        lines += ["  PIN Y", "    DIRECTION OUTPUT ;", "    PORT", *rect("M0", out_x),
                  *rect("BM0", out_x), "    END", "  END Y", f"END {name}"]
    return "\n".join(lines + ["END LIBRARY", ""])


def liberty_text() -> str:
    """Liberty with just the pins of the three macros (capacitances in fF)."""
    cells = []
    for name, (_, ins, _) in MACROS.items():
        pins = "".join(f" pin ({p}) {{ direction : input; capacitance : 0.3; }}"
                       for p, _, _ in ins)
        cells.append(f" cell ({name}) {{ area : 0.05;{pins} pin (Y) {{ direction : output; "
                     f"function : \"A\"; }} }}")
    return "library (synthetic) {\n capacitive_load_unit (1, ff);\n" + "\n".join(cells) + "\n}\n"


def synthetic_design(n_inst: int, seed: int = 1, mean_fanout: float = 2.5,
                     window_um: float = 10.0, dual_sided: bool = True) -> Design:
    """A routed Design with `n_inst` instances and one net per instance output."""
    rng = np.random.default_rng(seed)
    names = list(MACROS)
    kinds = rng.choice(len(names), size=n_inst, p=[0.35, 0.5, 0.15])
    widths = np.array([MACROS[names[k]][0] for k in kinds])
    area = widths.sum() * ROW / 0.7
    side = int(np.sqrt(area))
    rows = max(side // ROW, 1)
    row_of = rng.integers(0, rows, size=n_inst)
    x = rng.integers(0, max(side - 816, 1), size=n_inst)
    d = Design(name="synthetic", dbu=2000, die_area=(0, 0, side + 816, rows * ROW))
    for i in range(n_inst):
        d.components.names.append(f"i{i}")
        d.components.macros.append(names[kinds[i]])
        d.components.orients.append("N")
        d.components.status.append("PLACED")
        d.components.extra.append("")
    d.components.x = x.astype(np.int64)
    d.components.y = (row_of * ROW).astype(np.int64)
    ys = d.components.y
    # input pins that are free to be driven: (instance, pin, side, x, y)
    free = [(i, p, s, int(x[i]) + px, int(ys[i]) + PIN_Y)
            for i in range(n_inst) for p, s, px in MACROS[names[kinds[i]]][1]]
    order = rng.permutation(len(free))
    free = [free[j] for j in order]
    fx = np.array([f[3] for f in free])
    fy = np.array([f[4] for f in free])
    taken = np.zeros(len(free), dtype=bool)
    win = int(window_um * 2000)
    for i in range(n_inst):
        k = 1 + int(rng.poisson(max(mean_fanout - 1, 0)))
        dx, dy = int(x[i]) + MACROS[names[kinds[i]]][2], int(ys[i]) + PIN_Y
        near = np.nonzero(~taken & (np.abs(fx - dx) < win) & (np.abs(fy - dy) < win))[0][:k]
        if near.size == 0:
            continue
        taken[near] = True
        net = Net(name=f"n{i}", conns=[(f"i{i}", "Y")])
        for s_side in ("front", "back"):
            sinks = [free[j] for j in near if (free[j][2] == s_side or not dual_sided)]
            if not sinks:
                continue
            pre = "" if s_side == "front" else "B"
            net.paths.append(WirePath(f"{pre}M0", [(dx, dy), f"{pre}V0_DEF"]))
            y_lo = min([dy] + [s[4] for s in sinks])
            y_hi = max([dy] + [s[4] for s in sinks])
            if y_hi > y_lo:
                net.paths.append(WirePath(f"{pre}M1", [(dx, y_lo), (dx, y_hi)]))
            for s in sinks:
                if s[3] != dx:
                    net.paths.append(WirePath(f"{pre}M1", [(dx, s[4]), f"{pre}V1_DEF"]))
                    net.paths.append(WirePath(f"{pre}M2", [(dx, s[4]), (s[3], s[4])]))
                    net.paths.append(WirePath(f"{pre}M1", [(s[3], s[4]), f"{pre}V1_DEF"]))
                net.paths.append(WirePath(f"{pre}M0", [(s[3], s[4]), f"{pre}V0_DEF"]))
        net.conns += [(f"i{free[j][0]}", free[j][1]) for j in near]
        d.nets.append(net)
    return d


def write_synthetic(out_dir: Path, n_inst: int, seed: int = 1) -> dict[str, Path]:
    """Write synthetic.def, synthetic.lef and synthetic.lib into out_dir."""
    from ffet_flow.io.def_ import write_def
    from ffet_flow.util import atomic_write_text

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"def": out_dir / "synthetic.def", "lef": out_dir / "synthetic.lef",
             "lib": out_dir / "synthetic.lib"}
    write_def(synthetic_design(n_inst, seed), paths["def"])
    atomic_write_text(paths["lef"], lef_text())
    atomic_write_text(paths["lib"], liberty_text())
    return paths
