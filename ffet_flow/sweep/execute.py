"""Executors: local worker processes (`-j N`) and Ray, and the sweep driver around them."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.log import Progress, get_logger
from ffet_flow.sweep.runner import load_record, record_path, run_locked, variant_record
from ffet_flow.sweep.spec import ROOT, SweepSpec, Variant
from ffet_flow.sweep.table import write_tables
from ffet_flow.util import write_json

log = get_logger("sweep")


@dataclass(frozen=True)
class SweepOptions:
    out_dir: Path
    jobs: int = 1
    executor: str = "local"  # "local" | "ray"
    address: str | None = None
    runner: str = "flow"
    build_root: Path = ROOT / "build"


def _job(spec: SweepSpec, v: Variant, opts: SweepOptions) -> dict[str, Any]:
    return {"design": spec.design, "tech": v.tech, "keys": v.keys(), "set_items": v.set_items(),
            "variant": v.name, "runner": opts.runner, "sweep_dir": str(opts.out_dir),
            "build_root": str(opts.build_root)}


def _run_local(spec: SweepSpec, pending: Sequence[Variant], opts: SweepOptions,
               progress: Progress) -> None:
    jobs_dir = opts.out_dir / "jobs"
    jobs_dir.mkdir(parents=True, exist_ok=True)
    queue = list(pending)
    running: dict[str, tuple[subprocess.Popen, Variant]] = {}
    while queue or running:
        while queue and len(running) < max(1, opts.jobs):
            v = queue.pop(0)
            job_file = jobs_dir / f"{v.name}.json"
            write_json(job_file, _job(spec, v, opts))
            proc = subprocess.Popen([sys.executable, "-m", "ffet_flow.sweep.runner",
                                     str(job_file)], stdin=subprocess.DEVNULL, cwd=ROOT)
            running[v.name] = (proc, v)
        time.sleep(0.05)
        for name, (proc, v) in list(running.items()):
            if proc.poll() is None:
                continue
            del running[name]
            rec = load_record(opts.out_dir, name)
            if rec is None:  # the worker itself died: record that, don't lose the row
                rec = {"variant": name, "keys": v.keys(), "status": "failed",
                       "error": f"worker exited with status {proc.returncode}", "metrics": {},
                       "seconds": 0.0}
                write_json(record_path(opts.out_dir, name), rec)
            progress.update(name, failed=rec["status"] != "ok")


def _run_ray(spec: SweepSpec, pending: Sequence[Variant], opts: SweepOptions,
             progress: Progress) -> None:
    try:
        import ray
    except ImportError:
        raise ConfigError(Issue("--executor", "ray", "ray", "the ray package is not installed; "
                                "run `make setup`")) from None
    started_here = not ray.is_initialized()
    if started_here:
        if opts.address:
            ray.init(address=opts.address, log_to_driver=False)
        else:
            ray.init(num_cpus=max(1, opts.jobs), include_dashboard=False, log_to_driver=False)
    remote = ray.remote(num_cpus=1)(variant_record)
    try:
        refs = {remote.remote(spec.design, v.tech, v.keys(), v.set_items(), v.name, opts.runner,
                              opts.out_dir, opts.build_root): v for v in pending}
        waiting = list(refs)
        while waiting:
            done, waiting = ray.wait(waiting, num_returns=1)
            rec = ray.get(done[0])
            write_json(record_path(opts.out_dir, rec["variant"]), rec)
            progress.update(rec["variant"], failed=rec["status"] != "ok")
    finally:
        if started_here:
            ray.shutdown()


def run_sweep(spec: SweepSpec, opts: SweepOptions) -> dict[str, Path]:
    """Run every variant not finished yet; write the tables; return their paths."""
    opts.out_dir.mkdir(parents=True, exist_ok=True)
    write_json(opts.out_dir / "spec.json", {
        "design": spec.design, "name": spec.name, "tech": spec.tech, "set": dict(spec.fixed),
        "build_root": str(opts.build_root), "variants": [v.name for v in spec.variants]})
    pending = [v for v in spec.variants if load_record(opts.out_dir, v.name) is None]
    progress = Progress(len(spec.variants), "variant", log)
    progress.done = len(spec.variants) - len(pending)
    if progress.done:
        log.info("resuming: %d of %d variants already done", progress.done, len(spec.variants))
    if opts.executor == "ray":
        _run_ray(spec, pending, opts, progress)
    else:
        _run_local(spec, pending, opts, progress)
    records = [load_record(opts.out_dir, v.name) for v in spec.variants]
    return write_tables([r for r in records if r is not None], opts.out_dir)


__all__ = ["SweepOptions", "run_sweep", "run_locked"]
