# riscv32_core timing constraints (time unit: ns). The period matches clock_period in
# config.toml (2 GHz target for a 5nm-class node); I/O budgets are 20% of the period on
# each side. imem_addr is combinational from the EX-stage branch decision, so its output
# budget is part of the fetch-redirect path.
set clk_period 0.5
set io_delay [expr {0.2 * $clk_period}]

create_clock -name clk -period $clk_period [get_ports clk]
set_input_delay  $io_delay -clock clk [get_ports {rst_n imem_rdata[*] dmem_rdata[*]}]
set_output_delay $io_delay -clock clk [all_outputs]
