"""What each dashboard page shows and may conclude, composed from the statistics."""
