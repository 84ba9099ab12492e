"""The one driver that runs every step: directories, logs, timing, atomic outputs, staleness.

Layout of a run: `<run_dir>/<NN>-<step>/` holding the step's outputs, `step.log`,
`inputs.json` (artifact -> path and digest), `metrics.json`, and `done.json` (the stamp).
A step is redone when its stamp is missing or differs: the stamp hashes the step's name and
version, the values of the config keys it reads, and the digests of its input files. Outputs are
written into a scratch directory and moved into place before the stamp is written, so a killed
run never leaves a step that looks done with incomplete outputs.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ffet_flow.config import Config
from ffet_flow.errors import ConfigError, FfetError, Issue, ToolError
from ffet_flow.log import Progress, get_logger
from ffet_flow.steps.base import Step, StepContext
from ffet_flow.util import file_digest, stable_hash, write_json


@dataclass(frozen=True)
class StepResult:
    name: str
    step_dir: Path
    outputs: Mapping[str, Path]
    metrics: Mapping[str, Any]
    seconds: float
    skipped: bool


def _digest_inputs(paths: Mapping[str, Path]) -> dict[str, str]:
    out = {}
    for name, path in sorted(paths.items()):
        if path.is_dir():
            parts = [f"{p.relative_to(path)}:{file_digest(p)}" for p in sorted(path.rglob("*"))
                     if p.is_file()]
            out[name] = stable_hash(parts)
        else:
            out[name] = file_digest(path)
    return out


def step_stamp(step: Step, config: Config, input_paths: Mapping[str, Path]) -> str:
    return stable_hash({"step": step.name, "version": step.version,
                        "config": config.digest(step.config_keys(config)),
                        "inputs": _digest_inputs(input_paths)})


def _load_done(step_dir: Path) -> dict[str, Any] | None:
    import json

    try:
        return json.loads((step_dir / "done.json").read_text())
    except (OSError, ValueError):
        return None


def run_steps(steps: Sequence[Step], config: Config, run_dir: Path, *,
              artifacts: Mapping[str, Path] | None = None, design_dir: Path | None = None,
              force: bool = False, first_index: int = 1) -> list[StepResult]:
    """Run `steps` in order into `run_dir`; return one result per step."""
    log = get_logger("flow")
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    available: dict[str, Path] = {k: Path(v) for k, v in (artifacts or {}).items()}
    results: list[StepResult] = []
    progress = Progress(len(steps), "step", log)
    for index, step in enumerate(steps, start=first_index):
        missing = [a for a in step.inputs if a not in available]
        if missing:
            raise ConfigError(Issue("flow", step.name, ", ".join(missing),
                                    "inputs not produced by any earlier step"))
        inputs = {a: available[a] for a in step.inputs}
        for a, p in inputs.items():
            if not p.exists():
                raise ConfigError(Issue("flow", f"{step.name} input {a}", str(p), "file not found"))
        step_dir = run_dir / f"{index:02d}-{step.name}"
        stamp = step_stamp(step, config, inputs)
        outputs = {a: step_dir / f for a, f in step.outputs.items()}
        done = _load_done(step_dir)
        if (not force and done and done.get("stamp") == stamp
                and all(p.exists() for p in outputs.values())):
            progress.update(f"{step.name} (up to date)")
            available.update(outputs)
            results.append(StepResult(step.name, step_dir, outputs, done.get("metrics", {}),
                                      0.0, True))
            continue
        progress.announce(step.name)
        if step_dir.exists():
            shutil.rmtree(step_dir)
        work = step_dir / ".work"
        work.mkdir(parents=True)
        log_path = step_dir / "step.log"
        ctx = StepContext(config=config, design_dir=design_dir, run_dir=run_dir,
                          step_dir=step_dir, out_dir=work, inputs=inputs, log_path=log_path,
                          logger=get_logger(step.name))
        start = time.monotonic()
        try:
            metrics = dict(step.run(ctx) or {})
        except FfetError:
            raise
        except Exception as exc:  # an engine bug: keep the traceback in the step log
            import traceback

            with open(log_path, "a", encoding="utf-8") as fh:
                traceback.print_exc(file=fh)
            raise ToolError(step.name, f"internal error: {type(exc).__name__}: {exc}",
                            log_path) from exc
        seconds = time.monotonic() - start
        for artifact, path in outputs.items():
            produced = work / step.outputs[artifact]
            if not produced.exists():
                raise ToolError(step.name, f"did not write its output {produced.name}", log_path)
            produced.replace(path)
        shutil.rmtree(work, ignore_errors=True)
        metrics[f"{step.name}__runtime__seconds"] = round(seconds, 3)
        write_json(step_dir / "inputs.json",
                   {a: {"path": str(p), "digest": d}
                    for (a, p), d in zip(sorted(inputs.items()), _digest_inputs(inputs).values(),
                                         strict=True)})
        write_json(step_dir / "metrics.json", metrics)
        write_json(step_dir / "done.json", {"stamp": stamp, "step": step.name,
                                            "finished": time.time(), "metrics": metrics})
        available.update(outputs)
        results.append(StepResult(step.name, step_dir, outputs, metrics, seconds, False))
        progress.update(f"{step.name} done in {seconds:.1f} s")
    merged: dict[str, Any] = {}
    for r in results:
        merged.update(r.metrics)
    write_json(run_dir / "metrics.json", merged)
    return results
