// riscv32_core: 5-stage in-order RV32I(M) pipeline.
//
//   IF   the next fetch address goes out on imem_addr (memory is synchronous)
//   ID   imem_rdata arrives; decode, register read (with WB bypass), hazard check
//   EX   ALU, multiplier, iterative divider, branch/jump resolution, store lane setup
//   MEM  dmem_addr / dmem_wdata / dmem_we / dmem_re driven straight from registers
//   WB   dmem_rdata arrives; load alignment, register write
//
// Reset is synchronous and active low (rst_n). After reset the first fetch is
// from address 0. Forwarding to EX from MEM and WB, load-use stall of one
// cycle, branches and jumps resolved in EX with a one-instruction flush.
// ECALL/EBREAK stop fetching when decoded and raise `halt` when they retire.
module riscv32_core #(
    parameter M_EXT = 1   // 1: implement the M extension
) (
    input  wire        clk,
    input  wire        rst_n,
    // instruction port: address in cycle t, data in cycle t+1
    output wire [31:0] imem_addr,
    output wire        imem_rd,
    input  wire [31:0] imem_rdata,
    // data port: address/write data/byte enables in cycle t, read data in t+1
    output wire [31:0] dmem_addr,
    output wire [31:0] dmem_wdata,
    output wire [3:0]  dmem_we,
    output wire        dmem_re,
    input  wire [31:0] dmem_rdata,
    output reg         halt
);
    // ------------------------------------------------------------------
    // Hazard and redirect signals (defined further down)
    // ------------------------------------------------------------------
    wire        ex_redirect;
    wire [31:0] ex_target;
    wire        load_use_stall;
    wire        muldiv_stall;
    wire        id_stall = load_use_stall | muldiv_stall;

    // ------------------------------------------------------------------
    // IF: f_pc is the address whose instruction imem_rdata holds now
    // ------------------------------------------------------------------
    reg  [31:0] f_pc;
    reg         f_valid;
    reg         fetch_stopped;

    // while ID stalls the same address is fetched again so that
    // imem_rdata keeps showing the stalled instruction
    assign imem_addr = ex_redirect ? ex_target :
                       id_stall    ? f_pc      : f_pc + 32'd4;
    assign imem_rd   = ~fetch_stopped;

    // ------------------------------------------------------------------
    // ID
    // ------------------------------------------------------------------
    wire [31:0] id_insn  = imem_rdata;
    wire        id_valid = f_valid;
    wire [4:0]  id_rs1, id_rs2, id_rd;
    wire [31:0] id_imm;
    wire [3:0]  id_alu_op;
    wire [2:0]  id_funct3;
    wire id_src_a_pc, id_src_a_zero, id_src_b_imm, id_reg_write, id_mem_read, id_mem_write;
    wire id_is_branch, id_is_jal, id_is_jalr, id_is_muldiv, id_is_halt;
    wire id_uses_rs1, id_uses_rs2;

    riscv32_decode #(.M_EXT(M_EXT)) u_decode (
        .insn(id_insn), .rs1(id_rs1), .rs2(id_rs2), .rd(id_rd), .imm(id_imm),
        .alu_op(id_alu_op), .src_a_pc(id_src_a_pc), .src_a_zero(id_src_a_zero),
        .src_b_imm(id_src_b_imm), .reg_write(id_reg_write), .mem_read(id_mem_read),
        .mem_write(id_mem_write), .funct3(id_funct3), .is_branch(id_is_branch),
        .is_jal(id_is_jal), .is_jalr(id_is_jalr), .is_muldiv(id_is_muldiv),
        .is_halt(id_is_halt), .uses_rs1(id_uses_rs1), .uses_rs2(id_uses_rs2)
    );

    wire [31:0] id_rs1_data, id_rs2_data;
    wire        wb_reg_we;
    wire [4:0]  wb_rd_w;
    wire [31:0] wb_data;

    riscv32_regfile u_regfile (
        .clk(clk), .rs1(id_rs1), .rs2(id_rs2),
        .rs1_data(id_rs1_data), .rs2_data(id_rs2_data),
        .we(wb_reg_we), .rd(wb_rd_w), .rd_data(wb_data)
    );

    always @(posedge clk) begin
        if (!rst_n) begin
            f_pc          <= 32'hFFFF_FFFC;   // so that the first fetch is f_pc + 4 = 0
            f_valid       <= 1'b0;
            fetch_stopped <= 1'b0;
        end else if (ex_redirect) begin
            f_pc    <= ex_target;
            f_valid <= 1'b1;
        end else if (!id_stall) begin
            f_pc <= imem_addr;
            if (id_valid && id_is_halt) begin
                // nothing after ECALL/EBREAK may execute
                fetch_stopped <= 1'b1;
                f_valid       <= 1'b0;
            end else begin
                f_valid <= ~fetch_stopped;
            end
        end
    end

    // ------------------------------------------------------------------
    // ID/EX register
    // ------------------------------------------------------------------
    reg        ex_valid;
    reg [31:0] ex_pc, ex_imm, ex_rs1_data, ex_rs2_data;
    reg [4:0]  ex_rs1, ex_rs2, ex_rd;
    reg [3:0]  ex_alu_op;
    reg [2:0]  ex_funct3;
    reg ex_src_a_pc, ex_src_a_zero, ex_src_b_imm, ex_reg_write, ex_mem_read, ex_mem_write;
    reg ex_is_branch, ex_is_jal, ex_is_jalr, ex_is_muldiv, ex_is_halt;

    always @(posedge clk) begin
        if (!rst_n) begin
            ex_valid <= 1'b0;
        end else if (!muldiv_stall) begin
            ex_valid      <= id_valid & ~ex_redirect & ~load_use_stall;
            ex_pc         <= f_pc;
            ex_imm        <= id_imm;
            ex_rs1_data   <= id_rs1_data;
            ex_rs2_data   <= id_rs2_data;
            ex_rs1        <= id_rs1;
            ex_rs2        <= id_rs2;
            ex_rd         <= id_rd;
            ex_alu_op     <= id_alu_op;
            ex_funct3     <= id_funct3;
            ex_src_a_pc   <= id_src_a_pc;
            ex_src_a_zero <= id_src_a_zero;
            ex_src_b_imm  <= id_src_b_imm;
            ex_reg_write  <= id_reg_write & (id_rd != 5'd0);
            ex_mem_read   <= id_mem_read;
            ex_mem_write  <= id_mem_write;
            ex_is_branch  <= id_is_branch;
            ex_is_jal     <= id_is_jal;
            ex_is_jalr    <= id_is_jalr;
            ex_is_muldiv  <= id_is_muldiv;
            ex_is_halt    <= id_is_halt;
        end
    end

    // load in EX whose destination the instruction in ID reads: wait one cycle
    assign load_use_stall = ex_valid & ex_mem_read & ex_reg_write & id_valid &
                            ((id_uses_rs1 & (id_rs1 == ex_rd)) |
                             (id_uses_rs2 & (id_rs2 == ex_rd)));

    // ------------------------------------------------------------------
    // EX
    // ------------------------------------------------------------------
    reg        mem_valid, mem_reg_write, mem_mem_read;
    reg [4:0]  mem_rd;
    reg [31:0] mem_result;
    reg        wb_valid, wb_reg_write, wb_mem_read, wb_is_halt;
    reg [4:0]  wb_rd;

    // forwarding: the youngest older producer wins (MEM before WB)
    wire fwd_mem_a = mem_valid & mem_reg_write & (mem_rd == ex_rs1);
    wire fwd_mem_b = mem_valid & mem_reg_write & (mem_rd == ex_rs2);
    wire fwd_wb_a  = wb_valid & wb_reg_write & (wb_rd == ex_rs1);
    wire fwd_wb_b  = wb_valid & wb_reg_write & (wb_rd == ex_rs2);

    wire [31:0] ex_a = fwd_mem_a ? mem_result : fwd_wb_a ? wb_data : ex_rs1_data;
    wire [31:0] ex_b = fwd_mem_b ? mem_result : fwd_wb_b ? wb_data : ex_rs2_data;

    wire [31:0] alu_a = ex_src_a_zero ? 32'd0 : ex_src_a_pc ? ex_pc : ex_a;
    wire [31:0] alu_b = ex_src_b_imm ? ex_imm : ex_b;
    wire [31:0] alu_y;

    riscv32_alu u_alu (.op(ex_alu_op), .a(alu_a), .b(alu_b), .y(alu_y));

    // branch comparison and targets
    wire        cmp_eq  = (ex_a == ex_b);
    wire        cmp_lt  = $signed(ex_a) < $signed(ex_b);
    wire        cmp_ltu = ex_a < ex_b;
    wire        cmp_raw = ex_funct3[2] ? (ex_funct3[1] ? cmp_ltu : cmp_lt) : cmp_eq;
    wire        branch_taken = ex_is_branch & (cmp_raw ^ ex_funct3[0]);
    wire [31:0] pc_rel_target = ex_pc + ex_imm;
    wire [31:0] jalr_sum      = ex_a + ex_imm;
    wire [31:0] link_addr     = ex_pc + 32'd4;

    assign ex_redirect = ex_valid & (branch_taken | ex_is_jal | ex_is_jalr);
    assign ex_target   = ex_is_jalr ? {jalr_sum[31:1], 1'b0} : pc_rel_target;

    // M extension
    wire [31:0] muldiv_y;
    generate
        if (M_EXT != 0) begin : g_muldiv
            wire [31:0] mul_y, div_y;
            wire        div_busy, div_done;
            wire        is_div   = ex_is_muldiv & ex_funct3[2];
            wire        div_start = ex_valid & is_div & ~div_busy & ~div_done;

            riscv32_multiplier u_mul (
                .kind(ex_funct3[1:0]), .a(ex_a), .b(ex_b), .result(mul_y)
            );
            riscv32_divider u_div (
                .clk(clk), .rst_n(rst_n), .start(div_start),
                .op_signed(~ex_funct3[0]), .op_rem(ex_funct3[1]),
                .a(ex_a), .b(ex_b), .busy(div_busy), .done(div_done), .result(div_y)
            );
            assign muldiv_stall = ex_valid & is_div & ~div_done;
            assign muldiv_y     = ex_funct3[2] ? div_y : mul_y;
        end else begin : g_no_muldiv
            assign muldiv_stall = 1'b0;
            assign muldiv_y     = 32'd0;
        end
    endgenerate

    wire [31:0] ex_result = ex_is_muldiv ? muldiv_y :
                            (ex_is_jal | ex_is_jalr) ? link_addr : alu_y;

    // store data replicated on all byte lanes; enables pick the lanes
    reg [31:0] st_wdata;
    reg [3:0]  st_we;
    always @(*) begin
        case (ex_funct3[1:0])
            2'b00: begin
                st_wdata = {4{ex_b[7:0]}};
                st_we    = 4'b0001 << alu_y[1:0];
            end
            2'b01: begin
                st_wdata = {2{ex_b[15:0]}};
                st_we    = alu_y[1] ? 4'b1100 : 4'b0011;
            end
            default: begin
                st_wdata = ex_b;
                st_we    = 4'b1111;
            end
        endcase
    end

    // ------------------------------------------------------------------
    // EX/MEM register
    // ------------------------------------------------------------------
    reg [31:0] mem_wdata;
    reg [3:0]  mem_we;
    reg [2:0]  mem_funct3;
    reg        mem_is_halt;

    always @(posedge clk) begin
        if (!rst_n) begin
            mem_valid <= 1'b0;
            mem_we    <= 4'd0;
            mem_mem_read <= 1'b0;
        end else begin
            // a divide still running leaves a bubble behind it
            mem_valid     <= ex_valid & ~muldiv_stall;
            mem_reg_write <= ex_reg_write;
            mem_mem_read  <= ex_valid & ~muldiv_stall & ex_mem_read;
            mem_we        <= (ex_valid & ~muldiv_stall & ex_mem_write) ? st_we : 4'd0;
            mem_rd        <= ex_rd;
            mem_result    <= ex_result;
            mem_wdata     <= st_wdata;
            mem_funct3    <= ex_funct3;
            mem_is_halt   <= ex_is_halt;
        end
    end

    assign dmem_addr  = mem_result;
    assign dmem_wdata = mem_wdata;
    assign dmem_we    = mem_we;
    assign dmem_re    = mem_mem_read;

    // ------------------------------------------------------------------
    // MEM/WB register
    // ------------------------------------------------------------------
    reg [31:0] wb_result;
    reg [2:0]  wb_funct3;

    always @(posedge clk) begin
        if (!rst_n) begin
            wb_valid <= 1'b0;
            halt     <= 1'b0;
        end else begin
            wb_valid <= mem_valid;
            if (wb_valid & wb_is_halt)
                halt <= 1'b1;
        end
        wb_reg_write <= mem_reg_write;
        wb_mem_read  <= mem_mem_read;
        wb_rd        <= mem_rd;
        wb_result    <= mem_result;
        wb_funct3    <= mem_funct3;
        wb_is_halt   <= mem_is_halt;
    end

    // ------------------------------------------------------------------
    // WB: align load data (the byte offset is the low address bits)
    // ------------------------------------------------------------------
    wire [31:0] ld_shifted = dmem_rdata >> {wb_result[1:0], 3'b000};
    reg  [31:0] ld_value;
    always @(*) begin
        case (wb_funct3)
            3'b000:  ld_value = {{24{ld_shifted[7]}}, ld_shifted[7:0]};
            3'b001:  ld_value = {{16{ld_shifted[15]}}, ld_shifted[15:0]};
            3'b100:  ld_value = {24'd0, ld_shifted[7:0]};
            3'b101:  ld_value = {16'd0, ld_shifted[15:0]};
            default: ld_value = dmem_rdata;
        endcase
    end

    assign wb_data   = wb_mem_read ? ld_value : wb_result;
    assign wb_reg_we = wb_valid & wb_reg_write;
    assign wb_rd_w   = wb_rd;
endmodule
