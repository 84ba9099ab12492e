"""Running one sweep variant, and the record it leaves.

A runner turns (design, variant) into metrics. The default runner is the real flow, started as
its own process (`python -m ffet_flow flow ...`), so a crash or a kill never takes the sweep with
it; `module:function` names another runner (the tests use small ones). A variant's record is
written atomically to `<sweep>/variants/<name>.json` under an exclusive lock, so an interrupted
sweep can be resumed: finished variants are skipped, and a variant still being run by an orphaned
worker is waited for instead of run twice.
"""

from __future__ import annotations

import fcntl
import importlib
import json
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ffet_flow.util import write_json

FLOW_RUNNER = "flow"


def _flow_runner(design: str, tech: str, set_items: list[str], variant: str,
                 log_path: Path, build_root: Path) -> Mapping[str, Any]:
    from ffet_flow.proc import run_tool

    argv = [sys.executable, "-m", "ffet_flow", "flow", "--design", design, "--tech", tech,
            "--variant", variant, "--build-dir", str(build_root)]
    for item in set_items:
        argv += ["--set", item]
    run = run_tool(f"sweep {variant}", argv, log_path, check=False)
    if run.returncode != 0:
        lines = [ln for ln in log_path.read_text(errors="replace").splitlines() if ln.strip()]
        reason = next((ln for ln in reversed(lines) if ln.startswith("ffet ")), lines[-1] if lines
                      else f"exit status {run.returncode}")
        raise RuntimeError(reason)
    return json.loads((build_root / design / variant / "metrics.json").read_text())


def resolve_runner(spec: str) -> Callable[..., Mapping[str, Any]]:
    if spec == FLOW_RUNNER:
        return _flow_runner
    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func)


def variant_record(design: str, tech: str, keys: Mapping[str, Any], set_items: list[str],
                   variant: str, runner: str, sweep_dir: Path, build_root: Path) -> dict[str, Any]:
    """Run one variant and return its record (never raises for a failing variant)."""
    log_path = sweep_dir / "logs" / f"{variant}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    record: dict[str, Any] = {"variant": variant, "keys": resolved_keys(tech, set_items, keys)}
    try:
        metrics = resolve_runner(runner)(design=design, tech=tech, set_items=set_items,
                                         variant=variant, log_path=log_path,
                                         build_root=build_root)
        record.update(status="ok", error="", metrics=dict(metrics))
    except Exception as exc:  # a failing variant is recorded, never fatal to the sweep
        message = str(exc).strip().splitlines()
        record.update(status="failed", error=message[-1] if message else type(exc).__name__,
                      metrics={})
    record["seconds"] = round(time.monotonic() - start, 3)
    return record


def resolved_keys(tech: str, set_items: list[str], explicit: Mapping[str, Any]) -> dict[str, Any]:
    """Every sweepable key's effective value for this variant (so tables can be grouped by
    architecture, sides and layers even where the spec left them at the tech file's value)."""
    from ffet_flow.config import REGISTRY, load_config
    from ffet_flow.sweep.spec import ROOT

    path = Path(tech) if Path(tech).is_absolute() else ROOT / tech
    cfg = load_config([path], set_items=set_items)
    out = {k: cfg.values[k] for k, key in REGISTRY.items() if key.sweep}
    out = {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}
    return {**out, **dict(explicit)}


def record_path(sweep_dir: Path, variant: str) -> Path:
    return sweep_dir / "variants" / f"{variant}.json"


def load_record(sweep_dir: Path, variant: str) -> dict[str, Any] | None:
    try:
        return json.loads(record_path(sweep_dir, variant).read_text())
    except (OSError, ValueError):
        return None


def run_locked(design: str, tech: str, keys: Mapping[str, Any], set_items: list[str],
               variant: str, runner: str, sweep_dir: Path, build_root: Path) -> dict[str, Any]:
    """Run a variant under its lock unless a finished record exists; write the record."""
    lock_path = sweep_dir / "variants" / f"{variant}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits for an orphaned worker of an earlier run
        done = load_record(sweep_dir, variant)
        if done is not None:
            return done
        record = variant_record(design, tech, keys, set_items, variant, runner, sweep_dir,
                                build_root)
        write_json(record_path(sweep_dir, variant), record)
        return record


def main(argv: list[str] | None = None) -> int:
    """Worker entry point: `python -m ffet_flow.sweep.runner JOB.json` (local executor)."""
    job = json.loads(Path((argv or sys.argv[1:])[0]).read_text())
    run_locked(job["design"], job["tech"], job["keys"], job["set_items"], job["variant"],
               job["runner"], Path(job["sweep_dir"]), Path(job["build_root"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
