"""Characterization on a small library: truth tables from SPICE, flip-flop behaviour in a
transient, table sanity, caching and determinism."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from ffet_flow.cells import chardecks as D
from ffet_flow.cells.boolexpr import evaluate
from ffet_flow.cells.characterize import run_deck, static_run
from ffet_flow.cells.layout import build_layouts
from ffet_flow.cells.library import build_library
from ffet_flow.cells.netlists import cell_set
from ffet_flow.cells.pinsides import assign_pin_sides
from ffet_flow.cells.spice import subckt
from ffet_flow.config import load_config
from ffet_flow.tech.model import build_tech

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["INV_X1", "NAND2_X1", "AOI21_X1", "XOR2_X1", "DFFR_X1", "TIEHI_X1", "FILL_X1"]
GRID = ["char_slews=0.005,0.05", "char_loads=0.5,5"]


def _cfg(arch: str, *extra: str):
    return load_config([ROOT / "pdk" / f"{arch}.toml"], set_items=list(extra))


@pytest.fixture(scope="module")
def small_lib(tmp_path_factory):
    base = tmp_path_factory.mktemp("lib")
    cfg = _cfg("ffet", "cell_list=" + ",".join(SMALL), *GRID)
    paths = build_library(cfg, base / "out", cache_root=base / "cache")
    return cfg, paths, base


def _subckts(arch: str):
    cfg = _cfg(arch)
    tech = build_tech(cfg)
    cells = cell_set()
    sides = assign_pin_sides(cells, cfg.effective_input_pin_density, tech.signal_sides == "both")
    layouts = build_layouts(cells, tech, sides)
    return cfg, cells, {c.name: subckt(c, layouts[c.name].parasitics)
                        for c in cells if c.transistors}


@pytest.mark.tool
@pytest.mark.parametrize("arch", ["ffet", "cfet"])
def test_every_combinational_function_matches_spice_dc(arch, tmp_path):
    cfg, cells, subs = _subckts(arch)
    setup = D.Setup(cfg.vdd, cfg.temperature, (0.01,), (1.0,))
    checked = 0
    for cell in cells:
        if cell.kind not in ("comb", "tie"):
            continue
        rows = static_run(cell, subs[cell.name], setup, tmp_path / cell.name)
        assert len(rows) == 2 ** len(cell.inputs)
        for row in rows:
            for out, func in cell.functions.items():
                want = evaluate(func, row["inputs"])
                v = row["outputs"][out]
                assert (v > 0.9 * cfg.vdd) if want else (v < 0.1 * cfg.vdd), \
                    (cell.name, row["inputs"], v)
            assert 0 < row["leakage"] < 1000  # nW
        checked += 1
    assert checked == sum(c.kind in ("comb", "tie") for c in cells) >= 36


@pytest.mark.tool
@pytest.mark.parametrize("name", ["DFF_X1", "DFFR_X1"])
def test_flip_flop_captures_on_rising_edge_only_and_resets(name, tmp_path):
    cfg, cells, subs = _subckts("cfet")
    cell = next(c for c in cells if c.name == name)
    vdd, r = cfg.vdd, 10e-12
    setup = D.Setup(vdd, cfg.temperature, (0.01,), (1.0,))
    # CLK rises at 0.1 ns (D = 0: Q = 0), D rises at 0.2 ns while CLK is high, CLK falls at
    # 0.3 ns (no capture on the falling edge), rises at 0.5 ns (Q = 1); RN pulses low at 0.7 ns
    clk = D.edges([(0, 0), (0.1e-9, 1), (0.3e-9, 0), (0.5e-9, 1), (0.6e-9, 0)], vdd, r)
    dat = D.edges([(0, 0), (0.2e-9, 1)], vdd, r)
    waves = {"CLK": clk, "D": dat}
    if cell.seq.reset:
        waves["RN"] = D.edges([(0, 1), (0.7e-9, 0), (0.8e-9, 1)], vdd, r)
    meas = [f"q{k} find v(Q) at={t:.4g}" for k, t in enumerate((0.25e-9, 0.45e-9, 0.65e-9,
                                                                 0.9e-9))]
    point = D.Point("t", waves, 1e-15, 1.0e-9, meas, 1e-12)
    res = run_deck(D.deck(cell, subs[name], setup, "capture", waves, ["Q"], [point]),
                   tmp_path, "capture")
    assert res["t.q0"] < 0.1 * vdd  # captured 0 on the first rising edge
    assert res["t.q1"] < 0.1 * vdd  # D = 1 before the falling edge: not captured
    assert res["t.q2"] > 0.9 * vdd  # captured on the rising edge
    if cell.seq.reset:
        assert res["t.q3"] < 0.1 * vdd  # asynchronous clear, clock low
    else:
        assert res["t.q3"] > 0.9 * vdd


@pytest.mark.tool
def test_small_library_tables_and_cache(small_lib, tmp_path):
    cfg, paths, base = small_lib
    assert set(paths) == {"cells_lef", "cells_gds", "cells_lib", "cells_v", "cells_sp",
                          "pins_json"}
    lib = paths["cells_lib"].read_text()
    assert "lu_table_template (delay_2x2)" in lib and 'index_1 ("0.005, 0.05")' in lib
    assert "cell (FILL_X1)" in lib and "clear : \"!RN\";" in lib
    assert "setup_rising" in lib and "hold_rising" in lib and "timing_type : clear;" in lib
    from ffet_flow.bench.cells import liberty_figures
    figs = liberty_figures(lib)
    inv = figs["INV_X1"]["delays"][("A", "Y")]
    assert 0.001 < inv < 0.05  # ns: a few ps at 5 fF
    for name in ("INV_X1", "NAND2_X1", "XOR2_X1"):
        block = lib.split(f"cell ({name})")[1].split("\n  cell (")[0]
        rows = block.split("cell_rise (delay_2x2)")[1].split(";")[0]
        vals = [[float(v) for v in r.split(",")] for r in rows.split('"')[1::2]]
        assert vals[0][1] > vals[0][0] and vals[1][0] > vals[0][0]  # load and slew increase delay
    assert "XOR2_X1" in lib and "timing_sense : non_unate;" in lib
    # what the power figure is made of: input capacitances (fF) and internal energies
    inv = lib.split("cell (INV_X1)")[1].split("\n  cell (")[0]
    cap = float(inv.split("pin (A)")[1].split("capacitance :")[1].split(";")[0])
    assert 0.02 < cap < 1.0
    energy = {}
    for table in ("rise_power", "fall_power"):
        rows = inv.split(table)[1].split(";")[0]
        energy[table] = [[float(v) for v in r.split(",")] for r in rows.split('"')[1::2]]
        assert all(math.isfinite(v) for r in energy[table] for v in r)
    # one transition's supply energy may be below 0 (the input's edge pushes charge into VDD
    # through the gate capacitance, and takes it back on the next edge); over a whole input
    # cycle the supply energy minus the load's C V^2 is the cell's own dissipation: above 0,
    # and more for a slower input (short-circuit current)
    cycle = [[r + f for r, f in zip(rr, ff, strict=True)]
             for rr, ff in zip(energy["rise_power"], energy["fall_power"], strict=True)]
    assert min(v for r in cycle for v in r) > 0, cycle
    assert cycle[1][0] > cycle[0][0], cycle
    # second build: from the cache (no cell is even visited), byte-identical
    visited = []
    again = build_library(cfg, tmp_path / "again", cache_root=base / "cache",
                          on_progress=visited.append)
    assert visited == []
    for art, p in paths.items():
        assert again[art].read_bytes() == p.read_bytes(), art


@pytest.mark.tool
def test_per_cell_cache_reuses_unchanged_cells(small_lib, tmp_path):
    cfg, paths, base = small_lib
    # a different pin density changes FFET layouts (so the library) but a cell without inputs
    # keeps its netlist: its characterization comes from the per-cell cache
    cfg2 = cfg.replace(input_pin_density=0.0)
    char_dir = base / "cache" / "char"
    before = {p.name for p in char_dir.iterdir()}
    build_library(cfg2, tmp_path / "d0", cache_root=base / "cache")
    after = {p.name for p in char_dir.iterdir()}
    tie = [n for n in before if n.startswith("TIEHI_X1-")]
    assert tie and set(tie) <= after
    assert len(after) > len(before)  # cells whose pins moved were characterized again


@pytest.mark.tool
def test_cold_builds_are_byte_identical(tmp_path):
    cfg = _cfg("cfet", "cell_list=INV_X1,NAND2_X1,TIELO_X1", *GRID)
    a = build_library(cfg, tmp_path / "a", cache_root=tmp_path / "ca")
    b = build_library(cfg, tmp_path / "b", cache_root=tmp_path / "cb")
    for art in a:
        assert a[art].read_bytes() == b[art].read_bytes(), art


@pytest.mark.tool
def test_concurrent_builds_of_one_library_share_the_cache(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    cfg = _cfg("ffet", "cell_list=INV_X1,NOR2_X1", *GRID)
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda d: build_library(cfg, tmp_path / d, cache_root=tmp_path / "c"),
                             ["x", "y"]))
    for art in runs[0]:
        assert runs[0][art].read_bytes() == runs[1][art].read_bytes(), art
    entries = [p for p in (tmp_path / "c").iterdir() if p.name not in ("char", "work")]
    assert len(entries) == 1 and not entries[0].name.startswith(".")  # no staging dir left
