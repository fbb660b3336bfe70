"""Respondent fixtures: the survey and mail fixtures, plus one invited company's token."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
    make_visit,
    smtp_server,
)


@pytest.fixture
def token(make_survey: Callable[..., int], make_company, invite) -> str:  # noqa: F811
    """A valid token of an open survey of the visit follow-up battery."""
    return invite(make_survey(), make_company("Bageriet Ö & Co"))
