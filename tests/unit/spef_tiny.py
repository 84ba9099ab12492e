"""A hand-built tiny dual-sided net shared by the SPEF unit tests and the OpenSTA check.

Net n1: NAND2 u1 drives it from its dual-sided output Y at (1, 1) um; u2/A is a front-side sink
at (3, 1) um, u3/A a back-side sink at (1, 4) um. dbu = 1000 per um.

Front route: V0 up at the driver, M1 1 um up, M2 2 um across, M1 1 um down, V0 to u2/A.
Back route: BV0 at the driver, BM1 3 um, BV0 down to u3/A.
"""

from __future__ import annotations

from ffet_flow.extract.rctree import LayerRC, NetPin, NetRoute, RcTech, Shape, ViaAt, ViaRC, Wire

# R (Ohm/um) and C (fF/um) of a plausible 5 nm-class stack; exact values matter only to the
# hand computation below, they are not technology figures.
TECH = RcTech(dbu=1000, layers={
    "M0": LayerRC("front", 0, 400.0, 0.20), "M1": LayerRC("front", 1, 200.0, 0.18),
    "M2": LayerRC("front", 2, 100.0, 0.16),
    "BM0": LayerRC("back", 0, 400.0, 0.20), "BM1": LayerRC("back", 1, 200.0, 0.18)},
    vias={"V0": ViaRC("M0", "M1", 50.0), "V1": ViaRC("M1", "M2", 40.0),
          "BV0": ViaRC("BM0", "BM1", 50.0)})


def square(layer: str, x: int, y: int, half: int = 10) -> Shape:
    return Shape(layer, x - half, y - half, x + half, y + half)


DRIVER = NetPin("u1", "Y", "O", (square("M0", 1000, 1000), square("BM0", 1000, 1000)),
                "NAND2_X1")
FRONT_SINK = NetPin("u2", "A", "I", (square("M0", 3000, 1000),), "INV_X1")
BACK_SINK = NetPin("u3", "A", "I", (square("BM0", 1000, 4000),), "INV_X1")

N1 = NetRoute(
    "n1", (DRIVER, FRONT_SINK, BACK_SINK),
    wires=(Wire("M1", 1000, 1000, 1000, 2000), Wire("M2", 1000, 2000, 3000, 2000),
           Wire("M1", 3000, 2000, 3000, 1000), Wire("BM1", 1000, 1000, 1000, 4000)),
    vias=(ViaAt("V0", 1000, 1000), ViaAt("V1", 1000, 2000), ViaAt("V1", 3000, 2000),
          ViaAt("V0", 3000, 1000), ViaAt("BV0", 1000, 1000), ViaAt("BV0", 1000, 4000)))

# Hand computation of the wire capacitance (fF): front M1 2 x 1 um x 0.18 + M2 2 um x 0.16;
# back BM1 3 um x 0.18.
FRONT_CAP = 2 * 1.0 * 0.18 + 2.0 * 0.16
BACK_CAP = 3.0 * 0.18
# Pin capacitances of the two INV_X1 inputs in tests/golden/tiny.lib (fF)
PIN_CAP = 0.30 + 0.30

TINY_VERILOG = """module tiny (clk, a, b, y);
  input clk, a, b;
  output y;
  wire qa, qb, n1, n2, n3;
  DFF_X1 ra (.D(a), .CLK(clk), .Q(qa));
  DFF_X1 rb (.D(b), .CLK(clk), .Q(qb));
  NAND2_X1 u1 (.A(qa), .B(qb), .Y(n1));
  INV_X1 u2 (.A(n1), .Y(n2));
  INV_X1 u3 (.A(n1), .Y(n3));
  DFF_X1 ry (.D(n2), .CLK(clk), .Q(y));
endmodule
"""
