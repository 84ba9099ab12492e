"""Parameter sweeps: spec -> variants -> runs (local processes or Ray) -> one results table."""
