"""A company whose contact reads English answers on a computer: it opens the mailed link,
chooses English, is helped by a clear error in English, saves and continues, answers every
part, submits and is thanked; the link then says, in English, that it is answered."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
)

VISIT = "Was the visit worth"


def _in_english(page) -> None:  # noqa: ANN001 - playwright Page
    assert page.locator("html").get_attribute("lang") == "en"


def test_company_answers_in_english(
    journey,  # noqa: ANN001
    make_survey: Callable[..., int],  # noqa: F811
    make_company: Callable[..., int],  # noqa: F811
    invite: Callable[..., str],  # noqa: F811
) -> None:
    path = f"/s/{invite(make_survey(), make_company('Bageriet Ö & Co'))}"
    link = journey.base_url + path
    page = journey.page

    # The mailed link opens in Swedish; the company chooses English.
    journey.start(path)
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{link}?lang=en")
    _in_english(page)
    journey.check("en")
    page.get_by_role("link", name="Start the survey").click()
    page.wait_for_url(f"{link}/1")

    # The required question forgotten: the message is beside it, in English.
    page.get_by_role("button", name="Next").click()
    visit = page.get_by_role("group", name=VISIT)
    expect(visit.get_by_text("Answer this question.")).to_be_visible()
    journey.check("en-errors")
    visit.get_by_label("5", exact=True).check()

    # Saved for later, then continued at once.
    page.get_by_role("button", name="Save and continue later").click()
    page.wait_for_url(f"{link}/saved")
    _in_english(page)
    journey.check("en")
    page.get_by_role("link", name="Continue now").click()
    page.wait_for_url(f"{link}/1")
    expect(page.get_by_role("group", name=VISIT).get_by_label("5", exact=True)).to_be_checked()
    for number in range(1, 6):
        page.wait_for_url(f"{link}/{number}")
        _in_english(page)
        journey.check("en")
        name = "Next" if number < 5 else "Review your answers"
        page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_url(f"{link}/review")
    _in_english(page)
    journey.check("en")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(f"{link}/thanks")
    _in_english(page)
    journey.check("en")

    # The link again: answered, in English.
    journey.start(path)
    page.get_by_role("heading", name="Already answered").wait_for()
    _in_english(page)
    journey.check("en-answered")
