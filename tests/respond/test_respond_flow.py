"""A company answers through its link: pages, drafts, validation, review, exactly-once submit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select

from survey.extensions import db
from survey.models import Answer, Invitation, Response
from survey.models.base import utcnow
from tests.factories import post_form


def _page(client, token, n, data, action="next"):
    url = f"/s/{token}/{n}"
    return post_form(client, url, {**data, "action": action})


def _stored(app) -> list[Response]:
    with app.app_context():
        return list(db.session.scalars(select(Response)))


def test_answer_save_come_back_review_and_submit_once(app, client, token) -> None:
    intro = client.get(f"/s/{token}")
    assert "Del" not in intro.get_data(as_text=True) or intro.status_code == 200
    first = client.get(f"/s/{token}/1").get_data(as_text=True)
    assert "Del 1 av 5" in first

    # Required answer missing: error beside the field, the other value kept.
    response = _page(client, token, 1, {"BESOK_LYSSNADE": "4"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="BESOK_VART_TIDEN-error"' in html and 'href="#BESOK_VART_TIDEN"' in html
    assert re.search(r'value="4"[^>]*checked|checked[^>]*value="4"', html)

    response = _page(client, token, 1, {"BESOK_VART_TIDEN": "5", "BESOK_LYSSNADE": "4"})
    assert response.headers["Location"].endswith(f"/s/{token}/2")
    response = _page(client, token, 2, {"HJALP_FICK": "nej", "HJALP_SAKNAS": "Ett svar"}, "save")
    assert response.headers["Location"].endswith(f"/s/{token}/saved")

    # A new browser opens the link again and continues on page 2 with the draft restored.
    later = app.test_client()
    response = later.get(f"/s/{token}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/s/{token}/2")
    html = later.get(f"/s/{token}/2").get_data(as_text=True)
    assert "Ett svar" in html and "Del 2 av 5" in html
    _page(later, token, 2, {"HJALP_FICK": "nej", "HJALP_SAKNAS": "Ett svar"})
    _page(later, token, 3, {"NPS_BESOK": "9"})
    _page(later, token, 4, {"NKI_HELHET": "8"})
    response = _page(later, token, 5, {"KOMMENTAR": "Bra besök <b>tack</b>"})
    assert response.headers["Location"].endswith(f"/s/{token}/review")

    review = later.get(f"/s/{token}/review").get_data(as_text=True)
    assert "Ett svar" in review and "&lt;b&gt;tack&lt;/b&gt;" in review
    assert f'href="/s/{token}/2"' in review
    response = post_form(later, f"/s/{token}/review", {})
    assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    assert (responses := _stored(app)) and len(responses) == 1
    assert "Tack" in later.get(f"/s/{token}/thanks").get_data(as_text=True)

    # Going back to the review page from the same browser: polite, nothing stored twice.
    again = later.get(f"/s/{token}/review")
    assert again.status_code == 200 and "redan besvarats" in again.get_data(as_text=True)
    assert len(_stored(app)) == 1
    # The first browser, which did not submit, sees only the neutral page.
    assert client.get(f"/s/{token}").status_code == 404
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.draft is None and invitation.submitted_at is not None
        assert invitation.opened_at and invitation.started_at
        response_row = db.session.scalar(select(Response))
        assert response_row.invitation_id == invitation.id
        assert response_row.company_id == invitation.company_id
        count = db.session.scalar(select(func.count(Answer.response_id)))
        assert count >= 6


def test_show_if_hidden_answers_are_not_kept(app, client, token) -> None:
    _page(client, token, 1, {"BESOK_VART_TIDEN": "5"})
    _page(client, token, 2, {"HJALP_FICK": "ja", "HJALP_SAKNAS": "dolt svar"})
    with app.app_context():
        draft = db.session.scalar(select(Invitation.draft))
    assert draft.get("HJALP_FICK") == "ja" and "HJALP_SAKNAS" not in draft


def test_english_by_link(client, token) -> None:
    html = client.get(f"/s/{token}/1?lang=en").get_data(as_text=True)
    assert 'lang="en"' in html and "Part 1 of 5" in html
    assert "Was the visit worth the time" in html


def test_submitting_with_a_required_answer_missing_points_to_its_page(app, client, token) -> None:
    response = post_form(client, f"/s/{token}/review", {})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="/s/{token}/1"' in html and "error-summary" in html
    assert _stored(app) == []


def test_anonymous_survey_keeps_no_link_to_company_or_invitation(
    app, make_survey, make_company, invite
) -> None:
    token = invite(make_survey(anonymous=True), make_company())
    client = app.test_client()
    _page(client, token, 1, {"BESOK_VART_TIDEN": "3"})
    response = post_form(client, f"/s/{token}/review", {})
    assert response.status_code == 302
    (stored,) = _stored(app)
    assert stored.invitation_id is None and stored.company_id is None
    assert stored.visit_id is None and stored.sni_section is None
    assert (stored.submitted_at.hour, stored.submitted_at.minute) == (0, 0)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert stored.submitted_at.date() == invitation.survey.opens_on  # the survey's date
        for moment in (invitation.opened_at, invitation.started_at, invitation.submitted_at):
            assert (moment.hour, moment.minute, moment.second) == (0, 0, 0)


@pytest.mark.postgres  # SQLite has no session time zone
def test_draft_times_are_utc_whatever_the_database_sessions_time_zone(
    app, backend, client, token
) -> None:
    with app.app_context():
        engine = db.engine
        engine.dispose()  # the next connections take the zone below

    def far_zone(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.execute("SET TIME ZONE 'America/New_York'")
        dbapi_connection.commit()

    event.listen(engine, "connect", far_zone)
    try:
        before = utcnow()
        _page(client, token, 1, {"BESOK_VART_TIDEN": "4"}, action="save")
        after = utcnow()
    finally:
        event.remove(engine, "connect", far_zone)
        engine.dispose()
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
    assert before <= invitation.started_at <= after
    assert invitation.opened_at is not None and invitation.opened_at <= after
