"""cells.v: behavioural Verilog models of the library (simulation of mapped netlists)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ffet_flow.cells.netlists import CellNetlist
from ffet_flow.util import atomic_write_text


def _expr(func: str) -> str:
    """Liberty boolean expression -> Verilog expression (the operators ! & | ^ and parentheses
    are shared; ' postfix and + / * are not produced by the cell set)."""
    if func in ("0", "1"):
        return f"1'b{func}"
    return func.replace("!", "~")


def module_text(cell: CellNetlist) -> str:
    ports = [*cell.inputs, *cell.outputs]
    lines = [f"module {cell.name} ({', '.join(ports)});"]
    if cell.inputs:
        lines.append(f"  input {', '.join(cell.inputs)};")
    if cell.outputs:
        lines.append(f"  output {', '.join(cell.outputs)};")
    if cell.kind == "seq":
        seq = cell.seq
        lines.append(f"  reg {seq.output};")
        if seq.reset:
            lines += [f"  always @(posedge {seq.clock} or negedge {seq.reset})",
                      f"    if (!{seq.reset}) {seq.output} <= 1'b0;",
                      f"    else {seq.output} <= {seq.data};"]
        else:
            lines += [f"  always @(posedge {seq.clock})", f"    {seq.output} <= {seq.data};"]
    else:
        for out, func in cell.functions.items():
            lines.append(f"  assign {out} = {_expr(func)};")
    lines.append("endmodule")
    return "\n".join(lines) + "\n"


def write_cells_v(cells: Sequence[CellNetlist], path: Path) -> None:
    text = "// ffet-flow standard cells: behavioural models\n`timescale 1ns/1ps\n\n"
    text += "\n".join(module_text(c) for c in cells)
    atomic_write_text(path, text)
