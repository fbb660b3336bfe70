"""A submitted "yes" to a contact request makes one follow-up with only what the company wrote;
an anonymous survey cannot ask for contact."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import FollowUp, Response, Survey
from survey.services.errors import DomainError
from survey.services.followups.followups import due_date
from survey.services.surveys import recipients, surveys
from tests.factories import csrf_token, post_form
from tests.mail.conftest import survey_input

RATINGS = {
    "BESOK_VART_TIDEN": "2",
    "BESOK_LYSSNADE": "3",
    "NKI_HELHET": "2",
    "NKI_FORVANTAN": "1",
    "KOMMENTAR": "Alldeles för långsam handläggning",
}
CONTACT = {
    "HJALP_FICK": "nej",
    "HJALP_SAKNAS": "Hjälp med lokaler",
    "HJALP_KONTAKT": "yes",
    "KONTAKT_TELEFON": " 070-123 45 67 ",
    "KONTAKT_EPOST": "vd@snickeriet.example.se",
}


def _submit(client, token: str, answers: dict[str, str]):  # noqa: ANN001, ANN202
    return post_form(client, f"/s/{token}/all", {**answers, "action": "submit"})


def _followups(app) -> list[FollowUp]:  # noqa: ANN001
    with app.app_context():
        return list(db.session.scalars(select(FollowUp)))


def test_a_yes_makes_one_followup_with_only_what_the_company_wrote_for_it(
    app, client, make_survey, make_company, invite
) -> None:
    company_id = make_company("Snickeriet AB")
    token = invite(make_survey(), company_id)
    form = {**RATINGS, **CONTACT, "action": "submit"}
    form["csrf_token"] = csrf_token(client, f"/s/{token}/all")
    response = client.post(f"/s/{token}/all", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    again = client.post(f"/s/{token}/all", data=form)  # the same form sent twice
    assert "/thanks" not in again.headers.get("Location", "")

    (followup,) = _followups(app)
    with app.app_context():
        response_id = db.session.scalar(select(Response.id))
        assert followup.response_id == response_id and followup.company_id == company_id
        assert followup.survey_id == db.session.scalar(select(Survey.id))
        assert followup.due_on == due_date()
    assert (followup.source, followup.status, followup.owner_id) == ("contact_request", "new", None)
    assert followup.topic == "Hjälp med lokaler"
    assert followup.contact_phone == "070-123 45 67"
    assert followup.contact_email == "vd@snickeriet.example.se"
    assert followup.closing_note == ""
    # The follow-up's page shows what the company wrote for the request, not its ratings.
    official = _official(app)
    page = official.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert "Hjälp med lokaler" in page and "070-123 45 67" in page
    assert "Alldeles för långsam handläggning" not in page
    assert "Var besöket värt" not in page and "sammantaget" not in page


def _official(app):  # noqa: ANN001, ANN202
    from survey.services.accounts import accounts
    from tests.factories import PASSWORD, login

    client = app.test_client()
    with app.app_context():
        user = accounts.create_user(
            "handl@kommun.example.se", "Karin Berg", "official", PASSWORD, actor_id=None
        )
    login(client, user)
    return client


@pytest.mark.parametrize(
    "answers",
    [
        {**CONTACT, "HJALP_KONTAKT": "no"},  # no contact wanted
        {**CONTACT, "HJALP_FICK": "ja"},  # the request was hidden, so not asked
        {},  # not answered
    ],
    ids=["no", "hidden", "unanswered"],
)
def test_no_followup_without_a_shown_yes(
    app, client, make_survey, make_company, invite, answers
) -> None:
    token = invite(make_survey(), make_company())
    response = _submit(client, token, {**RATINGS, **answers})
    assert response.headers["Location"].endswith("/thanks")
    assert _followups(app) == []


def test_an_anonymous_survey_of_a_battery_with_a_contact_request_is_refused(
    app, battery_version_id
) -> None:
    with app.app_context():
        with pytest.raises(DomainError) as refused:
            surveys.create_survey(survey_input(battery_version_id, anonymous=True), actor_id=None)
        assert refused.value.field == "anonymous"
        assert "anonym enkät kan inte fråga om företaget vill bli kontaktat" in (
            refused.value.message
        )
        assert db.session.scalar(select(func.count(Survey.id))) == 0


def test_the_survey_form_shows_the_refusal_beside_the_anonymous_field(
    app, login_as, battery_version_id
) -> None:
    from tests.surveys.test_surveys_web import _form

    official = login_as("official")
    response = post_form(official, "/surveys/new", _form(battery_version_id, anonymous="y"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="anonymous-error"' in page and "kontaktat" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Survey.id))) == 0


def test_inviting_to_a_survey_made_anonymous_behind_the_forms_back_is_refused(
    app, make_survey, make_company
) -> None:
    survey_id = make_survey()
    make_company()
    with app.app_context():
        db.session.get(Survey, survey_id).anonymous = True  # as an old database might hold
        db.session.commit()
        with pytest.raises(DomainError, match="kontaktat"):
            recipients.preview(survey_id, recipients.RecipientFilter())
        with pytest.raises(DomainError, match="kontaktat"):
            recipients.invite_recipients(survey_id, recipients.RecipientFilter(), actor_id=None)


def test_what_a_company_wrote_for_its_contact_request_leaves_the_anonymous_comments(
    app, make_survey, make_company, invite
) -> None:
    """With its follow-up it names the company; a company that did not ask keeps it a comment."""
    from survey.services.statistics.answers import comments
    from survey.services.statistics.filters import Filters

    survey_id = make_survey()
    asked = {**RATINGS, **CONTACT, "HJALP_SAKNAS": "Fråga med namn"}
    quiet = {**RATINGS, **CONTACT, "HJALP_SAKNAS": "Anonym synpunkt", "HJALP_KONTAKT": "no"}
    for answers in (asked, quiet):
        _submit(app.test_client(), invite(survey_id, make_company()), answers)
    with app.app_context():
        page = comments(Filters(battery="uppfoljning-foretagsbesok"), min_n=1)
    texts = sorted(item.text for item in page.items)
    assert texts == sorted(["Anonym synpunkt", *[RATINGS["KOMMENTAR"]] * 2])


def test_the_builder_carries_the_contact_request_and_refuses_it_on_a_scale(app, login_as) -> None:
    """The shipped NKI battery's contact section built question by question in the builder is
    exactly the file's; a scale question marked as the request gets the error beside it."""
    import dataclasses

    from survey.services.batteries import batteries
    from tests.batteries.helpers import build, question_data
    from tests.factories import shipped_battery

    official = login_as("official")
    shipped = shipped_battery("nki-myndighetsutovning")
    nki = dataclasses.replace(shipped, key="kontakt", sections=shipped.sections[-1:])
    build(official, nki)
    with app.app_context():
        draft = batteries.get_version(nki.key, 1)
        assert batteries.definition_of(draft).contact_questions() == nki.contact_questions()
        section_id = draft.sections[0].id
    data = question_data(shipped.question("NKI_HELHET")) | {"key": "NY", "contact": "request"}
    url = f"/batteries/{nki.key}/versions/1/sections/{section_id}/questions/new"
    page = post_form(official, url, data).get_data(as_text=True)
    assert 'id="contact-error"' in page and "måste vara en ja/nej-fråga" in page
