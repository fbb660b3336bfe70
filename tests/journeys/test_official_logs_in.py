"""An official starts the day: mistypes the password, then logs in with the keyboard alone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_official_logs_in_by_keyboard(journey, person) -> None:
    official = person("official", "Karin Berg")
    page = journey.page
    journey.start("/login")
    journey.check()
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    journey.check("english")
    page.get_by_role("link", name="Svenska").click()

    page.keyboard.press("Tab")  # the skip link comes first
    page.get_by_label("E-postadress").focus()
    page.keyboard.type(official.email)
    page.keyboard.press("Tab")
    page.keyboard.type("fel lösenord")
    page.keyboard.press("Enter")
    password = page.get_by_label("Lösenord")
    expect(password).to_have_attribute("aria-invalid", "true")
    journey.check("error")

    password.focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(journey.base_url + "/")
    journey.see("Karin Berg")
    journey.check()
