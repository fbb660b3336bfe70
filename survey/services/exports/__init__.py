"""CSV exports of responses and aggregates, their codebook and the API's catalog."""
