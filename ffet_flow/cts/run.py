"""Clock-tree synthesis on a placed design: buffer tree, legal buffer sites, netlist and DEF.

The clock net's sinks (every instance pin on it) are clustered into a buffer tree
(`tree.build_tree`); each buffer goes to the free row slot nearest its cluster's centroid
(placement rows, site grid, the placed cells untouched), the DEF gains the buffers and the new
nets, and the Yosys netlist is rewritten textually: the sinks' clock connections move to their
buffer's net, and the buffers and their wires are added before `endmodule`.
"""

from __future__ import annotations

import bisect
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ffet_flow.cts.tree import build_tree
from ffet_flow.errors import CheckFailure, ConfigError, Issue, ToolError
from ffet_flow.io.def_ import Design, read_def, write_def
from ffet_flow.io.def_nets import Net
from ffet_flow.io.lef import Library, apply_pin_sides, read_lef
from ffet_flow.io.liberty import Library as LibertyLibrary
from ffet_flow.io.liberty import read_liberty
from ffet_flow.log import get_logger
from ffet_flow.util import atomic_write_text

log = get_logger("cts")

BUF_PREFIX = "cts_buf"
NET_PREFIX = "cts_clk"


@dataclass
class CtsResult:
    buffers: list[tuple[str, str, str]]  # (instance, input net, output net), level 0 first
    sink_net: dict[str, str]  # sink instance -> its new clock net
    levels: int
    sinks: int
    max_fanout: int
    displacement: float  # mean distance (dbu) of the buffers from their cluster centroids


def clock_buffer(lib: LibertyLibrary, name: str, source: str) -> tuple[str, str, str]:
    """(cell, input pin, output pin) of the clock buffer: `name`, else the largest buffer."""
    bufs = {c.name: c for c in lib.single_stage(inverting=False)}
    if name and name not in bufs:
        raise ConfigError(Issue(source, "cts_buffer", name,
                                f"not a buffer of the library (buffers: "
                                f"{', '.join(sorted(bufs)) or 'none'})"))
    cell = bufs[name] if name else lib.largest_buffer()
    if cell is None:
        raise ConfigError(Issue(source, "cts_buffer", "", "the library has no buffer"))
    return cell.name, cell.inputs()[0], cell.outputs()[0]


