"""A tiny package for CLI tests."""
