// Integer ALU for RV32I. op = {alt, funct3}: alt selects SUB over ADD and
// SRA over SRL, matching bit 30 of the instruction.
module riscv32_alu (
    input  wire [3:0]  op,
    input  wire [31:0] a,
    input  wire [31:0] b,
    output reg  [31:0] y
);
    wire [4:0]  shamt = b[4:0];
    wire [32:0] diff  = {1'b0, a} - {1'b0, b};
    // a < b signed: sign of the difference, corrected when the signs differ
    wire lt_signed   = (a[31] ^ b[31]) ? a[31] : diff[31];
    wire lt_unsigned = diff[32];
    wire [31:0] sra  = $signed(a) >>> shamt;

    always @(*) begin
        case (op[2:0])
            3'b000:  y = op[3] ? diff[31:0] : a + b;
            3'b001:  y = a << shamt;
            3'b010:  y = {31'd0, lt_signed};
            3'b011:  y = {31'd0, lt_unsigned};
            3'b100:  y = a ^ b;
            3'b101:  y = op[3] ? sra : a >> shamt;
            3'b110:  y = a | b;
            default: y = a & b;
        endcase
    end
endmodule
