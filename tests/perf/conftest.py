"""Fixtures of the generator tests: the shipped batteries loaded."""

from __future__ import annotations

import pytest
from flask import Flask

SHIPPED = ("nki-myndighetsutovning", "uppfoljning-foretagsbesok")


@pytest.fixture
def shipped(app: Flask) -> Flask:
    """Load the shipped batteries the generator answers; return the app."""
    from survey.services import batteries
    from tests.factories import shipped_battery

    with app.app_context():
        definitions = [shipped_battery(key) for key in SHIPPED]
        batteries.load_definitions(definitions, actor_id=None)
    return app
