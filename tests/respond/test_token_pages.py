"""Token links: every unusable token gets the same neutral page; opt-out works in one click."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from limits import parse
from sqlalchemy import select, update

from survey.extensions import db
from survey.models import Company, Invitation, Survey
from survey.models.base import utcnow
from survey.services.surveys.invitations import hash_token
from survey.web.respond.views import TOKEN_LIMIT
from tests.factories import post_form


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
    count, noun = re.search(r"Enkäten har (\d+) (del|delar)\.", html).groups()
    assert noun == ("del" if count == "1" else "delar")  # never "1 delar"


@pytest.mark.parametrize(
    "how", ["expired", "not_open_yet", "opted_out", "company_opted_out", "used"]
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


def test_a_link_to_a_closed_survey_says_it_closed(app, client, token) -> None:
    _break(app, token, "closed")
    for sub in ("", "/1", "/all"):
        response = client.get(f"/s/{token}{sub}")
        html = response.get_data(as_text=True)
        assert response.status_code == 410
        assert "Enkäten är stängd" in html and "Länken fungerar inte" not in html
    _break(app, token, "used")  # answered before it closed: the neutral page as before
    assert client.get(f"/s/{token}").status_code == 404


def test_guessing_tokens_from_one_address_is_refused_after_the_limit(app, client, token) -> None:
    statuses = [client.get(f"/s/guess{n}").status_code for n in range(12)]
    assert statuses[:10] == [404] * 10
    assert statuses[10:] == [429, 429]
    assert "Too many attempts" in client.get("/s/another").get_data(as_text=True)
    other = app.test_client()
    assert other.get("/s/guess", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 404
    # A company's own link from the guesser's address (one office, one NAT) still answers.
    assert app.test_client().get(f"/s/{token}").status_code == 200


def test_every_token_page_counts_guesses_against_the_one_limit(app) -> None:
    client = app.test_client()
    pages = ("", "/1", "/all", "/review", "/saved", "/thanks", "/opt-out")
    statuses = [client.get(f"/s/guess{n}{pages[n % len(pages)]}").status_code for n in range(11)]
    assert statuses[:10] == [404] * 10 and statuses[10] == 429
    assert client.post("/s/guess/opt-out").status_code == 429


def test_one_token_hammered_is_limited_alone(app, client, make_survey, make_company, invite):
    survey_id = make_survey()
    token, other = (invite(survey_id, make_company()) for _ in range(2))
    statuses = [client.get(f"/s/{token}/1").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120 and statuses[120] == 429
    assert client.get(f"/s/{other}/1").status_code == 200  # the same address, another link


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
    # A mail program's one-click POST has no session: anyone else gets the neutral page.
    assert app.test_client().get(f"/s/{token}").status_code == 404


@pytest.mark.parametrize("path", ["", "/1", "/review", "/opt-out"])
def test_the_link_tells_the_session_that_opted_out_so(app, client, token, path) -> None:
    """Opening the link again after opting out says so, and whom to contact to undo it,
    not "perhaps already answered"; only to the session that opted out."""
    client.post(f"/s/{token}/opt-out?lang=en")
    html = client.get(f"/s/{token}{path}?lang=en").get_data(as_text=True)
    assert "You have opted out" in html and "new invitation" in html
    assert "already" not in html.lower()
    assert "You have opted out" not in app.test_client().get(f"/s/{token}{path}").get_data(
        as_text=True
    )


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
    from survey.services.surveys.invitations import resend

    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        db.session.execute(update(Invitation).values(sent_at=utcnow()))
        db.session.commit()
        resend(invitation.id, invitation.survey_id, actor_id=None)
    assert client.get(f"/s/{token}").status_code == 404


ANSWER_REQUESTS = 14  # made by _answer_page_by_page: each form page is fetched, then posted


def _answer_page_by_page(client, token: str) -> list[int]:
    """Answer the whole visit follow-up one page at a time, as a browser does; the statuses."""
    answers = [{"BESOK_VART_TIDEN": "5", "BESOK_LYSSNADE": "4"}, {"HJALP_FICK": "ja"},
               {"NPS_BESOK": "9"}, {"NKI_HELHET": "5"}, {"KOMMENTAR": "Bra"}]  # fmt: skip
    statuses = [client.get(f"/s/{token}").status_code]
    for number, values in enumerate(answers, start=1):
        response = post_form(client, f"/s/{token}/{number}", {**values, "action": "next"})
        statuses.append(response.status_code)
    statuses.append(post_form(client, f"/s/{token}/review", {}).status_code)
    statuses.append(client.get(f"/s/{token}/thanks").status_code)
    return statuses


def test_many_companies_behind_one_address_answer_page_by_page_at_once(
    app, make_survey, make_company, invite
) -> None:
    """An office or a carrier's NAT: one address, many companies, each its own link; together
    they make more requests than one link may, so a per-address count would refuse some."""
    per_link = parse(TOKEN_LIMIT).amount
    count = per_link // ANSWER_REQUESTS + 1
    survey_id = make_survey()
    tokens = [invite(survey_id, make_company()) for _ in range(count)]
    for token in tokens:  # well within a minute, all from 10.20.30.40
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "10.20.30.40"
        assert _answer_page_by_page(client, token) == [200] + [302] * 6 + [200]
    with app.app_context():
        submitted = db.session.scalars(select(Invitation.submitted_at)).all()
    assert len(submitted) == count and None not in submitted
    assert count * ANSWER_REQUESTS > per_link


@pytest.mark.parametrize("how", ["expired", "closed", "opted_out", "company_opted_out", "used"])
def test_an_unusable_token_cannot_opt_out_and_gets_the_neutral_page(
    app, client, token, how
) -> None:
    unknown = client.get("/s/" + "x" * 43 + "/opt-out")
    _break(app, token, how)
    for response in (client.get(f"/s/{token}/opt-out"), client.post(f"/s/{token}/opt-out")):
        assert response.status_code == unknown.status_code == 404
        assert response.get_data() == unknown.get_data()
    if how in ("expired", "closed", "used"):
        with app.app_context():
            invitation = db.session.scalar(select(Invitation))
            assert invitation.opted_out_at is None
            assert db.session.get(Company, invitation.company_id).opted_out is False
