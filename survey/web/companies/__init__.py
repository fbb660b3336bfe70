"""Company register pages."""
