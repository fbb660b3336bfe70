"""The organisation's settings (admins) and its logo (public, for every page and mail)."""
