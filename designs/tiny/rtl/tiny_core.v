// tiny_core: a small registered datapath for the end-to-end flow tests (a few hundred cells).
// An 8-bit ALU (add, subtract, and, xor, shifts) feeding an accumulator, an 8-bit Galois LFSR
// that can be mixed into the ALU's B operand, and registered outputs. Verilog-2005.
module tiny_core (
    input  wire       clk,
    input  wire       rst_n,     // asynchronous, active low
    input  wire       en,        // accumulate enable
    input  wire [2:0] op,        // ALU operation
    input  wire       use_lfsr,  // B operand = b ^ lfsr
    input  wire [7:0] a,
    input  wire [7:0] b,
    output reg  [7:0] y,
    output reg        carry,
    output reg        zero,
    output wire [7:0] rnd
);
    reg [7:0] a_q, b_q, acc, lfsr;
    reg [2:0] op_q;
    reg       use_q, en_q;

    wire [7:0] opb = use_q ? (b_q ^ lfsr) : b_q;
    wire [8:0] sum = {1'b0, a_q} + {1'b0, opb} + {1'b0, acc};
    wire [8:0] dif = {1'b0, acc} - {1'b0, opb};
    reg  [8:0] alu;

    always @(*) begin
        case (op_q)
            3'd0: alu = sum;
            3'd1: alu = dif;
            3'd2: alu = {1'b0, acc & opb};
            3'd3: alu = {1'b0, acc ^ opb ^ a_q};
            3'd4: alu = {acc, 1'b0};
            3'd5: alu = {acc[0], 1'b0, acc[7:1]};
            3'd6: alu = {1'b0, (acc < opb) ? opb : acc};
            default: alu = {1'b0, ~(acc | a_q)};
        endcase
    end

    // taps 8, 6, 5, 4 (maximal length), Fibonacci form with XNOR feedback: the lock-up state
    // is all ones, so resetting to zero (a plain reset flip-flop) starts a valid sequence
    wire [7:0] lfsr_next = {lfsr[6:0], ~(lfsr[7] ^ lfsr[5] ^ lfsr[4] ^ lfsr[3])};

    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            a_q <= 8'd0; b_q <= 8'd0; op_q <= 3'd0; use_q <= 1'b0; en_q <= 1'b0;
            acc <= 8'd0; lfsr <= 8'd0;
            y <= 8'd0; carry <= 1'b0; zero <= 1'b0;
        end else begin
            a_q <= a; b_q <= b; op_q <= op; use_q <= use_lfsr; en_q <= en;
            lfsr <= lfsr_next;
            if (en_q) acc <= alu[7:0];
            y <= alu[7:0];
            carry <= alu[8];
            zero <= (alu[7:0] == 8'd0);
        end
    end

    assign rnd = lfsr;
endmodule
