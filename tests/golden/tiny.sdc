# tiny test design constraints (ns). The period below is replaced by the flow's clock_period.
set clk_period 0.25
set io_delay [expr {0.2 * $clk_period}]
create_clock -name clk -period $clk_period [get_ports clk]
set_input_delay $io_delay -clock clk [get_ports {a b}]
set_output_delay $io_delay -clock clk [get_ports y]
