"""Fixtures of the generator tests: the shipped batteries loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("nki-myndighetsutovning", "uppfoljning-foretagsbesok")


@pytest.fixture
def shipped(app: Flask) -> Flask:
    """Load the shipped batteries the generator answers; return the app."""
    from survey.questionnaires import load_file
    from survey.services import batteries

    with app.app_context():
        definitions = [load_file(ROOT / "questionnaires" / f"{key}.yaml") for key in SHIPPED]
        batteries.load_definitions(definitions, actor_id=None)
    return app
