"""User administration pages (admins only)."""
