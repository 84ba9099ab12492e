"""Every benchmark declares the keys it writes, and no key has two owners."""

from __future__ import annotations

import json

import pytest

from ffet_flow import bench
from ffet_flow.bench import cpu_model, declared_keys, discover, run_benchmarks, shared_keys


def test_every_benchmark_declares_its_keys():
    declared = declared_keys()
    assert set(declared) == set(discover())
    assert [name for name, keys in declared.items() if not keys] == []


def test_no_two_benchmarks_declare_the_same_key():
    assert shared_keys(declared_keys()) == []


def test_a_key_declared_twice_is_found_also_through_a_pattern():
    declared = {"a": ("x.seconds", "riscv32.cpi.*"), "b": ("x.seconds",),
                "c": ("riscv32.cpi.sort",), "d": ("riscv32.cpi",)}
    assert shared_keys(declared) == ["riscv32.cpi.sort: a, c", "x.seconds: a, b"]


def test_the_main_job_ratios_have_one_key_per_variant():
    keys = declared_keys()["flow.riscv32"]
    assert "flow.riscv32.ffet_dual_over_cfet" in keys
    assert "flow.riscv32.ffet_single_over_cfet" in keys
    assert "flow.riscv32.ffet_over_cfet" not in keys
    for variant in ("cfet", "ffet_single", "ffet_dual"):
        assert f"power.riscv32.{variant}.switching_share" in keys
        assert f"power.riscv32.{variant}.switching_share_at_fmax" in keys


def _fake(monkeypatch, figures):
    monkeypatch.setattr(bench, "discover", lambda: {"fake": lambda ctx: figures})
    monkeypatch.setattr(bench, "declared_keys", lambda: {"fake": ("fake.seconds", "fake.n.*")})


def test_a_run_records_its_figures_and_the_machine(monkeypatch, tmp_path):
    _fake(monkeypatch, {"fake.seconds": 1.5, "fake.n.sort": 3})
    out = tmp_path / "bench.json"
    out.write_text(json.dumps({"other.key": 7}))
    run_benchmarks([], out, tmp_path / "work")
    data = json.loads(out.read_text())
    assert data["other.key"] == 7 and data["fake.seconds"] == 1.5 and data["fake.n.sort"] == 3
    meta = data["_meta"]["fake"]
    assert meta["cores"] >= 1 and meta["cpu"] and meta["when"]


def test_a_benchmark_returning_an_undeclared_key_is_an_error(monkeypatch, tmp_path):
    _fake(monkeypatch, {"fake.seconds": 1.5, "other.key": 8})
    out = tmp_path / "bench.json"
    with pytest.raises(RuntimeError, match="fake returned keys .* other.key"):
        run_benchmarks([], out, tmp_path / "work")
    assert not out.exists()  # nothing merged


def test_cpu_model_reads_the_model_name(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nvendor_id\t: X\nmodel name\t: Some  CPU @ 2.0GHz\n")
    assert cpu_model(info) == "Some CPU @ 2.0GHz"
    assert cpu_model(tmp_path / "missing")  # falls back to the platform's name
