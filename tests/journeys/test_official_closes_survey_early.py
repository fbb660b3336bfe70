"""An official closes a survey early: asked first before resending a link (the old one dies)
and before closing; after closing, a company that opens its mailed link is told the survey has
closed."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import expect


def survey_with_two_invited(app: Flask) -> str:
    """A survey as an official set it up, two companies invited; return one company's token
    (its mailed link)."""
    from survey.extensions import db
    from survey.services.batteries import batteries
    from survey.services.register import companies
    from survey.services.surveys import surveys
    from survey.services.surveys.invitations import create_invitation
    from tests.mail.conftest import survey_input

    with app.app_context():
        version = batteries.get_version("uppfoljning-foretagsbesok")
        survey = surveys.create_survey(
            survey_input(version.id, name="Uppföljning av vårens besök"), actor_id=None
        )
        tokens = []
        for name, number, email in [
            ("Fiskboden AB", "556612-3450", "fisk@boden.example.se"),
            ("Glasmästeriet AB", "556612-3468", "glas@mastare.example.se"),
        ]:
            data = {"org_number": number, "name": name, "contact_email": email}
            company = companies.create_company(data, actor_id=None)
            tokens.append(create_invitation(survey, company))
        db.session.commit()
        return tokens[0]


def test_official_closes_survey_early(journey, desk, person, shipped, app) -> None:
    shipped("uppfoljning-foretagsbesok")
    token = survey_with_two_invited(app)
    official = person("official", "Karin Berg")
    page = journey.page
    journey.log_in(official)
    page.get_by_role("link", name="Enkäter", exact=True).click()
    page.get_by_role("link", name="Uppföljning av vårens besök").click()
    journey.see("Fiskboden AB")
    journey.check()

    # Resending asks first, and says that the old link stops working.
    page.get_by_role("link", name="Skicka inbjudan igen – Glasmästeriet AB").click()
    journey.see("Skicka inbjudan till Glasmästeriet AB igen?")
    journey.see("Den gamla länken slutar fungera direkt")
    journey.check()
    page.get_by_role("link", name="Avbryt").click()

    # Closing asks first; then answering ends.
    page.get_by_role("link", name="Stäng enkäten nu").click()
    journey.see("Stänga enkäten nu?")
    journey.check()
    page.get_by_role("button", name="Stäng enkäten nu").click()
    journey.see("Enkäten är stängd. Företag som öppnar sin länk får veta det.")
    expect(page.get_by_role("link", name="Stäng enkäten nu")).to_have_count(0)
    journey.check()

    # The company opens the link from its mail and is told the survey has closed.
    company = desk()
    company.start(f"/s/{token}")
    expect(company.page.get_by_role("heading", name="Enkäten är stängd")).to_be_visible()
    company.check()
