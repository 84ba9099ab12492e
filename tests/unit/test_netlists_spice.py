"""cells.sp subcircuits: transistors on the device-side nodes, pi sections from the layout."""

from __future__ import annotations

from ffet_flow.cells.layout import NetParasitics
from ffet_flow.cells.netlists import cell_set
from ffet_flow.cells.spice import library_text, subckt


def test_pi_sections_and_ports():
    (nand,) = cell_set(["NAND2_X1"])
    par = {"A": NetParasitics(100.0, 0.04, (("GM", 65.0),)), "Y": NetParasitics(200.0, 0.06),
           "n1": NetParasitics(0.0, 0.01), "VDD": NetParasitics(16.0, 0.02),
           "B": NetParasitics(0.0, 0.0)}
    text = subckt(nand, par)
    lines = text.splitlines()
    assert lines[0] == ".subckt NAND2_X1 A B Y VDD VSS" and lines[-1] == ".ends NAND2_X1"
    assert "RA A A_d 100" in lines and "RY Y Y_d 200" in lines and "RVDD VDD VDD_d 16" in lines
    assert "CAa A VSS 0.02f" in lines and "CAb A_d VSS 0.02f" in lines
    assert "Cn1 n1 VSS 0.01f" in lines  # series node: lumped, no resistor
    assert not any(ln.startswith("RB ") or ln.startswith("CB") for ln in lines)
    devices = [ln for ln in lines if ln.startswith("M")]
    assert len(devices) == 4
    mp0 = next(ln for ln in devices if ln.startswith("MP0 "))
    assert mp0.split()[1:5] == ["Y_d", "A_d", "VDD_d", "VDD"]  # body on the port
    mn1 = next(ln for ln in devices if ln.startswith("MN1 "))
    assert mn1.split()[1:5] == ["n1", "B", "VSS", "VSS"] and "w=1.8e-07" in mn1


def test_internal_net_with_gate_and_drain_splits():
    (buf,) = cell_set(["BUF_X2"])
    text = subckt(buf, {"n1": NetParasitics(50.0, 0.03)})
    assert "Rn1 n1 n1_g 50" in text
    gates = [ln.split()[2] for ln in text.splitlines() if ln.startswith("M")]
    assert gates.count("n1_g") == 2  # the output stage's gates sit behind the wire R


def test_library_text_has_one_card_and_skips_fill():
    cells = cell_set(["INV_X1", "FILL_X1"])
    text = library_text(cells, {}, "t")
    assert text.count(".model nch nmos") == 1
    assert ".subckt INV_X1" in text and "FILL_X1" not in text
