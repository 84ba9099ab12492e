"""Dual-sided RC trees and the SPEF writer/reader (no external tools)."""

from __future__ import annotations

import dataclasses

import pytest

from ffet_flow.extract.rctree import NetPin, NetRoute, ViaAt, Wire, build_rc_net
from ffet_flow.extract.spef import Port, parse_spef, spef_escape, spef_text
from tests.unit.spef_tiny import BACK_CAP, FRONT_CAP, N1, TECH, square


def _spef(nets):
    return parse_spef(spef_text("tiny", nets, [Port("a", "I")]))


def test_two_sided_net_shares_one_driver_node_and_sums_both_sides():
    rc = build_rc_net(N1, TECH)
    assert rc.estimated == 0
    assert rc.cap_by_side["front"] == pytest.approx(FRONT_CAP)
    assert rc.cap_by_side["back"] == pytest.approx(BACK_CAP)
    assert rc.total_cap == pytest.approx(FRONT_CAP + BACK_CAP)
    net = _spef([rc]).nets["n1"]
    assert net.total_cap == pytest.approx(FRONT_CAP + BACK_CAP)
    assert sum(net.caps.values()) == pytest.approx(net.total_cap)
    # the driver pin is one node with a resistor into each side's tree (V0 and BV0)
    at_driver = sorted(r for a, b, r in net.resistors if "u1:Y" in (a, b))
    assert at_driver == [50.0, 50.0]
    assert not any(n.startswith("u1:Y") and n != "u1:Y" for n in net.caps)
    # the graph is a tree spanning both sinks through the driver
    import networkx as nx

    g = nx.Graph()
    g.add_weighted_edges_from(net.resistors)
    assert nx.is_tree(g)
    assert nx.has_path(g, "u2:A", "u3:A")
    path = nx.shortest_path(g, "u2:A", "u3:A")
    assert "u1:Y" in path
    # front sink: V0 50 + M1 1 um 200 + V1 40 + M2 2 um 200 + V1 40 + M1 200 + V0 50 = 780 Ohm
    assert nx.shortest_path_length(g, "u1:Y", "u2:A", weight="weight") == pytest.approx(780.0)
    # back sink: BV0 + BM1 3 um (600) + BV0 = 700 Ohm
    assert nx.shortest_path_length(g, "u1:Y", "u3:A", weight="weight") == pytest.approx(700.0)


def test_t_junction_splits_the_wire_it_lands_on():
    drv = NetPin("d", "Y", "O", (square("M1", 0, 0),), "INV_X1")
    s1 = NetPin("s1", "A", "I", (square("M1", 4000, 0),), "INV_X1")
    s2 = NetPin("s2", "A", "I", (square("M1", 1000, 2000),), "INV_X1")
    # a horizontal trunk and a branch landing 1 um along it (not at its end)
    route = NetRoute("t", (drv, s1, s2), wires=(
        Wire("M1", 0, 0, 4000, 0), Wire("M1", 1000, 0, 1000, 2000)))
    rc = build_rc_net(route, TECH)
    assert rc.estimated == 0
    rs = sorted(r for _, _, r in rc.resistors)
    assert rs == pytest.approx([200.0, 400.0, 600.0])  # 1 um, 2 um branch, 3 um rest
    assert rc.total_cap == pytest.approx(6.0 * 0.18)


def test_pin_off_the_wiring_is_joined_by_a_counted_estimate():
    far = NetPin("u9", "A", "I", (square("M0", 5000, 1000),), "INV_X1")
    route = dataclasses.replace(N1, pins=N1.pins + (far,))
    rc = build_rc_net(route, TECH)
    assert rc.estimated == 1
    # nearest front node is u2/A's V0 landing at (3, 1): 2 um of M1 estimate
    assert rc.total_cap == pytest.approx(FRONT_CAP + BACK_CAP + 2.0 * 0.18)
    net = _spef([rc]).nets["n1"]
    assert any("u9:A" in (a, b) and r == pytest.approx(400.0) for a, b, r in net.resistors)


def test_unrouted_net_connects_pins_to_the_driver():
    drv = NetPin("d", "Y", "O", (square("M0", 0, 0),), "INV_X1")
    s = NetPin("s", "A", "I", (square("M0", 0, 3000),), "INV_X1")
    rc = build_rc_net(NetRoute("u", (drv, s)), TECH)
    assert rc.estimated == 1
    assert rc.resistors == [(("pin", 1), ("pin", 0), pytest.approx(600.0))]


def test_port_driven_net_and_name_escaping():
    port = NetPin(None, "data[3]", "I", (square("M1", 0, 0),))
    sink = NetPin("core.u_alu/x", "A", "I", (square("M1", 2000, 0),), "INV_X1")
    rc = build_rc_net(NetRoute("data[3]", (port, sink), wires=(Wire("M1", 0, 0, 2000, 0),)),
                      TECH)
    text = spef_text("tiny", [rc], [Port("data[3]", "I")])
    assert "*1 data[3]" in text and "core\\.u_alu\\/x" in text
    back = parse_spef(text)
    assert back.ports == {"data[3]": "I"}
    net = back.nets["data[3]"]
    assert ("P", "data[3]", "I") in net.conns and ("I", "core.u_alu/x:A", "I") in net.conns
    assert net.resistors == [("data[3]", "core.u_alu/x:A", pytest.approx(400.0))]


def test_escape_rules():
    assert spef_escape("n_12_") == "n_12_"
    assert spef_escape("bus[7]") == "bus[7]"
    assert spef_escape("a.b[2][3]") == "a\\.b\\[2\\][3]"


def test_output_is_deterministic_and_states_units_and_coupling():
    a = spef_text("tiny", [build_rc_net(N1, TECH)], [Port("a", "I")])
    b = spef_text("tiny", [build_rc_net(N1, TECH)], [Port("a", "I")])
    assert a == b
    s = parse_spef(a)
    assert s.units == {"T_UNIT": "1 NS", "C_UNIT": "1 FF", "R_UNIT": "1 OHM",
                       "L_UNIT": "1 HENRY"}
    assert any("Coupling capacitance is folded into ground" in c for c in s.comments)
    assert '*DESIGN_FLOW "PIN_CAP NONE"' in a


def test_overlapping_wires_and_repeated_vias_count_once():
    drv = NetPin("d", "Y", "O", (square("M0", 0, 0),), "INV_X1")
    s1 = NetPin("s1", "A", "I", (square("M0", 3000, 0),), "INV_X1")
    # two Steiner edges written separately share 1 um of M1 (1..2 um), and V0 at the driver
    # is written twice
    route = NetRoute("o", (drv, s1), wires=(
        Wire("M1", 0, 0, 2000, 0), Wire("M1", 1000, 0, 3000, 0)),
        vias=(ViaAt("V0", 0, 0), ViaAt("V0", 0, 0), ViaAt("V0", 3000, 0)))
    rc = build_rc_net(route, TECH)
    assert rc.total_cap == pytest.approx(3.0 * 0.18)  # 3 um of metal, not 4
    assert sorted(r for _, _, r in rc.resistors) == pytest.approx([50, 50, 200, 200, 200])
