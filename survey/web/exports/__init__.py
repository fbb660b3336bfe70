"""Exports for analysts: responses as CSV with a codebook, aggregates, and API tokens."""
