"""Benchmarks (`make bench` -> reports/bench/bench.json).

Each area adds a module `ffet_flow/bench/<area>.py` with a dict
`BENCHMARKS = {"name": function}`; a function takes a BenchContext and returns flat figures
(`{"pdk.seconds": 0.4, ...}`). Results are merged into the existing bench.json, so running one
area's benchmarks keeps the others' figures. Timings are wall-clock of one run on this (shared,
noisy) machine; where a reference exists, a benchmark also reports the ratio measured in the
same run.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import platform
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ffet_flow.log import Progress, get_logger
from ffet_flow.util import write_json

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


@dataclass(frozen=True)
class BenchContext:
    work_dir: Path  # scratch space under build/bench
    root: Path = ROOT
    shared: Path = SHARED


def discover() -> dict[str, Callable[[BenchContext], Mapping[str, Any]]]:
    found: dict[str, Callable[[BenchContext], Mapping[str, Any]]] = {}
    import ffet_flow.bench as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"ffet_flow.bench.{info.name}")
        for name, fn in getattr(module, "BENCHMARKS", {}).items():
            found[name] = fn
    return found


def run_benchmarks(only: list[str], output: Path, work_dir: Path) -> dict[str, Any]:
    log = get_logger("bench")
    chosen = {n: f for n, f in discover().items() if not only or any(n.startswith(o) for o in only)}
    try:
        results = json.loads(output.read_text())
    except (OSError, ValueError):
        results = {}
    progress = Progress(len(chosen), "benchmark", log)
    for name, fn in chosen.items():
        progress.announce(name)
        start = time.monotonic()
        figures = dict(fn(BenchContext(work_dir=work_dir / name)))
        results.update(figures)
        results.setdefault("_meta", {})[name] = {
            "seconds": round(time.monotonic() - start, 2), "when": time.strftime("%Y-%m-%d %H:%M"),
            "machine": f"{platform.machine()} {platform.python_version()}"}
        write_json(output, results)  # after each benchmark, so a long run keeps what it has
        progress.update(name)
    return results
