"""Fixtures of the generator tests: the shipped batteries loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

SHIPPED = ("nki-myndighetsutovning", "uppfoljning-foretagsbesok")


def _load_shipped() -> None:
    from survey.services.batteries import batteries
    from tests.factories import shipped_battery

    definitions = [shipped_battery(key) for key in SHIPPED]
    batteries.load_definitions(definitions, actor_id=None)


@pytest.fixture
def shipped(app: Flask, saved_state: Callable[[str, Callable[[], Any]], Any]) -> Flask:
    """Load the shipped batteries the generator answers (once per process and database,
    then from the saved rows); return the app."""
    saved_state("perf-shipped-batteries", _load_shipped)
    return app
