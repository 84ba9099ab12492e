"""Configuration keys of clock-tree synthesis."""

from __future__ import annotations

from ffet_flow.keys import Key

KEYS = [
    Key("cts_max_fanout", "int", 16, "clock-tree synthesis: most sinks (flip-flops or buffers) "
        "one clock buffer drives; 0 leaves the clock net unbuffered and the clock ideal in "
        "sign-off", min=0, max=10000, steps=("cts", "sta"), group="cts"),
    Key("cts_buffer", "str", "", "clock buffer cell; empty picks the library's largest buffer",
        steps=("cts",), group="cts"),
]


def check(values: dict, report) -> None:
    """A buffer must drive at least two sinks for a tree to end in one root."""
    if values.get("cts_max_fanout") == 1:
        report("cts_max_fanout", 1, "0 (no clock tree) or at least 2")
