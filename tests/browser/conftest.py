"""The browser fixtures live in `tests.browsing` (a plugin, shared with `tests/journeys`)."""

from tests.browsing import OUTPUT, check_accessibility

__all__ = ["OUTPUT", "check_accessibility"]
