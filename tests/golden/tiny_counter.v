module cnt (input clk, input rst_n, input en, input [3:0] d, output reg [3:0] q, output z);
  always @(posedge clk or negedge rst_n)
    if (!rst_n) q <= 4'd0; else if (en) q <= q + d;
  assign z = ^q;
endmodule
