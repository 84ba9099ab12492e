"""A real sweep on the tiny design: every variant through the whole flow, local processes
and Ray give the same results table, and a failing variant is recorded with its reason."""

from __future__ import annotations

import pandas as pd
import pytest

from ffet_flow.sweep.execute import SweepOptions, run_sweep
from ffet_flow.sweep.spec import from_parts
from tests.flow.conftest import COMMON_SET


def _spec():
    fixed = dict(item.split("=", 1) for item in COMMON_SET)
    fixed = {"cell_list": fixed["cell_list"].split(","),
             "char_slews": [float(v) for v in fixed["char_slews"].split(",")],
             "char_loads": [float(v) for v in fixed["char_loads"].split(",")]}
    # layers_back 2 leaves too few back-side layers (for the cells' level-2 wiring and for
    # routing): that variant must fail with its reason while the others finish
    return from_parts("tiny", "pdk/ffet.toml", fixed, [{"layers_back": [12, 5, 2]}])


@pytest.mark.tool
@pytest.mark.slow
def test_tiny_sweep_local_and_ray_agree_and_record_failures(tmp_path):
    spec = _spec()
    local = run_sweep(spec, SweepOptions(out_dir=tmp_path / "local", jobs=2,
                                         build_root=tmp_path / "build_local"))
    ray_ = run_sweep(spec, SweepOptions(out_dir=tmp_path / "ray", jobs=2, executor="ray",
                                        build_root=tmp_path / "build_ray"))
    a, b = pd.read_parquet(local["parquet"]), pd.read_parquet(ray_["parquet"])
    pd.testing.assert_frame_equal(a, b)
    assert list(a["status"]) == ["ok", "ok", "failed"]
    assert "layers on the back side" in a.loc[2, "error"] or "routing layer" in a.loc[2, "error"]
    assert (a.loc[:1, "finish__timing__fmax"] > 0).all()
    # fewer back layers on the same placement: the placement is shared, routing is not
    assert a.loc[0, "detailedplace__hpwl__back"] == a.loc[1, "detailedplace__hpwl__back"]
