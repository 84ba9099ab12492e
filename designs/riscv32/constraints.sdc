# riscv32_core timing constraints (time unit: ns). 2 GHz target for a
# 5nm-class node; I/O budgets are 20% of the period on each side.
set clk_period 0.5
set io_delay [expr {0.2 * $clk_period}]

create_clock -name clk -period $clk_period [get_ports clk]

set non_clock_inputs [list]
foreach port [all_inputs] {
    if {[get_name $port] != "clk"} {
        lappend non_clock_inputs $port
    }
}
set_input_delay  $io_delay -clock clk $non_clock_inputs
set_output_delay $io_delay -clock clk [all_outputs]
