"""Bad input to `ffet flow`: one line naming the problem, exit 2, before any work; a failing
tool: exit 1 with its step and log path."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import ROOT
from tests.flow.conftest import COMMON_SET, ffet


def copy_tiny(tmp_path):
    d = tmp_path / "tiny_copy"
    shutil.copytree(ROOT / "designs" / "tiny", d)
    return d


def lines(err):
    return [ln for ln in err.strip().splitlines() if ln.strip()]


def test_unknown_design(tmp_path):
    p = ffet("flow", "--design", "nonesuch", "--tech", "pdk/ffet.toml", "--build-dir", tmp_path)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    (line,) = lines(p.stderr)
    assert "nonesuch" in line and "riscv32" in line and "tiny" in line
    assert not any(tmp_path.iterdir())


def test_tech_file_with_errors(tmp_path):
    tech = tmp_path / "broken.toml"
    tech.write_text('arch = "ffet"\nlayers_front = 40\nsignal_side = "both"\nvdd = "high"\n')
    p = ffet("flow", "--design", "tiny", "--tech", tech, "--build-dir", tmp_path / "b")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    out = lines(p.stderr)
    assert len(out) == 3 and all(str(tech) in ln for ln in out), out
    for key in ("layers_front", "signal_side", "vdd"):
        assert sum(key in ln for ln in out) == 1, key
    assert not (tmp_path / "b").exists()


def test_sdc_without_a_clock(tmp_path):
    d = copy_tiny(tmp_path)
    sdc = d / "constraints.sdc"
    sdc.write_text("\n".join(ln for ln in sdc.read_text().splitlines()
                             if not ln.startswith("create_clock")) + "\n")
    p = ffet("flow", "--design", d, "--tech", "pdk/ffet.toml", "--build-dir", tmp_path / "b")
    assert p.returncode == 2
    (line,) = lines(p.stderr)
    assert "constraints.sdc" in line and "create_clock" in line


def test_missing_tool_is_named_before_any_work(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path / "empty"))
    p = ffet("flow", "--design", "tiny", "--tech", "pdk/cfet.toml", "--build-dir",
             tmp_path / "b", env=env)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    named = lines(p.stderr)
    assert any("'sta'" in ln for ln in named) and any("'ngspice'" in ln for ln in named)
    assert not (tmp_path / "b").exists()


@pytest.mark.tool
def test_failing_tool_names_its_step_and_log(tmp_path):
    d = copy_tiny(tmp_path)
    rtl = d / "rtl" / "tiny_core.v"
    rtl.write_text(rtl.read_text().replace("always @(*) begin", "always @(*) begin oops", 1))
    args = ["flow", "--design", d, "--tech", "pdk/cfet.toml", "--build-dir", tmp_path / "b",
            "--to", "synth"]
    for item in COMMON_SET:
        args += ["--set", item]
    p = ffet(*args)
    assert p.returncode == 1, p.stderr
    errors = [ln for ln in lines(p.stderr) if ln.startswith("ffet flow:")]
    assert errors, p.stderr
    first = errors[0]  # the error line (progress lines come before it)
    assert "synth" in first and "log:" in first
    log = first.split("log: ")[1].rstrip(")")
    assert os.path.exists(log)
    assert not (tmp_path / "b" / "tiny_copy" / "cfet" / "03-synth" / "done.json").exists()
