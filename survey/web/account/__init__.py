"""The official's own account: password reset by e-mailed link and changing the password."""
