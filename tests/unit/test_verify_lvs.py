"""LVS of the layout checker on the hand-made DEF of test_verify_drc: connectivity extracted
from the shapes against the DEF's NETS and against a Verilog netlist."""

from __future__ import annotations

import pytest

from tests.unit.test_verify_drc import SEEDS, build_def, lefs  # noqa: F401  (shared fixture)

NETLIST = """module vtest (p_in);
  input p_in;
  wire n1, n2, n3;
  TBUF u1 (.A(p_in), .Y(n1));
  TBUF u2 (.A(n1), .Y(n3));
  TBUF u3 (.Y(n2));
  TBUF u4 (.A(n3), .B(n2));
endmodule
"""


def _lvs(result) -> dict[str, int]:
    found = {"opens": result.opens, "shorts": result.shorts, "unconnected": result.unconnected}
    return {k: v for k, v in found.items() if v}


@pytest.mark.tool
@pytest.mark.parametrize("seed", [s for s, (_, lvs) in SEEDS.items() if lvs])
def test_each_connectivity_seed_is_found(tmp_path, lefs, seed):  # noqa: F811
    from ffet_flow.verify import check_layout

    result = check_layout(build_def(tmp_path / f"{seed}.def", [seed]), lefs)
    drc, lvs = SEEDS[seed]
    assert _lvs(result.lvs) == lvs
    assert {r: n for r, n in result.drc.counts.items() if n} == drc


@pytest.mark.tool
def test_problems_name_the_net_and_its_terminals(tmp_path, lefs):  # noqa: F811
    from ffet_flow.verify import run_lvs

    result = run_lvs(build_def(tmp_path / "x.def", ["open", "lvs_short", "unconnected"]), lefs,
                     out_dir=tmp_path / "o")
    kinds = sorted((p.kind, p.net) for p in result.problems)
    # n1 is cut between u1 and u2, and its u2 half touches n3's wire; n2 has no wiring
    assert kinds == [("open", "n1"), ("open", "n2"), ("short", "n1"), ("unconnected", "n2")]
    texts = {(p.kind, p.net): p.text for p in result.problems}
    assert "n1, n3" in texts[("short", "n1")]
    assert "u3/Y" in texts[("unconnected", "n2")] and "u4/B" in texts[("unconnected", "n2")]
    assert result.extra_groups == 2
    assert (tmp_path / "o" / "lvs.json").is_file() and (tmp_path / "o" / "lvs.lyrdb").is_file()


@pytest.mark.tool
def test_open_net_reports_its_groups(tmp_path, lefs):  # noqa: F811
    from ffet_flow.verify import run_lvs

    result = run_lvs(build_def(tmp_path / "o.def", ["open"]), lefs)
    (problem,) = result.problems
    assert problem.kind == "open" and problem.net == "n1"
    assert problem.text == "2 groups: u1/Y | u2/A" or problem.text == "2 groups: u2/A | u1/Y"
    assert result.extra_groups == 1 and len(problem.points) == 2


@pytest.mark.tool
def test_verilog_reference_instances_by_name_ports_as_pins(tmp_path, lefs):  # noqa: F811
    from ffet_flow.verify import run_lvs

    netlist = tmp_path / "vtest.v"
    netlist.write_text(NETLIST)
    result = run_lvs(build_def(tmp_path / "v.def"), lefs, netlist=netlist)
    assert result.clean and result.nets == 4 and result.reference == str(netlist)
    # the netlist puts u4/A on n1 instead: n1 is split and n3's wire joins it to n1
    netlist.write_text(NETLIST.replace(".A(n3), .B(n2)", ".A(n1), .B(n2)"))
    result = run_lvs(build_def(tmp_path / "v.def"), lefs, netlist=netlist)
    assert (result.opens, result.shorts) == (1, 1)
    assert {(p.kind, p.net) for p in result.problems} == {("open", "n1"), ("short", "n1")}


@pytest.mark.tool
def test_netlist_objects_missing_from_the_def_are_reported(tmp_path, lefs):  # noqa: F811
    from ffet_flow.verify import run_lvs

    netlist = tmp_path / "vtest.v"
    netlist.write_text(NETLIST.replace("endmodule", "  TBUF u9 (.A(n1));\nendmodule"))
    result = run_lvs(build_def(tmp_path / "v.def"), lefs, netlist=netlist)
    assert result.missing == ["instance u9 (TBUF)"] and not result.clean
