"""Fixtures for the organisation tests: an open survey to invite companies to."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
    smtp_server,
)


@pytest.fixture
def invite_token(make_survey, make_company, invite) -> Callable[[], str]:  # noqa: ANN001, F811
    """Invite a new company to one open survey; return the link's token."""
    survey_id = make_survey()
    return lambda: invite(survey_id, make_company("Bageriet Ö & Co"))
