"""Personal data: what is kept about a company, retention and erasure."""
