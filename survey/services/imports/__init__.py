"""Importing earlier responses from a CSV file."""
