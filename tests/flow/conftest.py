"""Shared runs of the tiny design for the end-to-end tests.

The runs live in one build root per pytest session, shared by the xdist workers (a file lock
lets one worker run a variant while the others wait and then find it up to date). The library
is restricted to the cells the tiny design needs and characterized on a small grid, so a
variant takes seconds once its library is cached.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: the cells Yosys maps the tiny design onto, plus ties and fillers
TINY_CELLS = ("INV_X1,BUF_X1,NAND2_X1,NOR2_X1,AOI21_X1,OAI21_X1,XOR2_X1,XNOR2_X1,MUX2_X1,"
              "DFFR_X1,TIEHI_X1,TIELO_X1,FILL_X1,FILL_X2,FILL_X4")
#: a small library on a coarse 3 x 3 characterization grid (slews in ns, loads in fF), which
#: spans the tiny design's slews and loads, so a variant's library is built in seconds
COMMON_SET = (f"cell_list={TINY_CELLS}", "char_slews=0.004,0.02,0.1", "char_loads=0.2,1.5,8")

#: variant -> (tech file, --set items)
VARIANTS = {
    "ffet_dual": ("pdk/ffet.toml", ("signal_sides=both",)),
    "ffet_single": ("pdk/ffet.toml", ("signal_sides=front",)),
    "cfet": ("pdk/cfet.toml", ()),
}


def ffet(*args, timeout: float = 600, env=None) -> subprocess.CompletedProcess:
    """`python -m ffet_flow ARGS` from the repository root; never raises on failure."""
    return subprocess.run([sys.executable, "-m", "ffet_flow", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env=env)


def flow_args(root: Path, variant: str, tech: str, sets=()) -> list[str]:
    args = ["flow", "--design", "tiny", "--tech", tech, "--variant", variant,
            "--build-dir", root]
    for item in (*COMMON_SET, *sets):
        args += ["--set", item]
    return args


@contextmanager
def locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def e2e_root(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    # under xdist each worker has its own basetemp inside one per-session directory
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "flow-e2e"
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(scope="session")
def tiny_runs(e2e_root) -> dict[str, Path]:
    """Run directory of each variant of VARIANTS, complete."""
    out = {}
    for name, (tech, sets) in VARIANTS.items():
        with locked(e2e_root / f".{name}.lock"):
            proc = ffet(*flow_args(e2e_root, name, tech, sets))
        assert proc.returncode == 0, proc.stderr[-3000:]
        out[name] = e2e_root / "tiny" / name
    return out
