"""Standard-cell library generation: netlists, layouts, pin sides, writers, characterization."""
