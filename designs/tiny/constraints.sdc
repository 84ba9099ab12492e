# tiny_core timing constraints (time unit: ns). The period matches clock_period in config.toml;
# I/O budgets are 20% of the period on each side.
set clk_period 0.4
set io_delay [expr {0.2 * $clk_period}]

create_clock -name clk -period $clk_period [get_ports clk]
set_input_delay  $io_delay -clock clk [get_ports {rst_n en op[*] use_lfsr a[*] b[*]}]
set_output_delay $io_delay -clock clk [all_outputs]
