"""A battery's draft preview in a real browser: "Kontrollera svaren" posts its own form.

The form's own fields are what the browser posts, so a form without its CSRF token fails
here (400), as it did for every official, while a test client that borrows a token from
another form on the page passes. Filling in the conversation guide during a visit is the
journey tests/journeys/test_official_records_visit_and_fills_guide.py.
"""

from __future__ import annotations

from flask import Flask

from survey.services import batteries
from tests.factories import PASSWORD, shipped_battery

GUIDE = "foretagsbesok-samtalsguide"


def _log_in(page, live_server: str, email: str) -> None:  # noqa: ANN001
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server}/")


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
