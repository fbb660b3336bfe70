"""Fixtures of the action tests: hand-worked answers around an action, and an official."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.actions.data import build_answers


@pytest.fixture
def answers(app: Flask, saved_state: Callable[[str, Callable[[], None]], None]) -> None:
    """The answers of tests/actions/data.py (built once per process, then restored)."""
    saved_state("action-answers", build_answers)
