from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from ffet_flow.errors import ConfigError
from ffet_flow.sweep.execute import SweepOptions, run_sweep
from ffet_flow.sweep.spec import from_parts, load_spec

RUNNER = "tests.unit.sweep_runners:analytic"


def _spec(**grid):
    return from_parts("tiny", "pdk/ffet.toml", {}, [grid])


def test_grid_expands_to_product_in_stable_order():
    spec = _spec(input_pin_density=[0.0, 0.5], layers_back=[12, 6])
    assert len(spec.variants) == 4
    assert spec.variants[0].name == "ffet__input_pin_density-0.0__layers_back-12"
    assert [v.name for v in spec.variants] == [v.name for v in _spec(
        input_pin_density=[0.0, 0.5], layers_back=[12, 6]).variants]


def test_arch_axis_picks_the_tech_file():
    spec = from_parts("tiny", "pdk/ffet.toml", {}, [{"arch": ["cfet"], "layers_front": [5]},
                                                     {"arch": ["ffet"], "signal_sides": ["both"]}])
    assert [v.tech for v in spec.variants] == ["pdk/cfet.toml", "pdk/ffet.toml"]


@pytest.mark.parametrize("grid, bad", [
    ({"no_such_key": [1]}, "unknown key"),
    ({"layers_back": [12, 17]}, "[1, 16]"),
    ({"input_pin_density": [1.5]}, "[0, 1]"),
    ({"dbu_per_micron": [1000]}, "may not be swept"),
])
def test_bad_sweeps_fail_before_any_run(grid, bad, tmp_path, run_cli):
    with pytest.raises(ConfigError, match=bad.replace("[", r"\[").replace("]", r"\]")):
        _spec(**grid)
    flags = [f"--vary={k}=" + ",".join(map(str, v)) for k, v in grid.items()]
    status, _, err = run_cli("sweep", "--design", "tiny", *flags, "-o", tmp_path / "s",
                             "--runner", RUNNER)
    assert status == 2 and "Traceback" not in err and bad in err
    assert not (tmp_path / "s").exists()


def test_spec_file_round_trip(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('design = "tiny"\nset = { utilization = 0.6 }\n[[grid]]\nlayers_back = [12, 8]\n')
    spec = load_spec(f)
    assert [dict(v.settings)["utilization"] for v in spec.variants] == [0.6, 0.6]
    f.write_text('design = "tiny"\nbogus = 1\n')
    with pytest.raises(ConfigError, match="bogus"):
        load_spec(f)


def test_failed_variant_is_recorded_and_others_finish(tmp_path):
    spec = _spec(layers_back=[12, 1, 6])
    paths = run_sweep(spec, SweepOptions(out_dir=tmp_path, jobs=2, runner=RUNNER))
    table = pd.read_csv(paths["csv"])
    assert list(table["status"]) == ["ok", "failed", "ok"]
    assert "no signal layer" in table.loc[1, "error"]
    assert table["finish__timing__fmax"].notna().sum() == 2


def test_timings_are_kept_out_of_the_results_table(tmp_path):
    paths = run_sweep(_spec(layers_back=[12]), SweepOptions(out_dir=tmp_path, runner=RUNNER))
    table = pd.read_parquet(paths["parquet"])
    assert not any(c.endswith("seconds") for c in table.columns)
    assert "route__runtime__seconds" in pd.read_csv(paths["timings"]).columns


@pytest.mark.slow
def test_local_and_ray_executors_give_identical_tables(tmp_path):
    spec = _spec(input_pin_density=[0.0, 1.0], layers_back=[12, 4])
    local = run_sweep(spec, SweepOptions(out_dir=tmp_path / "local", jobs=2, runner=RUNNER))
    ray_ = run_sweep(spec, SweepOptions(out_dir=tmp_path / "ray", jobs=2, executor="ray",
                                        runner=RUNNER))
    a, b = pd.read_parquet(local["parquet"]), pd.read_parquet(ray_["parquet"])
    assert len(a) == 4
    pd.testing.assert_frame_equal(a, b)


def test_kill_and_resume_gives_the_same_table(tmp_path):
    grid = "input_pin_density=0.0,0.25,0.5,0.75,1.0"
    env = dict(os.environ, FFET_TEST_SWEEP_SLEEP="0.4")
    argv = [sys.executable, "-m", "ffet_flow", "sweep", "--design", "tiny", "--vary", grid,
            "-j", "1", "--runner", RUNNER]
    ref = run_sweep(_spec(input_pin_density=[0.0, 0.25, 0.5, 0.75, 1.0]),
                    SweepOptions(out_dir=tmp_path / "ref", runner=RUNNER))
    out = tmp_path / "killed"
    proc = subprocess.Popen(argv + ["-o", str(out)], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(list((out / "variants").glob("*.json"))) >= 2:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(list((out / "variants").glob("*.json")))
    assert 2 <= done_before < 5 and not (out / "results.csv").exists()
    subprocess.run(argv + ["-o", str(out)], env=env, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"),
                                  pd.read_parquet(ref["parquet"]))


def test_zipped_axes_move_together():
    spec = from_parts("tiny", "pdk/ffet.toml", {}, [{
        "input_pin_density": [0.0, 1.0], "layers_front": [12, 5], "layers_back": [12, 5],
        "zip": ["layers_front", "layers_back"]}])
    pairs = {(dict(v.settings)["layers_front"], dict(v.settings)["layers_back"])
             for v in spec.variants}
    assert len(spec.variants) == 4 and pairs == {(12, 12), (5, 5)}
    with pytest.raises(ConfigError, match="zip"):
        from_parts("tiny", "pdk/ffet.toml", {}, [{"layers_front": [12, 5], "layers_back": [3],
                                                  "zip": ["layers_front", "layers_back"]}])


def test_default_riscv32_sweep_has_40_valid_variants():
    from ffet_flow.sweep.spec import ROOT

    assert len(load_spec(ROOT / "flows/sweeps/riscv32.toml").variants) == 40
