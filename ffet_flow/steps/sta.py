"""Step `sta`: timing and power sign-off with OpenSTA on the extracted (dual-sided) SPEF.

OpenSTA runs the static script flows/sta/signoff.tcl with a generated vars.tcl. The script
writes its numbers as `key=value` lines into values.txt (taken from OpenSTA's Tcl API:
`sta::worst_slack`, `sta::total_negative_slack`, `sta::design_power`, `find_timing_paths`
and path properties); this module parses that, never the human-readable reports.

Definitions (single-clock designs):
- setup/hold WS: worst slack of max/min paths; TNS: total negative slack (ns).
- minimum period T_min: first estimate T_clk - WNS_setup (exact when the critical path is
  register to register); the design is then re-timed at the estimate and refined by the secant
  rule until 0 <= WNS <= fmax_tolerance x T (I/O delays defined as a fraction of the period,
  as in the SDCs here, make the slack change more slowly than the period). T_min is the
  smallest re-timed period with non-negative setup slack; fmax = 1 / T_min, in Hz.
- power: OpenSTA's design_power (internal, switching, leakage, total; W), vectorless: the data
  inputs (every input but the clock) toggle `activity` times per clock cycle, a register whose
  data input has no activity from them (one in a feedback loop) starts from `register_activity`,
  and OpenSTA propagates both through the logic and across registers (Q takes D's activity); the
  clock toggles twice per cycle. At the target clock and again at T_min (the same activities
  per cycle, so the power follows the frequency). switching_share = switching / total.
- check: the design is also re-timed at 1.02 x T_min and 0.95 x T_min; the worst setup slack
  there (timing.json `fmax_check`) must be >= 0 and < 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ffet_flow.errors import ConfigError, Issue, ToolError
from ffet_flow.proc import find_program, run_tool
from ffet_flow.steps.base import Step, StepContext
from ffet_flow.steps.toolvars import sdc_with_period, tcl_vars_text
from ffet_flow.util import atomic_write_text, write_json

#: OpenSTA's set_power_activity default duty (probability of a 1); the script leaves it
ACTIVITY_DUTY = 0.5

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "flows" / "sta" / "signoff.tcl"
# the issue's consistency check of fmax: re-timed at 1.02 x T_min setup must be met, at
# 0.95 x T_min it must fail
CHECK_FACTORS = (1.02, 0.95)
# refinement of T_min: stop when 0 <= WNS <= 0.1 % of the period (well inside the 2 % margin of
# the check above); the secant rule is exact on one linear piece of slack(T), so a handful of
# re-timings suffice (3 on riscv32 with I/O delays of 0.2 T)
FMAX_TOLERANCE = 1e-3
FMAX_ITERATIONS = 8
_TIME_UNITS_NS = {"fs": 1e-6, "ps": 1e-3, "ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def liberty_time_unit_ns(lib_path: Path) -> float:
    """The Liberty's time_unit in ns (OpenSTA reports times in it)."""
    from ffet_flow.io.liberty import read_liberty

    text = read_liberty(lib_path).time_unit.strip().lower()
    m = re.fullmatch(r"([\d.]+)\s*([a-z]+)", text)
    if not m or m.group(2) not in _TIME_UNITS_NS:
        raise ConfigError(Issue(str(lib_path), "time_unit", text, "expected e.g. '1ns'"))
    return float(m.group(1)) * _TIME_UNITS_NS[m.group(2)]


def _max_cap_limits(lib_path: Path) -> list[str]:
    """CELL/PIN and limit (F) of every pin with a max_capacitance, flat (a Tcl array list)."""
    from ffet_flow.io.liberty import read_liberty

    out: list[str] = []
    for cell in sorted(read_liberty(lib_path).cells.values(), key=lambda c: c.name):
        for pin in sorted(cell.pins.values(), key=lambda p: p.name):
            if pin.max_capacitance > 0:
                out += [f"{cell.name}/{pin.name}", f"{pin.max_capacitance * 1e-15:.6g}"]
    return out


