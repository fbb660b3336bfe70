"""An official starts the day: logs in with the keyboard alone and reaches the start page."""

from __future__ import annotations

from tests.factories import PASSWORD


def test_official_logs_in_by_keyboard(journey, person) -> None:
    official = person("official", "Karin Berg")
    journey.start("/login")
    journey.check()
    page = journey.page
    page.keyboard.press("Tab")  # the skip link comes first
    page.get_by_label("E-postadress").focus()
    page.keyboard.type(official.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(journey.base_url + "/")
    journey.see("Karin Berg")
    journey.check()
