"""Workflows over the example tasks, and the launch plans that run them in production."""
