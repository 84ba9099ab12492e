"""`ffet drc` / `ffet lvs`: exit status 0 clean, 1 violations, 2 bad input in one line; a run
directory's files found by step name."""

from __future__ import annotations

import shutil

import pytest

from tests.unit.test_verify_drc import build_def, lefs  # noqa: F401  (shared fixture)


def _args(def_path, lefs):  # noqa: F811
    return ["--def", def_path, *[x for p in lefs for x in ("--lef", p)]]


@pytest.mark.tool
def test_clean_and_dirty_exit_status(tmp_path, lefs, run_cli):  # noqa: F811
    clean = build_def(tmp_path / "clean.def")
    status, out, _ = run_cli("drc", *_args(clean, lefs), "-o", tmp_path / "c")
    assert status == 0 and "DRC clean" in out and (tmp_path / "c" / "drc.lyrdb").is_file()
    dirty = build_def(tmp_path / "dirty.def", ["eol", "open"])
    status, out, _ = run_cli("drc", *_args(dirty, lefs), "-o", tmp_path / "d")
    assert status == 1 and "eol 1" in out
    status, out, _ = run_cli("lvs", *_args(dirty, lefs), "-o", tmp_path / "d")
    assert status == 1 and "open n1" in out and (tmp_path / "d" / "lvs.json").is_file()
    status, out, _ = run_cli("lvs", *_args(clean, lefs))
    assert status == 0 and (tmp_path / "verify" / "lvs.json").is_file()


@pytest.mark.tool
@pytest.mark.parametrize("edit, word", [
    (("M2 ( 130 532 ) ( 782 532 )", "M99 ( 130 532 ) ( 782 532 )"), "M99"),
    (("M1 ( 782 532 ) V1_DEF", "M1 ( 782 532 ) V1_NOPE"), "V1_NOPE"),
])
def test_bad_input_is_one_line_exit_2(tmp_path, lefs, run_cli, edit, word):  # noqa: F811
    path = build_def(tmp_path / "bad.def")
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1]))
    for command in ("drc", "lvs"):
        status, out, err = run_cli(command, *_args(path, lefs))
        assert status == 2 and out == "", command
        lines = err.strip().splitlines()
        assert len(lines) == 1 and word in lines[0] and "Traceback" not in err


def test_missing_files_are_one_line_exit_2(tmp_path, run_cli):
    status, _, err = run_cli("drc", "--def", tmp_path / "none.def", "--lef", tmp_path / "x.lef")
    assert status == 2 and len(err.strip().splitlines()) == 1 and "none.def" in err
    status, _, err = run_cli("lvs", tmp_path)
    assert status == 2 and len(err.strip().splitlines()) == 1 and "routed.def" in err
    status, _, err = run_cli("drc")
    assert status == 2 and "RUN_DIR" in err


@pytest.mark.tool
def test_run_directory_inputs_are_found_by_step(tmp_path, lefs, run_cli):  # noqa: F811
    run = tmp_path / "run"
    for step, src, name in (("01-pdk", lefs[0], "tech.lef"), ("02-cells", lefs[1], "cells.lef"),
                            ("08-route", build_def(tmp_path / "r.def", ["area"]), "routed.def")):
        (run / step).mkdir(parents=True, exist_ok=True)
        shutil.copy(src, run / step / name)
    status, out, _ = run_cli("drc", run)
    assert status == 1 and "area 1" in out
    assert (run / "verify" / "drc.json").is_file()
