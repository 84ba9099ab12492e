"""Shared pytest fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def run_cli(capsys):
    """Run `ffet ARGS...` in-process; return (exit status, stdout, stderr)."""
    from ffet_flow.cli import main

    def _run(*argv: str) -> tuple[int, str, str]:
        status = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return status, out, err

    return _run


@pytest.fixture(scope="session")
def python() -> str:
    return sys.executable