def parse_values(text: str, source: str) -> dict[str, str]:
    """The `key=value` lines the sign-off script writes (strict: anything else is an error)."""
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, eq, value = line.partition("=")
        if not eq or not re.fullmatch(r"[A-Za-z0-9_.]+", key):
            raise ToolError("sta", f"{source} line {n}: not a key=value line: {line!r}")
        out[key] = value
    return out


def _num(values: Mapping[str, str], key: str, source: str) -> float:
    try:
        v = float(values[key])
    except KeyError:
        raise ToolError("sta", f"{source}: OpenSTA did not report {key}") from None
    except ValueError:
        raise ToolError("sta", f"{source}: {key} = {values[key]!r} is not a number") from None
    return v


def _slack(v: float) -> float | None:
    """OpenSTA reports +-1e30 when there is no constrained path."""
    return None if abs(v) >= 1e29 else v


def build_reports(values: Mapping[str, str], scale: float, activity: float, source: str,
                  register_activity: float | None = None
                  ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(timing.json, power.json) from the parsed values; times scaled to ns. `activity` is the
    data inputs' activity, `register_activity` the registers' default (None: the same)."""
    def t(key: str) -> float | None:
        s = _slack(_num(values, key, source))
        return None if s is None else s * scale

    def timing(tag: str) -> dict[str, Any]:
        return {"setup": {"ws": t(f"{tag}.setup_ws"), "tns": t(f"{tag}.setup_tns")},
                "hold": {"ws": t(f"{tag}.hold_ws"), "tns": t(f"{tag}.hold_tns")}}

    def power(tag: str) -> dict[str, float | None]:
        p: dict[str, float | None] = {k: _num(values, f"{tag}.power_{k}", source)
                                      for k in ("internal", "switching", "leakage", "total")}
        total, switching = p["total"], p["switching"]
        p["switching_share"] = switching / total if total else None  # type: ignore[operator]
        return p

    path: dict[str, Any] = {}
    if values.get("target.path_count") == "1":
        points = []
        i = 0
        while f"target.point.{i}" in values:
            drv, arrival, *rest = values[f"target.point.{i}"].split(" ")
            cell, pin = (rest[0], rest[1]) if len(rest) == 2 else ("", rest[-1])
            points.append({"pin": pin, "cell": cell, "driver": drv == "1",
                           "arrival": float(arrival) * scale})
            i += 1
        stages = sum(1 for p in points if p["driver"] and p["cell"])
        path = {"start": values["target.path_start"], "end": values["target.path_end"],
                "slack": _num(values, "target.path_slack", source) * scale,
                "stages": stages, "points": points}
    target_period = _num(values, "target.period", source) * scale
    timing_json: dict[str, Any] = {"clock_period": target_period, **timing("target"),
                                   "critical_path": path, "units": {"time": "ns",
                                                                    "frequency": "Hz"}}
    # design-rule checks at the target clock (counts of driver pins over the limit)
    timing_json["drv"] = {k: int(_num(values, f"target.drv_{k}", source))
                          for k in ("max_slew", "max_cap", "fanout_largest")}
    reg = activity if register_activity is None else register_activity
    power_json: dict[str, Any] = {
        "activity": {
            "data_inputs": activity, "registers": reg, "clock": 2.0, "duty": ACTIVITY_DUTY,
            "data_input_count": int(_num(values, "activity.data_inputs", source)),
            "method": "vectorless, toggles per clock cycle: data inputs and the clock as set; "
                      "a register without an activity from its data input (feedback loop) "
                      "starts from the register default; OpenSTA propagates through the logic "
                      "and across registers (Q = D)"},
        "units": {"power": "W", "switching_share": "fraction"},
        "target": {"clock_period": target_period, **power("target")}}
    if values.get("fmax.period", "none") != "none":
        t_min = _num(values, "fmax.period", source) * scale
        timing_json["fmax"] = {
            "min_period": t_min, "hz": 1e9 / t_min,
            "iterations": int(_num(values, "fmax.iterations", source)),
            "first_estimate": _num(values, "fmax.first_estimate", source) * scale,
            "method": "first estimate T - WNS_setup; re-timed and refined (secant) until "
                      "0 <= WNS <= tolerance x T; T_min = smallest period with WNS >= 0",
            "at_min_period": timing("fmax")}
        timing_json["fmax_check"] = {
            f"{f:g}": {"period": _num(values, f"check.{f:g}.period", source) * scale,
                       "setup_ws": t(f"check.{f:g}.setup_ws")} for f in CHECK_FACTORS}
        power_json["fmax"] = {"clock_period": t_min, **power("fmax")}
    return timing_json, power_json


def metrics_from(timing: Mapping[str, Any], power: Mapping[str, Any]) -> dict[str, Any]:
    m: dict[str, Any] = {
        "finish__timing__setup__ws": timing["setup"]["ws"],
        "finish__timing__setup__tns": timing["setup"]["tns"],
        "finish__timing__hold__ws": timing["hold"]["ws"],
        "finish__timing__hold__tns": timing["hold"]["tns"],
        "finish__power__internal": power["target"]["internal"],
        "finish__power__switching": power["target"]["switching"],
        "finish__power__leakage": power["target"]["leakage"],
        "finish__power__total": power["target"]["total"],
    }
    units = {k: "ns" for k in m if "__timing__" in k}
    units.update({k: "W" for k in m if "__power__" in k})
    m["finish__power__switching_share"] = power["target"]["switching_share"]
    units["finish__power__switching_share"] = "fraction"
    if "drv" in timing:  # pins over the Liberty's max transition / max capacitance
        for k in ("max_slew", "max_cap", "fanout_largest"):
            m[f"finish__timing__drv__{k}"] = timing["drv"][k]
            units[f"finish__timing__drv__{k}"] = "count"
    if timing.get("critical_path"):
        m["finish__timing__critical_path__stages"] = timing["critical_path"]["stages"]
        units["finish__timing__critical_path__stages"] = "count"
    if "fmax" in timing:
        m["finish__timing__fmax"] = timing["fmax"]["hz"]
        m["finish__timing__min_period"] = timing["fmax"]["min_period"]
        for k in ("internal", "switching", "leakage", "total", "switching_share"):
            m[f"finish__power__at_fmax__{k}"] = power["fmax"][k]
            units[f"finish__power__at_fmax__{k}"] = "fraction" if k == "switching_share" else "W"
        units.update({"finish__timing__fmax": "Hz", "finish__timing__min_period": "ns"})
    m["units"] = units
    return m


def write_sdcs(sdc: Path, period_ns: float, out_dir: Path,
               propagated_clock: bool = False) -> tuple[Path, Path]:
    """effective.sdc (clock period = period_ns) and retime.sdc (period = $::ffet_period); with
    `propagated_clock`, both end by propagating the clocks through the clock tree (its buffers
    and extracted wires give latency and skew) instead of keeping them ideal."""
    try:
        text = sdc.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(Issue(str(sdc), "sdc", str(sdc), f"cannot be read: {exc.strerror}")) \
            from None
    effective, retime = out_dir / "effective.sdc", out_dir / "retime.sdc"
    tail = ("\n# added by ffet-flow: the clock tree is built (cts step)\n"
            "set_propagated_clock [all_clocks]\n") if propagated_clock else ""
    atomic_write_text(effective, sdc_with_period(text, repr(float(period_ns)), str(sdc)) + tail)
    atomic_write_text(retime, sdc_with_period(text, "$::ffet_period", str(sdc)) + tail)
    return effective, retime


def run_signoff(*, netlist: Path, liberty: Path, spef: Path | None, sdc: Path, top: str,
                period_ns: float, activity: float, out_dir: Path, log_path: Path,
                register_activity: float | None = None,
                fmax_iterations: int = FMAX_ITERATIONS,
                fmax_tolerance: float = FMAX_TOLERANCE,
                append_log: bool = True, propagated_clock: bool = False) -> dict[str, Any]:
    """Run OpenSTA once; write timing.json, power.json, sta_report.txt into out_dir; return the
    metrics. `activity`: toggles per clock cycle of the data inputs; `register_activity`: the
    default of registers that get none from their data input (None: `activity`).
    ConfigError for bad input (SDC without a clock, sta missing), ToolError if OpenSTA
    fails."""
    reg_activity = float(activity if register_activity is None else register_activity)
    scale = liberty_time_unit_ns(liberty)
    effective, retime = write_sdcs(sdc, period_ns / scale, out_dir, propagated_clock)
    sta = find_program("sta")
    values_path = out_dir / "values.txt"
    variables = {
        "liberty": str(Path(liberty).resolve()), "netlist": str(Path(netlist).resolve()),
        "top": top, "sdc": str(effective.resolve()), "retime_sdc": str(retime.resolve()),
        "spef": str(Path(spef).resolve()) if spef else "",
        "input_activity": float(activity), "register_activity": reg_activity,
        "values": str(values_path.resolve()),
        "report": str((out_dir / "sta_report.txt").resolve()),
        "fmax_iterations": int(fmax_iterations), "fmax_tolerance": float(fmax_tolerance),
        "check_factors": [f"{f:g}" for f in CHECK_FACTORS],
        "max_cap": _max_cap_limits(Path(liberty)),
    }
    vars_path = out_dir / "vars.tcl"
    atomic_write_text(vars_path, tcl_vars_text("ffet", variables, TEMPLATE))
    run_tool("sta", [sta, "-no_init", "-no_splash", "-exit", str(vars_path)], log_path,
             cwd=out_dir, append=append_log)
    log_text = Path(log_path).read_text(encoding="utf-8", errors="replace")
    errors = [ln[ln.index("Error:"):] for ln in log_text.splitlines() if "Error:" in ln]
    if errors or not values_path.exists():
        raise ToolError("sta", errors[0] if errors else "OpenSTA wrote no values", log_path,
                        "\n".join(log_text.splitlines()[-15:]))
    values = parse_values(values_path.read_text(encoding="utf-8"), str(values_path))
    timing, power = build_reports(values, scale, activity, str(values_path), reg_activity)
    warnings = [ln for ln in log_text.splitlines() if ln.startswith("Warning")]
    timing["opensta_warnings"] = len(warnings)
    write_json(out_dir / "timing.json", timing)
    write_json(out_dir / "power.json", power)
    m = metrics_from(timing, power)
    m["finish__sta__warning__count"] = len(warnings)
    m["units"]["finish__sta__warning__count"] = "count"
    return m


class StaStep(Step):
    name = "sta"
    inputs = ("netlist", "cells_lib", "spef")
    outputs: Mapping[str, str] = {"timing": "timing.json", "power": "power.json",
                                  "report": "sta_report.txt", "sdc_effective": "effective.sdc"}
    # 4: design-rule checks (max slew, max capacitance, fanout); 5: vectorless activity
    # propagated from the inputs (no -global), power at fmax and switching share as metrics
    version = 5

    def design_files(self, config) -> list[str]:
        """The SDC (relative to the design directory): editing it makes sta stale."""
        return [config.sdc]

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        cfg = ctx.config
        if ctx.design_dir is None:
            raise ConfigError(Issue("flow", "sta", "design_dir", "needs the design directory "
                                    "(for the SDC)"))
        m = run_signoff(netlist=ctx.inputs["netlist"], liberty=ctx.inputs["cells_lib"],
                        spef=ctx.inputs["spef"], sdc=Path(ctx.design_dir) / cfg.sdc,
                        top=cfg.top, period_ns=float(cfg.clock_period),
                        activity=float(cfg.activity), out_dir=ctx.out_dir,
                        log_path=ctx.log_path, propagated_clock=cfg.cts_max_fanout > 0)
        fmax = m.get("finish__timing__fmax")
        ctx.logger.info("setup WS %s ns, fmax %s", m["finish__timing__setup__ws"],
                        f"{fmax / 1e9:.3f} GHz" if fmax and math.isfinite(fmax) else "n/a")
        return m
