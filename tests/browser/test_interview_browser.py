"""The conversation guide in a real browser: an official fills it in during a visit and saves.

The form's own fields are what the browser posts, so a form without its CSRF token fails
here (400), as it did for every official, while a test client that borrows a token from
another form on the page passes.
"""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Company, Response, ServiceArea, Visit
from survey.services import batteries
from survey.services.answers import answers_of
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, shipped_battery

GUIDE = "foretagsbesok-samtalsguide"


def _log_in(page, live_server: str, email: str) -> None:  # noqa: ANN001
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server}/")


def test_official_fills_in_the_conversation_guide_and_saves_it(
    app: Flask, page, live_server: str, make_user
) -> None:
    with app.app_context():
        batteries.load_definition(shipped_battery(GUIDE), actor_id=None)
        visit = Visit(
            company=Company(org_number="556036-0793", name="Bageriet i Bro AB"),
            visit_date=date(2026, 11, 30),
            service_area_id=db.session.scalars(select(ServiceArea.id)).first(),
        )
        db.session.add(visit)
        db.session.commit()
    _log_in(page, live_server, make_user("official").email)
    page.goto(f"{live_server}/visits/")
    page.get_by_role("link", name="Intervju Bageriet i Bro AB").click()
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_label("Hur många personer arbetar i företaget här i kommunen?").fill("12")
    page.get_by_role("radio", name="Mer än 10 år").check()
    page.get_by_role("radio", name="Telefon").check()
    check_accessibility(page, "interview-guide")
    page.get_by_role("button", name="Spara svaren").click()
    page.get_by_text("Svaren är sparade med besöket.").wait_for()
    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        answers = answers_of(response)
    assert response.collection_mode == "interview"
    assert answers["FORETAG_ANSTALLDA"] == 12
    assert answers["FORETAG_ETABLERAT"] == "over_10_ar"
    assert answers["ATERKOPPLING_SATT"] == "telefon"


def test_official_checks_answers_in_the_preview(
    app: Flask, page, live_server: str, make_user
) -> None:
    with app.app_context():
        batteries.load_definition(shipped_battery(GUIDE), actor_id=None)
    _log_in(page, live_server, make_user("official").email)
    page.goto(f"{live_server}/batteries/{GUIDE}/versions/1/preview")
    page.get_by_role("radio", name="E-post").check()
    page.get_by_role("button", name="Kontrollera svaren").click()
    page.get_by_text("Alla svar är giltiga. Inget sparades.").wait_for()
