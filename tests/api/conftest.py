"""API fixtures: a user's token (created through the service) and the export test data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.export.conftest import ExportData, export_data  # noqa: F401  (fixture)
from tests.statistics.conftest import import_csv, nki_battery  # noqa: F401  (fixtures)

__all__ = ["ExportData"]


@pytest.fixture
def make_token(app: Flask, make_user) -> Callable[..., str]:  # noqa: ANN001
    """Return a new token's secret for a new user of the given role."""
    from survey.services.accounts import api_tokens

    def make(role: str = "analyst") -> str:
        user = make_user(role)
        with app.app_context():
            return api_tokens.create_token(user.id, "script").secret

    return make
