"""Personal data on request: an administrator's export of everything stored about a company."""
