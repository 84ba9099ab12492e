from __future__ import annotations

import sys

import pytest

from ffet_flow.errors import ConfigError, ToolError
from ffet_flow.proc import run_tool


def test_output_streamed_to_log(tmp_path):
    log = tmp_path / "x.log"
    run = run_tool("demo", [sys.executable, "-c", "print('hello'); print('world')"], log)
    assert run.returncode == 0 and run.peak_mib > 0
    assert "hello\nworld" in log.read_text()


def test_failure_names_step_log_and_tail(tmp_path):
    log = tmp_path / "x.log"
    with pytest.raises(ToolError) as exc:
        run_tool("synth", [sys.executable, "-c", "print('last words'); raise SystemExit(3)"], log)
    text = str(exc.value)
    assert "step synth" in text and str(log) in text and "last words" in text


def test_missing_program_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no-such-program"):
        run_tool("x", ["no-such-program-xyz"], tmp_path / "l.log")
