"""The catalogs: Swedish fragments in src/, compiled .mo files beside them."""
