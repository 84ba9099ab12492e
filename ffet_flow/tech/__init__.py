"""Technology model (layers, stacks, RC) and its writers (tech LEF, layers.json, KLayout)."""
