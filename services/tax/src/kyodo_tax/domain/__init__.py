"""The tax rules: pure functions and values, no I/O."""
