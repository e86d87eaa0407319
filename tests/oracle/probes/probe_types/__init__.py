"""Oracle probe: literal types, interfaces and docstrings that a realistic package rarely shows."""
