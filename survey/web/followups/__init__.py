"""Follow-up pages: the list, one follow-up, and making one by hand."""
