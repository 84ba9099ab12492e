// Iterative restoring divider for DIV, DIVU, REM, REMU: one quotient bit per
// cycle on operand magnitudes, signs applied at the output.
// Timing: `start` for one cycle loads the operands, 32 cycles of `busy`
// follow, then `done` is high for exactly one cycle with `result` valid.
// Division by zero and signed overflow give the values the ISA defines:
// x/0 = -1 (all ones), x%0 = x, (-2^31)/(-1) = -2^31, (-2^31)%(-1) = 0.
module riscv32_divider (
    input  wire        clk,
    input  wire        rst_n,
    input  wire        start,
    input  wire        op_signed,
    input  wire        op_rem,
    input  wire [31:0] a,
    input  wire [31:0] b,
    output reg         busy,
    output reg         done,
    output wire [31:0] result
);
    reg [31:0] quo;       // dividend shifting out, quotient shifting in
    reg [31:0] rem;
    reg [31:0] divisor;
    reg [5:0]  count;
    reg        neg_quo;
    reg        neg_rem;
    reg        want_rem;

    wire a_neg = op_signed & a[31];
    wire b_neg = op_signed & b[31];
    wire [31:0] a_mag = a_neg ? -a : a;
    wire [31:0] b_mag = b_neg ? -b : b;

    wire [32:0] rem_shift = {rem, quo[31]};
    wire [33:0] trial     = {1'b0, rem_shift} - {2'b00, divisor};
    wire        fits      = ~trial[33];

    always @(posedge clk) begin
        if (!rst_n) begin
            busy  <= 1'b0;
            done  <= 1'b0;
            count <= 6'd0;
        end else begin
            done <= 1'b0;
            if (start) begin
                quo      <= a_mag;
                rem      <= 32'd0;
                divisor  <= b_mag;
                count    <= 6'd32;
                busy     <= 1'b1;
                neg_quo  <= (a_neg ^ b_neg) & (b != 32'd0);
                neg_rem  <= a_neg;
                want_rem <= op_rem;
            end else if (busy) begin
                rem   <= fits ? trial[31:0] : rem_shift[31:0];
                quo   <= {quo[30:0], fits};
                count <= count - 6'd1;
                if (count == 6'd1) begin
                    busy <= 1'b0;
                    done <= 1'b1;
                end
            end
        end
    end

    assign result = want_rem ? (neg_rem ? -rem : rem)
                             : (neg_quo ? -quo : quo);
endmodule
