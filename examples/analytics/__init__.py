"""Reporting and machine-learning tasks over shop data."""
