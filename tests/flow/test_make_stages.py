"""The Makefile's stage targets hand over to the flow, whose stamps know what is stale: after a
step's code version changes, `make check` reruns that step (a make rule on the stamp's file
time cannot see a code change and would report the old results)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.flow.conftest import COMMON_SET

pytestmark = [pytest.mark.tool, pytest.mark.slow]

MAKEFILE = ROOT / "Makefile"

#: `ffet` with the sta step's version bumped, as after a code change to ffet_flow/steps/sta.py
BUMPED_FFET = """\
import sys

from ffet_flow.steps.sta import StaStep

StaStep.version += 1
from ffet_flow.cli import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
"""


def make(target: str, build_dir, *overrides: str) -> subprocess.CompletedProcess:
    """`make TARGET` on the tiny design in `build_dir`; the virtualenv's stamp is taken as up
    to date (-o), so a test never reinstalls it."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    argv = ["make", "--no-print-directory", "-f", str(MAKEFILE), "-o", ".venv/.ffet-installed",
            target, "DESIGN=tiny", "TECH=ffet", "VARIANT=stamps", f"BUILD_DIR={build_dir}",
            "SET=" + " ".join(COMMON_SET), *overrides]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900, env=env,
                          stdin=subprocess.DEVNULL)


def make_check(build_dir, run_dir, *overrides: str) -> dict[str, bool]:
    """`make check`; step -> whether the flow it started ran the step (False: up to date)."""
    (run_dir / "run.json").unlink(missing_ok=True)  # so what we read is this call's
    proc = make("check", build_dir, *overrides)
    out = proc.stdout + proc.stderr
    # the check itself ran (whether the tiny design meets every rule is not this test's matter)
    assert "rules hold (" in out or "rules violated (" in out, out[-3000:]
    assert (run_dir / "run.json").is_file(), f"make check did not run the flow:\n{out[-3000:]}"
    info = json.loads((run_dir / "run.json").read_text())
    return {s["name"]: not s["skipped"] for s in info["steps"]}


def test_make_check_reruns_a_step_whose_version_changed(tmp_path):
    build = tmp_path / "build"
    first = make("sta", build)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
    run_dir = build / "tiny" / "stamps"
    sta_done = run_dir / "11-sta" / "done.json"
    before = json.loads(sta_done.read_text())["stamp"]

    bumped = tmp_path / "bumped_ffet.py"
    bumped.write_text(BUMPED_FFET)
    ffet = f"FFET={sys.executable} {bumped}"
    ran = make_check(build, run_dir, ffet)
    assert ran["sta"] and not any(v for k, v in ran.items() if k != "sta"), ran
    assert json.loads(sta_done.read_text())["stamp"] != before

    # nothing stale now: the flow is asked again and finds every step up to date
    assert not any(make_check(build, run_dir, ffet).values())
