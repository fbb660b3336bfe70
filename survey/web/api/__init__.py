"""The read-only JSON API at /api/v1, authenticated with personal API tokens."""
