"""Clock-tree synthesis: clustering, the tree, legal buffer slots and the netlist rewrite."""

from __future__ import annotations

import numpy as np
import pytest

from ffet_flow.cts.run import _Rows, rewrite_netlist, synthesize_clock_tree
from ffet_flow.cts.tree import build_tree, clusters
from ffet_flow.io.def_ import Design, Row
from ffet_flow.io.def_nets import Net
from ffet_flow.io.lef import Library, Macro, Site


def test_clusters_are_small_compact_and_cover_every_point():
    rng = np.random.default_rng(1)
    x, y = rng.integers(0, 100_000, 300), rng.integers(0, 100_000, 300)
    groups = clusters(x, y, 16)
    assert sorted(np.concatenate(groups).tolist()) == list(range(300))
    assert max(len(g) for g in groups) <= 16
    # bisection: groups are disjoint boxes, so a group's extent is far below the die's
    spans = [np.ptp(x[g]) + np.ptp(y[g]) for g in groups]
    assert np.mean(spans) < 0.35 * (np.ptp(x) + np.ptp(y))


def test_tree_levels_end_in_one_root_and_respect_the_fanout():
    rng = np.random.default_rng(2)
    x, y = rng.integers(0, 50_000, 1000), rng.integers(0, 50_000, 1000)
    levels = build_tree(x, y, 16)
    assert len(levels[-1]) == 1
    assert sorted(s for b in levels[0] for s in b.children) == list(range(1000))
    for below, level in zip(levels[:-1], levels[1:], strict=True):
        assert sorted(c for b in level for c in b.children) == list(range(len(below)))
    assert all(len(b.children) <= 16 for level in levels for b in level)
    # a leaf buffer sits at the centroid of its sinks
    b = levels[0][0]
    assert b.x == round(float(x[list(b.children)].mean()))
    assert build_tree(x, y, 16) == levels  # deterministic
    with pytest.raises(ValueError):
        build_tree(x, y, 1)


def _design() -> tuple[Design, Library]:
    """Two rows of 20 sites (site 100 x 1000 dbu); cells FF (400 wide) and BUF (300 wide)."""
    lib = Library(dbu=1000)
    lib.sites["core"] = Site("core", 100, 1000)
    lib.macros["FF"] = Macro("FF", "CORE", 400, 1000)
    lib.macros["BUF"] = Macro("BUF", "CORE", 300, 1000)
    d = Design(dbu=1000, die_area=(0, 0, 2000, 2000))
    d.rows = [Row("r0", "core", 0, 0, "N", 20, 1, 100, 0),
              Row("r1", "core", 0, 1000, "FS", 20, 1, 100, 0)]
    for k, (x, y) in enumerate([(0, 0), (400, 0), (800, 0), (1200, 0), (0, 1000), (400, 1000)]):
        d.components.add(f"ff{k}", "FF", x, y, "N" if y == 0 else "FS", "PLACED")
    d.nets = [Net("clk", [("PIN", "clk")] + [(f"ff{k}", "CK") for k in range(6)])]
    return d, lib


def test_buffer_slots_are_free_site_aligned_and_nearest():
    d, lib = _design()
    rows = _Rows(d, lib)
    # row 0 is full up to x = 1600, row 1 up to 800: for a buffer centred near (500, 800) the
    # slot at x = 800 in row 1 (Manhattan 700 + 450) beats x = 1600 in row 0 (300 + 1250)
    assert rows.place(500, 800, 300, 1000) == (800, 1000, "FS")
    # that slot is taken now: the next one in row 1 (700 + 750) still beats row 0
    assert rows.place(500, 800, 300, 1000) == (1100, 1000, "FS")
    assert rows.place(1750, 500, 300, 1000) == (1600, 0, "N")
    assert rows.place(1750, 500, 300, 1000)[1] == 1000  # row 0 has no 300-wide gap left


def test_clock_tree_on_a_design_rewires_the_sinks_and_the_netlist():
    d, lib = _design()
    result = synthesize_clock_tree(d, lib, "clk", ("BUF", "A", "Z"), 4)
    sink_net = result.sink_net
    assert result.sinks == 6 and result.levels == 2 and len(result.buffers) == 3
    nets = {n.name: n for n in d.nets}
    assert nets["clk"].conns == [("PIN", "clk"), ("cts_buf_1_0", "A")]
    leaves = [n for name, n in nets.items() if name.startswith("cts_clk_0_")]
    assert sorted(c for n in leaves for c, p in n.conns if p == "CK") == \
        [f"ff{k}" for k in range(6)]
    assert set(sink_net) == {f"ff{k}" for k in range(6)}
    verilog = "module t(clk);\n  input clk;\n  wire clk;\n" + "".join(
        f"  FF ff{k} (\n    .CK(clk),\n    .D(d)\n  );\n" for k in range(6)) + "endmodule\n"
    out = rewrite_netlist(verilog, "clk", result, {f"ff{k}": "CK" for k in range(6)},
                          ("BUF", "A", "Z"), "t.v")
    assert out.count(".CK(clk)") == 0
    assert "  BUF cts_buf_1_0 (\n    .A(clk),\n    .Z(cts_clk_1_0)\n  );" in out
    assert out.index("wire cts_clk_0_0;") < out.index("FF ff0")
    for k in range(6):
        assert f".CK({sink_net[f'ff{k}']})" in out
    with pytest.raises(Exception, match="rewired"):
        rewrite_netlist(verilog.replace(".CK(clk)", ".CK(other)", 1), "clk", result,
                        {f"ff{k}": "CK" for k in range(6)}, ("BUF", "A", "Z"), "t.v")
