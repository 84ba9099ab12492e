"""The one subprocess wrapper (STYLE.md practice 7).

argv lists only, stdin closed, stdout+stderr streamed line by line to the step log, wall time
and peak memory (max RSS of the child) recorded. A failing program raises ToolError naming the
step, the log and the log's last lines; a program that is not installed is a ConfigError
(exit 2), because it is a set-up problem the user must fix before any work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue, ToolError
from ffet_flow.log import get_logger

TAIL_LINES = 20


@dataclass(frozen=True)
class ToolRun:
    argv: tuple[str, ...]
    returncode: int
    seconds: float
    peak_mib: float
    log_path: Path


def find_program(name: str, *alternatives: str) -> str:
    """Absolute path of the first program found on PATH (or next to this Python)."""
    import sys

    for cand in (name, *alternatives):
        found = shutil.which(cand)
        if found:
            return found
        beside = Path(sys.executable).with_name(cand)
        if beside.exists():
            return str(beside)
    names = " or ".join((name, *alternatives))
    raise ConfigError(Issue("PATH", "program", names, "not found; run `make setup` to install it"))


def run_tool(step: str, argv: Sequence[str], log_path: Path, *, cwd: Path | None = None,
             env: Mapping[str, str] | None = None, check: bool = True,
             append: bool = False) -> ToolRun:
    """Run one external program; stream its output into `log_path`; raise on failure."""
    argv = [str(a) for a in argv]
    log = get_logger(step)
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    log.debug("running: %s", " ".join(argv))
    start = time.monotonic()
    with open(log_path, "a" if append else "w", encoding="utf-8", errors="replace") as fh:
        fh.write("$ " + " ".join(argv) + "\n")
        fh.flush()
        try:
            proc = subprocess.Popen(argv, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, errors="replace", bufsize=1)
        except FileNotFoundError:
            raise ConfigError(Issue("PATH", "program", argv[0],
                                    "not found; run `make setup` to install it")) from None
        assert proc.stdout is not None
        for line in proc.stdout:
            fh.write(line)
            tail.append(line.rstrip("\n"))
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    run = ToolRun(tuple(argv), proc.returncode, seconds, usage.ru_maxrss / 1024.0, log_path)
    log.debug("%s finished in %.2f s, status %d", Path(argv[0]).name, seconds, proc.returncode)
    if check and proc.returncode != 0:
        raise ToolError(step, f"{Path(argv[0]).name} exited with status {proc.returncode}",
                        log_path, "\n".join(tail))
    return run
