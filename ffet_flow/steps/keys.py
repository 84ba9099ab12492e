"""Configuration keys of the design (designs/<d>/config.toml) and of sign-off."""

from __future__ import annotations

from ffet_flow.keys import Key

KEYS = [
    Key("top", "str", "", "top module of the design", steps=("synth", "sta"), group="design"),
    Key("verilog", "list[str]", [], "RTL files, relative to the design directory",
        steps=("synth",), group="design"),
    Key("sdc", "str", "constraints.sdc", "timing constraints file, relative to the design "
        "directory", steps=("synth", "sta"), group="design"),
    Key("clock_port", "str", "clk", "clock input port", steps=("synth", "sta"), group="design"),
    Key("clock_period", "float", 0.5, "target clock period", unit="ns", min=0.01, max=1000.0,
        steps=("synth", "sta"), sweep=True, group="design"),
    # "neighbours" looks at the adjacent tracks of every wire (ffet_flow/extract/coupling.py);
    # "worst" assumes both neighbours everywhere (layers.json c_per_um), the usual sign-off
    # corner when no coupling analysis is done. Either way coupling is folded into ground.
    Key("extract_coupling", "str", "neighbours", "wire capacitance model of extraction: "
        "'neighbours' (per wire side: minimum-spacing C where the adjacent track is occupied, "
        "isolated-line C where it is empty) or 'worst' (both neighbours everywhere)",
        choices=("neighbours", "worst"), steps=("extract",), sweep=True, group="signoff"),
    Key("activity", "float", 0.1, "default switching activity of inputs and registers for power "
        "(toggles per clock cycle)", min=0.0, max=1.0, steps=("sta",), group="signoff"),
]


def check(values: dict, report) -> None:
    pass
