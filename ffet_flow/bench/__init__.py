"""Benchmarks (`make bench` -> reports/bench/bench.json).

Each area adds a module `ffet_flow/bench/<area>.py` with a dict
`BENCHMARKS = {"name": function}`; a function takes a BenchContext and returns flat figures
(`{"pdk.seconds": 0.4, ...}`). The module also declares every key each benchmark returns,
`KEYS = {"name": ("pdk.seconds", ...)}` (`*` stands for one name computed at run time, e.g.
`riscv32.cpi.*` for each program): a key has one owner and one meaning, a benchmark that
returns a key it does not declare is an error, and a test checks that no two benchmarks declare
the same key. Results are merged into the existing bench.json, so running one area's
benchmarks keeps the others' figures; `_meta` records per benchmark when it ran, how long it
took and on which machine (cores, CPU model). Timings are wall-clock of one run on this
(shared, noisy) machine; where a reference exists, a benchmark also reports the ratio measured
in the same run.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import platform
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
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


def _modules():
    import ffet_flow.bench as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"ffet_flow.bench.{info.name}")


def discover() -> dict[str, Callable[[BenchContext], Mapping[str, Any]]]:
    found: dict[str, Callable[[BenchContext], Mapping[str, Any]]] = {}
    for module in _modules():
        for name, fn in getattr(module, "BENCHMARKS", {}).items():
            found[name] = fn
    return found


def declared_keys() -> dict[str, tuple[str, ...]]:
    """Benchmark name -> the keys it declares (its module's KEYS; empty when undeclared)."""
    found: dict[str, tuple[str, ...]] = {}
    for module in _modules():
        keys = getattr(module, "KEYS", {})
        for name in getattr(module, "BENCHMARKS", {}):
            found[name] = tuple(keys.get(name, ()))
    return found


def key_matches(key: str, pattern: str) -> bool:
    """Whether a key is one a declared key (possibly with `*`) stands for."""
    return fnmatchcase(key, pattern)


def shared_keys(declared: Mapping[str, Sequence[str]]) -> list[str]:
    """'key: bench1, bench2' for every key (or pattern) more than one benchmark declares."""
    out = []
    names = sorted(declared)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            for ka in declared[a]:
                for kb in declared[b]:
                    if key_matches(ka, kb) or key_matches(kb, ka):
                        out.append(f"{ka if '*' not in ka else kb}: {a}, {b}")
    return sorted(out)


def undeclared(figures: Mapping[str, Any], keys: Sequence[str]) -> list[str]:
    return sorted(k for k in figures if not any(key_matches(k, p) for p in keys))


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The CPU's model name from /proc/cpuinfo (the platform's processor string elsewhere)."""
    try:
        for line in cpuinfo.read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                return " ".join(value.split())
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine() -> dict[str, Any]:
    """The machine a benchmark ran on: logical CPUs, CPU model, architecture, Python."""
    return {"cores": os.cpu_count(), "cpu": cpu_model(), "arch": platform.machine(),
            "python": platform.python_version()}


def run_benchmarks(only: list[str], output: Path, work_dir: Path) -> dict[str, Any]:
    log = get_logger("bench")
    chosen = {n: f for n, f in discover().items() if not only or any(n.startswith(o) for o in only)}
    declared = declared_keys()
    try:
        results = json.loads(output.read_text())
    except (OSError, ValueError):
        results = {}
    progress = Progress(len(chosen), "benchmark", log)
    for name, fn in chosen.items():
        progress.announce(name)
        start = time.monotonic()
        figures = dict(fn(BenchContext(work_dir=work_dir / name)))
        extra = undeclared(figures, declared[name])
        if extra:  # a programming error: the key could be another benchmark's
            raise RuntimeError(f"benchmark {name} returned keys its module's KEYS does not "
                               f"declare: {', '.join(extra)}")
        results.update(figures)
        results.setdefault("_meta", {})[name] = {
            "seconds": round(time.monotonic() - start, 2), "when": time.strftime("%Y-%m-%d %H:%M"),
            **machine()}
        write_json(output, results)  # after each benchmark, so a long run keeps what it has
        progress.update(name)
    return results
