"""A visit follow-up invites the day after the visit: not before the visit has taken place."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from survey.extensions import db
from survey.models import Invitation
from survey.services.surveys import reminders
from tests.factories import local_today


def test_a_visit_booked_ahead_is_invited_the_day_after_its_date(
    app, make_survey, make_company, make_visit
) -> None:
    today = local_today()
    make_survey(is_visit_followup=True, opens_on=today - timedelta(days=5))
    visit_id = make_visit(make_company("Bokat besök AB"), today + timedelta(days=3))
    with app.app_context():
        for days in (1, 2, 3):  # recorded, but the visit has not taken place yet
            assert reminders.queue_followups(today + timedelta(days=days)) == 0
        assert reminders.queue_followups(today + timedelta(days=4)) == 1
        assert db.session.scalar(select(Invitation.visit_id)) == visit_id


def test_a_visit_recorded_late_is_invited_the_day_after_it_is_recorded(
    app, make_survey, make_company, make_visit
) -> None:
    today = local_today()
    make_survey(is_visit_followup=True, opens_on=today - timedelta(days=10))
    make_visit(make_company("Sent registrerat AB"), today - timedelta(days=4))
    with app.app_context():
        assert reminders.queue_followups(today) == 0  # recorded today
        assert reminders.queue_followups(today + timedelta(days=1)) == 1
