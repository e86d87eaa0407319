"""A healthy package: the bundle every broken compile must leave alone."""
