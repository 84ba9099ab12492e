"""The transistor-level cell set: names, structure, and logic by switch-level evaluation."""

from __future__ import annotations

import itertools

import pytest

from ffet_flow.cells.netlists import all_cells, cell_set
from ffet_flow.errors import ConfigError

REQUIRED = {"INV": (1, 2, 4), "BUF": (1, 2, 4), "NAND2": (1, 2, 4), "NOR2": (1, 2, 4),
            "NAND3": (1, 2), "NOR3": (1, 2), "AND2": (1, 2), "OR2": (1, 2), "AOI21": (1, 2),
            "AOI22": (1, 2), "OAI21": (1, 2), "OAI22": (1, 2), "XOR2": (1, 2), "XNOR2": (1, 2),
            "MUX2": (1, 2), "DFF": (1,), "DFFR": (1,), "TIEHI": (1,), "TIELO": (1,),
            "FILL": (1, 2, 4)}


def _eval_expr(expr: str, env: dict[str, int]) -> int:
    py = expr.replace("!", " not ").replace("&", " and ").replace("|", " or ").replace("^", " != ")
    return int(bool(eval(py, {}, dict(env))))


def _switch_level(cell, env: dict[str, int], init: int) -> dict[str, int]:
    """Steady state of a static CMOS netlist: iterate net values until nothing changes,
    starting with every internal net at `init` (a tie cell's self-gated device needs a start)."""
    val = {"VDD": 1, "VSS": 0, **{n: init for n in cell.internal_nets}, **env}
    for _ in range(40):
        # union-find of conducting devices from each supply
        changed = False
        for supply in ("VDD", "VSS"):
            reach = {supply}
            grow = True
            while grow:
                grow = False
                for t in cell.transistors:
                    g = val.get(t.gate)
                    on = (g == 1) if t.kind == "n" else (g == 0)
                    if on and (t.drain in reach) != (t.source in reach):
                        reach |= {t.drain, t.source}
                        grow = True
            for net in reach - {"VDD", "VSS", *env}:
                new = 1 if supply == "VDD" else 0
                if val.get(net) != new:
                    val[net] = new
                    changed = True
        if not changed:
            break
    return val


def test_cell_set_covers_the_issue():
    cells = all_cells()
    names = [c.name for c in cells]
    assert len(names) == len(set(names))
    for base, drives in REQUIRED.items():
        for d in drives:
            assert f"{base}_X{d}" in names
    for c in cells:
        assert c.name == f"{c.base}_X{c.drive}"
        if c.kind == "fill":
            assert not c.transistors and c.fill_sites == c.drive
        else:
            assert c.transistors


def test_devices_come_in_p_n_columns():
    for c in all_cells():
        ts = c.transistors
        assert len(ts) % 2 == 0, c.name
        for p, n in zip(ts[::2], ts[1::2], strict=True):
            assert (p.kind, n.kind) == ("p", "n"), c.name
            assert p.name[2:] == n.name[2:]
            assert p.width_units == n.width_units >= 1
        nets = {x for t in ts for x in (t.drain, t.gate, t.source)}
        internal = sorted(nets - {*c.inputs, *c.outputs, "VDD", "VSS"}, key=lambda s: int(s[1:]))
        assert internal == [f"n{i + 1}" for i in range(len(internal))], c.name
        assert list(c.internal_nets) == internal  # numbered by first use
        for t in ts:  # p devices never touch VSS, n devices never touch VDD
            bad = "VSS" if t.kind == "p" else "VDD"
            assert bad not in (t.drain, t.source), (c.name, t)


def test_output_stage_carries_the_drive():
    for c in all_cells():
        if c.kind in ("comb", "seq"):
            out = c.outputs[0]
            drivers = [t for t in c.transistors if out in (t.drain, t.source)]
            assert all(t.width_units == c.drive for t in drivers), c.name


@pytest.mark.parametrize("cell", [c for c in all_cells() if c.kind in ("comb", "tie")],
                         ids=lambda c: c.name)
def test_switch_level_logic_matches_function(cell):
    for bits in itertools.product((0, 1), repeat=len(cell.inputs)):
        env = dict(zip(cell.inputs, bits, strict=True))
        for init in (0, 1):
            val = _switch_level(cell, env, init)
            for out, func in cell.functions.items():
                expect = int(func) if func in ("0", "1") else _eval_expr(func, env)
                assert val.get(out) == expect, (cell.name, env, init)


def test_cell_set_filters_and_refuses_unknown_names():
    chosen = cell_set(["NAND2_X1", "INV_X1", "INV_X1"])
    assert [c.name for c in chosen] == ["INV_X1", "NAND2_X1"]  # canonical order, no duplicate
    assert cell_set(None) == all_cells() == cell_set([])
    with pytest.raises(ConfigError) as exc:
        cell_set(["INV_X1", "NAND9_X1", "FOO"], source="--set")
    (issue,) = exc.value.issues
    assert issue.key == "cell_list" and issue.source == "--set"
    assert "NAND9_X1,FOO" == issue.value and "INV_X1" in issue.allowed
