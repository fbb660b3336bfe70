"""Survey fixtures: those of the respondent tests (a survey, invitations, one company's token)."""

from __future__ import annotations

from tests.respond.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
    make_visit,
    smtp_server,
    token,
)
