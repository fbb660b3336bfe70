"""Company visit pages."""
