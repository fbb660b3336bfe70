"""Surveys (utskick): create them, pick recipients, invite, remind, follow progress."""
