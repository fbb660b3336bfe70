"""Use-cases: one function per thing a user does; the only layer that commits."""
