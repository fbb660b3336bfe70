"""Dashboards: NKI and factor indices, comparisons, priority matrix, answers and comments."""
