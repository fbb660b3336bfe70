"""Start page, language switch and health check."""
