"""ngspice decks for characterization: one deck per (cell, arc) sweeping every grid point.

Every deck holds the shared device card, the cell's subcircuit (with its layout parasitics),
a VDD source whose current gives the energy, one PWL source per switching input and DC sources
for the others, and a load capacitor on each output. Its `.control` block runs one transient per
grid point (`alter` of the load and of the PWL breakpoints, no re-parse) and prints every
measurement as a line `RESULT <key> <value>`.

Waveforms: inputs are linear ramps whose 20-80 % time is the table's slew (full swing in
slew / 0.6). Delays are measured 50 % to 50 %, transitions 20 % to 80 % of VDD (the Liberty
header states these thresholds with slew_derate_from_library 1.0). Times in seconds inside the
decks; energies in joules (converted by the caller).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ffet_flow.cells.device import model_card
from ffet_flow.cells.netlists import CellNetlist
from ffet_flow.cells.spice import port_order

LOW, HIGH = 0.2, 0.8  # transition thresholds (fractions of VDD)


@dataclass(frozen=True)
class Setup:
    vdd: float  # V
    temperature: float  # C
    slews: tuple[float, ...]  # ns, 20-80 %
    loads: tuple[float, ...]  # fF


def ramp_of(slew_ns: float) -> float:
    """Full-swing time (s) of a linear ramp with the given 20-80 % time (ns)."""
    return slew_ns * 1e-9 / (HIGH - LOW)


def settle_time(load_ff: float, drive: int, stages: int = 1) -> float:
    """Generous time (s) for an output to settle after an input edge: 40 ps per stage plus
    ~3 x C V / I of the load with one device stack (~0.25 mA at 0.7 V)."""
    return 40e-12 * stages + 9e-12 * load_ff / max(drive, 1)


def step_limit(ramp: float, load_ff: float, drive: int) -> float:
    """Largest time step (s): a twentieth of an estimate of the output edge (2 ps + 1 ps/fF
    per device stack) or of the input ramp, whichever is longer. Input ramps need no finer
    limit: their corners are PWL breakpoints, where ngspice restarts with small steps."""
    out_edge = 2e-12 + 1e-12 * load_ff / max(drive, 1)
    return max(0.1e-12, max(out_edge, min(ramp, 4 * out_edge)) / 20)


def pwl(events: Sequence[tuple[float, float]]) -> str:
    """PWL breakpoints as 't v' pairs."""
    return " ".join(f"{t:.6g} {v:.6g}" for t, v in events)


def edges(levels: Sequence[tuple[float, int]], vdd: float, ramp: float) -> list[tuple[float, float]]:
    """Breakpoints of a digital waveform: (time the edge starts, new level) -> ramps of `ramp`."""
    out = [(0.0, levels[0][1] * vdd)]
    level = levels[0][1]
    for t, new in levels[1:]:
        if new == level:
            continue
        out += [(t, level * vdd), (t + ramp, new * vdd)]
        level = new
    return out


def header(cell: CellNetlist, subckt_text: str, setup: Setup, title: str) -> list[str]:
    ports = " ".join(port_order(cell)).replace("VDD", "vdd").replace("VSS", "0")
    return [f"* {title}", model_card(), subckt_text,
            f".options temp={setup.temperature:g} tnom=27",
            f"vdd vdd 0 {setup.vdd:g}",
            f"xdut {ports} {cell.name}"]


@dataclass
class Point:
    """One transient of a deck: source waveforms, load, stop time, measurements to print."""

    key: str  # prefix of every printed result, e.g. "p3_2"
    waves: Mapping[str, list[tuple[float, float]]]  # source name -> breakpoints
    load: float  # F
    stop: float  # s
    meas: list[str]  # "name expression" (ngspice `meas tran` syntax after the name)
    tmax: float = 1e-12  # s, largest internal time step (resolution of the fastest edge)


def deck(cell: CellNetlist, subckt_text: str, setup: Setup, title: str,
         sources: Mapping[str, list[tuple[float, float]]], outputs: Sequence[str],
         points: Sequence[Point]) -> str:
    """The full deck text. `sources`: pin -> initial breakpoints (a DC pin has one point)."""
    lines = header(cell, subckt_text, setup, title)
    for pin, wave in sources.items():
        lines.append(f"v{pin.lower()} {pin} 0 pwl({pwl(wave)})")
    for out in outputs:
        lines.append(f"cl{out.lower()} {out} 0 1f")
    lines += [".control", "set noaskquit"]
    for p in points:
        for out in outputs:
            lines.append(f"alter cl{out.lower()} = {p.load:.6g}")
        for pin, wave in p.waves.items():
            flat = " ".join(f"{x:.6g}" for tv in wave for x in tv)
            lines.append(f"alter @v{pin.lower()}[pwl] = [ {flat} ]")
        lines.append(f"tran {p.tmax:.4g} {p.stop:.6g} 0 {p.tmax:.4g}")
        for m in p.meas:
            name, expr = m.split(" ", 1)
            lines.append(f"meas tran {name} {expr}")
            lines.append(f'echo "RESULT {p.key}.{name} $&{name}"')
        lines.append("destroy all")
    lines += ["quit", ".endc", ".end"]
    return "\n".join(lines) + "\n"


def static_deck(cell: CellNetlist, subckt_text: str, setup: Setup,
                vectors: Sequence[Mapping[str, int]]) -> str:
    """DC operating point per input vector: prints each output voltage and the VDD current."""
    lines = header(cell, subckt_text, setup, f"static {cell.name}")
    for pin in cell.inputs:
        lines.append(f"v{pin.lower()} {pin} 0 dc 0")
    lines += [".control", "set noaskquit"]
    for i, vec in enumerate(vectors):
        for pin, bit in vec.items():
            lines.append(f"alter v{pin.lower()} dc = {bit * setup.vdd:g}")
        lines.append("op")
        for out in cell.outputs:
            lines.append(f'echo "RESULT s{i}.{out} $&v({out})"')
        lines.append(f'echo "RESULT s{i}.idd $&i(vdd)"')
        lines.append("destroy all")
    lines += ["quit", ".endc", ".end"]
    return "\n".join(lines) + "\n"


def cross(sig: str, frac: float, vdd: float, edge: str, n: int = 1) -> str:
    return f"v({sig}) val={frac * vdd:.6g} {edge}={n}"


def delay_meas(name: str, inp: str, in_edge: str, out: str, out_edge: str, vdd: float,
               n_in: int = 1, n_out: int = 1, after: float | None = None) -> str:
    td = f" td={after:.6g}" if after is not None else ""
    return (f"{name} trig {cross(inp, 0.5, vdd, in_edge, n_in)}{td} "
            f"targ {cross(out, 0.5, vdd, out_edge, n_out)}{td}")


def trans_meas(name: str, out: str, edge: str, vdd: float, after: float | None = None) -> str:
    lo, hi = (LOW, HIGH) if edge == "rise" else (HIGH, LOW)
    td = f" td={after:.6g}" if after is not None else ""
    return f"{name} trig {cross(out, lo, vdd, edge)}{td} targ {cross(out, hi, vdd, edge)}{td}"


def integ_meas(name: str, source: str, t0: float, t1: float) -> str:
    return f"{name} integ i({source}) from={t0:.6g} to={t1:.6g}"
