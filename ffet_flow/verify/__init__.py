"""Independent layout checker: DRC and LVS of a routed DEF with KLayout's geometry engine.

It reads only the files the flow writes (DEF, LEF, netlist) and never imports the router.
`check_layout` / `run_drc` / `run_lvs` (in `run.py`) are the entry points; docs/verify.md
describes the rules, their semantics and the measured runtime.
"""

from ffet_flow.verify.run import CheckResult, RunInputs, check_layout, run_drc, run_inputs, run_lvs

__all__ = ["CheckResult", "RunInputs", "check_layout", "run_drc", "run_inputs", "run_lvs"]
