"""`ffet cells` through the CLI: the six files, and bad input as one line with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FFET = str(ROOT / "pdk" / "ffet.toml")
GRID = ["--set", "char_slews=0.005,0.05", "--set", "char_loads=0.5,5"]


def _one_line_error(err: str) -> str:
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert "Traceback" not in err
    return lines[-1]


def test_unknown_cell_name_is_one_line(run_cli, tmp_path):
    status, _, err = run_cli("cells", "--tech", FFET, "--set", "cell_list=INV_X1,NAND9_X1",
                             "-o", tmp_path / "o", "--cache", tmp_path / "c")
    assert status == 2
    line = _one_line_error(err)
    assert "cell_list" in line and "NAND9_X1" in line and "INV_X1" in line
    assert not (tmp_path / "o").exists()


def test_density_outside_range_is_refused(run_cli, tmp_path):
    status, _, err = run_cli("cells", "--tech", FFET, "--set", "input_pin_density=1.5",
                             "-o", tmp_path / "o", "--cache", tmp_path / "c")
    assert status == 2
    assert "input_pin_density" in _one_line_error(err)


def test_too_few_tracks_is_refused(run_cli, tmp_path):
    status, _, err = run_cli("cells", "--tech", FFET, "--set", "cell_height_tracks=2",
                             "--set", "cell_list=DFF_X1", "-o", tmp_path / "o",
                             "--cache", tmp_path / "c")
    assert status == 2
    assert "cell_height_tracks" in _one_line_error(err)
    assert not (tmp_path / "o").exists()


@pytest.mark.tool
def test_cells_command_writes_the_six_files(run_cli, tmp_path):
    out = tmp_path / "o"
    status, stdout, _ = run_cli("cells", "--tech", FFET, "--set", "cell_list=INV_X1,NAND2_X1",
                                "--set", "input_pin_density=0.5", *GRID, "-o", out,
                                "--cache", tmp_path / "c")
    assert status == 0
    names = {"cells.lef", "cells.gds", "cells.lib", "cells.v", "cells.sp", "pins.json"}
    assert names <= {p.name for p in out.iterdir()}
    assert len(stdout.split()) == 6
    pins = json.loads((out / "pins.json").read_text())
    assert pins["input_pin_density"] == 0.5
    sides = pins["cells"]["NAND2_X1"]
    assert sides["Y"] == "both" and sorted([sides["A"], sides["B"]]) == ["back", "front"]
    sp = (out / "cells.sp").read_text()
    assert ".subckt NAND2_X1 A B Y VDD VSS" in sp and ".model nch nmos" in sp
