"""Who may log in: users, passwords and their reset, API tokens, the login throttle."""
