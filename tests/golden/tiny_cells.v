// Behavioural models of the cells of tests/golden/tiny.lib, for gate-level simulation in the
// synthesis tests (function only, no delays). Hand-written.
module INV_X1 (input A, output Y); assign Y = ~A; endmodule
module BUF_X1 (input A, output Y); assign Y = A; endmodule
module NAND2_X1 (input A, input B, output Y); assign Y = ~(A & B); endmodule
module NOR2_X1 (input A, input B, output Y); assign Y = ~(A | B); endmodule
module XOR2_X1 (input A, input B, output Y); assign Y = A ^ B; endmodule
module TIEHI_X1 (output Y); assign Y = 1'b1; endmodule
module TIELO_X1 (output Y); assign Y = 1'b0; endmodule
module DFF_X1 (input D, input CLK, output reg Q);
  always @(posedge CLK) Q <= D;
endmodule
module DFFR_X1 (input D, input CLK, input RN, output reg Q);
  always @(posedge CLK or negedge RN)
    if (!RN) Q <= 1'b0; else Q <= D;
endmodule
