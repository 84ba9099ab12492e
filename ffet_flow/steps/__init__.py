"""Flow steps: one module per step, all run by one driver (ffet_flow.steps.driver)."""
