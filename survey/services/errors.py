"""Domain errors that services raise and views turn into messages beside fields."""

from __future__ import annotations


class DomainError(Exception):
    """A use-case refused: the message is user-facing (already translated)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist, or the user may not see it."""


class Throttled(DomainError):
    """Too many attempts; try again later."""
