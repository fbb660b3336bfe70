"""A company asks to be contacted in the follow-up survey; an official follows it up to the end.

The company answers on its phone through its personal link (the invitation is set up as the
survey's mail would bring it) and says yes to being contacted, with a phone number. The
official sees the follow-up in the list, assigns it to herself, marks the company contacted
and closes it with a note; the company's page shows it. Nothing of the response but what the
company wrote for its contact request reaches the follow-up: the ratings' questions and the
comment appear on none of the official's pages.
"""

from __future__ import annotations

from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, FollowUp
from tests.mail.conftest import invite, make_company, survey_input  # noqa: F401  (fixtures)

COMPANY = "Sjöhaga Snickeri AB"
ABOUT = "Vi behöver hjälp att hitta en större lokal."
PHONE = "070-123 45 67"
COMMENT = "Handläggningen tog alldeles för lång tid."
# Texts of the response that must never reach the follow-up (ratings' questions, a comment).
CONFIDENTIAL = (COMMENT, "Var besöket värt den tid", "Hur nöjda är ni sammantaget")


def _set_up(app, shipped, make_company, invite) -> str:  # noqa: ANN001, F811
    from survey.services.batteries import batteries
    from survey.services.surveys import surveys

    shipped("uppfoljning-foretagsbesok")
    with app.app_context():
        version = batteries.get_version("uppfoljning-foretagsbesok").id
        survey_id = surveys.create_survey(survey_input(version), actor_id=None).id
    return invite(survey_id, make_company(COMPANY))


def _answer_on_phone(journey, token: str) -> None:  # noqa: ANN001
    page = journey.page
    journey.start(f"/s/{token}")
    journey.check()
    page.get_by_role("link", name="Visa alla frågor på en sida").click()
    page.get_by_role("heading", name="Alla frågor", level=1).wait_for()
    journey.check()
    page.get_by_role("group", name="Var besöket värt den tid").get_by_label("2", exact=True).check()
    help_group = page.get_by_role("group", name="Har ni fått den hjälp")
    help_group.get_by_label("Nej", exact=True).check()
    page.get_by_label("Vad saknade ni?").fill(ABOUT)
    contact = page.get_by_role("group", name="Vill ni att vi kontaktar er igen")
    contact.get_by_label("Ja", exact=True).check()
    journey.see("Inget annat av era svar följer med.")
    page.get_by_label("Telefonnummer vi kan nå er på").fill(PHONE)
    overall = page.get_by_role("group", name="Hur nöjda är ni sammantaget")
    overall.get_by_label("2", exact=True).check()
    page.get_by_label("Har ni fler synpunkter").fill(COMMENT)
    journey.check("answered")
    page.get_by_role("button", name="Skicka in svaren").click()
    page.get_by_role("heading", name="Tack för era svar!").wait_for()
    journey.check()


def _nothing_confidential(journey) -> None:  # noqa: ANN001
    text = journey.page.locator("main").inner_text()
    for secret in CONFIDENTIAL:
        assert secret not in text, secret


def test_company_asks_to_be_contacted(
    app,  # noqa: ANN001
    phone_journey,  # noqa: ANN001
    desk,  # noqa: ANN001
    person,  # noqa: ANN001
    shipped,  # noqa: ANN001
    make_company,  # noqa: ANN001, F811
    invite,  # noqa: ANN001, F811
) -> None:
    official = person("official", "Karin Berg")
    token = _set_up(app, shipped, make_company, invite)
    _answer_on_phone(phone_journey, token)

    journey = desk()
    page = journey.page
    journey.log_in(official)
    page.get_by_role("link", name="Uppföljningar").click()
    page.get_by_role("heading", name="Uppföljningar", level=1).wait_for()
    journey.check()
    journey.see("Antal uppföljningar: 1")
    page.get_by_role("link", name=COMPANY).click()
    page.get_by_role("heading", name=f"Uppföljning: {COMPANY}").wait_for()
    journey.check()
    journey.see(ABOUT)
    journey.see(PHONE)
    journey.see("Kontaktförfrågan i en enkät")
    _nothing_confidential(journey)

    page.get_by_label("Ansvarig").select_option(label="Karin Berg")
    page.get_by_role("button", name="Tilldela").click()
    journey.see("Uppföljningen är tilldelad.")
    page.get_by_text("Tilldelad", exact=True).wait_for()
    page.get_by_role("button", name="Markera som kontaktad").click()
    journey.see("Företaget är markerat som kontaktat.")
    page.get_by_text("Kontaktad", exact=True).first.wait_for()
    page.get_by_label("Hur avslutades den?").fill("Ringde upp; möte bokat om lokaler.")
    page.get_by_role("button", name="Avsluta uppföljningen").click()
    journey.see("Uppföljningen är avslutad.")
    journey.see("Ringde upp; möte bokat om lokaler.")
    assert page.get_by_role("button", name="Tilldela").count() == 0
    journey.check("closed")
    _nothing_confidential(journey)

    page.get_by_role("link", name=COMPANY).click()
    page.get_by_role("heading", name=COMPANY, level=1).wait_for()
    journey.check()
    followups = page.get_by_role("table", name="Uppföljningar")
    assert "Avslutad" in followups.inner_text()
    assert "Kontaktförfrågan i en enkät" in followups.inner_text()
    assert "Besvarad" in page.get_by_role("table", name="Enkäter").inner_text()
    _nothing_confidential(journey)

    with app.app_context():
        (followup,) = db.session.scalars(select(FollowUp)).all()
        assert (followup.status, followup.topic, followup.contact_phone) == ("closed", ABOUT, PHONE)
        assert followup.contacted_at is not None and followup.owner_id == official.id
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "followup")
        ).all()
        assert sorted(actions) == [
            "followup.assign",
            "followup.close",
            "followup.contacted",
            "followup.create",
        ]
