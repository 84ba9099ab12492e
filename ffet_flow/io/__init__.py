"""Readers and writers shared by the engines: LEF (`lef.read_lef`), DEF (`def_.read_def`,
`def_.write_def`) and structural Verilog (`verilog.read_verilog`). All geometry in integer dbu."""
