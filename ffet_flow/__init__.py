"""ffet-flow: evaluation flow for dual-sided Flip FET (FFET) physical design against CFET."""

__version__ = "0.1.0"
