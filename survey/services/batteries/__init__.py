"""Question batteries: load, build, edit, validate, version and publish them."""
