"""A survey's mail header texts (sender name, reply-to, subjects) must be one line."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Survey
from tests.factories import post_form
from tests.surveys.test_surveys_web import _form


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sender_name", "Näringslivsenheten\r\nBcc: alla@example.com"),
        ("sender_name", "Närings\nlivsenheten"),
        ("reply_to", "svar@kommun.example.se\r\nBcc: alla@example.com"),
        ("invitation_subject_sv", "Vad tyckte {company}?\r\nBcc: alla@example.com"),
        ("invitation_subject_en", "What did you think?\nX-Extra: 1"),
        ("reminder_subject_sv", "Påminnelse\rigen"),
        ("reminder_subject_en", "Reminder\u0085again"),
    ],
)
def test_survey_form_refuses_a_line_break_in_a_mail_header_beside_the_field(
    app, login_as, battery_version_id, field, value
) -> None:
    official = login_as("official")
    response = post_form(official, "/surveys/new", _form(battery_version_id, **{field: value}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in html
    assert "på en rad" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Survey.id))) == 0


def test_survey_service_refuses_a_line_break_in_the_sender_name(app, battery_version_id) -> None:
    from datetime import date, timedelta

    from survey.services.errors import DomainError
    from survey.services.surveys import surveys

    data = surveys.SurveyInput(
        name="Våren",
        battery_version_id=battery_version_id,
        opens_on=date.today(),
        closes_on=date.today() + timedelta(days=5),
        sender_name="Avsändare\r\nBcc: x@example.com",
        invitation_subject_sv="Ämne",
        invitation_body_sv="{link}",
    )
    with app.test_request_context(), pytest.raises(DomainError) as caught:
        surveys.create_survey(data, actor_id=None)
    assert caught.value.field == "sender_name"