class _Rows:
    """Free space of the placement rows: occupied intervals per row, nearest-slot search."""

    def __init__(self, design: Design, lib: Library):
        self.rows = sorted(design.rows, key=lambda r: (r.y, r.x))
        self.height = {r.name: lib.sites[r.site].height if r.site in lib.sites else 0
                       for r in self.rows}
        self.busy: dict[int, list[tuple[int, int]]] = {k: [] for k in range(len(self.rows))}
        ys = np.array([r.y for r in self.rows], dtype=np.int64)
        comps = design.components
        for k in range(len(comps)):
            if comps.status[k] not in ("PLACED", "FIXED", "COVER"):
                continue
            m = lib.macros.get(comps.macros[k])
            if m is None:
                continue
            w, h = (m.height, m.width) if comps.orients[k] in ("E", "W", "FE", "FW") else \
                (m.width, m.height)
            x0, y0 = int(comps.x[k]), int(comps.y[k])
            lo = np.searchsorted(ys, y0, side="left")
            hi = np.searchsorted(ys, y0 + h, side="left")
            for r in range(lo, hi):
                self.busy[r].append((x0, x0 + w))
        for spans in self.busy.values():
            spans.sort()

    def place(self, tx: int, ty: int, width: int, height: int,
              parity: tuple[int, set[int]] | None = None) -> tuple[int, int, str]:
        """Lower-left corner and orientation of the free slot of `width` nearest the centre
        (tx, ty) in a row of `height`, on a site index whose residue modulo parity[0] is in
        parity[1] when given (ffet_flow.place.parity); the slot is marked occupied."""
        best = None
        order = sorted(range(len(self.rows)),
                       key=lambda k: abs(self.rows[k].y + height // 2 - ty))
        for k in order:
            row = self.rows[k]
            dy = abs(row.y + height // 2 - ty)
            if best is not None and dy >= best[0]:
                break
            if self.height[row.name] != height:
                continue
            step = row.step_x or 1
            x_end = row.x + row.num_x * step
            prev = row.x
            for a, b in self.busy[k] + [(x_end, x_end)]:
                lo, hi = max(prev, row.x), min(a, x_end) - width
                prev = max(prev, b)
                if hi < lo:
                    continue
                want = min(max(tx - width // 2, lo), hi)
                x = row.x + ((want - row.x) // step) * step
                if x < lo:
                    x += step
                if parity is not None:
                    mod, ok = parity
                    while x <= hi and ((x - row.x) // step) % mod not in ok:
                        x += step
                if x > hi:
                    continue
                d = dy + abs(x + width // 2 - tx)
                if best is None or d < best[0]:
                    best = (d, k, x)
        if best is None:
            raise ConfigError(Issue("placement", "rows", "full",
                                    f"no free row slot {width} dbu wide for a clock buffer; "
                                    "lower the utilization"))
        _, k, x = best
        bisect.insort(self.busy[k], (x, x + width))
        return x, self.rows[k].y, self.rows[k].orient


def synthesize_clock_tree(design: Design, lib: Library, clock_net: str, buffer: tuple[str, str,
                          str], max_fanout: int,
                          parity: tuple[int, set[int]] | None = None) -> CtsResult:
    """Add the buffer tree to `design` (in place): buffers as placed components, their nets
    with USE CLOCK. The result names each buffer's nets and each sink's new net.

    The sinks are the component pins of `clock_net`; the net keeps its I/O pin and drives the
    root buffer only."""
    cell, pin_in, pin_out = buffer
    macro = lib.macros.get(cell)
    if macro is None:
        raise ConfigError(Issue("LEF", "cts_buffer", cell, "no such macro in the cells LEF"))
    net = next((n for n in design.nets if n.name == clock_net), None)
    if net is None:
        raise ConfigError(Issue("netlist", "clock_port", clock_net, "no such net in the design"))
    sinks = [(c, p) for c, p in net.conns if c != "PIN"]
    comps = design.components
    xs = np.zeros(len(sinks), dtype=np.int64)
    ys = np.zeros(len(sinks), dtype=np.int64)
    for k, (c, _p) in enumerate(sinks):
        i = comps.index(c)
        m = lib.macros[comps.macros[i]]
        xs[k] = int(comps.x[i]) + m.width // 2
        ys[k] = int(comps.y[i]) + m.height // 2
    levels = build_tree(xs, ys, max_fanout)
    rows = _Rows(design, lib)
    moved = []
    for level in reversed(levels):  # root first: the trunk gets the slots nearest its target
        for b in level:
            x, y, orient = rows.place(b.x, b.y, macro.width, macro.height, parity)
            comps.add(f"{BUF_PREFIX}_{b.level}_{b.index}", cell, x, y, orient, "PLACED")
            moved.append(abs(x + macro.width // 2 - b.x) + abs(y + macro.height // 2 - b.y))
    # nets: the clock port drives the root; each buffer's output net drives its children
    net.conns = [(c, p) for c, p in net.conns if c == "PIN"] + \
        [(f"{BUF_PREFIX}_{len(levels) - 1}_0", pin_in)]
    net.use = net.use or "CLOCK"
    in_net = {f"{BUF_PREFIX}_{len(levels) - 1}_0": net.name}
    sink_net: dict[str, str] = {}
    for level in levels:
        for b in level:
            name, out = f"{BUF_PREFIX}_{b.level}_{b.index}", f"{NET_PREFIX}_{b.level}_{b.index}"
            conns = [(name, pin_out)]
            if b.level == 0:
                conns += [sinks[s] for s in b.children]
                sink_net.update((sinks[s][0], out) for s in b.children)
            else:
                children = [f"{BUF_PREFIX}_{b.level - 1}_{c}" for c in b.children]
                conns += [(c, pin_in) for c in children]
                in_net.update((c, out) for c in children)
            design.nets.append(Net(out, conns, use="CLOCK"))
    buffers = [(f"{BUF_PREFIX}_{b.level}_{b.index}", in_net[f"{BUF_PREFIX}_{b.level}_{b.index}"],
                f"{NET_PREFIX}_{b.level}_{b.index}") for level in levels for b in level]
    return CtsResult(buffers, sink_net, len(levels), len(sinks),
                     max(len(b.children) for level in levels for b in level),
                     float(np.mean(moved)) if moved else 0.0)


_INSTANCE = re.compile(r"^\s*(\S+)\s+(\\\S+|\S+)\s*\($")
_CONN = re.compile(r"^(\s*)\.(\w+)\((.*)\)(,?)\s*$")


def rewrite_netlist(text: str, clock_net: str, tree: CtsResult, sink_pins: dict[str, str],
                    buffer: tuple[str, str, str], source: str) -> str:
    """The Yosys netlist with the sinks' clock pins on their buffer nets and the buffers added.

    `sink_pins`: sink instance -> its clock pin name. Instance names compare without Verilog's
    escape (a leading backslash and the closing space)."""
    cell, pin_in, pin_out = buffer
    sink_net = tree.sink_net
    lines = text.splitlines()
    out: list[str] = []
    current = None
    done = 0
    end = first = None
    for i, line in enumerate(lines):
        m = _INSTANCE.match(line)
        if m:
            current = m.group(2).lstrip("\\").rstrip()
            first = i if first is None else first
        elif current is not None and current in sink_net:
            c = _CONN.match(line)
            if c and c.group(2) == sink_pins[current] and c.group(3).strip() == clock_net:
                line = f"{c.group(1)}.{c.group(2)}({sink_net[current]}){c.group(4)}"
                done += 1
        if line.strip() == ");":
            current = None
        if line.strip() == "endmodule":
            end = i
        out.append(line)
    if done != len(sink_net) or end is None or first is None:
        raise ToolError("cts", f"rewired {done} of {len(sink_net)} clock pins in the netlist",
                        Path(source))
    # the buffers' instances before `endmodule`, their output nets declared before the first
    # instance uses them
    out[end:end] = [line for inst, net_in, net_out in tree.buffers
                    for line in (f"  {cell} {inst} (", f"    .{pin_in}({net_in}),",
                                 f"    .{pin_out}({net_out})", "  );")]
    out[first:first] = [f"  wire {net_out};" for _i, _n, net_out in tree.buffers]
    return "\n".join(out) + "\n"


def run_cts(*, def_path: Path, netlist: Path, liberty: Path, lefs: Sequence[Path],
            pins_json: Path | None, out_def: Path, out_netlist: Path, clock_port: str,
            max_fanout: int, buffer_name: str = "") -> dict[str, Any]:
    """The clock tree on a placed DEF and its Yosys netlist, written to out_def / out_netlist
    (copies of the inputs when `max_fanout` is 0 or the clock drives fewer than two pins);
    returns the metrics."""
    from ffet_flow.flow_metrics import design_metrics
    from ffet_flow.place.legal import check_legality
    from ffet_flow.place.problem import build_problem

    design = read_def(def_path)
    net = next((n for n in design.nets if ("PIN", clock_port) in n.conns), None)
    sinks = [(c, p) for c, p in net.conns if c != "PIN"] if net else []
    units = {"cts__buffers": "count", "cts__sinks": "count", "cts__levels": "count"}
    if max_fanout == 0 or len(sinks) < 2:
        why = ("cts_max_fanout = 0" if max_fanout == 0 else
               f"the clock port {clock_port!r} drives {len(sinks)} pins")
        log.info("no clock tree (%s): placement and netlist pass through", why)
        shutil.copyfile(def_path, out_def)
        shutil.copyfile(netlist, out_netlist)
        return {"cts__buffers": 0, "cts__sinks": len(sinks), "cts__levels": 0, "units": units}
    lib = apply_pin_sides(read_lef(list(lefs), dbu_per_micron=design.dbu), pins_json)
    buffer = clock_buffer(read_liberty(liberty), buffer_name, str(liberty))
    sink_pins = dict(sinks)
    from ffet_flow.place.parity import read_residues

    modulus, residues = read_residues(pins_json)
    parity = (modulus, residues[buffer[0]]) if buffer[0] in residues else None
    result = synthesize_clock_tree(design, lib, net.name, buffer, max_fanout, parity)
    p = build_problem(design, lib)
    violations = check_legality(p, p.x, p.y, p.orient)
    if violations:
        raise CheckFailure([f"clock buffers not legally placed: {v}" for v in violations])
    atomic_write_text(out_netlist, rewrite_netlist(netlist.read_text(encoding="utf-8"), net.name,
                                                   result, sink_pins, buffer, str(netlist)))
    write_def(design, out_def)
    # the design's instance count, area and utilization now include the clock buffers
    totals = {k: v for k, v in design_metrics(out_def, list(lefs)).items()
              if k.startswith("design__instance__")}
    log.info("clock tree on %r: %d sinks, %d %s buffers in %d levels (max fanout %d), buffers "
             "%.2f um from their targets on average", net.name, result.sinks,
             len(result.buffers), buffer[0], result.levels, result.max_fanout,
             result.displacement / design.dbu)
    macro = lib.macros[buffer[0]]
    units.update({"cts__max_fanout": "count", "cts__buffer_displacement_um": "um",
                  "cts__buffer_area": "um^2", "design__instance__count": "count",
                  "design__instance__area": "um^2", "design__instance__utilization": "fraction"})
    return {**totals, "cts__buffers": len(result.buffers), "cts__sinks": result.sinks,
            "cts__levels": result.levels, "cts__max_fanout": result.max_fanout,
            "cts__buffer_displacement_um": round(result.displacement / design.dbu, 4),
            "cts__buffer_area": round(len(result.buffers) * macro.width * macro.height
                                      / design.dbu ** 2, 6),
            "units": units}
