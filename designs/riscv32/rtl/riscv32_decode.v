// Instruction decoder (ID stage). Pure combinational: turns a 32-bit
// instruction into the control word the pipeline carries. Unknown opcodes
// decode as no-ops (no register write, no memory access).
module riscv32_decode #(
    parameter M_EXT = 1
) (
    input  wire [31:0] insn,
    output wire [4:0]  rs1,
    output wire [4:0]  rs2,
    output wire [4:0]  rd,
    output reg  [31:0] imm,
    output reg  [3:0]  alu_op,     // {alt, funct3}, see riscv32_alu
    output reg         src_a_pc,   // ALU operand A is the PC (AUIPC)
    output reg         src_a_zero, // ALU operand A is zero (LUI)
    output reg         src_b_imm,  // ALU operand B is the immediate
    output reg         reg_write,
    output reg         mem_read,
    output reg         mem_write,
    output wire [2:0]  funct3,     // load/store size, branch and mul/div kind
    output reg         is_branch,
    output reg         is_jal,
    output reg         is_jalr,
    output reg         is_muldiv,
    output reg         is_halt,    // ECALL or EBREAK
    output reg         uses_rs1,
    output reg         uses_rs2
);
    localparam OP_LUI    = 7'b0110111;
    localparam OP_AUIPC  = 7'b0010111;
    localparam OP_JAL    = 7'b1101111;
    localparam OP_JALR   = 7'b1100111;
    localparam OP_BRANCH = 7'b1100011;
    localparam OP_LOAD   = 7'b0000011;
    localparam OP_STORE  = 7'b0100011;
    localparam OP_IMM    = 7'b0010011;
    localparam OP_REG    = 7'b0110011;
    localparam OP_FENCE  = 7'b0001111;
    localparam OP_SYSTEM = 7'b1110011;

    wire [6:0] opcode = insn[6:0];
    wire [6:0] funct7 = insn[31:25];
    assign rs1    = insn[19:15];
    assign rs2    = insn[24:20];
    assign rd     = insn[11:7];
    assign funct3 = insn[14:12];

    wire [31:0] imm_i = {{21{insn[31]}}, insn[30:20]};
    wire [31:0] imm_s = {{21{insn[31]}}, insn[30:25], insn[11:7]};
    wire [31:0] imm_b = {{20{insn[31]}}, insn[7], insn[30:25], insn[11:8], 1'b0};
    wire [31:0] imm_u = {insn[31:12], 12'd0};
    wire [31:0] imm_j = {{12{insn[31]}}, insn[19:12], insn[20], insn[30:21], 1'b0};

    always @(*) begin
        imm        = imm_i;
        alu_op     = 4'b0000;
        src_a_pc   = 1'b0;
        src_a_zero = 1'b0;
        src_b_imm  = 1'b1;
        reg_write  = 1'b0;
        mem_read   = 1'b0;
        mem_write  = 1'b0;
        is_branch  = 1'b0;
        is_jal     = 1'b0;
        is_jalr    = 1'b0;
        is_muldiv  = 1'b0;
        is_halt    = 1'b0;
        uses_rs1   = 1'b0;
        uses_rs2   = 1'b0;
        case (opcode)
            OP_LUI: begin
                imm        = imm_u;
                src_a_zero = 1'b1;
                reg_write  = 1'b1;
            end
            OP_AUIPC: begin
                imm       = imm_u;
                src_a_pc  = 1'b1;
                reg_write = 1'b1;
            end
            OP_JAL: begin
                imm       = imm_j;
                is_jal    = 1'b1;
                reg_write = 1'b1;
            end
            OP_JALR: begin
                is_jalr   = 1'b1;
                reg_write = 1'b1;
                uses_rs1  = 1'b1;
            end
            OP_BRANCH: begin
                imm       = imm_b;
                is_branch = 1'b1;
                uses_rs1  = 1'b1;
                uses_rs2  = 1'b1;
            end
            OP_LOAD: begin
                mem_read  = 1'b1;
                reg_write = 1'b1;
                uses_rs1  = 1'b1;
            end
            OP_STORE: begin
                imm       = imm_s;
                mem_write = 1'b1;
                uses_rs1  = 1'b1;
                uses_rs2  = 1'b1;
            end
            OP_IMM: begin
                // bit 30 only means "arithmetic" for SRAI; ADDI etc. use it as immediate
                alu_op    = {(funct3 == 3'b101) & insn[30], funct3};
                reg_write = 1'b1;
                uses_rs1  = 1'b1;
            end
            OP_REG: begin
                src_b_imm = 1'b0;
                uses_rs1  = 1'b1;
                uses_rs2  = 1'b1;
                if (funct7 == 7'b0000001) begin
                    is_muldiv = (M_EXT != 0);
                    reg_write = (M_EXT != 0);
                end else begin
                    alu_op    = {insn[30], funct3};
                    reg_write = 1'b1;
                end
            end
            OP_SYSTEM: begin
                // ECALL (imm 0) and EBREAK (imm 1) with funct3 0; CSR ops are not implemented
                is_halt = (funct3 == 3'b000);
            end
            default: begin
                // OP_FENCE and unknown opcodes: no architectural effect
            end
        endcase
    end
endmodule
