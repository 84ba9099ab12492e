module tiny (clk, a, b, y);
  input clk, a, b;
  output y;
  wire qa, qb, n1, n2, n3;
  DFF_X1 ra (.D(a), .CLK(clk), .Q(qa));
  DFF_X1 rb (.D(b), .CLK(clk), .Q(qb));
  NAND2_X1 u1 (.A(qa), .B(qb), .Y(n1));
  INV_X1 u2 (.A(n1), .Y(n2));
  NAND2_X1 u3 (.A(qa), .B(n1), .Y(n3));
  DFF_X1 ry (.D(n2), .CLK(clk), .Q(y));
endmodule
