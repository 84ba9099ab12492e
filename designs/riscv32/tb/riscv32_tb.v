// Testbench for riscv32_core: one 64 KiB byte-addressed RAM at address 0
// serving both ports (synchronous, data the cycle after the address).
//
// Plusargs:  +hex=FILE         program image (objcopy -O verilog format)
//            +max_cycles=N     cycle limit, default 2000000
// A store word to 0xFFFF_FFF0 ends the run (value 1: PASS, else FAIL with
// code = value >> 1). The core raising `halt` (ECALL/EBREAK) ends it as HALT.
// Exactly one result line is printed, one of:
//   PASS cycles=<n> instret=<m>
//   FAIL code=<c> cycles=<n> instret=<m>
//   FAIL timeout cycles=<n> instret=<m>
//   HALT cycles=<n> instret=<m>
module riscv32_tb #(
    parameter M_EXT = 1   // passed to the core; set with iverilog -Priscv32_tb.M_EXT=0
);
    localparam [31:0] TOHOST = 32'hFFFF_FFF0;

    reg clk = 1'b0;
    reg rst_n = 1'b0;
    always #5 clk = ~clk;

    wire [31:0] imem_addr, dmem_addr, dmem_wdata;
    wire [3:0]  dmem_we;
    wire        imem_rd, dmem_re, halt;
    reg  [31:0] imem_rdata, dmem_rdata;

    riscv32_core #(.M_EXT(M_EXT)) dut (
        .clk(clk), .rst_n(rst_n),
        .imem_addr(imem_addr), .imem_rd(imem_rd), .imem_rdata(imem_rdata),
        .dmem_addr(dmem_addr), .dmem_wdata(dmem_wdata), .dmem_we(dmem_we),
        .dmem_re(dmem_re), .dmem_rdata(dmem_rdata), .halt(halt)
    );

    reg [7:0] ram [0:65535];
    reg [1023:0] hex_file;
    integer max_cycles;
    integer cycles;
    integer instret;
    integer i;

    wire [15:0] iaddr = {imem_addr[15:2], 2'b00};
    wire [15:0] daddr = {dmem_addr[15:2], 2'b00};

    initial begin
        for (i = 0; i < 65536; i = i + 1)
            ram[i] = 8'h00;
        if (!$value$plusargs("hex=%s", hex_file)) begin
            $display("FAIL nohex cycles=0 instret=0");
            $finish;
        end
        if (!$value$plusargs("max_cycles=%d", max_cycles))
            max_cycles = 2000000;
        $readmemh(hex_file, ram);
        cycles  = 0;
        instret = 0;
        repeat (3) @(posedge clk);
        rst_n <= 1'b1;
    end

    always @(posedge clk) begin
        if (imem_rd)
            imem_rdata <= {ram[iaddr + 16'd3], ram[iaddr + 16'd2],
                           ram[iaddr + 16'd1], ram[iaddr]};
        if (dmem_re)
            dmem_rdata <= {ram[daddr + 16'd3], ram[daddr + 16'd2],
                           ram[daddr + 16'd1], ram[daddr]};
        if (rst_n && dmem_we != 4'b0000) begin
            if (dmem_addr == TOHOST) begin
                if (dmem_wdata == 32'd1)
                    $display("PASS cycles=%0d instret=%0d", cycles, instret);
                else
                    $display("FAIL code=%0d cycles=%0d instret=%0d",
                             dmem_wdata >> 1, cycles, instret);
                $finish;
            end
            if (dmem_addr[31:16] != 16'd0) begin
                $display("FAIL badstore addr=%08h cycles=%0d instret=%0d",
                         dmem_addr, cycles, instret);
                $finish;
            end
            if (dmem_we[0]) ram[daddr]          <= dmem_wdata[7:0];
            if (dmem_we[1]) ram[daddr + 16'd1]  <= dmem_wdata[15:8];
            if (dmem_we[2]) ram[daddr + 16'd2]  <= dmem_wdata[23:16];
            if (dmem_we[3]) ram[daddr + 16'd3]  <= dmem_wdata[31:24];
        end
    end

    // statistics: cycles since reset release, instructions leaving WB
    always @(posedge clk) begin
        if (rst_n) begin
            cycles = cycles + 1;
            if (dut.wb_valid)
                instret = instret + 1;
            if (halt) begin
                $display("HALT cycles=%0d instret=%0d", cycles, instret);
                $finish;
            end
            if (cycles >= max_cycles) begin
                $display("FAIL timeout cycles=%0d instret=%0d", cycles, instret);
                $finish;
            end
        end
    end
endmodule
