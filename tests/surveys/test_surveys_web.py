"""Officials create surveys, choose recipients and follow up through the web pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Invitation, OutboxMessage, Survey
from tests.factories import post_form
from tests.mail.conftest import anonymous_version


def _form(battery_version_id: int, **overrides) -> dict:
    today = date.today()
    values = {
        "name": "Våren 2026",
        "battery_version_id": str(battery_version_id),
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "reminder_days": "7, 14",
        "sender_name": "Näringslivsenheten",
        "reply_to": "svar@kommun.example.se",
        "invitation_subject_sv": "Vad tyckte {company}?",
        "invitation_body_sv": "Hej! Svara här: {link} senast {close_date}.",
        "service_area_id": "",
    }
    values.update(overrides)
    return values


def test_official_creates_a_survey_and_invites_recipients(
    app, login_as, battery_version_id, make_company
) -> None:
    make_company("Med e-post AB")
    make_company("Utan e-post AB", email=None)
    make_company("Avregistrerad AB", opted_out=True)
    official = login_as("official")
    response = post_form(official, "/surveys/new", _form(battery_version_id))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        survey = db.session.scalar(select(Survey))
        assert survey.reminder_days == [7, 14]
    url = f"/surveys/{survey.id}/recipients"
    rule = {"mode": "all", "service_area_id": "", "sni_section": ""}
    preview = post_form(official, url, rule)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "1 företag bjuds in." in html and "2 företag undantas." in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0
    confirm = post_form(official, f"{url}/confirm", rule, form_url=url)
    assert confirm.status_code == 302
    post_form(official, f"{url}/confirm", rule, form_url=url)
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 1
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    page = official.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "Med e-post AB" in page and "Köad" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("invitation_body_sv", "Hej {foretag}!", "{foretag}"),
        ("invitation_subject_sv", "Hej {company", "Okänd platshållare"),
        ("reminder_days", "7, sju", "hela dagar"),
        ("closes_on", (date.today() - timedelta(days=5)).isoformat(), "stänga före"),
    ],
)
def test_bad_survey_input_is_shown_beside_the_field(
    login_as, battery_version_id, field, value, message
) -> None:
    official = login_as("official")
    response = post_form(official, "/surveys/new", _form(battery_version_id, **{field: value}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in html and message in html
    assert 'value="Våren 2026"' in html


def test_analysts_read_but_cannot_create(login_as) -> None:
    analyst = login_as("analyst")
    assert analyst.get("/surveys/").status_code == 200
    assert analyst.get("/surveys/new").status_code == 403
    assert analyst.get("/outbox/").status_code == 403


def test_follow_up_remind_and_resend_one_company(
    app, login_as, make_survey, make_company, invite
) -> None:
    survey_id = make_survey()
    old_token = invite(survey_id, make_company("Påminnd AB"))
    official = login_as("official")
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    base = f"/surveys/{survey_id}/invitations/{invitation_id}"
    response = post_form(official, f"{base}/remind", {}, form_url=f"/surveys/{survey_id}")
    assert response.status_code == 302
    post_form(official, f"{base}/resend", {}, form_url=f"/surveys/{survey_id}")
    with app.app_context():
        kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["invitation", "reminder", "invitation"]
    assert app.test_client().get(f"/s/{old_token}").status_code == 404


def test_outbox_page_shows_messages_with_their_links_withheld(
    app, runner, login_as, make_survey, make_company, invite
) -> None:
    app.config["SMTP_HOST"] = ""
    token = invite(make_survey(), make_company("Länk & Co"))
    runner.invoke(args=["mail", "send"])
    official = login_as("official")
    page = official.get("/outbox/").get_data(as_text=True)
    assert "Länk &amp; Co" in page or "Vad tyckte" in page
    with app.app_context():
        message_id = db.session.scalar(select(OutboxMessage.id))
    html = official.get(f"/outbox/{message_id}").get_data(as_text=True)
    assert token not in html and 'href="http://127.0.0.1:5000/s/' not in html
    assert "http://127.0.0.1:5000/s/••••••••" in html


@pytest.mark.postgres
def test_an_id_beyond_the_integer_range_in_a_form_is_an_error_beside_the_field(
    app, login_as, battery_version_id, backend
) -> None:
    official = login_as("official")
    huge = "99999999999"
    response = post_form(official, "/surveys/new", _form(battery_version_id, service_area_id=huge))
    assert response.status_code == 200
    assert 'id="service_area_id-error"' in response.get_data(as_text=True)
    response = post_form(official, "/surveys/new", _form(battery_version_id))
    url = response.headers["Location"]
    assert url.endswith("/recipients")
    response = post_form(official, url, {"mode": "area", "service_area_id": huge})
    assert response.status_code == 200
    assert 'id="service_area_id-error"' in response.get_data(as_text=True)
    assert official.get(f"/visits/?official={huge}&area={huge}").status_code == 200


def test_anonymity_cannot_change_once_companies_are_invited(
    app, login_as, battery_version_id, make_survey, make_company, invite
) -> None:
    survey_id = make_survey(anonymous=True)
    version_id = anonymous_version(app)  # no contact request: it may be anonymous
    official = login_as("official")
    url = f"/surveys/{survey_id}/edit"
    before = post_form(official, url, _form(version_id))  # not anonymous, no one invited
    assert before.status_code == 302
    post_form(official, url, _form(version_id, anonymous="y"))
    invite(survey_id, make_company())
    page = post_form(official, url, _form(version_id)).get_data(as_text=True)
    assert 'id="anonymous-error"' in page and "anonym kan inte ändras" in page
    with app.app_context():
        assert db.session.get(Survey, survey_id).anonymous is True
