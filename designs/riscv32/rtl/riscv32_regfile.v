// Register file: 31 x 32-bit flip-flops (x0 reads as zero), two read ports,
// one write port. Reads are combinational; a write in the same cycle as a
// read of the same register is bypassed so the ID stage sees the value the
// WB stage is writing (write-before-read without a negative-edge write).
module riscv32_regfile (
    input  wire        clk,
    input  wire [4:0]  rs1,
    input  wire [4:0]  rs2,
    output wire [31:0] rs1_data,
    output wire [31:0] rs2_data,
    input  wire        we,
    input  wire [4:0]  rd,
    input  wire [31:0] rd_data
);
    reg [31:0] regs [1:31];

    always @(posedge clk) begin
        if (we && rd != 5'd0)
            regs[rd] <= rd_data;
    end

    wire wr_active = we && (rd != 5'd0);

    assign rs1_data = (rs1 == 5'd0) ? 32'd0 :
                      (wr_active && rd == rs1) ? rd_data : regs[rs1];
    assign rs2_data = (rs2 == 5'd0) ? 32'd0 :
                      (wr_active && rd == rs2) ? rd_data : regs[rs2];
endmodule
