"""Follow-up fixtures: the survey and mail fixtures, and submitting a whole response."""

from __future__ import annotations

from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
    make_visit,
    smtp_server,
)
