from __future__ import annotations

import os
import stat

import pytest

from ffet_flow.util import atomic_path, atomic_write_text, json_dumps, stable_hash


def test_atomic_write_publishes_whole_file_with_umask_permissions(tmp_path):
    target = tmp_path / "a.txt"
    atomic_write_text(target, "hello\n")
    assert target.read_text() == "hello\n"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_failed_write_leaves_no_file(tmp_path):
    target = tmp_path / "b.txt"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_json_is_deterministic_and_refuses_nan():
    assert json_dumps({"b": 1, "a": [1.5]}) == json_dumps({"a": [1.5], "b": 1})
    assert stable_hash({"x": 1}) == stable_hash({"x": 1}) != stable_hash({"x": 2})
    with pytest.raises(ValueError):
        json_dumps({"x": float("nan")})
