"""Token links: every unusable token gets the same neutral page; opt-out works in one click."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from survey.extensions import db
from survey.models import Company, Invitation, Survey
from survey.models.base import utcnow
from survey.services.invitations import hash_token


def _neutral(client, token: str):
    return client.get(f"/s/{token}")


def _break(app, token: str, how: str) -> None:
    with app.app_context():
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.token_hash == hash_token(token))
        )
        if how == "expired":
            invitation.expires_at = utcnow() - timedelta(seconds=1)
        elif how == "closed":
            survey = db.session.get(Survey, invitation.survey_id)
            survey.opens_on = date.today() - timedelta(days=10)
            survey.closes_on = date.today() - timedelta(days=1)
        elif how == "not_open_yet":
            survey = db.session.get(Survey, invitation.survey_id)
            survey.opens_on = date.today() + timedelta(days=2)
            survey.closes_on = date.today() + timedelta(days=9)
        elif how == "opted_out":
            invitation.opted_out_at = utcnow()
        elif how == "company_opted_out":
            db.session.get(Company, invitation.company_id).opted_out = True
        elif how == "used":
            invitation.submitted_at = utcnow()
        db.session.commit()


def test_a_valid_token_opens_the_intro_page(client, token) -> None:
    response = client.get(f"/s/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vad tyckte ni om vårt besök?" in html
    assert 'lang="sv"' in html


@pytest.mark.parametrize(
    "how", ["expired", "closed", "not_open_yet", "opted_out", "company_opted_out", "used"]
)
def test_unusable_tokens_get_the_same_neutral_page(app, client, token, how) -> None:
    unknown = _neutral(client, "x" * 43)
    _break(app, token, how)
    response = _neutral(client, token)
    assert response.status_code == unknown.status_code == 404
    assert response.get_data() == unknown.get_data()
    html = response.get_data(as_text=True)
    assert "Länken fungerar inte" in html and "This link is not valid" in html
    assert app.config["SURVEY_CONTACT_EMAIL"] in html
    for sub in ("1", "review", "thanks"):
        assert client.get(f"/s/{token}/{sub}").get_data() == unknown.get_data()


def test_token_routes_are_rate_limited_per_address(app, client) -> None:
    statuses = [client.get(f"/s/guess{n}").status_code for n in range(65)]
    assert statuses[:60] == [404] * 60
    assert statuses[-1] == 429
    assert "Too many attempts" in client.get("/s/another").get_data(as_text=True)
    other = app.test_client()
    assert other.get("/s/guess", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 404


def test_every_token_page_counts_against_the_one_limit(app) -> None:
    client = app.test_client()
    pages = ("", "/1", "/all", "/review", "/saved", "/thanks", "/opt-out")
    statuses = [client.get(f"/s/guess{n}{pages[n % len(pages)]}").status_code for n in range(61)]
    assert statuses[:60] == [404] * 60 and statuses[60] == 429


def test_one_click_opt_out_needs_no_login_or_csrf(app, client, token) -> None:
    page = client.get(f"/s/{token}/opt-out")
    assert page.status_code == 200
    assert 'method="post"' in page.get_data(as_text=True)
    response = client.post(f"/s/{token}/opt-out", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.opted_out_at is not None
        assert db.session.get(Company, invitation.company_id).opted_out is True
    assert client.get(f"/s/{token}").status_code == 404


def test_opt_out_of_an_unknown_token_is_the_neutral_page(client) -> None:
    response = client.post("/s/" + "y" * 43 + "/opt-out")
    assert response.status_code == 404
    assert "This link is not valid" in response.get_data(as_text=True)


def test_opt_out_cancels_queued_mail(app, client, token) -> None:
    from survey.models import OutboxMessage

    client.post(f"/s/{token}/opt-out")
    with app.app_context():
        statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert statuses == ["cancelled"]


def test_resent_invitation_makes_the_old_link_stop_working(app, client, token) -> None:
    from survey.services.invitations import resend

    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        db.session.execute(update(Invitation).values(sent_at=utcnow()))
        db.session.commit()
        resend(invitation.id, invitation.survey_id, actor_id=None)
    assert client.get(f"/s/{token}").status_code == 404
