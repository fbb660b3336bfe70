"""The start page's panel of the loop: contact requests, days to first contact, closed in time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from survey.extensions import db
from survey.models import Company, FollowUp


def test_overview_shows_the_measures_of_the_loop(app, demo, login_as) -> None:
    with app.app_context():
        company = db.session.query(Company.id).first()[0]
        came = datetime(2025, 3, 3, 9, tzinfo=UTC)
        for after in (1, 6):
            db.session.add(
                FollowUp(
                    company_id=company,
                    source="contact_request",
                    created_at=came,
                    contacted_at=came + timedelta(days=after),
                    closed_at=came + timedelta(days=after),
                    status="closed",
                    due_on=date(2025, 3, 7),
                    topic="",
                    closing_note="",
                )
            )
        db.session.commit()
    html = login_as("analyst").get("/dashboard?by=quarter").get_data(as_text=True)
    panel = html[html.index('id="panel-loop"') :]
    assert re.search(r'data-testid="contact-requests">2<', panel)
    assert re.search(r'data-testid="days-to-contact">3,5<', panel)  # median of 1 and 6 days
    assert re.search(r'data-testid="closed-on-time">50 %<', panel)  # closed 4 and 9 March
    assert "2025Q1" in panel
