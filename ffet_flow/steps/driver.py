"""The one driver that runs every step: directories, logs, timing, atomic outputs, staleness.

Layout of a run: `<run_dir>/<NN>-<step>/` holding the step's outputs, `step.log`,
`inputs.json` (artifact -> path and digest), `metrics.json`, and `done.json` (the stamp).
A step is redone when its stamp is missing or differs: the stamp hashes the step's name and
version, the values of the config keys it reads, and the digests of its input files. Outputs are
written into a scratch directory and moved into place before the stamp is written, so a killed
run never leaves a step that looks done with incomplete outputs.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Collection, Mapping, Sequence
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


def step_stamp(step: Step, config: Config, input_paths: Mapping[str, Path],
               design_dir: Path | None = None) -> str:
    parts = {"step": step.name, "version": step.version,
             "config": config.digest(step.config_keys(config)),
             "inputs": _digest_inputs(input_paths)}
    # files a step reads from the design directory (RTL, SDC), declared by an optional
    # `design_files(config) -> [relative paths]`, so editing them makes the step stale
    listed = getattr(step, "design_files", None)
    if listed is not None and design_dir is not None:
        parts["design_files"] = {rel: file_digest(Path(design_dir) / rel)
                                 for rel in sorted(listed(config))
                                 if (Path(design_dir) / rel).is_file()}
    return stable_hash(parts)


def _run_one(step: Step, ctx: StepContext) -> dict[str, Any]:
    """Run one step with its messages also going to its step.log; engine bugs become a
    ToolError naming the log, which keeps the traceback."""
    handler = _step_log_handler(ctx.log_path)
    ctx.logger.addHandler(handler)
    try:
        return dict(step.run(ctx) or {})
    except FfetError:
        raise
    except Exception as exc:  # an engine bug: keep the traceback in the step log
        import traceback

        with open(ctx.log_path, "a", encoding="utf-8") as fh:
            traceback.print_exc(file=fh)
        raise ToolError(step.name, f"internal error: {type(exc).__name__}: {exc}",
                        ctx.log_path) from exc
    finally:
        ctx.logger.removeHandler(handler)
        handler.close()


def _load_done(step_dir: Path) -> dict[str, Any] | None:
    import json

    try:
        return json.loads((step_dir / "done.json").read_text())
    except (OSError, ValueError):
        return None


def _link_or_copy(src: Path, dst: Path) -> None:
    """Hard-link `src` to `dst` (outputs are never modified in place), copying across devices."""
    if src.is_dir():
        shutil.copytree(src, dst, copy_function=_link_or_copy_file)
    else:
        _link_or_copy_file(src, dst)


def _link_or_copy_file(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _from_cache(cache_dir: Path, step: Step, stamp: str, work: Path) -> dict[str, Any] | None:
    """Copy a cached result of `step` into `work`; its metrics, or None when there is none."""
    done = _load_done(cache_dir)
    if not done or done.get("stamp") != stamp:
        return None
    files = [cache_dir / f for f in step.outputs.values()]
    if not all(p.exists() for p in files):
        return None
    for f in step.outputs.values():
        _link_or_copy(cache_dir / f, work / f)
    return dict(done.get("metrics", {}))


def _store_cache(cache_dir: Path, step: Step, step_dir: Path, stamp: str,
                 metrics: Mapping[str, Any]) -> None:
    """Publish a step's outputs into the shared cache: filled aside, then renamed into place,
    so concurrent runs never see a half-filled entry (the first rename wins)."""
    if (cache_dir / "done.json").exists():
        return
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir.parent / f".{cache_dir.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for f in step.outputs.values():
        _link_or_copy(step_dir / f, tmp / f)
    write_json(tmp / "done.json", {"stamp": stamp, "step": step.name, "metrics": metrics})
    try:
        os.rename(tmp, cache_dir)
    except OSError:  # another run stored the same entry first
        shutil.rmtree(tmp, ignore_errors=True)


def _step_log_handler(log_path: Path) -> logging.Handler:
    """Copies the step's own log messages into its step.log (opened for appending, so tool
    output that the subprocess wrapper writes to the same file is kept in order)."""
    handler = logging.FileHandler(log_path, mode="a", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname).1s %(name)s: %(message)s"))
    return handler


def run_steps(steps: Sequence[Step], config: Config, run_dir: Path, *,
              artifacts: Mapping[str, Path] | None = None, design_dir: Path | None = None,
              force: bool = False, first_index: int = 1, force_steps: Collection[str] = (),
              shared_steps: Collection[str] = (),
              cache_root: Path | None = None) -> list[StepResult]:
    """Run `steps` in order into `run_dir`; return one result per step.

    `force` redoes every step, `force_steps` the steps named. Steps named in `shared_steps`
    keep a copy of their outputs under `cache_root/<step>/<stamp>/`, which other runs with the
    same stamp (same config values, version and inputs) reuse instead of running the step.
    """
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
        stamp = step_stamp(step, config, inputs, design_dir)
        outputs = {a: step_dir / f for a, f in step.outputs.items()}
        done = _load_done(step_dir)
        forced = force or step.name in force_steps
        if (not forced and done and done.get("stamp") == stamp
                and all(p.exists() for p in outputs.values())):
            progress.update(f"{step.name} (up to date)")
            available.update(outputs)
            results.append(StepResult(step.name, step_dir, outputs, done.get("metrics", {}),
                                      0.0, True))
            continue
        progress.announce(step.name)
        if step_dir.exists():  # the stamp goes first, so a kill mid-way leaves no done step
            (step_dir / "done.json").unlink(missing_ok=True)
            shutil.rmtree(step_dir)
        work = step_dir / ".work"
        work.mkdir(parents=True)
        log_path = step_dir / "step.log"
        ctx = StepContext(config=config, design_dir=design_dir, run_dir=run_dir,
                          step_dir=step_dir, out_dir=work, inputs=inputs, log_path=log_path,
                          logger=get_logger(step.name))
        cache_dir = (Path(cache_root) / step.name / stamp[:32]
                     if cache_root is not None and step.name in shared_steps else None)
        start = time.monotonic()
        cached = None if cache_dir is None or forced else _from_cache(cache_dir, step, stamp, work)
        if cached is not None:
            metrics = cached
            log_path.write_text(f"reused the shared result in {cache_dir}\n", encoding="utf-8")
            log.info("%s: reused the shared result in %s", step.name, cache_dir)
        else:
            metrics = _run_one(step, ctx)
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
        if cache_dir is not None and cached is None:
            _store_cache(cache_dir, step, step_dir, stamp, metrics)
        available.update(outputs)
        results.append(StepResult(step.name, step_dir, outputs, metrics, seconds, False))
        progress.update(f"{step.name} done in {seconds:.1f} s")
    merged: dict[str, Any] = {}
    for r in results:
        merged.update(r.metrics)
    write_json(run_dir / "metrics.json", merged)
    return results
