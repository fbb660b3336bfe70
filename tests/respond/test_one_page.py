"""All questions on one page (/s/<token>/all): one POST validates every part and submits once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from survey.extensions import db
from survey.models import Answer, Invitation, Question, Response
from tests.factories import csrf_token, post_form

ANSWERS = {
    "BESOK_VART_TIDEN": "5",
    "BESOK_LYSSNADE": "4",
    "HJALP_FICK": "ja",
    "HJALP_VIDARE": "natverk",
    "NPS_BESOK": "8",
    "NKI_HELHET": "5",
    "NKI_FORVANTAN": "4",
    "NKI_IDEAL": "4",
    "KOMMENTAR": "Bra besök <b>tack</b>",
}


def _post(client, token: str, data: dict, action: str = "submit"):
    return post_form(client, f"/s/{token}/all", {**data, "action": action})


def _invitation(app) -> Invitation:
    with app.app_context():
        return db.session.scalar(select(Invitation))


def _stored_answers(app) -> dict[str, str | float | None]:
    with app.app_context():
        rows = db.session.execute(
            select(Question.key, Answer.value_number, Answer.value_text).join(Answer.question)
        )
        return {key: number if number is not None else text for key, number, text in rows}


def test_intro_and_section_pages_link_to_the_one_page_form(client, token) -> None:
    for path in (f"/s/{token}", f"/s/{token}/1"):
        html = client.get(path).get_data(as_text=True)
        assert f'href="/s/{token}/all"' in html and "Visa alla frågor på en sida" in html


def test_one_page_shows_every_part_and_marks_the_link_opened(app, client, token) -> None:
    response = client.get(f"/s/{token}/all")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Alla frågor</h1>" in html
    headings = re.findall(r'<h2 id="section-(\w+)">', html)
    assert headings == ["besoket", "hjalp", "rekommendation", "helhet", "synpunkter"]
    assert 'name="BESOK_VART_TIDEN"' in html and 'name="KOMMENTAR"' in html
    # A question that depends on an earlier answer is there, marked for showif.js.
    assert 'data-show-if="HJALP_FICK"' in html
    assert _invitation(app).opened_at is not None


@pytest.mark.parametrize("csrf", [None, "forged-token"])
def test_one_page_post_without_the_pages_csrf_token_stores_nothing(
    app, client, token, csrf
) -> None:
    client.get(f"/s/{token}/all")  # a session, but not this token
    data = {**ANSWERS, "action": "submit"} | ({} if csrf is None else {"csrf_token": csrf})
    response = client.post(f"/s/{token}/all", data=data)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Response.id)) is None
    assert _invitation(app).submitted_at is None


def test_one_post_submits_everything_once(app, client, token) -> None:
    csrf = csrf_token(client, f"/s/{token}/all")
    data = {**ANSWERS, "HJALP_SAKNAS": "dolt svar", "csrf_token": csrf, "action": "submit"}
    response = client.post(f"/s/{token}/all", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    assert "Tack" in client.get(f"/s/{token}/thanks").get_data(as_text=True)
    stored = _stored_answers(app)
    assert stored["BESOK_VART_TIDEN"] == 5.0 and stored["HJALP_VIDARE"] == "natverk"
    assert stored["KOMMENTAR"] == "Bra besök <b>tack</b>"
    assert "HJALP_SAKNAS" not in stored  # hidden by HJALP_FICK = ja, so not kept
    invitation = _invitation(app)
    assert invitation.submitted_at is not None and invitation.draft is None
    with app.app_context():
        (response_row,) = db.session.scalars(select(Response))
        assert response_row.invitation_id == invitation.id
        assert response_row.collection_mode == "web" and response_row.language == "sv"

    # Posting again from the same browser: polite, nothing stored twice.
    again = client.post(f"/s/{token}/all", data=data)
    assert again.status_code == 200 and "redan besvarats" in again.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Response)).all()) == 1


def test_errors_are_shown_beside_the_fields_and_the_valid_answers_kept(app, client, token) -> None:
    data = {**ANSWERS, "BESOK_VART_TIDEN": "", "NPS_BESOK": "12"}
    response = _post(client, token, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="#BESOK_VART_TIDEN"' in html and 'href="#NPS_BESOK"' in html
    assert 'id="BESOK_VART_TIDEN-error"' in html and 'id="NPS_BESOK-error"' in html
    assert re.search(r'checked[^>]*name="BESOK_LYSSNADE"[^>]*value="4"', html)
    assert "Bra besök &lt;b&gt;tack&lt;/b&gt;" in html
    invitation = _invitation(app)
    assert invitation.submitted_at is None
    assert invitation.draft["BESOK_LYSSNADE"] == 4 and "NPS_BESOK" not in invitation.draft
    assert _stored_answers(app) == {}


def test_a_wrong_value_for_a_hidden_question_does_not_stop_the_submission(
    app, client, token
) -> None:
    # HJALP_SAKNAS is shown only when HJALP_FICK is "delvis" or "nej": here it is hidden, so
    # the forms skip it, whatever a stale browser posted for it.
    data = {**ANSWERS, "HJALP_SAKNAS": "x" * 5000, "HJALP_KONTAKT": "kanske"}
    response = _post(client, token, data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    stored = _stored_answers(app)
    assert stored["NKI_HELHET"] == 5.0 and stored["HJALP_VIDARE"] == "natverk"
    assert "HJALP_SAKNAS" not in stored and "HJALP_KONTAKT" not in stored


def test_every_checked_box_and_a_radio_groups_first_value_are_read_as_the_fields_read_them(
    app, client, token
) -> None:
    csrf = csrf_token(client, f"/s/{token}/all")
    data = [(k, v) for k, v in ANSWERS.items() if k not in ("HJALP_FICK", "HJALP_VIDARE")]
    data += [("HJALP_FICK", "nej"), ("HJALP_FICK", "ja"), ("HJALP_VIDARE", "natverk")]
    data += [("HJALP_VIDARE", "kontakt_handlaggare"), ("csrf_token", csrf), ("action", "submit")]
    response = client.post(f"/s/{token}/all", data=MultiDict(data))
    assert response.status_code == 302
    stored = _stored_answers(app)
    assert stored["HJALP_FICK"] == "nej"
    assert stored["HJALP_VIDARE"] == "kontakt_handlaggare natverk"  # in the options' order


def test_save_keeps_a_draft_that_the_one_page_form_shows_again(app, client, token) -> None:
    response = _post(client, token, {"NKI_HELHET": "3"}, action="save")
    assert response.headers["Location"].endswith(f"/s/{token}/saved")
    assert _invitation(app).draft == {"NKI_HELHET": 3}
    later = app.test_client()
    html = later.get(f"/s/{token}/all").get_data(as_text=True)
    assert re.search(r'checked[^>]*name="NKI_HELHET"[^>]*value="3"', html)
    assert _stored_answers(app) == {}


def test_a_draft_from_the_paged_flow_fills_the_one_page_form(client, token) -> None:
    post_form(client, f"/s/{token}/1", {"BESOK_VART_TIDEN": "2", "action": "next"})
    html = client.get(f"/s/{token}/all").get_data(as_text=True)
    assert re.search(r'checked[^>]*name="BESOK_VART_TIDEN"[^>]*value="2"', html)


def test_english(client, token) -> None:
    html = client.get(f"/s/{token}/all?lang=en").get_data(as_text=True)
    assert 'lang="en"' in html and "<h1>All questions</h1>" in html
    assert "Was the visit worth the time" in html and "Submit answers" in html


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_unknown_tokens_get_the_neutral_page(client, token, method: str) -> None:
    data = {"action": "submit", "csrf_token": csrf_token(client, f"/s/{token}/all")}
    response = client.open("/s/" + "x" * 43 + "/all", method=method, data=data)
    assert response.status_code == 404
    assert response.get_data() == client.get("/s/" + "x" * 43).get_data()


def test_anonymous_survey_keeps_no_link(app, make_survey, make_company, invite) -> None:
    token = invite(make_survey(anonymous=True), make_company())
    client = app.test_client()
    assert _post(client, token, ANSWERS).status_code == 302
    with app.app_context():
        (stored,) = db.session.scalars(select(Response))
        assert stored.invitation_id is None and stored.company_id is None
        assert (stored.submitted_at.hour, stored.submitted_at.minute) == (0, 0)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_kept_blank_questionnaire_is_what_the_forms_render(app, token, language) -> None:
    """A first visit gets the blank questionnaire's HTML rendered once; it must not differ."""
    from flask import get_template_attribute

    from survey.forms import build_all_section_forms
    from survey.services.respondents import respond
    from survey.web.respond.flow import Flow

    with app.test_request_context(f"/s/{token}/all?lang={language}"):
        flow = Flow.of(respond.resolve(token))
        kept = flow.blank_questionnaire(language=language)
        assert flow.blank_questionnaire(language=language) is kept
        sections = get_template_attribute("questionnaire/_form.html", "questionnaire_sections")
        fresh = sections(build_all_section_forms(flow.definition, language=language))
    assert str(kept) == str(fresh)
    assert ("Was the visit worth" in kept) == (language == "en")
