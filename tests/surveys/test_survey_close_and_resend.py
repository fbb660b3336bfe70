"""Irreversible survey actions ask first: resending (the old link dies) and closing now (no one
can answer after it; a company with the link is told the survey closed)."""

from __future__ import annotations

from sqlalchemy import select

from survey.extensions import db
from survey.models import Invitation, OutboxMessage, Survey
from survey.services.surveys.invitations import local_today
from tests.factories import delivered_mail, post_form


def test_resend_asks_first_and_says_the_old_link_stops_working(
    app, client, login_as, make_survey, make_company, invite
) -> None:
    survey_id = make_survey()
    old_token = invite(survey_id, make_company("Länkbyte AB"))
    official = login_as("official")
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    show = official.get(f"/surveys/{survey_id}").get_data(as_text=True)
    confirm_url = f"/surveys/{survey_id}/invitations/{invitation_id}/resend"
    assert f'href="{confirm_url}"' in show
    page = official.get(confirm_url).get_data(as_text=True)
    assert "Skicka inbjudan till Länkbyte AB igen?" in page
    assert "Den gamla länken slutar fungera direkt" in page
    assert client.get(f"/s/{old_token}").status_code == 200  # asking changed nothing
    response = post_form(official, confirm_url, {})
    assert response.status_code == 302
    assert client.get(f"/s/{old_token}").status_code == 404


def test_close_now_asks_first_then_ends_answering(
    app, client, login_as, make_survey, make_company, invite
) -> None:
    survey_id = make_survey()
    token = invite(survey_id, make_company("Sen AB"))
    official = login_as("official")
    close_url = f"/surveys/{survey_id}/close"
    assert f'href="{close_url}"' in official.get(f"/surveys/{survey_id}").get_data(as_text=True)
    page = official.get(close_url).get_data(as_text=True)
    assert "Stänga enkäten nu?" in page and "Ingen kan svara efter detta" in page
    assert client.get(f"/s/{token}").status_code == 200  # asking changed nothing

    response = post_form(official, close_url, {})
    assert response.status_code == 302
    show = official.get(f"/surveys/{survey_id}").get_data(as_text=True)
    assert "Enkäten är stängd. Företag som öppnar sin länk får veta det." in show
    assert f'href="{close_url}"' not in show and "Stängd" in show
    assert f'href="/surveys/{survey_id}/recipients"' not in show
    assert "Skicka påminnelse nu" not in show and "Skicka inbjudan igen" not in show
    late = make_company("Sen anmälan AB")
    choose = f"/surveys/{survey_id}/recipients"
    refused = post_form(official, f"{choose}/confirm", {"company_ids": str(late)}, form_url=choose)
    assert "Enkäten har stängt." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Invitation.id).filter_by(company_id=late)) is None
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        assert survey.closes_on < local_today() and survey.opens_on <= survey.closes_on
    closed = client.get(f"/s/{token}")
    assert closed.status_code == 410 and "Enkäten är stängd" in closed.get_data(as_text=True)
    assert delivered_mail(app) == []  # the invitation still queued is not sent
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) == "cancelled"
    again = post_form(official, close_url, {}, form_url=f"/surveys/{survey_id}")
    assert "Enkäten är redan stängd." in official.get(again.headers["Location"]).get_data(
        as_text=True
    )
