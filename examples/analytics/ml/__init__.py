"""Ranking and embedding models trained on shop data."""
