"""A company whose browser prefers British English gets the survey in English without choosing
it: it opens the mailed link on its computer, looks at the first part, and later answers all
questions on one page on a small phone 320 px wide (or at 400 % zoom), where nothing scrolls
sideways; it saves, and the same link later shows the answer kept."""

from __future__ import annotations

from collections.abc import Callable

from tests.journeys.conftest import Journey, scroll_width
from tests.mail.conftest import (  # noqa: F401  (fixtures)
    battery_version_id,
    invite,
    make_company,
    make_survey,
)

VISIT = "Was the visit worth"


def _in_english(page) -> None:  # noqa: ANN001 - playwright Page
    assert page.locator("html").get_attribute("lang") == "en"


def test_company_with_an_english_browser_answers_on_a_small_phone(
    browser,  # noqa: ANN001 - playwright Browser
    live_server: str,
    app,  # noqa: ANN001
    small_screen: Callable[[str], Journey],
    make_survey: Callable[..., int],  # noqa: F811
    make_company: Callable[..., int],  # noqa: F811
    invite: Callable[..., str],  # noqa: F811
) -> None:
    path = f"/s/{invite(make_survey(), make_company('Bageriet Ö & Co'))}"

    # On the computer (a browser in British English): the intro and the first part.
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    try:
        computer = Journey(context.new_page(), live_server, app)
        page = computer.page
        computer.start(path)
        _in_english(page)
        page.get_by_role("heading", name="What did you think of our visit?").wait_for()
        computer.check("en-GB")
        page.get_by_role("link", name="Start the survey").click()
        page.get_by_role("heading", name="The visit").wait_for()
        computer.check("en-GB")
    finally:
        context.close()

    # On the small phone: every question on one page, nothing scrolls sideways.
    phone = small_screen("en-GB")
    page = phone.page
    phone.start(path)
    page.get_by_role("link", name="Show all questions on one page").click()
    page.get_by_role("heading", name="All questions", level=1).wait_for()
    _in_english(page)
    phone.check("en-GB")
    width = scroll_width(page)
    assert width <= 320, f"the one-page form scrolls sideways ({width} px)"
    page.get_by_role("group", name=VISIT).get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Save and continue later").click()
    page.get_by_role("heading", name="Your answers are saved").wait_for()
    phone.check("en-GB")

    # The same link later: the answer is kept on the one-page form.
    phone.start(path)
    page.get_by_role("link", name="Show all questions on one page").click()
    page.get_by_role("heading", name="All questions", level=1).wait_for()
    assert page.get_by_role("group", name=VISIT).get_by_label("5", exact=True).is_checked()
