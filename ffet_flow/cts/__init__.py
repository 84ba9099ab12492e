"""Clock-tree synthesis: a placement-aware buffer tree on the clock net."""
