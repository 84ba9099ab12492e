// Single-cycle 33x33 signed multiplier for MUL, MULH, MULHSU, MULHU.
// Each operand is extended by one bit (its sign bit or zero) so that a
// single signed product covers all four signedness combinations.
module riscv32_multiplier (
    input  wire [1:0]  kind,   // funct3[1:0]: 00 MUL, 01 MULH, 10 MULHSU, 11 MULHU
    input  wire [31:0] a,
    input  wire [31:0] b,
    output wire [31:0] result
);
    wire a_signed = (kind == 2'b01) || (kind == 2'b10);
    wire b_signed = (kind == 2'b01);
    wire signed [32:0] a_ext = {a_signed & a[31], a};
    wire signed [32:0] b_ext = {b_signed & b[31], b};
    wire signed [65:0] product = a_ext * b_ext;

    assign result = (kind == 2'b00) ? product[31:0] : product[63:32];
endmodule
