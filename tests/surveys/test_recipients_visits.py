"""Companies chosen by their visits are invited about their latest matching visit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Invitation, OutboxMessage
from survey.services.errors import DomainError
from survey.services.surveys.recipients import RecipientFilter, invite_recipients
from tests.factories import post_form

BODY = "Tack för besöket den {visit_date}! Svara här: {link}"


def _invitations(app) -> dict[int, tuple[int | None, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Invitation.company_id, Invitation.visit_id, OutboxMessage.text_body).join(
                OutboxMessage, OutboxMessage.invitation_id == Invitation.id
            )
        )
        return {company: (visit, text) for company, visit, text in rows}


def test_visited_in_a_period_links_the_latest_visit_and_fills_its_date(
    app, make_survey, make_company, make_visit
) -> None:
    survey_id = make_survey(invitation_body_sv=BODY)
    start = date.today() - timedelta(days=60)
    twice, once, outside = make_company(), make_company(), make_company()
    make_visit(twice, start + timedelta(days=5))
    latest = make_visit(twice, start + timedelta(days=20))
    make_visit(twice, start + timedelta(days=45))  # after the period
    only = make_visit(once, start + timedelta(days=1))
    make_visit(outside, start - timedelta(days=1))
    period = RecipientFilter(
        mode="visited", visited_from=start, visited_to=start + timedelta(days=30)
    )
    with app.app_context():
        assert invite_recipients(survey_id, period, actor_id=None).invited == 2

    invited = _invitations(app)
    assert set(invited) == {twice, once}
    assert invited[twice][0] == latest and invited[once][0] == only
    assert f"besöket den {(start + timedelta(days=20)).isoformat()}!" in invited[twice][1]
    assert f"besöket den {(start + timedelta(days=1)).isoformat()}!" in invited[once][1]


def test_by_area_links_the_latest_visit_about_that_area(
    app, make_survey, make_company, make_visit
) -> None:
    from survey.models import ServiceArea

    with app.app_context():
        first, second = db.session.scalars(select(ServiceArea.id).limit(2)).all()
    survey_id = make_survey(invitation_body_sv=BODY)
    company = make_company()
    about_first = make_visit(company, date.today() - timedelta(days=30), service_area_id=first)
    make_visit(company, date.today() - timedelta(days=3), service_area_id=second)
    with app.app_context():
        invite_recipients(
            survey_id, RecipientFilter(mode="area", service_area_id=first), actor_id=None
        )
    assert _invitations(app)[company][0] == about_first


@pytest.mark.parametrize("mode", ["all", "industry"])
def test_visit_date_in_texts_needs_companies_chosen_by_visit(
    app, make_survey, make_company, mode
) -> None:
    survey_id = make_survey(reminder_body_sv="Besöket {visit_date}: {link}")
    make_company(sni_section="F")
    criteria = RecipientFilter(mode=mode, sni_section="F")
    with app.app_context(), pytest.raises(DomainError) as error:
        invite_recipients(survey_id, criteria, actor_id=None)
    assert error.value.field == "mode"
    assert _invitations(app) == {}


def test_the_refusal_is_shown_beside_the_choice(app, login_as, make_survey, make_company) -> None:
    survey_id = make_survey(invitation_body_sv=BODY)
    make_company()
    official = login_as("official")
    response = post_form(
        official,
        f"/surveys/{survey_id}/recipients",
        {"mode": "all", "service_area_id": "", "sni_section": ""},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "E-posttexterna använder {visit_date}" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0
