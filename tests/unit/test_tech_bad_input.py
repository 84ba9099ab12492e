"""Bad input to `ffet pdk`: one line per problem naming file, key, value and what is allowed;
exit status 2; every problem of a file at once; no traceback; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

LAYER = """
[[metal]]
tier = "local"
pitch = {pitch}
width = {width}
thickness = 28
barrier = 2.0
k_eff = 2.8
via_resistance = 50.0
{extra}
"""


def _metal(pitch=28, width=14, extra=""):
    return LAYER.format(pitch=pitch, width=width, extra=extra)


def _run_bad(run_cli, tmp_path: Path, text: str | None, *extra: str) -> tuple[Path, list[str]]:
    tech = tmp_path / "bad.toml"
    if text is not None:
        tech.write_text(text)
    out = tmp_path / "out"
    status, stdout, stderr = run_cli("pdk", "--tech", tech, "-o", out, *extra)
    assert status == 2
    assert "Traceback" not in stderr and stdout == ""
    assert not out.exists(), "nothing may be written on bad input"
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert lines and all(ln.startswith("ffet pdk: ") for ln in lines)
    return tech, lines


def _one(lines: list[str], *parts: str) -> str:
    hits = [ln for ln in lines if all(p in ln for p in parts)]
    assert len(hits) == 1, (parts, lines)
    return hits[0]


def test_unknown_key(run_cli, tmp_path):
    tech, lines = _run_bad(run_cli, tmp_path, 'arch = "ffet"\nlayers_fornt = 6\n')
    _one(lines, str(tech), "layers_fornt = 6", "unknown key", "layers_front")
    assert len(lines) == 1


def test_wrong_type(run_cli, tmp_path):
    tech, lines = _run_bad(run_cli, tmp_path, 'layers_front = "twelve"\n')
    _one(lines, str(tech), "layers_front = 'twelve'", "integer in [1, 16]")


@pytest.mark.parametrize(("key", "value"), [("layers_front", 0), ("layers_back", 17)])
def test_layer_count_out_of_range(run_cli, tmp_path, key, value):
    tech, lines = _run_bad(run_cli, tmp_path, f"{key} = {value}\n")
    _one(lines, str(tech), f"{key} = {value}", "integer in [1, 16]")
    assert len(lines) == 1


def test_layer_count_out_of_range_on_the_command_line(run_cli, tmp_path):
    tech = tmp_path / "ok.toml"
    tech.write_text('arch = "ffet"\n')
    status, _, stderr = run_cli("pdk", "--tech", tech, "--set", "layers_back=17",
                                "-o", tmp_path / "out")
    assert status == 2 and not (tmp_path / "out").exists()
    assert "--set: layers_back = 17: allowed: integer in [1, 16]" in stderr


def test_negative_pitch(run_cli, tmp_path):
    text = "layers_front = 1\nlayers_back = 1\n" + _metal(pitch=-28)
    tech, lines = _run_bad(run_cli, tmp_path, text)
    _one(lines, str(tech), "metal[0].pitch = -28", "integer in [10, 5000] (nm)")


def test_width_plus_spacing_above_pitch(run_cli, tmp_path):
    text = "layers_front = 1\nlayers_back = 1\n" + _metal(extra="spacing = 16")
    tech, lines = _run_bad(run_cli, tmp_path, text)
    _one(lines, str(tech), "metal[0].spacing = 16", "width + spacing must be at most the pitch 28")


def test_input_pin_density_above_one(run_cli, tmp_path):
    tech, lines = _run_bad(run_cli, tmp_path, "input_pin_density = 1.5\n")
    _one(lines, str(tech), "input_pin_density = 1.5", "number in [0, 1]")


def test_missing_file(run_cli, tmp_path):
    tech, lines = _run_bad(run_cli, tmp_path, None)
    _one(lines, str(tech), "file not found")


def test_malformed_toml(run_cli, tmp_path):
    tech, lines = _run_bad(run_cli, tmp_path, "arch = \"ffet\"\nlayers_front = = 3\n")
    _one(lines, str(tech), "malformed TOML", "line 2")


def test_off_grid_lengths(run_cli, tmp_path):
    # 1 dbu = 1 nm: a 17 nm wide line has no centre line on the grid, 51.5 nm is no integer
    text = ("dbu_per_micron = 1000\nlayers_front = 1\nlayers_back = 1\n"
            + _metal(pitch=34, width=17))
    tech, lines = _run_bad(run_cli, tmp_path, text)
    _one(lines, str(tech), "metal[0].width = 17", "multiple of the 1 nm grid", "half of it")


def test_every_problem_of_a_file_is_reported_together(run_cli, tmp_path):
    text = ('arch = "ffet"\nlayers_front = 0\nlayers_back = 17\nvdd = "high"\n'
            'input_pin_density = 1.5\nbogus = 1\n' + _metal(pitch=-28))
    tech, lines = _run_bad(run_cli, tmp_path, text)
    for part in ("layers_front = 0", "layers_back = 17", "vdd = 'high'",
                 "input_pin_density = 1.5", "bogus = 1", "metal[0].pitch = -28"):
        _one(lines, str(tech), part)
    assert len(lines) == 6


def test_cross_key_problems_are_reported_together(run_cli, tmp_path):
    text = ('arch = "cfet"\nsignal_sides = "both"\nlayers_front = 2\nlayers_back = 1\n'
            + _metal(width=28) + _metal(extra="spacing = 20"))
    tech, lines = _run_bad(run_cli, tmp_path, text)
    _one(lines, str(tech), "signal_sides = 'both'", "CFET")
    _one(lines, str(tech), "metal[0].width = 28", "below the pitch 28")
    _one(lines, str(tech), "metal[1].spacing = 20", "at most the pitch")
    assert len(lines) == 3


def test_back_metal_is_refused_for_an_ffet(run_cli, tmp_path):
    text = ('arch = "ffet"\nlayers_back = 1\n' + _metal().replace("[[metal]]", "[[back_metal]]"))
    tech, lines = _run_bad(run_cli, tmp_path, text)
    _one(lines, str(tech), "back_metal", "only with arch = 'cfet'")


def test_more_back_layers_than_back_metal_levels(run_cli, tmp_path):
    text = ('arch = "cfet"\nsignal_sides = "front"\nlayers_back = 2\n'
            + _metal().replace("[[metal]]", "[[back_metal]]"))
    tech, lines = _run_bad(run_cli, tmp_path, text)
    _one(lines, str(tech), "layers_back = 2", "at most 1 (levels in `back_metal`)")
