"""An official records a visit and fills in the conversation guide while at the company.

From the visit list the official finds the company, gets a visit form with themselves and
today already chosen (only officials are offered, not the analyst or the administrator),
saves it, opens the shipped conversation guide for the visit, fills in answers, saves them,
and later comes back to find them kept. The answers are stored as one interview response.
Before the next visit the official tries the guide in its preview: "Kontrollera svaren" posts
the preview's own form (with its own CSRF token: a form without one failed here, with 400, for
every official, while a test client borrowing a token from another form passed).
"""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.models import Response
from survey.services.register import companies
from survey.services.respondents.answers import answers_of
from survey.services.surveys.invitations import local_today

GUIDE = "foretagsbesok-samtalsguide"
STAFF = "Hur många personer arbetar i företaget här i kommunen?"


def test_official_records_a_visit_and_fills_in_the_guide(
    journey, person, shipped, app: Flask
) -> None:
    shipped(GUIDE)
    person("analyst", "Ada Analys")
    person("admin", "Adam Admin")
    colleague = person("official", "Olle Kollega")
    with app.app_context():
        companies.create_company(
            {"org_number": "556036-0793", "name": "Bageriet i Bro AB"}, actor_id=None
        )
        today = local_today().isoformat()
    journey.log_in(person("official", "Karin Berg"))
    page = journey.page

    page.get_by_role("link", name="Besök", exact=True).first.click()
    journey.check()
    page.get_by_role("link", name="Registrera ett besök").click()
    journey.check()
    page.get_by_label("Namn eller organisationsnummer").fill("bageriet")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("link", name="Bageriet i Bro AB").click()
    journey.see("Bageriet i Bro AB (556036-0793)")
    expect(page.get_by_label("Datum för besöket")).to_have_value(today)
    expect(page.get_by_role("checkbox", name="Karin Berg")).to_be_checked()
    expect(page.get_by_role("checkbox", name=colleague.name)).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Ada Analys")).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Adam Admin")).to_have_count(0)
    journey.check()
    page.get_by_label("Anteckningar").fill("Bageriet vill bygga ut lokalen.")
    page.get_by_role("button", name="Spara").click()
    journey.see("Besöket är registrerat.")
    journey.check()

    page.get_by_role("link", name=f"Intervju {today}").click()
    journey.check()
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_label(STAFF).fill("12")
    page.get_by_role("radio", name="Mer än 10 år").check()
    page.get_by_role("radio", name="Telefon").check()
    journey.check()
    page.get_by_role("button", name="Spara svaren").click()
    journey.see("Svaren är sparade med besöket.")
    journey.check()

    page.get_by_role("link", name="Besök", exact=True).first.click()
    page.get_by_role("link", name="Intervju Bageriet i Bro AB").click()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_label(STAFF)).to_have_value("12")
    expect(page.get_by_role("radio", name="Mer än 10 år")).to_be_checked()
    expect(page.get_by_role("radio", name="Telefon")).to_be_checked()

    page.get_by_role("link", name="Frågebatterier").click()
    journey.check()
    page.get_by_role("link", name=GUIDE, exact=True).click()
    journey.check()
    page.get_by_role("main").get_by_role("link", name="Svenska", exact=True).click()
    journey.check()
    page.get_by_role("radio", name="E-post").check()
    page.get_by_role("button", name="Kontrollera svaren").click()
    page.get_by_text("Alla svar är giltiga. Inget sparades.").wait_for()
    journey.check("checked")

    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        answers = answers_of(response)
    assert response.collection_mode == "interview"
    assert answers["FORETAG_ANSTALLDA"] == 12
    assert answers["FORETAG_ETABLERAT"] == "over_10_ar"
    assert answers["ATERKOPPLING_SATT"] == "telefon"
